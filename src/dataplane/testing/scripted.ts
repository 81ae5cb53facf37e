/**
 * Test backend on raw TCP that answers each request with bytes a script chooses by path, for upstream behaviours a
 * node:http server would never produce (close-delimited bodies, malformed framing, interim responses, a keep-alive
 * connection closed under a request). Requests are read head + Content-Length body; `requests` records their paths.
 */

import net, { type AddressInfo, type Socket } from 'node:net';

/** Answers one request: `nth` counts the requests seen on this connection (1 for the first). */
export type Script = (socket: Socket, nth: number, head: string) => void;

export interface ScriptedServer {
  readonly port: number;
  readonly requests: string[];
  close(): Promise<void>;
}

function serve(socket: Socket, scripts: Readonly<Record<string, Script>>, requests: string[]): void {
  let data = '';
  let nth = 0;
  socket.setEncoding('latin1');
  socket.on('error', () => undefined);
  socket.on('data', (d: string) => {
    data += d;
    for (;;) {
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = data.slice(0, end);
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
      if (data.length < end + 4 + length) return;
      data = data.slice(end + 4 + length);
      const path = head.split(' ')[1] ?? '';
      requests.push(path);
      nth++;
      const script = scripts[path];
      if (script === undefined) socket.write('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n');
      else script(socket, nth, head);
    }
  });
}

export function startScripted(scripts: Readonly<Record<string, Script>>): Promise<ScriptedServer> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serve(socket, scripts, requests);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as AddressInfo).port,
        requests,
        close: () =>
          new Promise((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}
