/**
 * The flags Node runs Archway with, wherever it is launched: the `archway` command (bin/archway.js's `#!/usr/bin/env
 * -S node ...` line), `npm start`, and the benchmark. A test keeps the three the same.
 *
 * --max-semi-space-size=4: V8 grows its young generation up to 16 MB per semi-space under allocation bursts (a
 * configuration load, sustained traffic) and does not give the pages back; 4 MB keeps it at ~12 MB in all. Measured
 * side by side on one core (bench harness, 3 interleaved runs): no req/s or CPU-per-request difference outside noise
 * for 2 B and 16 KiB bodies, ~13 MB less resident under load (110 -> 97 MB at 10 routes). It is a launch flag: V8
 * reads it when the heap is set up, so setting it from inside the process has no effect.
 *
 * --gc-memory-reducer-start-delay-ms=2000, --memory-reducer-delay-ms=2000: every reconcile leaves garbage in the old
 * generation (a snapshot list, statuses, IR), and V8 keeps the pages it grew: ~120 MB more resident after a few
 * hundred route edits at 5,000 routes, all of it garbage. V8's memory reducer gives them back once allocation calms
 * down, but by default it starts 30 s after a full GC; 2 s makes a process that has stopped churning shrink within
 * seconds (bench dynamics at 5,000 routes: 240 MB right after 1,000 edits under load, 109 MB 5 s later) without
 * touching the GC work during changes. (--memory-saver-mode was measured too: 116 MB right after the edits, but it
 * tripled the reconcile time under load — 23 vs 7 ms mean — so it is not used.)
 *
 * All are V8 flags of the Node version package.json pins; a Node upgrade should re-measure them (bench/).
 */
export const NODE_FLAGS: readonly string[] = [
  '--max-semi-space-size=4',
  '--gc-memory-reducer-start-delay-ms=2000',
  '--memory-reducer-delay-ms=2000',
];
