/**
 * Data-plane errors: every failure the data plane reports carries a code, and ONE table maps each code to the HTTP
 * status a client receives. Hot-path failures (no route, no endpoints...) are answered by code without building an
 * Error object; thrown or upstream errors are DataplaneError instances or are classified into a code here.
 */

/** The single code -> HTTP status table for every response the data plane generates itself. */
export const ERROR_STATUS = {
  ARCHWAY_ERR_BAD_REQUEST: 400,
  ARCHWAY_ERR_BAD_PATH: 400,
  ARCHWAY_ERR_BAD_HOST: 400,
  ARCHWAY_ERR_REQUEST_TIMEOUT: 408,
  ARCHWAY_ERR_TOO_MANY_HEADERS: 431,
  ARCHWAY_ERR_HEADERS_TOO_LARGE: 431,
  ARCHWAY_ERR_NO_ROUTE: 404,
  /** A method the gateway serves for no resource (CONNECT over HTTP/2: tunnels are not offered). */
  ARCHWAY_ERR_NOT_IMPLEMENTED: 501,
  ARCHWAY_ERR_INVALID_BACKEND: 500,
  ARCHWAY_ERR_NO_ENDPOINTS: 503,
  ARCHWAY_ERR_UPSTREAM_CONNECT: 502,
  ARCHWAY_ERR_UPSTREAM_RESET: 502,
  ARCHWAY_ERR_UPSTREAM_TIMEOUT: 504,
  /** Every attempt of a request with a retry policy failed to connect or was reset. */
  ARCHWAY_ERR_RETRIES_EXHAUSTED: 503,
  ARCHWAY_ERR_ROUTE_TIMEOUT: 504,
  ARCHWAY_ERR_CLIENT_CLOSED: 499,
} as const satisfies Record<string, number>;

export type ResponseErrorCode = keyof typeof ERROR_STATUS;

/** Base of every error the data plane throws or passes around; `code` is stable and machine-readable. */
export abstract class DataplaneError extends Error {
  abstract readonly code: string;
}

/** A RegularExpression match the linear-time engine cannot run (or that does not parse). */
export class InvalidRegexError extends DataplaneError {
  readonly code = 'ARCHWAY_ERR_INVALID_REGEX';
}

/** An HTTPS listener with no usable certificate. */
export class NoCertificateError extends DataplaneError {
  readonly code = 'ARCHWAY_ERR_TLS_NO_CERTIFICATE';
}

/** A listener that could not bind its address:port; `cause` holds the system error (EADDRINUSE ...). */
export class ListenError extends DataplaneError {
  readonly code = 'ARCHWAY_ERR_LISTEN';
}

/** Abort reason when the client went away before the response completed. */
export class ClientClosedError extends DataplaneError {
  readonly code = 'ARCHWAY_ERR_CLIENT_CLOSED';
}

/** Abort reason when a route timeout (requestMs / backendRequestMs) fired. */
export class RouteTimeoutError extends DataplaneError {
  readonly code = 'ARCHWAY_ERR_ROUTE_TIMEOUT';
}

const UPSTREAM_CODES: Readonly<Record<string, ResponseErrorCode>> = {
  UND_ERR_HEADERS_TIMEOUT: 'ARCHWAY_ERR_UPSTREAM_TIMEOUT',
  UND_ERR_BODY_TIMEOUT: 'ARCHWAY_ERR_UPSTREAM_TIMEOUT',
  UND_ERR_CONNECT_TIMEOUT: 'ARCHWAY_ERR_UPSTREAM_CONNECT',
  ECONNREFUSED: 'ARCHWAY_ERR_UPSTREAM_CONNECT',
  EHOSTUNREACH: 'ARCHWAY_ERR_UPSTREAM_CONNECT',
  ENETUNREACH: 'ARCHWAY_ERR_UPSTREAM_CONNECT',
  EADDRNOTAVAIL: 'ARCHWAY_ERR_UPSTREAM_CONNECT',
  ENOTFOUND: 'ARCHWAY_ERR_UPSTREAM_CONNECT',
  UND_ERR_CLOSED: 'ARCHWAY_ERR_UPSTREAM_CONNECT',
  UND_ERR_DESTROYED: 'ARCHWAY_ERR_UPSTREAM_CONNECT',
};

/** Maps any error seen while talking to an upstream to a response code (default: reset, 502). */
export function upstreamErrorCode(err: Error): ResponseErrorCode {
  if (err instanceof ClientClosedError) return 'ARCHWAY_ERR_CLIENT_CLOSED';
  if (err instanceof RouteTimeoutError) return 'ARCHWAY_ERR_ROUTE_TIMEOUT';
  const code = (err as { code?: unknown }).code;
  return (typeof code === 'string' ? UPSTREAM_CODES[code] : undefined) ?? 'ARCHWAY_ERR_UPSTREAM_RESET';
}
