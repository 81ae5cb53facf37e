import assert from 'node:assert/strict';
import { mkdir, mkdtemp, open, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { ConfigError } from '../../api/decode.ts';
import type { HTTPRoute } from '../../api/types.ts';
import { Store } from '../../store/store.ts';
import { FileSource, type FileSourceOptions, isConfigFile, listConfigFiles } from './files.ts';

// ------------------------------------------------------------------------------------------------ fixtures

const route = (name: string, path: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}, namespace: default}
spec:
  parentRefs: [{name: gw}]
  rules:
  - matches: [{path: {type: PathPrefix, value: ${path}}}]
`;
const namespace = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}}\n`;
const docs = (...parts: string[]) => parts.join('---\n');
/** A duplicate key: a YAML syntax error on line 3. */
const BROKEN = 'apiVersion: v1\nkind: Namespace\nkind: Secret\nmetadata: {name: broken}\n';

let root = '';
let seq = 0;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'archway-files-'));
});
after(() => rm(root, { recursive: true, force: true }));

interface Fixture {
  readonly dir: string;
  readonly store: Store;
  readonly source: FileSource;
  /** The errors last reported through onErrors. */
  reported: readonly ConfigError[];
  write(file: string, text: string): Promise<void>;
  remove(file: string): Promise<void>;
  /** The path of route `name` in the store, or undefined when the route is absent. */
  path(name: string): string | undefined;
  keys(): string[];
  /** Resolves once cond() holds (checked on every store change and every 20 ms); fails after a deadline. */
  waitFor(what: string, cond: () => boolean): Promise<void>;
}

async function fixture(
  t: TestContext,
  files: Record<string, string>,
  opts: Partial<FileSourceOptions> & { watch?: boolean } = {},
): Promise<Fixture> {
  const dir = join(root, `case-${++seq}`);
  await mkdir(dir);
  const f: Fixture = {
    dir,
    store: new Store(),
    source: undefined as unknown as FileSource,
    reported: [],
    write: async (file, text) => {
      await mkdir(dirname(join(dir, file)), { recursive: true });
      await writeFile(join(dir, file), text);
    },
    remove: (file) => rm(join(dir, file), { recursive: true }),
    path: (name) => {
      const r = f.store.get(`HTTPRoute/default/${name}`) as HTTPRoute | undefined;
      return r ? (r.spec.rules?.[0]?.matches?.[0]?.path?.value ?? '') : undefined;
    },
    keys: () => ['HTTPRoute', 'Namespace', 'Service'].flatMap((k) => f.store.list(k).map((o) => o.metadata.name)),
    waitFor: (what, cond) => waitFor(f.store, what, cond),
  };
  for (const [file, text] of Object.entries(files)) await f.write(file, text);
  const source = new FileSource({
    dir,
    store: f.store,
    rescanMs: 0,
    onErrors: (errors) => {
      f.reported = errors;
    },
    ...opts,
  });
  (f as { source: FileSource }).source = source;
  t.after(() => source.close());
  if (opts.watch) await source.start();
  else await source.rescan();
  return f;
}

function waitFor(store: Store, what: string, cond: () => boolean, timeoutMs = 5000): Promise<void> {
  if (cond()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      off();
      clearInterval(poll);
      clearTimeout(deadline);
      if (err) reject(err);
      else resolve();
    };
    const check = () => {
      if (cond()) done();
    };
    const off = store.onChange(check);
    const poll = setInterval(check, 20);
    const deadline = setTimeout(() => done(new Error(`timed out waiting for ${what}`)), timeoutMs);
  });
}

/** Saves like editors that write a temp file and rename it over the original. */
async function writeByRename(dir: string, file: string, text: string): Promise<void> {
  const tmp = join(dir, `.${file}.swp`);
  await writeFile(tmp, text);
  await rename(tmp, join(dir, file));
}

/** Saves like editors that truncate the file in place, then write it. */
async function writeByTruncate(dir: string, file: string, text: string): Promise<void> {
  const fh = await open(join(dir, file), 'r+');
  try {
    await fh.truncate(0);
    await fh.write(text, 0);
  } finally {
    await fh.close();
  }
}

// ------------------------------------------------------------------------------------------------ listing

