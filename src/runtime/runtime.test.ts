/**
 * The reconcile loop: changes made in one turn of the event loop are applied together on the next turn, changes
 * that keep coming are coalesced, and statuses are re-stamped when an object's generation moves even though the
 * status value itself is unchanged. Status tells what the data plane did: a listener it failed to bind is Pending
 * until an apply binds it, and a static address this host does not have is AddressNotUsable.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../api/types.ts';
import type { Dataplane } from '../dataplane/dataplane.ts';
import type { IR } from '../ir/types.ts';
import { Runtime } from './runtime.ts';
import type { ChangeTiming } from './timeline.ts';

const GW = 'gateway.networking.k8s.io/v1';
const CONTROLLER = 'archway.dev/gateway-controller';

const gatewayClass: KubeObject = {
  apiVersion: GW,
  kind: 'GatewayClass',
  metadata: { name: 'archway' },
  spec: { controllerName: CONTROLLER },
};
const gateway = (infraLabel: string): KubeObject => ({
  apiVersion: GW,
  kind: 'Gateway',
  metadata: { name: 'gw', namespace: 'default' },
  spec: {
    gatewayClassName: 'archway',
    addresses: [{ type: 'IPAddress', value: '127.0.0.1' }],
    infrastructure: { labels: { tier: infraLabel } },
    listeners: [{ name: 'http', protocol: 'HTTP', port: 8080 }],
  },
});
const route = (name: string, path = '/'): KubeObject => ({
  apiVersion: GW,
  kind: 'HTTPRoute',
  metadata: { name, namespace: 'default' },
  spec: { parentRefs: [{ name: 'gw' }], rules: [{ matches: [{ path: { type: 'PathPrefix', value: path } }] }] },
});

/** A data plane that records what it is given. */
function recorder(): { dataplane: Dataplane; applied: IR[] } {
  const applied: IR[] = [];
  const apply = async (ir: IR) => {
    applied.push(ir);
    return {};
  };
  const dataplane = { apply } as unknown as Dataplane;
  return { dataplane, applied };
}

const observedGenerations = (obj: KubeObject | undefined): number[] => {
  const status = obj?.status as {
    conditions?: { observedGeneration: number }[];
    parents?: { conditions: { observedGeneration: number }[] }[];
  };
  return [...(status.conditions ?? []), ...(status.parents ?? []).flatMap((p) => p.conditions)].map(
    (c) => c.observedGeneration,
  );
};

describe('Runtime reconcile scheduling and status publishing', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'archway-runtime-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('applies every change made in one turn with one reconcile', async (t) => {
    const { dataplane, applied } = recorder();
    const runtime = new Runtime({ configDir: dir, controllerName: CONTROLLER, dataplane, holdoffMs: 50 });
    t.after(() => runtime.close());
    await runtime.start();
    const before = applied.length;
    runtime.store.upsert(gatewayClass);
    runtime.store.upsert(gateway('a'));
    for (let i = 0; i < 50; i++) runtime.store.upsert(route(`r${i}`, `/r${i}`));
    await runtime.settled();
    assert.equal(applied.length - before, 1);
    assert.equal(applied.at(-1)?.listeners[0]?.virtualHosts[0]?.routes.length, 50);
  });

  it('coalesces changes that keep coming, one turn after another', async (t) => {
    const { dataplane, applied } = recorder();
    const runtime = new Runtime({
      configDir: dir,
      controllerName: CONTROLLER,
      dataplane,
      holdoffMs: 50,
      maxDelayMs: 500,
    });
    t.after(() => runtime.close());
    await runtime.start();
    const before = applied.length;
    for (let i = 0; i < 20; i++) {
      runtime.store.upsert(route(`burst${i}`));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await runtime.settled();
    // The first change goes at once; the rest of the burst waits for it to pause.
    assert.ok(applied.length - before <= 3, `${applied.length - before} reconciles for 20 changes`);
    assert.ok(runtime.ready);
  });

  it('times each change stage by stage, from its first file event or its store update', async (t) => {
    const { dataplane } = recorder();
    const sub = await mkdtemp(join(dir, 'timed-'));
    const runtime = new Runtime({ configDir: sub, controllerName: CONTROLLER, dataplane });
    t.after(() => runtime.close());
    await runtime.start();
    const ordered = (c: ChangeTiming | undefined): void => {
      assert.ok(c, 'a timing');
      const stages = [
        c.settledMs ?? 0,
        c.readMs ?? 0,
        c.storedMs,
        c.reconcileStartMs,
        c.translatedMs,
        c.appliedMs,
        c.doneMs,
      ];
      assert.deepEqual(
        stages,
        [...stages].sort((a, b) => a - b),
        `stages in order: ${JSON.stringify(c)}`,
      );
      assert.ok(c.storedMs >= 0 && Number.isFinite(Date.parse(c.at)));
    };

    const before = runtime.changes.length;
    runtime.store.upsert(route('timed-store'));
    await runtime.settled();
    const direct = runtime.changes.at(-1);
    assert.equal(runtime.changes.length, before + 1);
    assert.equal(direct?.source, 'store');
    assert.equal(direct?.storedMs, 0, 'a store change is seen when it is stored');
    ordered(direct);

    await writeFile(
      join(sub, 'r.yaml'),
      `apiVersion: ${GW}\nkind: HTTPRoute\nmetadata: {name: timed-file, namespace: default}\nspec: {}\n`,
    );
    const deadline = Date.now() + 5000;
    while (runtime.store.get('HTTPRoute/default/timed-file') === undefined && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await runtime.settled();
    const fromFile = runtime.changes.at(-1);
    assert.equal(fromFile?.source, 'files');
    assert.equal(fromFile?.files, 1);
    // The watcher waits for the burst of events to settle (3 ms) before it reads.
    assert.ok((fromFile?.settledMs ?? 0) >= 2, `read after the settle window: ${JSON.stringify(fromFile)}`);
    ordered(fromFile);
  });

  it('re-stamps observedGeneration when only the generation changed', async (t) => {
    const { dataplane } = recorder();
    const runtime = new Runtime({ configDir: dir, controllerName: CONTROLLER, dataplane });
    t.after(() => runtime.close());
    await runtime.start();
    runtime.store.upsert(gatewayClass);
    runtime.store.upsert(gateway('a'));
    runtime.store.upsert(route('r'));
    await runtime.settled();
    const current = (key: string) => {
      const obj = runtime.store.get(key);
      return obj && runtime.objectWithStatus(obj);
    };
    assert.deepEqual(new Set(observedGenerations(current('Gateway/default/gw'))), new Set([1]));
    runtime.store.upsert(gateway('b')); // a spec change that leaves the status as it was
    runtime.store.upsert({ ...route('r'), spec: { ...(route('r').spec as object), hostnames: [] } });
    await runtime.settled();
    assert.deepEqual(new Set(observedGenerations(current('Gateway/default/gw'))), new Set([2]));
    assert.deepEqual(new Set(observedGenerations(current('HTTPRoute/default/r'))), new Set([2]));
  });
});

