/**
 * A listener whose port is taken when it is applied binds as soon as the port is free, with no config change.
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

test('a listener that failed to bind is retried until it binds', async () => {
  const echo = await startEcho('v1');
  after(() => echo.server.close());
  const port = await freePort();
  const squatter = createServer();
  await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
  const h = await startArchway({
    'gateway.yaml': gatewayYaml(port),
    'backend.yaml': backendYaml('v1', echo.port),
    'route.yaml': routeYaml('r', '/', 'v1'),
  });
  after(() => h.close());
  const report = h.runtime.stats.lastApply ?? {};
  assert.equal(typeof report[`127.0.0.1:${port}`], 'object', 'the first bind fails while the port is taken');
  // Let start-up file events settle, so that what binds the port below can only be the retry.
  await new Promise((r) => setTimeout(r, 300));
  await h.runtime.settled();
  const version = h.runtime.store.version;
  await new Promise<void>((resolve) => squatter.close(() => resolve()));
  await waitFor(async () => {
    try {
      return (await get(port, '/', { host: 'x.com' })).status === 200;
    } catch {
      return false;
    }
  }, 5000);
  assert.equal(h.runtime.store.version, version, 'no config change was needed');
});
