/**
 * The flags Node runs Archway with, wherever it is launched: the `archway` command (bin/archway.js's `#!/usr/bin/env
 * -S node ...` line), `npm start`, and the benchmark. A test keeps the three the same.
 *
 * --max-semi-space-size=4: V8 grows its young generation up to 16 MB per semi-space under allocation bursts (a
 * configuration load, sustained traffic) and does not give the pages back; 4 MB keeps it at ~12 MB in all. Measured
 * side by side on one core (bench harness, 3 interleaved runs): no req/s or CPU-per-request difference outside noise
 * for 2 B and 16 KiB bodies, ~13 MB less resident under load (110 -> 97 MB at 10 routes). It is a launch flag: V8
 * reads it when the heap is set up, so setting it from inside the process has no effect.
 */
export const NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
