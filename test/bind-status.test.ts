/**
 * Status is honest about binding: a Gateway whose listener port is taken reports Programmed=False (reason Pending,
 * the bind error in the message) through the admin API, and Programmed=True once the retry binds it.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, test } from 'node:test';
import {
  backendYaml,
  freePort,
  gatewayYaml,
  get,
  routeYaml,
  startArchway,
  startEcho,
  waitFor,
} from './helpers/harness.ts';

interface Condition {
  readonly type: string;
  readonly status: string;
  readonly reason: string;
  readonly message: string;
}
interface GatewayStatus {
  readonly addresses?: readonly { readonly value: string }[];
  readonly conditions: readonly Condition[];
  readonly listeners: readonly { readonly name: string; readonly conditions: readonly Condition[] }[];
}

const programmed = (conditions: readonly Condition[] | undefined) => conditions?.find((c) => c.type === 'Programmed');

test('a Gateway whose port is taken is Programmed=False Pending, then Programmed=True once it binds', async () => {
  const echo = await startEcho('v1');
  after(() => echo.server.close());
  const port = await freePort();
  const squatter = createServer();
  await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
  after(() => squatter.close());
  const h = await startArchway({
    'gateway.yaml': gatewayYaml(port),
    'backend.yaml': backendYaml('v1', echo.port),
    'route.yaml': routeYaml('r', '/', 'v1'),
  });
  after(() => h.close());
  const status = async (): Promise<GatewayStatus> => {
    const res = await get(h.adminPort, '/apis/gateway.networking.k8s.io/v1/namespaces/default/gateways/gw');
    assert.equal(res.status, 200);
    return (JSON.parse(res.body) as { status: GatewayStatus }).status;
  };

  const pending = await status();
  assert.equal(programmed(pending.conditions)?.status, 'False');
  assert.equal(programmed(pending.conditions)?.reason, 'Pending');
  assert.match(programmed(pending.conditions)?.message ?? '', new RegExp(`127\\.0\\.0\\.1:${port}: .*EADDRINUSE`));
  const listener = programmed(pending.listeners.find((l) => l.name === 'http')?.conditions);
  assert.equal(listener?.reason, 'Pending');
  assert.deepEqual(pending.addresses ?? [], [], 'no address is bound');
  assert.equal(pending.conditions.find((c) => c.type === 'Accepted')?.status, 'True', 'the Gateway is valid');

  await new Promise<void>((resolve) => squatter.close(() => resolve()));
  await waitFor(async () => programmed((await status()).conditions)?.status === 'True', 8000);
  const bound = await status();
  assert.equal(programmed(bound.listeners[0]?.conditions)?.status, 'True');
  assert.deepEqual(bound.addresses, [{ type: 'IPAddress', value: '127.0.0.1' }]);
  assert.equal((await get(port, '/', { host: 'x.com' })).status, 200, 'and it serves');
});
