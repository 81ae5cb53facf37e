/**
 * The translator: one pure function from a snapshot of objects to the data-plane IR and the status of every object
 * Archway is responsible for.
 *
 * Owns: the order of the steps (classes -> gateways -> routes -> attachment -> IR and status). Each step lives in its
 * own module; this one only wires them. No I/O, no clock, no randomness, and the snapshot is never mutated.
 */
import type { Snapshot } from '../store/snapshot.ts';
import { attachRoute } from './attachment.ts';
import { buildContext } from './context.ts';
import { emitIR } from './emit.ts';
import { acceptGatewayClasses } from './gatewayclass.ts';
import { buildGateways } from './gateways.ts';
import { buildRoute } from './httproute.ts';
import { reportStatus } from './report.ts';
import type { TranslateOptions, TranslateResult } from './types.ts';

export function translate(snap: Snapshot, opts: TranslateOptions): TranslateResult {
  const ctx = buildContext(snap, opts);
  const classes = acceptGatewayClasses(snap.gatewayClasses, ctx);
  const gateways = buildGateways(snap.gateways, classes, ctx);
  const byKey = new Map(gateways.map((g) => [g.key, g]));
  const routes = snap.httpRoutes.map((r) => buildRoute(r, ctx));
  const parents = new Map(routes.map((r) => [r.key, attachRoute(r, byKey, ctx)]));
  return {
    ir: emitIR(gateways, routes, parents),
    statuses: reportStatus(classes, gateways, routes, parents, ctx),
  };
}