describe('listConfigFiles and isConfigFile', () => {
  it('accepts .yaml, .yml and .json in any case, nothing else', () => {
    for (const p of ['a.yaml', 'b.YML', 'dir/c.json', 'x.y.yaml']) assert.ok(isConfigFile(p), p);
    for (const p of ['a.yaml~', 'a.yaml.swp', 'a.txt', 'yaml', '#a.yaml#']) assert.ok(!isConfigFile(p), p);
  });

  it('lists config files recursively and sorted, skipping dot-files and dot-directories, following file links', async (t) => {
    const f = await fixture(t, {
      'b.yaml': '',
      'a/z.yml': '',
      'a/deep/er/c.json': '',
      'notes.txt': '',
      '.hidden.yaml': '',
      '.git/config.yaml': '',
      'a/.tmp/d.yaml': '',
      '.a.yaml.swp': '',
    });
    await symlink(join(f.dir, 'b.yaml'), join(f.dir, 'link.yaml'));
    await symlink(join(f.dir, 'gone.yaml'), join(f.dir, 'dangling.yaml'));
    const files = await listConfigFiles(f.dir);
    assert.deepEqual(
      files.map((p) => p.slice(f.dir.length + 1)),
      ['a/deep/er/c.json', 'a/z.yml', 'b.yaml', 'link.yaml'],
    );
  });
});

// ------------------------------------------------------------------------------------------------ rescan

