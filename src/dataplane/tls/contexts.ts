/**
 * TLS termination material for HTTPS listeners: SecureContexts built once per distinct certificate at apply time
 * (reused across applies while the PEM is unchanged), and the SNI choice: exact server name, then the longest
 * wildcard, then the catch-all virtual host's certificate, otherwise the first virtual host's.
 *
 * node:tls is taken at the first certificate (process.getBuiltinModule), so a process without HTTPS never loads it.
 */

import type { SecureContext } from 'node:tls';
import type { VirtualHostIR } from '../../ir/types.ts';
import { NoCertificateError } from '../errors.ts';

export interface TlsTable {
  readonly exact: ReadonlyMap<string, SecureContext>;
  /** Longest suffix first; ".example.com" for "*.example.com". */
  readonly wildcards: readonly { readonly suffix: string; readonly context: SecureContext }[];
  readonly catchAll: SecureContext | null;
  readonly fallback: SecureContext;
  /** PEM of the fallback, for the server's default context (clients that send no SNI). */
  readonly fallbackPem: { readonly cert: string; readonly key: string };
  /** Virtual hosts whose certificate could not be loaded, with the reason. */
  readonly warnings: readonly string[];
}

/** SecureContexts by PEM; `rotate()` after an apply drops the ones no listener uses any more. */
export class SecureContextCache {
  #current = new Map<string, SecureContext>();
  #next = new Map<string, SecureContext>();

  get(cert: string, key: string): SecureContext {
    const id = `${cert}\0${key}`;
    let ctx = this.#next.get(id) ?? this.#current.get(id);
    if (ctx === undefined) ctx = process.getBuiltinModule('node:tls').createSecureContext({ cert, key });
    this.#next.set(id, ctx);
    return ctx;
  }

  rotate(): void {
    this.#current = this.#next;
    this.#next = new Map();
  }
}

/** Builds the SNI table of an HTTPS listener; throws NoCertificateError when no virtual host has a usable one. */
export function compileTls(vhosts: readonly VirtualHostIR[], cache: SecureContextCache): TlsTable {
  const exact = new Map<string, SecureContext>();
  const wildcards: { suffix: string; context: SecureContext }[] = [];
  const warnings: string[] = [];
  let catchAll: SecureContext | null = null;
  let fallback: { context: SecureContext; cert: string; key: string } | null = null;
  for (const vh of vhosts) {
    if (vh.tls === undefined) continue;
    let context: SecureContext;
    try {
      context = cache.get(vh.tls.certPem, vh.tls.keyPem);
    } catch (err) {
      warnings.push(`${vh.name}: ${(err as Error).message}`);
      continue;
    }
    fallback ??= { context, cert: vh.tls.certPem, key: vh.tls.keyPem };
    const host = vh.hostname?.toLowerCase() ?? null;
    if (host === null) catchAll ??= context;
    else if (host.startsWith('*.')) wildcards.push({ suffix: host.slice(1), context });
    else if (!exact.has(host)) exact.set(host, context);
  }
  if (fallback === null) throw new NoCertificateError(`no usable certificate (${warnings.join('; ') || 'none given'})`);
  wildcards.sort((a, b) => b.suffix.length - a.suffix.length);
  const fallbackPem = { cert: fallback.cert, key: fallback.key };
  return { exact, wildcards, catchAll, fallback: fallback.context, fallbackPem, warnings };
}

/** The certificate for an SNI server name. */
export function selectContext(t: TlsTable, servername: string): SecureContext {
  const name = servername.toLowerCase();
  const exact = t.exact.get(name);
  if (exact !== undefined) return exact;
  for (const w of t.wildcards) if (name.length > w.suffix.length && name.endsWith(w.suffix)) return w.context;
  return t.catchAll ?? t.fallback;
}
