/**
 * Scenario 4 (behind --tls) — HTTPS keep-alive (wrk), a new TLS connection per request (wrk with Connection: close,
 * a full handshake each time), and HTTP/2 over TLS (h2load), Archway vs nginx vs HAProxy. Runs only the parts
 * Archway serves: it first probes Archway's HTTPS listener and ALPN h2, and says "not yet" for what fails.
 */
import { catchAllRoute } from '../config/routes.ts';
import { runH2load } from '../lib/h2load.ts';
import { median } from '../lib/stats.ts';
import { makeCert, probeH2, probeHttps } from '../lib/tls.ts';
import type { TlsRow } from '../report/types.ts';
import type { RunningProxy } from '../servers/proxies.ts';
import { startProxy, stopAll, wrkBase } from './common.ts';
import type { BenchContext } from './context.ts';
import { HOST } from './http1.ts';
import { type LoadSample, measureLoad, measureWith, rotate } from './measure.ts';

type Kind = TlsRow['kind'];

export async function runTls(ctx: BenchContext, notes: string[]): Promise<TlsRow[]> {
  const cert = makeCert(ctx.ws.dir('tls'), HOST);
  const spec = {
    label: 'tls',
    routes: [catchAllRoute(HOST)],
    probe: { path: '/', headers: { Host: HOST } },
    readyTimeoutMs: 30_000,
    https: { certPem: cert.certPem, keyPem: cert.keyPem, dir: cert.dir },
  };
  const proxies: RunningProxy[] = [];
  try {
    for (const name of ['nginx', 'haproxy', 'archway'] as const) {
      const p = await startProxy(ctx, name, spec);
      if (typeof p === 'string') notes.push(`tls: ${p}`);
      else proxies.push(p);
    }
    const kinds = new Map<string, Kind[]>();
    for (const p of proxies) kinds.set(p.name, await servedKinds(p, notes));
    for (const p of proxies)
      for (const kind of kinds.get(p.name) ?? []) await runKind(ctx, p, kind, ctx.params.warmupS);
    const samples = new Map<string, LoadSample[]>();
    for (let rep = 0; rep < ctx.params.reps; rep++) {
      for (const kind of ['https-keepalive', 'https-new-conn', 'h2'] as const) {
        for (const p of rotate(proxies, rep)) {
          if (!kinds.get(p.name)?.includes(kind)) continue;
          const s = await runKind(ctx, p, kind);
          ctx.log(
            `tls rep ${rep + 1} ${kind} ${p.name}: ${Math.round(s.rps)} req/s, ${s.cpuUsPerReq.toFixed(1)} µs/req`,
          );
          samples.set(`${kind}/${p.name}`, [...(samples.get(`${kind}/${p.name}`) ?? []), s]);
        }
      }
    }
    return toRows(samples);
  } finally {
    await stopAll(proxies);
  }
}

async function servedKinds(p: RunningProxy, notes: string[]): Promise<Kind[]> {
  const https = await probeHttps(p.httpsPort!, HOST);
  if (https !== 200) {
    notes.push(
      `tls: not yet — ${p.name} does not serve HTTPS on its HTTPS listener (${https}); HTTPS and HTTP/2 skipped`,
    );
    return [];
  }
  const h2 = await probeH2(p.httpsPort!, HOST);
  if (h2 !== 200) {
    notes.push(`tls: not yet — ${p.name} serves HTTPS but not HTTP/2 by ALPN (${h2}); h2 skipped`);
    return ['https-keepalive', 'https-new-conn'];
  }
  return ['https-keepalive', 'https-new-conn', 'h2'];
}

async function runKind(
  ctx: BenchContext,
  p: RunningProxy,
  kind: Kind,
  durationS = ctx.params.durationS,
): Promise<LoadSample> {
  const url = `https://127.0.0.1:${p.httpsPort}/`;
  const base = { ...wrkBase(ctx, p, '/', 64, durationS), url };
  switch (kind) {
    case 'https-keepalive':
      return measureLoad(p, { ...base, headers: { Host: HOST } });
    case 'https-new-conn':
      return measureLoad(p, { ...base, connections: 16, headers: { Host: HOST, Connection: 'close' } });
    case 'h2':
      return measureWith(p, async () => {
        const r = await runH2load({
          url,
          clients: 16,
          streams: 16,
          durationS,
          authority: HOST,
          ...(ctx.params.loadCore === undefined ? {} : { core: ctx.params.loadCore }),
        });
        return { rps: r.rps, p50Ms: r.meanMs, p99Ms: Number.NaN, requests: r.requests, errors: r.errors };
      });
    default: {
      const never: never = kind;
      throw new Error(`unknown kind ${String(never)}`);
    }
  }
}

function toRows(samples: ReadonlyMap<string, LoadSample[]>): TlsRow[] {
  const out: TlsRow[] = [];
  for (const kind of ['https-keepalive', 'https-new-conn', 'h2'] as const) {
    const nginx = median((samples.get(`${kind}/nginx`) ?? []).map((s) => s.rps));
    for (const proxy of ['nginx', 'haproxy', 'archway'] as const) {
      const reps = samples.get(`${kind}/${proxy}`);
      if (!reps) continue;
      const m = (f: (s: LoadSample) => number) => median(reps.map(f));
      const rps = m((s) => s.rps);
      out.push({
        kind,
        proxy,
        rps,
        p50Ms: m((s) => s.p50Ms),
        p99Ms: m((s) => s.p99Ms),
        cpuUsPerReq: m((s) => s.cpuUsPerReq),
        errors: reps.reduce((a, s) => a + s.errors, 0),
        rpsRatio: rps / nginx,
      });
    }
  }
  return out;
}
