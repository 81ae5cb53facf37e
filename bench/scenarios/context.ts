/**
 * What every scenario receives: the parameters, the scratch workspace, the shared backend, and a logger.
 */
import type { Params } from '../lib/params.ts';
import type { Workspace } from '../lib/workspace.ts';
import type { Backend } from '../servers/backend.ts';

export interface BenchContext {
  readonly params: Params;
  readonly ws: Workspace;
  readonly backend: Backend;
  log(line: string): void;
}
