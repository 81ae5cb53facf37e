/**
 * The quickstart's demo backend: a tiny HTTP echo server, started by `archway serve --demo-backend`.
 *
 * Owns: nothing of Archway's routing. It answers every request with JSON describing what it received (method, path,
 * host, headers), so a person can see what the gateway forwarded.
 */
import type { Server } from 'node:http';
import { http } from '../lib/node-http.ts';

const { createServer } = http;

export function startDemoBackend(host: string, port: number, name: string): Promise<Server> {
  const server = createServer((req, res) => {
    const body = JSON.stringify(
      { backend: name, method: req.method, path: req.url, host: req.headers.host, headers: req.headers },
      null,
      2,
    );
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(`${body}`);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
