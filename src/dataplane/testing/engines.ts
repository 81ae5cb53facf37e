/**
 * The HTTP engines every over-the-wire data plane suite runs against (one suite, several implementations, as Hono's
 * common.case.test.ts does): a behaviour that only one engine has is tested with a skip that says why.
 */

import type { HttpEngine } from '../dataplane.ts';

export const ENGINES: readonly HttpEngine[] = ['raw', 'node'];
