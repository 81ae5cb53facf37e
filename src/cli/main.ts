/**
 * The `archway` command: parses flags and wires the pieces (nothing else).
 *
 *   archway serve --config DIR [--admin HOST:PORT] [--address-pool CIDR] [--controller-name NAME] [--demo-backend]
 *                 [--workers N]
 *   archway validate DIR [--controller-name NAME]
 *   archway version
 *
 * node:util is taken with process.getBuiltinModule (its ES facade reads every export and so loads worker_threads,
 * util.diff and more: see lib/node-http.ts), and the multi-process data plane (node:child_process) is imported only
 * when --workers asks for it.
 */
import { readFileSync } from 'node:fs';
import { Metrics } from '../admin/metrics.ts';
import { createAdminServer, listenAdmin } from '../admin/server.ts';
import { Dataplane } from '../dataplane/dataplane.ts';
import { releaseMemory } from '../lib/heap.ts';
import { ChurnRelease } from '../runtime/churn-release.ts';
import { Runtime } from '../runtime/runtime.ts';
import type { RemoteDataplane } from '../runtime/workers/remote-dataplane.ts';
import { startDemoBackend } from './demo-backend.ts';
import { validateDir } from './validate.ts';

const { parseArgs } = process.getBuiltinModule('node:util');

export const DEFAULT_CONTROLLER = 'archway.dev/gateway-controller';

const HELP = `archway — the Kubernetes Gateway API, standalone or in a cluster

Usage:
  archway serve --config DIR [options]   serve the Gateway API objects in DIR (watched: edits apply live)
  archway validate DIR [options]         check DIR offline: print every error and every object's conditions;
                                         exit code 1 when anything is invalid
  archway version                        print the version
  archway help                           this text

serve options:
  --config DIR            directory of Kubernetes YAML/JSON (recursive; multi-document; kind: List)
  --admin HOST:PORT       admin API: /healthz /readyz /metrics, read API with status, / (default 127.0.0.1:9901)
  --address-pool CIDR     give each Gateway without spec.addresses the next free address of CIDR
                          (default: none; Gateways bind 0.0.0.0)
  --controller-name NAME  GatewayClasses with this controllerName are Archway's (default ${DEFAULT_CONTROLLER})
  --demo-backend          also start the quickstart's echo backend on 127.0.0.1:3000
  --workers N             serve traffic from N data-plane processes, one per core (default 1: in this process).
                          N > 1 forks N workers that each bind every listener with SO_REUSEPORT (Linux); this
                          process keeps the config, status, admin API and /metrics (totals over the workers)
`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(0);

function fail(message: string): never {
  process.stderr.write(`archway: ${message}\nRun 'archway help' for usage.\n`);
  process.exit(2);
}

async function serve(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string' },
      admin: { type: 'string', default: '127.0.0.1:9901' },
      'address-pool': { type: 'string' },
      'controller-name': { type: 'string', default: DEFAULT_CONTROLLER },
      'demo-backend': { type: 'boolean', default: false },
      workers: { type: 'string', default: '1' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return void process.stdout.write(HELP);
  if (!values.config) fail('serve: --config DIR is required');
  if (!/^[1-9]\d{0,2}$/.test(values.workers)) fail('serve: --workers must be a whole number from 1 to 999');
  const workers = Number(values.workers);
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  if (values['demo-backend']) {
    await startDemoBackend('127.0.0.1', 3000, 'demo');
    log('demo backend listening on 127.0.0.1:3000');
  }
  const metrics = new Metrics();
  let release: ChurnRelease | undefined;
  const dataplane = await createDataplane(workers, metrics, log);
  const runtime = new Runtime({
    configDir: values.config,
    controllerName: values['controller-name'],
    dataplane,
    log,
    onReconcile: (ms, errors, timing) => {
      metrics.reconciled(ms, errors, timing);
      if (timing.source !== 'none') release?.changed();
    },
    ...(values['address-pool'] ? { addressPool: values['address-pool'] } : {}),
  });
  const admin = createAdminServer({ runtime, metrics, version: version() });
  const addr = await listenAdmin(admin, values.admin);
  log(`admin API on http://${addr.address}:${addr.port}/`);
  await runtime.start();
  log(`startup memory released in ${releaseMemory().toFixed(0)} ms`);
  // From now on, memory a burst of config changes leaves is given back once they stop and the process is idle.
  release = new ChurnRelease({
    onRelease: (before, after, ms) =>
      log(`memory after config changes released in ${ms.toFixed(0)} ms: heap ${mib(before)} -> ${mib(after)} MiB`),
  });
  for (const [name, result] of Object.entries(runtime.stats.lastApply ?? {})) {
    log(`listener ${name}: ${typeof result === 'string' ? result : `error: ${result.error}`}`);
  }
  log(`ready: ${runtime.ir.listeners.length} listener(s), ${runtime.errors.length} config error(s)`);
  const stop = async () => {
    log('shutting down');
    release?.close();
    await runtime.close();
    await dataplane.close();
    admin.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** In-process with one worker; else N forked worker processes whose request metrics the admin API sums. */
async function createDataplane(
  workers: number,
  metrics: Metrics,
  log: (line: string) => void,
): Promise<Dataplane | RemoteDataplane> {
  if (workers === 1) return new Dataplane({ observer: metrics });
  const [{ RemoteDataplane }, { WorkerMetrics }] = await Promise.all([
    import('../runtime/workers/remote-dataplane.ts'),
    import('../runtime/workers/worker-metrics.ts'),
  ]);
  const totals = new WorkerMetrics();
  totals.install(metrics.registry);
  const dataplane = await RemoteDataplane.start({ workers, metrics: totals, log });
  log(`data plane: ${workers} worker processes (pids ${dataplane.pids.join(', ')})`);
  return dataplane;
}

async function validate(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'controller-name': { type: 'string', default: DEFAULT_CONTROLLER },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return void process.stdout.write(HELP);
  const dir = positionals[0];
  if (!dir || positionals.length > 1) fail('validate: expected exactly one directory');
  const { ok } = await validateDir(dir, values['controller-name'], (l) => process.stdout.write(`${l}\n`));
  process.exitCode = ok ? 0 : 1;
}

export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        return await serve(rest);
      case 'validate':
        return await validate(rest);
      case 'version':
      case '--version':
        return void process.stdout.write(`archway ${version()}\n`);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        return void process.stdout.write(HELP);
      default:
        fail(`unknown command "${command}"`);
    }
  } catch (err) {
    const e = err as { code?: string; message: string };
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') fail(e.message);
    if (e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') fail(e.message);
    process.stderr.write(`archway: ${e.message}\n`);
    process.exit(1);
  }
}

if (import.meta.main) await main(process.argv.slice(2));
