/**
 * TLS helpers: a throwaway self-signed certificate (openssl, ECDSA P-256) and probes that tell whether a port
 * serves HTTPS and whether it negotiates HTTP/2 by ALPN.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:http2';
import { request } from 'node:https';
import { join } from 'node:path';
import { LOOPBACK } from './net.ts';

export interface CertFiles {
  readonly dir: string;
  readonly certPem: string;
  readonly keyPem: string;
}

/** Writes cert.pem, key.pem and combined.pem (HAProxy's format) into dir. */
export function makeCert(dir: string, host: string): CertFiles {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
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
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      `/CN=${host}`,
      '-addext',
      `subjectAltName=DNS:${host}`,
    ],
    { stdio: 'ignore', timeout: 20_000 },
  );
  const certPem = readFileSync(cert, 'utf8');
  const keyPem = readFileSync(key, 'utf8');
  writeFileSync(join(dir, 'combined.pem'), certPem + keyPem, { mode: 0o644 });
  return { dir, certPem, keyPem };
}

/** The status of one HTTPS/1.1 request, or the error message. */
export function probeHttps(port: number, host: string, timeoutMs = 3000): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: LOOPBACK,
        port,
        path: '/',
        servername: host,
        headers: { host },
        rejectUnauthorized: false,
        timeout: timeoutMs,
      },
      (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.once('timeout', () => req.destroy(new Error('timeout')));
    req.once('error', (err) => resolve(err.message));
    req.end();
  });
}

/** The status of one HTTP/2 request over TLS (ALPN h2), or the error message. */
export function probeH2(port: number, host: string, timeoutMs = 3000): Promise<number | string> {
  return new Promise((resolve) => {
    const session = connect(`https://${LOOPBACK}:${port}`, { servername: host, rejectUnauthorized: false });
    const timer = setTimeout(() => {
      session.destroy();
      resolve('timeout');
    }, timeoutMs);
    const finish = (v: number | string) => {
      clearTimeout(timer);
      session.close();
      resolve(v);
    };
    session.once('error', (err) => finish(err.message));
    const req = session.request({ ':path': '/', ':authority': host });
    req.once('response', (headers) => {
      req.resume();
      req.once('end', () => finish(Number(headers[':status'] ?? 0)));
    });
    req.once('error', (err) => finish(err.message));
    req.end();
  });
}
