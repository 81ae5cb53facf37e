import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../api/types.ts';
import { snapshotFromObjects } from '../translate/fixtures.ts';
import { AddressPool } from './addresses.ts';
import { findAddresses } from './gateway-addresses.ts';
import type { InterfaceList } from './local-addresses.ts';

const GW = 'gateway.networking.k8s.io/v1';
const CONTROLLER = 'archway.dev/gateway-controller';
const host: InterfaceList = () => ({ eth0: [{ address: '192.0.2.2', family: 'IPv4' }] });

const cls = (name: string, controllerName: string): KubeObject =>
  ({ apiVersion: GW, kind: 'GatewayClass', metadata: { name }, spec: { controllerName } }) as KubeObject;
const gateway = (name: string, addresses?: object[], className = 'archway'): KubeObject =>
  ({
    apiVersion: GW,
    kind: 'Gateway',
    metadata: { name, namespace: 'ns' },
    spec: {
      gatewayClassName: className,
      listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }],
      ...(addresses && { addresses }),
    },
  }) as KubeObject;

test('pool addresses go to Gateways without addresses and to those asking for one without a value', () => {
  const snap = snapshotFromObjects([
    cls('archway', CONTROLLER),
    cls('other', 'example.com/other'),
    gateway('none'),
    gateway('empty-value', [{ type: 'IPAddress' }, { value: '127.0.20.1' }]),
    gateway('static', [{ value: '127.0.20.2' }]),
    gateway('hostname-empty', [{ type: 'Hostname' }]),
    gateway('not-ours', undefined, 'other'),
  ]);
  const found = findAddresses(snap, CONTROLLER, new AddressPool('127.0.10.0/24'), host);
  assert.deepEqual([...found.gatewayAddresses].sort(), [
    ['ns/empty-value', '127.0.10.1'],
    ['ns/none', '127.0.10.2'],
  ]);
  assert.equal(findAddresses(snap, CONTROLLER, undefined, host).gatewayAddresses.size, 0, 'no pool, no assignment');
});

test('requested IPAddress values of our Gateways that are not local are reported, each once', () => {
  const snap = snapshotFromObjects([
    cls('archway', CONTROLLER),
    cls('other', 'example.com/other'),
    gateway('a', [{ value: '192.0.2.1' }, { value: '127.0.11.1' }]),
    gateway('b', [{ type: 'IPAddress', value: '192.0.2.1' }, { value: '192.0.2.2' }]),
    gateway('hostname', [{ type: 'Hostname', value: '203.0.113.9' }]),
    gateway('not-ours', [{ value: '198.51.100.1' }], 'other'),
  ]);
  assert.deepEqual([...findAddresses(snap, CONTROLLER, undefined, host).unusableAddresses], ['192.0.2.1']);
});
