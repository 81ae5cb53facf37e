/**
 * The entry point of one data-plane worker process (archway serve --workers N): a Dataplane whose listeners bind with
 * SO_REUSEPORT, driven over IPC by the primary. It applies each IR it receives and answers with the report; it counts
 * requests in its own registry (src/admin/metrics.ts) and sends the cumulative request metrics up about once a second
 * when there was traffic. It exits when told to close, or when the primary goes away (the IPC channel closes).
 */
import { Metrics } from '../../admin/metrics.ts';
import { Dataplane, type DataplaneObserver } from '../../dataplane/dataplane.ts';
import { IrDecodeError, IrDecoder } from './codec.ts';
import { type FromWorker, isToWorker, type MetricSample, REQUEST_METRICS, type ToWorker } from './protocol.ts';

const FLUSH_MS = 1000;

/** Sends to the primary; resolves once the message is handed to the channel (false when there is none). */
function send(message: FromWorker): Promise<boolean> {
  return new Promise((resolve) => {
    if (process.send === undefined || !process.connected) return resolve(false);
    process.send(message, undefined, undefined, (err) => resolve(err === null));
  });
}

/** Counts requests so that a flush with nothing new is skipped. */
class CountingObserver implements DataplaneObserver {
  readonly metrics = new Metrics();
  pending = 0;
  requestDone(route: string, cluster: string, status: number, seconds: number): void {
    this.pending++;
    this.metrics.requestDone(route, cluster, status, seconds);
  }
}

async function flush(observer: CountingObserver): Promise<void> {
  if (observer.pending === 0) return;
  observer.pending = 0;
  const [requests, latency] = await Promise.all(
    REQUEST_METRICS.map(async (name) => {
      const metric = observer.metrics.registry.getSingleMetric(name);
      return metric === undefined ? [] : ((await metric.get()).values as MetricSample[]);
    }),
  );
  await send({
    type: 'metrics',
    snapshot: { archway_http_requests_total: requests ?? [], archway_http_request_duration_seconds: latency ?? [] },
  });
}

function start(): void {
  const observer = new CountingObserver();
  const dataplane = new Dataplane({ observer, limits: { reusePort: true } });
  const decoder = new IrDecoder();
  const timer = setInterval(() => void flush(observer), FLUSH_MS);
  let closing = false;
  const close = async (): Promise<void> => {
    if (closing) return;
    closing = true;
    clearInterval(timer);
    await dataplane.close(); // in-flight requests finish (and are counted) first
    await flush(observer);
    process.exit(0);
  };
  const onMessage = async (m: ToWorker): Promise<void> => {
    if (m.type === 'close') return close();
    try {
      const report = await dataplane.apply(decoder.decode(m.ir));
      void send({ type: 'applied', seq: m.seq, report, warnings: dataplane.warnings() });
    } catch (err) {
      // Out of step with the primary's encoder: exit, and the primary starts a fresh worker with the current IR.
      if (err instanceof IrDecodeError) process.exit(70);
      void send({ type: 'apply-failed', seq: m.seq, error: err instanceof Error ? err.message : String(err) });
    }
  };
  process.on('message', (m) => {
    if (isToWorker(m)) void onMessage(m);
  });
  process.on('disconnect', () => void close());
  // The primary owns shutdown: a terminal's Ctrl-C reaches the whole process group, the primary then says close.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => void close());
  void send({ type: 'ready' });
}

start();
