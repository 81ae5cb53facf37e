import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import tls from 'node:tls';
import type { IR, TlsCertificateIR, VirtualHostIR } from '../../ir/types.ts';
import { Dataplane } from '../dataplane.ts';
import { echoed, send } from '../testing/client.ts';
import { type EchoServer, startEcho } from '../testing/echo.ts';
import { ENGINES } from '../testing/engines.ts';
import { backend, cluster, listener, route, vhost } from '../testing/ir.ts';

/** A self-signed EC certificate for `cn` (also its only SAN), made with the openssl CLI. */
function makeCert(dir: string, file: string, cn: string): TlsCertificateIR {
  const key = join(dir, `${file}.key`);
  const crt = join(dir, `${file}.crt`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-keyout',
      key,
      '-out',
      crt,
      '-subj',
      `/CN=${cn}`,
      '-addext',
      `subjectAltName=DNS:${cn}`,
    ],
    { stdio: 'ignore' },
  );
  return { certPem: readFileSync(crt, 'utf8'), keyPem: readFileSync(key, 'utf8') };
}

function withTls(v: VirtualHostIR, cert: TlsCertificateIR): VirtualHostIR {
  return { ...v, tls: cert };
}

/** The CN of the certificate the server presents for `servername` (undefined: send no SNI). */
async function presentedCN(port: number, servername: string | undefined): Promise<string> {
  const socket = tls.connect({
    host: '127.0.0.1',
    port,
    rejectUnauthorized: false,
    ALPNProtocols: ['http/1.1'],
    ...(servername === undefined ? {} : { servername }),
  });
  await once(socket, 'secureConnect');
  const cn = socket.getPeerCertificate().subject.CN;
  assert.equal(socket.alpnProtocol, 'http/1.1');
  socket.destroy();
  return String(cn);
}

for (const engine of ENGINES) {
  describe(`HTTPS listeners ({engine})`, () => {
    let dir: string;
    let certA: TlsCertificateIR;
    let certB: TlsCertificateIR;
    let certC: TlsCertificateIR;
    let a: EchoServer;
    let b: EchoServer;
    let dp: Dataplane;

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'archway-tls-'));
      certA = makeCert(dir, 'a', 'a.example.com');
      certB = makeCert(dir, 'b', '*.b.example.com');
      certC = makeCert(dir, 'c', 'catch-all.example');
      [a, b] = await Promise.all([startEcho('a'), startEcho('b')]);
      dp = new Dataplane({ engine });
    });
    after(async () => {
      await dp.close();
      await Promise.all([a.close(), b.close()]);
      rmSync(dir, { recursive: true, force: true });
    });

    const ir = (vhosts: VirtualHostIR[], protocol: 'http' | 'https' = 'https'): IR => ({
      clusters: [cluster('a', [a.port]), cluster('b', [b.port])],
      listeners: [listener(0, vhosts, protocol, 'S')],
    });
    const va = () => withTls(vhost('va', 'a.example.com', [route('ra', { backends: [backend('a')] })]), certA);
    const vb = () => withTls(vhost('vb', '*.b.example.com', [route('rb', { backends: [backend('b')] })]), certB);

    it('chooses the certificate by SNI: exact, wildcard, else the first virtual host', async () => {
      assert.deepEqual(await dp.apply(ir([va(), vb()])), { S: 'bound' });
      const port = dp.listenerAddress('S')!.port;
      assert.equal(await presentedCN(port, 'a.example.com'), 'a.example.com');
      assert.equal(await presentedCN(port, 'X.B.example.com'), '*.b.example.com');
      assert.equal(await presentedCN(port, 'unknown.org'), 'a.example.com');
      assert.equal(await presentedCN(port, undefined), 'a.example.com');
    });

    it('terminates TLS and routes by Host, with X-Forwarded-Proto https', async () => {
      const port = dp.listenerAddress('S')!.port;
      const reply = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = https.request(
          {
            host: '127.0.0.1',
            port,
            path: '/x',
            servername: 'x.b.example.com',
            headers: { host: 'x.b.example.com' },
            rejectUnauthorized: false,
            agent: false,
          },
          (res) => {
            let body = '';
            res.on('data', (c: Buffer) => {
              body += c;
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        req.end();
      });
      assert.equal(reply.status, 200);
      const e = echoed({ status: reply.status, headers: {}, body: reply.body });
      assert.equal(e.backend, 'b');
      assert.equal(e.headers['x-forwarded-proto'], 'https');
    });

    it('a kept listener picks up new certificates: the catch-all host certificate for unknown names', async () => {
      const catchAll = withTls(vhost('vc', null, []), certC);
      assert.deepEqual(await dp.apply(ir([va(), vb(), catchAll])), { S: 'kept' });
      const port = dp.listenerAddress('S')!.port;
      assert.equal(await presentedCN(port, 'unknown.org'), 'catch-all.example');
      assert.equal(await presentedCN(port, 'a.example.com'), 'a.example.com');
    });

    it('reports an unusable certificate and keeps serving with the old one', async () => {
      const broken = { ...va(), tls: { certPem: 'not a pem', keyPem: 'nope' } };
      const report = await dp.apply(ir([broken]));
      assert.match((report.S as { error: string }).error, /certificate/);
      assert.equal(await presentedCN(dp.listenerAddress('S')!.port, 'a.example.com'), 'a.example.com');
    });

    it('reopens a listener whose protocol changes to http', async () => {
      assert.deepEqual(await dp.apply(ir([vhost('plain', null, [route('r', { backends: [backend('a')] })])], 'http')), {
        S: 'bound',
      });
      assert.equal((await send(dp.listenerAddress('S')!.port, '/')).status, 200);
    });
  });
}
