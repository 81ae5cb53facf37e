/**
 * A small status page for people: every Gateway and route with its conditions, and the current config errors.
 *
 * Owns: HTML rendering of the admin root page. Static, no script; everything escaped.
 */
import type { Condition, KubeObject } from '../api/types.ts';
import type { Runtime } from '../runtime/runtime.ts';

const KINDS = ['GatewayClass', 'Gateway', 'HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'];

function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function conditionsOf(status: unknown): Condition[] {
  const s = (status ?? {}) as { conditions?: Condition[]; parents?: { conditions?: Condition[] }[] };
  return [...(s.conditions ?? []), ...(s.parents ?? []).flatMap((p) => p.conditions ?? [])];
}

function row(obj: KubeObject): string {
  const name = obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : obj.metadata.name;
  const conds = conditionsOf(obj.status)
    .map(
      (c) =>
        `<span class="${c.status === 'True' ? 'ok' : 'bad'}" title="${esc(c.message)}">${esc(c.type)}: ${esc(c.reason)}</span>`,
    )
    .join(' ');
  return `<tr><td>${esc(obj.kind)}</td><td>${esc(name)}</td><td>${esc(obj.metadata.generation ?? '')}</td><td>${conds}</td></tr>`;
}

export function renderStatusPage(runtime: Runtime, version: string): string {
  const rows = KINDS.flatMap((k) => runtime.store.list(k).map((o) => row(runtime.objectWithStatus(o)))).join('\n');
  const errors = runtime.errors
    .map((e) => `<li>${esc(e.file)}:${esc(e.line)}: ${esc(e.object ?? '')} ${esc(e.path ?? '')} ${esc(e.message)}</li>`)
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Archway</title><style>
body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{padding:4px 8px;border-bottom:1px solid #ddd;text-align:left}
.ok{color:#176f2c}.bad{color:#b00020;font-weight:600}span{margin-right:.8em}</style></head><body>
<h1>Archway ${esc(version)}</h1><p>${runtime.ready ? 'Ready' : 'Not ready'} · ${runtime.ir.listeners.length} listeners ·
${runtime.ir.clusters.length} clusters · <a href="/debug/config">config dump</a> · <a href="/metrics">metrics</a></p>
<h2>Objects</h2><table><tr><th>Kind</th><th>Name</th><th>Generation</th><th>Conditions</th></tr>${rows}</table>
<h2>Config errors</h2>${errors ? `<ul>${errors}</ul>` : '<p>None.</p>'}</body></html>`;
}
