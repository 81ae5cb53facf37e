/**
 * Address assignment from --address-pool.
 *
 * Owns: which pool address each Gateway binds. Assignment is stable: a Gateway keeps its address for as long as it
 * exists, new Gateways take the lowest free address, and a deleted Gateway's address is freed. This is state, so it
 * lives in the runtime and is handed to the pure translator as input.
 */

export class AddressPoolError extends Error {
  readonly code = 'ARCHWAY_ERR_ADDRESS_POOL';
}

function parseIPv4(s: string): number {
  const parts = s.split('.');
  if (parts.length !== 4) throw new AddressPoolError(`not an IPv4 address: ${s}`);
  let n = 0;
  for (const p of parts) {
    const v = Number(p);
    if (!/^\d{1,3}$/.test(p) || v > 255) throw new AddressPoolError(`not an IPv4 address: ${s}`);
    n = n * 256 + v;
  }
  return n;
}

function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export class AddressPool {
  readonly #first: number;
  readonly #last: number;
  readonly #assigned = new Map<string, number>();

  /** `cidr` like "127.0.10.0/24": hands out .1 to .254 (a /31 or /32 hands out every address). */
  constructor(cidr: string) {
    const [addr, bitsText] = cidr.split('/');
    const bits = bitsText === undefined ? 32 : Number(bitsText);
    if (!addr || !Number.isInteger(bits) || bits < 8 || bits > 32) {
      throw new AddressPoolError(`--address-pool: expected an IPv4 CIDR such as 127.0.10.0/24, got "${cidr}"`);
    }
    const size = 2 ** (32 - bits);
    const base = Math.floor(parseIPv4(addr) / size) * size;
    this.#first = size > 2 ? base + 1 : base;
    this.#last = size > 2 ? base + size - 2 : base + size - 1;
  }

  /** Gives every key an address, keeping existing assignments; frees those of keys no longer present. */
  assign(keys: Iterable<string>): ReadonlyMap<string, string> {
    const wanted = new Set(keys);
    for (const k of [...this.#assigned.keys()]) if (!wanted.has(k)) this.#assigned.delete(k);
    const used = new Set(this.#assigned.values());
    let next = this.#first;
    for (const k of [...wanted].sort()) {
      if (this.#assigned.has(k)) continue;
      while (used.has(next) && next <= this.#last) next++;
      if (next > this.#last) break; // pool exhausted: the Gateway gets no address
      this.#assigned.set(k, next);
      used.add(next);
    }
    const out = new Map<string, string>();
    for (const [k, v] of this.#assigned) out.set(k, formatIPv4(v));
    return out;
  }
}
