/**
 * Summarizes a V8 .cpuprofile (as written by `node --cpu-prof`): the functions with the most self time, and self
 * time grouped by where the code lives (Archway's sources, dependencies, Node's JS internals, native bindings, GC).
 *
 *   node bench/profile-summary.ts FILE.cpuprofile [--top N] [--window START_US,END_US]
 *
 * Owns: reading the profile format. Self time of a node is the sum of the sampling intervals whose sample landed
 * in it (timeDeltas[i + 1] belongs to samples[i]); nodes with the same function, file and line are merged.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import type { ProfileEntry } from './report/types.ts';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

export interface CpuProfile {
  /** Microseconds on the monotonic clock (the same clock as process.hrtime on Linux). */
  readonly startTime: number;
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface ProfileSummary {
  readonly totalMs: number;
  /** Time not spent idle. Percentages are of this. */
  readonly busyMs: number;
  readonly top: readonly ProfileEntry[];
  readonly byCategory: Readonly<Record<string, number>>;
}

const REPO = new URL('..', import.meta.url).pathname;

export function category(frame: CallFrame): string {
  const { functionName: f, url } = frame;
  if (f === '(idle)') return 'idle';
  if (f === '(garbage collector)') return 'GC';
  if (f === '(program)') return 'V8/native (program)';
  if (url.includes('/node_modules/')) return 'dependencies';
  // Archway's code: the sources, or the compiled dist/ the benchmark runs (named after the sources either way).
  if (url.startsWith('file://') && (url.includes('/src/') || url.includes('/dist/'))) return 'Archway (src/)';
  if (url.startsWith('node:')) return 'Node.js internals (JS)';
  if (url === '') return 'native bindings (C++)';
  return 'other JS';
}

const OWN_CODE = new Set(['Archway (src/)', 'dependencies']);

/** For every node, the nearest ancestor-or-self frame in Archway's sources or a dependency (or none). */
function ownCallers(nodes: readonly ProfileNode[]): Map<number, CallFrame | undefined> {
  const parent = new Map<number, number>();
  for (const n of nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const out = new Map<number, CallFrame | undefined>();
  const resolve = (id: number): CallFrame | undefined => {
    const path: number[] = [];
    let cur: number | undefined = id;
    let found: CallFrame | undefined;
    while (cur !== undefined && path.length < 10_000) {
      if (out.has(cur)) {
        found = out.get(cur);
        break;
      }
      path.push(cur);
      const frame = byId.get(cur)?.callFrame;
      if (frame && OWN_CODE.has(category(frame))) {
        found = frame;
        break;
      }
      cur = parent.get(cur);
    }
    for (const p of path) out.set(p, found);
    return found;
  };
  for (const n of nodes) resolve(n.id);
  return out;
}

function location(frame: CallFrame): string {
  if (!frame.url) return '';
  const path = frame.url.startsWith('file://') ? relative(REPO, new URL(frame.url).pathname) : frame.url;
  return `${path}:${frame.lineNumber + 1}`;
}

/** Only samples taken inside [startUs, endUs] (monotonic clock, µs) count: e.g. the load, not the startup. */
export interface ProfileWindow {
  readonly startUs: number;
  readonly endUs: number;
}

export function summarizeProfile(profile: CpuProfile, topN = 20, window?: ProfileWindow): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<string, { frame: CallFrame; us: number; via: Map<string, number> }>();
  const callers = ownCallers(profile.nodes);
  let totalUs = 0;
  let idleUs = 0;
  const byCategory: Record<string, number> = {};
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    if (window && (t < window.startUs || t > window.endUs)) continue;
    const node = byId.get(profile.samples[i]!);
    const dt = profile.timeDeltas[i + 1] ?? 0;
    if (!node || dt <= 0) continue;
    totalUs += dt;
    const cat = category(node.callFrame);
    if (cat === 'idle') {
      idleUs += dt;
      continue;
    }
    byCategory[cat] = (byCategory[cat] ?? 0) + dt;
    const key = `${node.callFrame.functionName}\u0000${node.callFrame.url}\u0000${node.callFrame.lineNumber}`;
    const entry = selfUs.get(key) ?? { frame: node.callFrame, us: 0, via: new Map<string, number>() };
    entry.us += dt;
    const caller = callers.get(node.id);
    const via = caller
      ? `${caller.functionName || '(anonymous)'} ${location(caller)}`
      : '(no Archway or dependency caller)';
    entry.via.set(via, (entry.via.get(via) ?? 0) + dt);
    selfUs.set(key, entry);
  }
  const busyUs = totalUs - idleUs;
  const pct = (us: number) => (busyUs > 0 ? (100 * us) / busyUs : 0);
  const top = [...selfUs.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, topN)
    .map(({ frame, us, via }) => ({
      functionName: frame.functionName || '(anonymous)',
      url: location(frame),
      selfPercent: pct(us),
      selfMs: us / 1000,
      via: [...via]
        .sort(([, a], [, b]) => b - a)
        .slice(0, 3)
        .map(([f, v]) => ({ frame: f, percent: (100 * v) / us })),
    }));
  const cats = Object.fromEntries(
    Object.entries(byCategory)
      .sort(([, a], [, b]) => b - a)
      .map(([k, us]) => [k, pct(us)]),
  );
  return { totalMs: totalUs / 1000, busyMs: busyUs / 1000, top, byCategory: cats };
}

export function formatSummary(s: ProfileSummary): string {
  const lines = [`busy ${s.busyMs.toFixed(0)} ms of ${s.totalMs.toFixed(0)} ms sampled`, '', 'self time by category:'];
  for (const [k, v] of Object.entries(s.byCategory)) lines.push(`  ${v.toFixed(1).padStart(5)}%  ${k}`);
  lines.push('', 'top functions by self time:');
  for (const e of s.top) {
    lines.push(`  ${e.selfPercent.toFixed(1).padStart(5)}%  ${e.functionName}  ${e.url}`);
    for (const v of e.via) lines.push(`           ${v.percent.toFixed(0).padStart(3)}% via ${v.frame}`);
  }
  return lines.join('\n');
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '20' }, window: { type: 'string' } },
  });
  const file = positionals[0];
  if (!file) {
    process.stderr.write('usage: node bench/profile-summary.ts FILE.cpuprofile [--top N] [--window START_US,END_US]\n');
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const [startUs, endUs] = (values.window ?? '').split(',').map(Number);
  const window = startUs !== undefined && endUs !== undefined && endUs > startUs ? { startUs, endUs } : undefined;
  process.stdout.write(`${formatSummary(summarizeProfile(profile, Number(values.top), window))}\n`);
}
