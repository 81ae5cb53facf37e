/**
 * The translator: one pure function from a snapshot of objects to the data-plane IR and the status of every object
 * Archway is responsible for.
 *
 * Owns: the order of the steps (classes -> gateways -> routes -> attachment -> IR and status). Each step lives in its
 * own module; this one only wires them. No I/O, no clock, no randomness, and the snapshot is never mutated. An
 * optional cache (memo.ts) lets a translation reuse the work of the previous one for what did not change: the result
 * is deep-equal with or without it, only faster, and unchanged parts keep their object identity.
 */
import type { Snapshot } from '../store/snapshot.ts';
import { attachmentsOf, canonicalListeners, ListenerRoutes } from './attached.ts';
import { attachRoute } from './attachment.ts';
import { buildContext } from './context.ts';
import { emitIR } from './emit.ts';
import { acceptGatewayClasses } from './gatewayclass.ts';
import { buildGateways } from './gateways.ts';
import { buildRoute } from './httproute.ts';
import { Memo, type TranslateCache } from './memo.ts';
import type { ListenerModel } from './model.ts';
import { reportStatus } from './report.ts';
import type { TranslateOptions, TranslateResult } from './types.ts';

export type { TranslateCache } from './memo.ts';

export function translate(snap: Snapshot, opts: TranslateOptions, cache?: TranslateCache): TranslateResult {
  const memo = new Memo(cache, snap);
  const ctx = buildContext(snap, opts, memo);
  const classes = acceptGatewayClasses(snap.gatewayClasses, ctx);
  const gateways = memo.gateways(buildGateways(snap.gateways, classes, ctx));
  const byKey = new Map(gateways.map((g) => [g.key, g]));
  const canonical = canonicalListeners(gateways);
  const step = memo.routes(snap.httpRoutes, byKey, ctx, buildRoute, (model, gatewayOf, c) => {
    const parents = attachRoute(model, gatewayOf, c);
    return { parents, attachments: attachmentsOf(parents, canonical) };
  });
  const counts = memo.gatewaysUnchanged ? memo.previous<ReadonlyMap<ListenerModel, number>>('counts', '') : undefined;
  const attached = new ListenerRoutes(step, counts);
  memo.keep('counts', '', attached.counts);
  const result = {
    ir: emitIR(gateways, attached, ctx),
    statuses: reportStatus(classes, gateways, step, attached, canonical, ctx),
  };
  memo.commit();
  return result;
}
