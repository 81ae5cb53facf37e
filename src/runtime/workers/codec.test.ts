import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClusterIR, HttpListenerIR, HttpRouteIR, IR, VirtualHostIR } from '../../ir/types.ts';
import { IrDecodeError, IrDecoder, IrEncoder } from './codec.ts';

const route = (name: string): HttpRouteIR =>
  ({ name, match: { path: { kind: 'PathPrefix', value: `/${name}` } } }) as unknown as HttpRouteIR;
const vhost = (name: string, routes: HttpRouteIR[]): VirtualHostIR => ({ name, hostname: null, routes });
const listener = (port: number, virtualHosts: VirtualHostIR[]): HttpListenerIR => ({
  kind: 'http',
  name: `0.0.0.0:${port}`,
  address: '0.0.0.0',
  port,
  protocol: 'http',
  virtualHosts,
});
const cluster = (name: string): ClusterIR => ({ name, endpoints: [] }) as unknown as ClusterIR;

/** What the worker gets: the encoded IR through a structured clone, as over IPC. */
const send = (enc: IrEncoder, dec: IrDecoder, ir: IR): IR => dec.decode(structuredClone(enc.encode(ir)));

test('unchanged objects keep their identity on the worker; changed ones arrive in full', () => {
  const enc = new IrEncoder();
  const dec = new IrDecoder();
  const [a, b] = [route('a'), route('b')];
  const web = vhost('web', [a, b]);
  const api = listener(81, [vhost('api', [route('c')])]);
  const ir1: IR = { listeners: [listener(80, [web]), api], clusters: [cluster('x')] };
  const got1 = send(enc, dec, ir1);
  assert.deepEqual(got1, ir1);

  const c2 = route('b2');
  const ir2: IR = { listeners: [listener(80, [vhost('web', [a, c2])]), api], clusters: ir1.clusters };
  const wire = enc.encode(ir2);
  const got2 = dec.decode(structuredClone(wire));
  assert.deepEqual(got2, ir2);
  assert.equal(got2.listeners[1], got1.listeners[1], 'an unchanged listener is the same object');
  assert.equal(got2.clusters[0], got1.clusters[0], 'an unchanged cluster too');
  assert.equal(got2.listeners[0]?.virtualHosts[0]?.routes[0], got1.listeners[0]?.virtualHosts[0]?.routes[0]);
  assert.notEqual(got2.listeners[0], got1.listeners[0]);
  const sent = (wire.listeners[0] as unknown as { value: { virtualHosts: { value: { routes: object[] } }[] } }).value;
  const [sentA, sentB2] = sent.virtualHosts[0]?.value.routes ?? [];
  assert.ok(sentA !== undefined && 'ref' in sentA, 'route a goes as a reference');
  assert.ok(sentB2 !== undefined && 'value' in sentB2, 'route b2 in full');
  assert.ok('ref' in (wire.listeners[1] ?? {}), 'listener 81 as a reference');

  // An object dropped in ir2 and back in ir3 (a translator cache may return it) travels in full again.
  const got3 = send(enc, dec, ir1);
  assert.deepEqual(got3, ir1);
  assert.equal(got3.listeners[1], got1.listeners[1]);
});

test('a reference the worker does not have is an error (the worker then restarts)', () => {
  const enc = new IrEncoder();
  const ir: IR = { listeners: [], clusters: [cluster('x')] };
  new IrDecoder().decode(structuredClone(enc.encode(ir)));
  assert.throws(() => new IrDecoder().decode(structuredClone(enc.encode(ir))), IrDecodeError);
});