describe('FileSource through rescan()', () => {
  it('loads every file recursively: multi-document YAML, kind: List, JSON; skips dot paths and unknown kinds', async (t) => {
    const list = `apiVersion: v1\nkind: List\nitems:\n- ${namespace('l1').trimEnd().replaceAll('\n', '\n  ')}\n- ${namespace('l2').trimEnd().replaceAll('\n', '\n  ')}\n`;
    const f = await fixture(t, {
      'multi.yaml': docs(route('a', '/a'), route('b', '/b'), '# only a comment\n'),
      'sub/list.yaml': list,
      'sub/deeper/svc.json': JSON.stringify({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 's' },
        spec: { ports: [{ port: 80 }] },
      }),
      'sub/app.yml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ignored}\n',
      '.hidden.yaml': namespace('hidden'),
      '.git/x.yaml': namespace('in-git'),
      'sub/.tmp/y.yaml': namespace('in-tmp'),
      'readme.txt': namespace('txt'),
    });
    assert.deepEqual(f.keys(), ['a', 'b', 'l1', 'l2', 's']);
    assert.equal(f.path('a'), '/a');
    assert.deepEqual(f.source.errors(), []);
  });

  it('applies edits (even of the same size within one clock tick), new directories, file and directory removal', async (t) => {
    const f = await fixture(t, { 'a.yaml': route('a', '/v1'), 'sub/b.yaml': route('b', '/b') });
    await f.write('a.yaml', route('a', '/v2')); // same size, likely the same mtime as the first write
    await f.source.rescan();
    assert.equal(f.path('a'), '/v2');
    await f.write('new/deep/c.yaml', route('c', '/c'));
    await f.source.rescan();
    assert.equal(f.path('c'), '/c');
    await f.remove('a.yaml');
    await f.remove('new');
    await f.source.rescan();
    assert.deepEqual(f.keys(), ['b']);
  });

  it('reports malformed YAML with file and line, and keeps that file’s last good objects in force', async (t) => {
    const f = await fixture(t, { 'a.yaml': docs(route('a', '/a'), route('a2', '/a2')), 'b.yaml': route('b', '/b') });
    await f.write('a.yaml', docs(route('a', '/changed'), BROKEN));
    await f.write('b.yaml', route('b', '/b2'));
    await f.source.rescan();
    const errors = f.source.errors();
    assert.ok(errors.length > 0);
    for (const e of errors) {
      assert.equal(e.file, join(f.dir, 'a.yaml'));
      assert.equal(e.code, 'ARCHWAY_ERR_YAML');
    }
    assert.equal(errors[0]?.line, 11, JSON.stringify(errors)); // BROKEN starts on line 9
    assert.deepEqual(f.reported, errors);
    assert.equal(f.path('a'), '/a', 'nothing of the broken file applies');
    assert.equal(f.path('a2'), '/a2', 'the broken file’s objects stay');
    assert.equal(f.path('b'), '/b2', 'other files still apply');
    await f.write('a.yaml', route('a', '/fixed'));
    await f.source.rescan();
    assert.deepEqual(f.source.errors(), []);
    assert.deepEqual(f.reported, []);
    assert.equal(f.path('a'), '/fixed');
    assert.equal(f.path('a2'), undefined);
  });

  it('a file broken from the start provides nothing', async (t) => {
    const f = await fixture(t, { 'a.yaml': BROKEN, 'b.yaml': route('b', '/b') });
    assert.deepEqual(f.keys(), ['b']);
    assert.equal(f.source.errors()[0]?.line, 3);
  });

  it('an object failing validation keeps its previous version while the file’s other objects update', async (t) => {
    const f = await fixture(t, { 'r.yaml': docs(route('a', '/a'), route('b', '/b')) });
    const before = f.store.get('HTTPRoute/default/b')?.metadata;
    await f.write('r.yaml', docs(route('a', '/a2'), route('b', 'no-slash'), route('c', 'no-slash-either')));
    await f.source.rescan();
    assert.equal(f.path('a'), '/a2');
    assert.equal(f.path('b'), '/b', 'b keeps its last valid version');
    assert.deepEqual(f.store.get('HTTPRoute/default/b')?.metadata, before, 'untouched, generation included');
    assert.equal(f.path('c'), undefined, 'an invalid new object is not created');
    assert.deepEqual(
      f.source.errors().map((e) => [e.key, e.path]),
      [
        ['HTTPRoute/default/b', 'spec.rules[0].matches[0].path.value'],
        ['HTTPRoute/default/c', 'spec.rules[0].matches[0].path.value'],
      ],
    );
    // Still invalid on the next edit: the last good version stays (it is not lost by a second bad write).
    await f.write('r.yaml', docs(route('a', '/a3'), route('b', 'still-bad')));
    await f.source.rescan();
    assert.deepEqual([f.path('a'), f.path('b')], ['/a3', '/b']);
    await f.write('r.yaml', docs(route('a', '/a3'), route('b', '/b2')));
    await f.source.rescan();
    assert.equal(f.path('b'), '/b2');
    assert.equal(f.store.get('HTTPRoute/default/b')?.metadata.generation, 2);
    assert.deepEqual(f.source.errors(), []);
    // Removing the object from the file (rather than breaking it) deletes it.
    await f.write('r.yaml', route('a', '/a3'));
    await f.source.rescan();
    assert.deepEqual(f.keys(), ['a']);
  });

  it('two files defining one object: the last written wins; the other’s version takes over when it goes', async (t) => {
    const f = await fixture(t, { 'a.yaml': route('x', '/from-a'), 'b.yaml': route('x', '/from-b') });
    assert.equal(f.path('x'), '/from-b', 'the later file in sorted order wins the initial load');
    await f.write('a.yaml', route('x', '/from-a2'));
    await f.source.rescan();
    assert.equal(f.path('x'), '/from-a2', 'the last written wins');
    await f.write('b.yaml', docs(route('x', '/from-b'), route('y', '/y')));
    await f.source.rescan();
    assert.equal(f.path('x'), '/from-a2', 'an edit of b that leaves x alone does not make b’s x win');
    await f.remove('a.yaml');
    await f.source.rescan();
    assert.equal(f.path('x'), '/from-b', 'removing the winner restores the version b still defines');
    await f.write('a.yaml', route('x', '/from-a3'));
    await f.source.rescan();
    await f.write('b.yaml', namespace('other'));
    await f.source.rescan();
    assert.equal(f.path('x'), '/from-a3', 'removing the loser’s definition keeps the winner');
    await f.write('a.yaml', namespace('nothing'));
    await f.source.rescan();
    assert.equal(f.path('x'), undefined, 'gone once no file defines it');
  });

  it('an object moved between files is never deleted on the way (uid and generation survive)', async (t) => {
    const f = await fixture(t, { 'a.yaml': route('x', '/x') });
    const uid = f.store.get('HTTPRoute/default/x')?.metadata.uid;
    let vanished = false;
    f.store.onChange(() => {
      vanished ||= !f.store.has('HTTPRoute/default/x');
    });
    await f.remove('a.yaml');
    await f.write('b.yaml', route('x', '/x'));
    await f.source.rescan();
    assert.equal(vanished, false);
    assert.equal(f.store.get('HTTPRoute/default/x')?.metadata.uid, uid);
  });

  it('keeps everything when the directory cannot be read, and says so', async (t) => {
    const f = await fixture(t, { 'a.yaml': route('a', '/a') });
    await rename(f.dir, `${f.dir}-away`);
    await f.source.rescan();
    assert.deepEqual(f.keys(), ['a']);
    assert.deepEqual(
      f.source.errors().map((e) => [e.file, e.code]),
      [[f.dir, 'ARCHWAY_ERR_FILE_READ']],
    );
    await rename(`${f.dir}-away`, f.dir);
    await f.source.rescan();
    assert.deepEqual(f.source.errors(), []);
    assert.deepEqual(f.reported, []);
  });

  it('keeps working after a store listener throws', async (t) => {
    const f = await fixture(t, { 'a.yaml': route('a', '/a') });
    const off = f.store.onChange(() => {
      throw new Error('listener bug');
    });
    await f.write('a.yaml', route('a', '/a2'));
    await assert.rejects(f.source.rescan(), /listener bug/);
    off();
    await f.write('b.yaml', route('b', '/b'));
    await f.source.rescan();
    assert.deepEqual([f.path('a'), f.path('b')], ['/a2', '/b']);
  });

  it('does nothing once closed', async (t) => {
    const f = await fixture(t, { 'a.yaml': route('a', '/a') });
    f.source.close();
    await f.remove('a.yaml');
    await f.source.rescan();
    assert.deepEqual(f.keys(), ['a']);
  });
});

