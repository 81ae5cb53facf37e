/**
 * Test backend: an HTTP server that echoes what it received as JSON ({ backend, method, url, headers, body }), with a
 * few behaviours chosen by path: /__/status/<n> answers n, /__/hang never answers, /__/delay/<ms> answers late, /__/stream streams until the client
 * leaves, /__/reset destroys the connection, /__/hop answers with hop-by-hop headers. Counts live connections.
 */

import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Echoed {
  readonly backend: string;
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface EchoServer {
  readonly name: string;
  readonly port: number;
  /** Requests received so far. */
  readonly seen: Echoed[];
  /** Currently open connections. */
  connections(): number;
  /** Resolves when the next request reaches the backend. */
  nextRequest(): Promise<Echoed>;
  close(): Promise<void>;
}

function headerObject(raw: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    out[name] = out[name] === undefined ? raw[i + 1]! : `${out[name]},${raw[i + 1]!}`;
  }
  return out;
}

function behave(url: string, req: http.IncomingMessage, res: http.ServerResponse, echoed: Echoed): boolean {
  if (url.startsWith('/__/status/')) {
    res.writeHead(Number(url.slice(11, 14)), { 'content-type': 'application/json' });
    res.end(JSON.stringify(echoed));
    return true;
  }
  if (url.startsWith('/__/hang')) return true;
  if (url.startsWith('/__/delay/')) {
    const timer = setTimeout(() => res.end(JSON.stringify(echoed)), Number(url.slice(10)));
    res.on('close', () => clearTimeout(timer));
    return true;
  }
  if (url.startsWith('/__/reset')) {
    req.socket.destroy();
    return true;
  }
  if (url.startsWith('/__/stream')) {
    res.writeHead(200, { 'content-type': 'text/plain' });
    const timer = setInterval(() => res.write('x'.repeat(1024)), 5);
    res.on('close', () => clearInterval(timer));
    return true;
  }
  if (url.startsWith('/__/hop')) {
    res.writeHead(200, [
      'connection',
      'x-nominated, keep-alive',
      'x-nominated',
      'secret',
      'keep-alive',
      'timeout=5',
      'proxy-connection',
      'keep-alive',
      'upgrade',
      'h2c',
      'x-kept',
      'yes',
    ]);
    res.end('hop');
    return true;
  }
  return false;
}

export function startEcho(name: string): Promise<EchoServer> {
  const seen: Echoed[] = [];
  const sockets = new Set<Socket>();
  let waiters: ((e: Echoed) => void)[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '';
      const echoed: Echoed = {
        backend: name,
        method: req.method ?? '',
        url,
        headers: headerObject(req.rawHeaders),
        body: Buffer.concat(chunks).toString(),
      };
      seen.push(echoed);
      const w = waiters;
      waiters = [];
      for (const fn of w) fn(echoed);
      if (behave(url, req, res, echoed)) return;
      res.writeHead(200, { 'content-type': 'application/json', 'x-backend': name });
      res.end(JSON.stringify(echoed));
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        name,
        port: (server.address() as AddressInfo).port,
        seen,
        connections: () => sockets.size,
        nextRequest: () => new Promise((r) => waiters.push(r)),
        close: () =>
          new Promise((r) => {
            server.close(() => r());
            server.closeAllConnections();
          }),
      });
    });
  });
}