type Condition = { type: string; status: string; reason: string; message: string };
type GatewayStatus = { addresses: unknown[]; conditions: Condition[]; listeners: { conditions: Condition[] }[] };

describe('Runtime status from what the data plane did', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'archway-runtime-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const statusOf = (runtime: Runtime): GatewayStatus => {
    const obj = runtime.store.get('Gateway/default/gw');
    return (obj && runtime.objectWithStatus(obj))?.status as GatewayStatus;
  };
  const programmed = (conditions: readonly Condition[] | undefined) => conditions?.find((c) => c.type === 'Programmed');

  it('reports a listener that failed to bind as Pending until an apply binds it', async (t) => {
    let bind = false;
    const applied: IR[] = [];
    const apply = async (ir: IR) => {
      applied.push(ir);
      const result = bind ? 'bound' : { error: 'listen EADDRINUSE: address already in use 127.0.0.1:8080' };
      return Object.fromEntries(ir.listeners.map((l) => [l.name, result]));
    };
    const runtime = new Runtime({ configDir: dir, controllerName: CONTROLLER, dataplane: { apply } as never });
    t.after(() => runtime.close());
    await runtime.start();
    runtime.store.upsert(gatewayClass);
    runtime.store.upsert(gateway('a'));
    await runtime.settled();
    const pending = statusOf(runtime);
    assert.equal(programmed(pending.conditions)?.reason, 'Pending');
    assert.match(programmed(pending.conditions)?.message ?? '', /127\.0\.0\.1:8080: listen EADDRINUSE/);
    assert.equal(programmed(pending.listeners[0]?.conditions)?.reason, 'Pending');
    assert.deepEqual(pending.addresses, [], 'nothing is bound');
    bind = true;
    await runtime.reconcileNow(); // what the retry timer does
    const bound = statusOf(runtime);
    assert.equal(programmed(bound.conditions)?.status, 'True');
    assert.equal(programmed(bound.listeners[0]?.conditions)?.status, 'True');
    assert.deepEqual(bound.addresses, [{ type: 'IPAddress', value: '127.0.0.1' }]);
    assert.equal(
      applied.at(-1)?.listeners[0],
      applied.at(-2)?.listeners[0],
      'the same IR listener: only status changed',
    );
  });

  it('reports a static address this host does not have as AddressNotUsable and binds nothing for it', async (t) => {
    const { dataplane, applied } = recorder();
    const runtime = new Runtime({ configDir: dir, controllerName: CONTROLLER, dataplane });
    t.after(() => runtime.close());
    await runtime.start();
    runtime.store.upsert(gatewayClass);
    const spec = { ...(gateway('a').spec as object), addresses: [{ value: '203.0.113.77' }, { value: '127.0.0.1' }] };
    runtime.store.upsert({ ...gateway('a'), spec });
    await runtime.settled();
    assert.equal(programmed(statusOf(runtime).conditions)?.reason, 'AddressNotUsable');
    assert.match(programmed(statusOf(runtime).conditions)?.message ?? '', /"203\.0\.113\.77"/);
    assert.deepEqual(applied.at(-1)?.listeners, []);
    runtime.store.upsert({ ...gateway('a'), spec: { ...spec, addresses: [{ value: '127.0.0.1' }] } });
    await runtime.settled();
    assert.equal(programmed(statusOf(runtime).conditions)?.status, 'True');
    assert.equal(applied.at(-1)?.listeners[0]?.name, '127.0.0.1:8080');
  });
});