// ------------------------------------------------------------------------------------------------ watcher

describe('FileSource through the watcher', () => {
  it('applies a new file, truncate+write and rename-over saves, and removal', async (t) => {
    const f = await fixture(t, { 'a.yaml': route('a', '/a') }, { watch: true });
    assert.equal(f.path('a'), '/a');
    await f.write('b.yaml', route('b', '/b'));
    await f.waitFor('b created', () => f.path('b') === '/b');
    await writeByTruncate(f.dir, 'a.yaml', route('a', '/truncated-and-written'));
    await f.waitFor('a truncated and written', () => f.path('a') === '/truncated-and-written');
    await writeByRename(f.dir, 'a.yaml', route('a', '/renamed-over'));
    await f.waitFor('a renamed over', () => f.path('a') === '/renamed-over');
    await f.remove('b.yaml');
    await f.waitFor('b removed', () => f.path('b') === undefined);
    assert.deepEqual(f.keys(), ['a']);
  });

  it('picks up a new subdirectory with files, and forgets a removed one', async (t) => {
    const f = await fixture(t, { 'top.yaml': route('top', '/top') }, { watch: true });
    await mkdir(join(f.dir, 'new/deep'), { recursive: true });
    await writeFile(join(f.dir, 'new/deep/c.yaml'), route('c', '/c'));
    await writeFile(join(f.dir, 'new/d.yaml'), route('d', '/d'));
    await f.waitFor('c and d', () => f.path('c') === '/c' && f.path('d') === '/d');
    await rename(join(f.dir, 'new'), join(f.dir, 'moved'));
    await f.write('marker.yaml', namespace('marker-1'));
    await f.waitFor('marker 1', () => f.store.has('Namespace/marker-1'));
    assert.deepEqual(f.keys(), ['c', 'd', 'top', 'marker-1'], 'a renamed directory keeps its objects');
    await f.remove('moved');
    await f.waitFor('c and d removed', () => f.path('c') === undefined && f.path('d') === undefined);
    assert.deepEqual(f.keys(), ['top', 'marker-1']);
  });

  it('reports malformed YAML and keeps the last good state; fixing the file clears the error', async (t) => {
    const f = await fixture(t, { 'a.yaml': route('a', '/a') }, { watch: true });
    await writeByRename(f.dir, 'a.yaml', BROKEN);
    await waitFor(f.store, 'the YAML error', () => f.reported.length > 0);
    assert.deepEqual(
      f.reported.map((e) => [e.file, e.line, e.code]),
      [[join(f.dir, 'a.yaml'), 3, 'ARCHWAY_ERR_YAML']],
    );
    assert.equal(f.path('a'), '/a');
    await writeByTruncate(f.dir, 'a.yaml', route('a', '/fixed'));
    await f.waitFor('the fix', () => f.path('a') === '/fixed');
    assert.deepEqual(f.reported, []);
  });

  it('keeps an invalid update’s previous version while the rest of the file applies', async (t) => {
    const f = await fixture(t, { 'r.yaml': docs(route('a', '/a'), route('b', '/b')) }, { watch: true });
    await f.write('r.yaml', docs(route('a', '/a2'), route('b', 'bad')));
    await f.waitFor('a updated', () => f.path('a') === '/a2');
    assert.equal(f.path('b'), '/b');
    assert.equal(f.reported[0]?.key, 'HTTPRoute/default/b');
  });

  it('removing the winning file restores the version another file defines, without re-reading it', async (t) => {
    const f = await fixture(
      t,
      { 'a.yaml': route('x', '/from-a'), 'sub/b.yaml': route('x', '/from-b') },
      { watch: true },
    );
    await f.write('a.yaml', route('x', '/from-a2'));
    await f.waitFor('a wins', () => f.path('x') === '/from-a2');
    await f.remove('a.yaml');
    await f.waitFor('b takes over', () => f.path('x') === '/from-b');
    await f.remove('sub');
    await f.waitFor('x removed', () => f.path('x') === undefined);
  });

  it('ignores dot-files and dot-directories', async (t) => {
    const f = await fixture(t, {}, { watch: true });
    await f.write('.a.yaml', namespace('dot-file'));
    await f.write('.tmp/b.yaml', namespace('dot-dir'));
    await f.write('sub/.c.yaml', namespace('nested-dot-file'));
    await f.write('marker.yaml', namespace('marker'));
    await f.waitFor('the marker', () => f.store.has('Namespace/marker'));
    assert.deepEqual(f.keys(), ['marker']);
  });

  it('never drops objects while an editor moves the file aside and writes a new one', async (t) => {
    const f = await fixture(t, { 'a.yaml': route('a', '/a') }, { watch: true, settleMs: 300 });
    let vanished = false;
    f.store.onChange(() => {
      vanished ||= !f.store.has('HTTPRoute/default/a');
    });
    await rename(join(f.dir, 'a.yaml'), join(f.dir, 'a.yaml~'));
    await writeFile(join(f.dir, 'a.yaml'), route('a', '/new'));
    await f.waitFor('the new version', () => f.path('a') === '/new');
    assert.equal(vanished, false);
  });

  it('never drops objects when a writer pauses between truncate and write longer than the settle', async (t) => {
    const f = await fixture(t, { 'a.yaml': route('a', '/a') }, { watch: true, settleMs: 1 });
    let vanished = false;
    f.store.onChange(() => {
      vanished ||= !f.store.has('HTTPRoute/default/a');
    });
    const fh = await open(join(f.dir, 'a.yaml'), 'r+');
    try {
      await fh.truncate(0);
      // The pause is the scenario (a descheduled writer), not a wait for a result.
      await new Promise((resolve) => setTimeout(resolve, 30));
      await fh.write(route('a', '/written-later'), 0);
    } finally {
      await fh.close();
    }
    await f.waitFor('the written version', () => f.path('a') === '/written-later');
    assert.equal(vanished, false);
  });

  it('an emptied file withdraws its objects once it stays empty', async (t) => {
    const f = await fixture(t, { 'a.yaml': route('a', '/a'), 'b.yaml': route('b', '/b') }, { watch: true });
    await f.write('a.yaml', '');
    await f.waitFor('a withdrawn', () => f.path('a') === undefined);
    assert.deepEqual(f.keys(), ['b']);
  });

  it('follows a ConfigMap volume: links through ..data, swapped atomically', async (t) => {
    const f = await fixture(t, { '..v1/a.yaml': route('a', '/v1'), '..v2/a.yaml': route('a', '/v2') }, { watch: true });
    await symlink('..v1', join(f.dir, '..data'));
    await symlink('..data/a.yaml', join(f.dir, 'a.yaml'));
    await f.waitFor('the linked file', () => f.path('a') === '/v1');
    await symlink('..v2', join(f.dir, '..data_tmp'));
    await rename(join(f.dir, '..data_tmp'), join(f.dir, '..data'));
    await f.waitFor('the swapped version', () => f.path('a') === '/v2');
  });

  it('the fallback rescan catches changes the watcher does not report', async (t) => {
    // The link target changes behind an ignored dot-directory: no event names a.yaml.
    const f = await fixture(t, { '.v1/a.yaml': route('a', '/v1'), '.v2/a.yaml': route('a', '/v2') });
    await symlink('.v1', join(f.dir, '.current'));
    await symlink('.current/a.yaml', join(f.dir, 'a.yaml'));
    const source = new FileSource({ dir: f.dir, store: f.store, rescanMs: 50 });
    t.after(() => source.close());
    await source.start();
    assert.equal(f.path('a'), '/v1');
    await symlink('.v2', join(f.dir, '.next'));
    await rename(join(f.dir, '.next'), join(f.dir, '.current'));
    await f.waitFor('the periodic rescan', () => f.path('a') === '/v2');
  });

  it('the fallback rescan also withdraws a file that went away unreported', async (t) => {
    // b.yaml links into an ignored dot-directory; moving that directory away leaves the link dangling, unreported.
    const f = await fixture(t, { 'a.yaml': route('a', '/a'), '.v1/b.yaml': route('b', '/b') });
    await symlink('.v1', join(f.dir, '.current'));
    await symlink('.current/b.yaml', join(f.dir, 'b.yaml'));
    const source = new FileSource({ dir: f.dir, store: f.store, rescanMs: 50 });
    t.after(() => source.close());
    await source.start();
    assert.equal(f.path('b'), '/b');
    await rename(join(f.dir, '.current'), join(f.dir, '.gone'));
    await f.waitFor('the periodic rescan', () => f.path('b') === undefined);
    assert.equal(f.path('a'), '/a', 'the other file stays');
  });
});
