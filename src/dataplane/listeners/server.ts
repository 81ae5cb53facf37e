/**
 * The node engine: creates the node:http / node:https server of one listener with the safe defaults of
 * http/limits.ts, and answers
 * malformed traffic: a parse error gets 400, oversize headers 431, a slow request 408, and the connection closes.
 * Nothing a client sends can throw out of here.
 */

import type * as Http from 'node:http';
import type * as Https from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { SecureContext } from 'node:tls';
import { http } from '../../lib/node-http.ts';
import type { HttpLimits } from '../http/limits.ts';
import { ProxyResponse } from '../http/node-exchange.ts';

export type RequestListener = (req: Http.IncomingMessage, res: ProxyResponse) => void;

export interface TlsServerOptions {
  readonly cert: string;
  readonly key: string;
  readonly sni: (servername: string) => SecureContext;
}

function rawResponse(status: number): string {
  return `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`;
}

const RESPONSE_400 = rawResponse(400);
const RESPONSE_408 = rawResponse(408);
const RESPONSE_431 = rawResponse(431);

/** Maps a client parse / timeout error to the raw response a client gets before the connection closes. */
export function clientErrorResponse(code: string | undefined): string {
  if (code === 'HPE_HEADER_OVERFLOW') return RESPONSE_431;
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return RESPONSE_408;
  return RESPONSE_400;
}

function onClientError(err: NodeJS.ErrnoException, duplex: Duplex): void {
  const socket = duplex as Socket & { _httpMessage?: { headersSent?: boolean } | null };
  if (err.code === 'ECONNRESET' || !socket.writable || socket._httpMessage?.headersSent === true) {
    socket.destroy();
    return;
  }
  socket.write(clientErrorResponse(err.code));
  socket.destroySoon();
}

function ignore(): void {}

function serverOptions(limits: HttpLimits): Http.ServerOptions<typeof Http.IncomingMessage, typeof ProxyResponse> {
  return {
    insecureHTTPParser: false,
    maxHeaderSize: limits.maxHeaderBytes,
    requestTimeout: limits.requestTimeoutMs,
    headersTimeout: limits.headersTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: limits.connectionsCheckingIntervalMs,
    requireHostHeader: true,
    joinDuplicateHeaders: false,
    noDelay: true,
    ServerResponse: ProxyResponse,
  };
}

/** An HTTP server, or an HTTPS one (ALPN http/1.1, SNI chosen by `tls.sni`) when `tls` is given. */
export function createListenerServer(
  limits: HttpLimits,
  tls: TlsServerOptions | null,
  onRequest: RequestListener,
): Http.Server | Https.Server {
  const base = serverOptions(limits);
  const server =
    tls === null
      ? http.createServer(base, onRequest)
      : process.getBuiltinModule('node:https').createServer(
          // not an ES import: see lib/node-http.ts
          {
            ...base,
            cert: tls.cert,
            key: tls.key,
            ALPNProtocols: ['http/1.1'],
            minVersion: 'TLSv1.2',
            SNICallback: (servername, cb) => {
              try {
                cb(null, tls.sni(servername));
              } catch (err) {
                cb(err as Error, undefined);
              }
            },
          },
          onRequest,
        );
  server.maxHeadersCount = limits.maxHeaderCount + 1;
  server.on('clientError', onClientError);
  // Accept-time errors (EMFILE...) must not crash the process; the server keeps listening.
  server.on('error', ignore);
  return server;
}
