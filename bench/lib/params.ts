/**
 * Command-line flags and the two presets (full, quick) that size every scenario.
 *
 * Owns: how long and how often things run. Full stays under ~15 minutes on 2 cores; quick is a CI smoke (< 1 min).
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

export const SCENARIOS = ['http1', 'workers', 'scale', 'match', 'dynamics', 'tls', 'profile'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface Params {
  readonly mode: 'full' | 'quick';
  readonly durationS: number;
  readonly warmupS: number;
  readonly reps: number;
  readonly connections: readonly number[];
  readonly scaleSizes: readonly number[];
  readonly dynamicsRoutes: number;
  readonly addTrials: number;
  /**
   * Changes made before each timed series (adds, endpoint moves) and reported apart: the first changes after start
   * run code paths the initial load never ran (not yet optimized by the JIT).
   */
  readonly warmupChanges: number;
  /** Upper bound on the time one proxy's add-route trials may take. */
  readonly addBudgetS: number;
  /** EndpointSlice changes (traffic moves between two backend ports), bounded in count and time. */
  readonly endpointTrials: number;
  readonly endpointBudgetS: number;
  readonly edits: number;
  /** Upper bound on the time one proxy's edit series may take (the edit count is also a bound). */
  readonly editBudgetS: number;
  readonly profileS: number;
  readonly scenarios: ReadonlySet<ScenarioName>;
  readonly install: boolean;
  readonly keep: boolean;
  /** Cores for load/backend and for the proxy under test (undefined: do not pin). */
  readonly loadCore: number | undefined;
  readonly proxyCore: number | undefined;
  /** Cores for a 2-process proxy (a taskset list), when the machine has one more for the load; else undefined. */
  readonly multiCore: string | undefined;
  readonly cpus: number;
  /** Re-render the table and plot of a saved results file instead of running. */
  readonly report: string | undefined;
  /** The checkout whose bin/archway.js is benchmarked (default: this one). */
  readonly archwayRoot: string;
}

export const HELP = `node bench/run.ts [--quick] [--only LIST] [--tls] [--profile] [--install] [--keep] [--report FILE]

  --quick        CI smoke: the chosen scenarios, tiny (under a minute)
  --only LIST    comma-separated subset of: http1,workers,scale,match,dynamics,tls,profile
                 (default: http1,workers,scale,match,dynamics; workers needs 3 cores)
  --tls          also run HTTPS keep-alive, new TLS connections and HTTP/2 (h2load) — needs Archway HTTPS
  --profile      also run Archway under node --cpu-prof with load, and summarize the profile
  --install      install missing tools with apt-get (root only)
  --keep         keep the scratch directory (configs, logs, profiles)
  --multi-core LIST  cores for the 2-process proxies of the workers scenario (default 1,2 when there are 3 or
                 more cores; e.g. 0,1 on a 2-core machine runs it, but then the load shares the proxy's cores)
  --archway-root DIR  benchmark the Archway checkout in DIR (default: this one), e.g. to compare two commits
  --report FILE  print the tables of a saved results JSON and rewrite its plot (FILE with .svg), run nothing
`;

export function parseParams(argv: readonly string[]): Params | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      tls: { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      install: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      report: { type: 'string' },
      'archway-root': { type: 'string' },
      'multi-core': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  const chosen = new Set<ScenarioName>(['http1', 'workers', 'scale', 'match', 'dynamics']);
  if (values.only) {
    chosen.clear();
    for (const s of values.only.split(',')) {
      if (!(SCENARIOS as readonly string[]).includes(s)) throw new Error(`--only: unknown scenario "${s}"`);
      chosen.add(s as ScenarioName);
    }
  }
  if (values.tls) chosen.add('tls');
  if (values.profile) chosen.add('profile');
  const cpus = cpuCount();
  const pin = cpus >= 2;
  const common = {
    scenarios: chosen,
    install: values.install,
    keep: values.keep,
    loadCore: pin ? 0 : undefined,
    proxyCore: pin ? 1 : undefined,
    multiCore: values['multi-core'] ?? (cpus >= 3 ? '1,2' : undefined),
    cpus,
    report: values.report,
    archwayRoot: resolve(values['archway-root'] ?? new URL('../..', import.meta.url).pathname),
  };
  if (values.quick) {
    return {
      ...common,
      mode: 'quick',
      durationS: 1,
      warmupS: 1,
      reps: 1,
      connections: [64],
      scaleSizes: [10, 1000],
      dynamicsRoutes: 1000,
      addTrials: 5,
      warmupChanges: 1,
      addBudgetS: 8,
      endpointTrials: 3,
      endpointBudgetS: 5,
      edits: 50,
      editBudgetS: 8,
      profileS: 2,
    };
  }
  return {
    ...common,
    mode: 'full',
    durationS: 5,
    warmupS: 2,
    reps: 3,
    connections: [64, 256],
    scaleSizes: [10, 1000, 5000, 10_000],
    dynamicsRoutes: 5000,
    addTrials: 100,
    warmupChanges: 10,
    addBudgetS: 45,
    endpointTrials: 20,
    endpointBudgetS: 30,
    edits: 1000,
    editBudgetS: 60,
    profileS: 10,
  };
}

function cpuCount(): number {
  return availableParallelism();
}
