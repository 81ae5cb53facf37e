/**
 * The plot for docs/benchmarks.md, as hand-written SVG (no dependency): grouped bars of req/s for the HTTP/1.1
 * keep-alive configurations and for each route-table size, one colour per proxy, each bar labelled with its ratio
 * to nginx.
 *
 * Owns: layout and drawing; it reads the result rows and nothing else.
 */
import type { Http1Row, Results, ScaleRow } from './types.ts';
import { isSkipped } from './types.ts';

const COLORS: Readonly<Record<string, string>> = { nginx: '#2f7d32', haproxy: '#1565c0', archway: '#e65100' };
const PROXIES = ['nginx', 'haproxy', 'archway'] as const;

interface Panel {
  readonly title: string;
  readonly unit: string;
  readonly groups: readonly string[];
  /** values[proxy][group] (undefined: not measured). */
  readonly values: Readonly<Record<string, readonly (number | undefined)[]>>;
}

const tick = (v: number, max: number) =>
  max >= 10_000 ? `${Number((v / 1000).toFixed(1))}k` : String(Number(v.toFixed(1)));
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function niceMax(x: number): number {
  if (!(x > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((v) => v >= x) ?? 10 * p;
}

function panelSvg(panel: Panel, x0: number, y0: number, w: number, h: number): string {
  const present = PROXIES.filter((p) => panel.values[p]?.some((v) => v !== undefined));
  const all = present.flatMap((p) => panel.values[p]!.filter((v): v is number => v !== undefined));
  const max = niceMax(Math.max(...all, 1));
  const left = 56;
  const top = 28;
  const bottom = 40;
  const ph = h - top - bottom;
  const pw = w - left - 10;
  const gw = pw / Math.max(1, panel.groups.length);
  const bw = (gw * 0.8) / Math.max(1, present.length);
  const parts = [
    `<text x="${x0 + w / 2}" y="${y0 + 16}" text-anchor="middle" font-weight="bold">${esc(panel.title)}</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    const y = y0 + top + ph - (ph * i) / 4;
    parts.push(`<line x1="${x0 + left}" y1="${y}" x2="${x0 + w - 10}" y2="${y}" stroke="#ddd"/>`);
    parts.push(`<text x="${x0 + left - 4}" y="${y + 4}" text-anchor="end" font-size="11">${tick(v, max)}</text>`);
  }
  panel.groups.forEach((g, gi) => {
    const gx = x0 + left + gi * gw + gw * 0.1;
    const nginx = panel.values.nginx?.[gi];
    present.forEach((p, pi) => {
      const v = panel.values[p]?.[gi];
      if (v === undefined) return;
      const bh = (ph * v) / max;
      const bx = gx + pi * bw;
      const by = y0 + top + ph - bh;
      parts.push(
        `<rect x="${bx.toFixed(1)}" y="${by.toFixed(1)}" width="${(bw - 2).toFixed(1)}" height="${bh.toFixed(1)}" fill="${COLORS[p]}"><title>${p}: ${v.toFixed(1)} ${esc(panel.unit)}</title></rect>`,
      );
      const label = nginx ? `${(v / nginx).toFixed(2)}×` : '';
      parts.push(
        `<text x="${(bx + bw / 2 - 1).toFixed(1)}" y="${(by - 3).toFixed(1)}" text-anchor="middle" font-size="9">${label}</text>`,
      );
    });
    parts.push(
      `<text x="${(gx + gw * 0.4).toFixed(1)}" y="${y0 + top + ph + 16}" text-anchor="middle" font-size="11">${esc(g)}</text>`,
    );
  });
  parts.push(
    `<text x="${x0 + 12}" y="${y0 + top + ph / 2}" transform="rotate(-90 ${x0 + 12} ${y0 + top + ph / 2})" text-anchor="middle" font-size="11">${esc(panel.unit)}</text>`,
  );
  return parts.join('\n');
}

function http1Panel(rows: readonly Http1Row[]): Panel {
  const keys = [...new Set(rows.map((r) => `${r.body}/${r.connections}`))];
  const groups = keys.map((k) => {
    const [body, c] = k.split('/');
    return `${body === 'small' ? '2 B' : '16 KiB'} c${c}`;
  });
  const values: Record<string, (number | undefined)[]> = {};
  for (const p of PROXIES)
    values[p] = keys.map((k) => rows.find((r) => `${r.body}/${r.connections}` === k && r.proxy === p)?.rps);
  return { title: 'HTTP/1.1 keep-alive, proxy on 1 core', unit: 'req/s', groups, values };
}

function cpuPanel(rows: readonly Http1Row[]): Panel {
  const keys = [...new Set(rows.map((r) => `${r.body}/${r.connections}`))];
  const groups = keys.map((k) => `${k.startsWith('small') ? '2 B' : '16 KiB'} c${k.split('/')[1]}`);
  const values: Record<string, (number | undefined)[]> = {};
  for (const p of PROXIES) {
    values[p] = keys.map((k) => rows.find((r) => `${r.body}/${r.connections}` === k && r.proxy === p)?.cpuUsPerReq);
  }
  return { title: 'Proxy CPU per request (lower is better)', unit: 'CPU µs/request', groups, values };
}

function scalePanel(rows: readonly ScaleRow[], cpu: boolean): Panel {
  const sizes = [...new Set(rows.map((r) => r.routes))];
  const values: Record<string, (number | undefined)[]> = {};
  for (const p of PROXIES) {
    values[p] = sizes.map((n) => {
      const row = rows.find((r) => r.routes === n && r.proxy === p);
      return cpu ? row?.cpuUsPerReq : row?.rps;
    });
  }
  return {
    title: cpu ? 'Route scale: proxy CPU per request' : 'Route scale: req/s by number of HTTPRoutes',
    unit: cpu ? 'CPU µs/request' : 'req/s',
    groups: sizes.map((n) => `${n.toLocaleString('en-US')} routes`),
    values,
  };
}

export function renderSvg(r: Results): string {
  const panels: Panel[] = [];
  if (r.http1 && !isSkipped(r.http1)) panels.push(http1Panel(r.http1), cpuPanel(r.http1));
  if (r.scale && !isSkipped(r.scale)) panels.push(scalePanel(r.scale, false), scalePanel(r.scale, true));
  const pw = 460;
  const ph = 300;
  const cols = Math.min(2, Math.max(1, panels.length));
  const rows = Math.max(1, Math.ceil(panels.length / cols));
  const width = cols * pw;
  const height = rows * ph + 50;
  const body = panels.map((p, i) => panelSvg(p, (i % cols) * pw, Math.floor(i / cols) * ph, pw, ph)).join('\n');
  const legend = PROXIES.map(
    (p, i) =>
      `<rect x="${20 + i * 110}" y="${height - 32}" width="12" height="12" fill="${COLORS[p]}"/><text x="${36 + i * 110}" y="${height - 22}" font-size="12">${p}</text>`,
  ).join('\n');
  const caption = `<text x="${width - 10}" y="${height - 22}" text-anchor="end" font-size="10" fill="#555">${esc(`${r.meta.timestamp} · ${r.meta.mode} · ${r.meta.nproc} cores · ${r.meta.cpuModel} · Node ${r.meta.node} · bar labels: ratio to nginx`)}</text>`;
  const title = 'Archway vs nginx and HAProxy: requests per second and proxy CPU per request';
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${title}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">
<title>${title}</title>
<rect width="100%" height="100%" fill="#fff"/>
${body}
${legend}
${caption}
</svg>
`;
}
