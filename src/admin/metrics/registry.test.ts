import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Metrics } from '../metrics.ts';
import { Counter, Gauge, Histogram } from './instruments.ts';
import { CONTENT_TYPE, DuplicateMetricError, exposition, formatValue, Registry } from './registry.ts';

describe('Prometheus text exposition 0.0.4', () => {
  it('writes HELP, TYPE and samples; metrics apart by a blank line, a final line feed', async () => {
    const r = new Registry();
    const c = new Counter({ name: 'a_total', help: 'As.', labelNames: ['k'], registers: [r] });
    new Gauge({ name: 'b', help: 'B.', registers: [r] }).set(2.5);
    c.inc({ k: 'x' });
    c.inc({ k: 'x' }, 2);
    c.inc({ k: 'y' });
    assert.equal(r.contentType, CONTENT_TYPE);
    assert.equal(
      await r.metrics(),
      '# HELP a_total As.\n# TYPE a_total counter\na_total{k="x"} 3\na_total{k="y"} 1\n\n# HELP b B.\n# TYPE b gauge\nb 2.5\n',
    );
  });

  it('escapes backslash and line feed in help, and also double quotes in label values', () => {
    const g = new Gauge({ name: 'e', help: 'a \\ b\nc "q"', labelNames: ['v'] });
    g.set({ v: 'x\\y\n"z"' }, 1);
    assert.equal(exposition(g.get()), '# HELP e a \\\\ b\\nc "q"\n# TYPE e gauge\ne{v="x\\\\y\\n\\"z\\""} 1');
  });

  it('prints special values as Prometheus reads them', () => {
    assert.deepEqual(
      [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.1, 1e21, -0.5].map(formatValue),
      ['Nan', '+Inf', '-Inf', '0.1', '1e+21', '-0.5'],
    );
  });

  it('a metric without labels starts at zero; one with labels has no sample until used', () => {
    assert.equal(
      exposition(new Counter({ name: 'z_total', help: 'Z.' }).get()),
      '# HELP z_total Z.\n# TYPE z_total counter\nz_total 0',
    );
    assert.equal(
      exposition(new Gauge({ name: 'l', help: 'L.', labelNames: ['t'] }).get()),
      '# HELP l L.\n# TYPE l gauge',
    );
  });

  it('histograms: cumulative buckets with le first, +Inf, then _sum and _count, per label set', () => {
    const h = new Histogram({ name: 'h', help: 'H.', labelNames: ['r'], buckets: [1, 0.1] });
    h.observe({ r: 'a' }, 0.1);
    h.observe({ r: 'a' }, 0.5);
    h.observe({ r: 'a' }, 7);
    assert.equal(
      exposition(h.get()),
      [
        '# HELP h H.',
        '# TYPE h histogram',
        'h_bucket{le="0.1",r="a"} 1',
        'h_bucket{le="1",r="a"} 2',
        'h_bucket{le="+Inf",r="a"} 3',
        'h_sum{r="a"} 7.6',
        'h_count{r="a"} 3',
      ].join('\n'),
    );
  });

  it('labels print in labelNames order whatever the order of the object', () => {
    const c = new Counter({ name: 'o_total', help: 'O.', labelNames: ['a', 'b'] });
    c.inc({ b: 2, a: 1 });
    c.inc({ a: 1, b: 2 });
    assert.equal(exposition(c.get()).split('\n')[2], 'o_total{a="1",b="2"} 2');
  });

  it('refuses a second metric under a name; a removed one can be replaced and goes last', async () => {
    const r = new Registry();
    new Gauge({ name: 'x', help: 'X.', registers: [r] });
    new Gauge({ name: 'y', help: 'Y.', registers: [r] });
    assert.throws(() => new Gauge({ name: 'x', help: 'again', registers: [r] }), DuplicateMetricError);
    r.removeSingleMetric('x');
    r.registerMetric({
      name: 'x',
      get: async () => ({ name: 'x', help: 'X2.', type: 'gauge', aggregator: 'sum', values: [] }),
    });
    assert.equal(await r.metrics(), '# HELP y Y.\n# TYPE y gauge\ny 0\n\n# HELP x X2.\n# TYPE x gauge\n');
  });
});

describe('Metrics (the admin registry)', () => {
  it('counts requests per route, backend and code, and observes their latency', async () => {
    const m = new Metrics();
    m.requestDone('r1', 'c1', 200, 0.002);
    m.requestDone('r1', 'c1', 200, 0.02);
    m.requestDone('r1', 'c1', 503, 0.0001);
    m.requestDone('', '', 404, 0.0001);
    const text = await m.registry.metrics();
    assert.match(text, /\narchway_http_requests_total\{route="r1",backend="c1",code="200"\} 2\n/);
    assert.match(text, /\narchway_http_requests_total\{route="r1",backend="c1",code="503"\} 1\n/);
    assert.match(text, /\narchway_http_requests_total\{route="",backend="",code="404"\} 1\n/);
    assert.match(text, /\narchway_http_request_duration_seconds_bucket\{le="0.0025",route="r1",backend="c1"\} 2\n/);
    assert.match(text, /\narchway_http_request_duration_seconds_count\{route="r1",backend="c1"\} 3\n/);
    assert.match(text, /\narchway_process_process_resident_memory_bytes \d+\n/);
    assert.match(
      text,
      /\narchway_process_nodejs_version_info\{version="v\d+\.\d+\.\d+",major="\d+",minor="\d+",patch="\d+"\} 1\n/,
    );
  });
});
