/**
 * Listener.allowedRoutes: which routes a listener admits.
 *
 * Owns: the kind check (the route's group/kind must be among the listener's supportedKinds) and the namespace check
 * (namespaces.from: Same (the default), All, Selector (a label selector over the route namespace's labels) or None).
 */

import { labelsOfNamespace, type TranslateContext } from './context.ts';
import { matchesSelector } from './labelselector.ts';
import type { ListenerModel, RouteKind } from './model.ts';

export function listenerAllowsKind(listener: ListenerModel, kind: RouteKind): boolean {
  for (const k of listener.supportedKinds) if (k.group === kind.group && k.kind === kind.kind) return true;
  return false;
}

export function listenerAllowsNamespace(
  listener: ListenerModel,
  routeNamespace: string,
  ctx: TranslateContext,
): boolean {
  const namespaces = listener.allowedRoutes?.namespaces;
  const from = namespaces?.from ?? 'Same';
  switch (from) {
    case 'Same':
      return routeNamespace === listener.gatewayNamespace;
    case 'All':
      return true;
    case 'Selector':
      return (
        namespaces?.selector !== undefined &&
        matchesSelector(namespaces.selector, labelsOfNamespace(ctx, routeNamespace))
      );
    case 'None':
      return false;
    default:
      return unknownFrom(from);
  }
}

function unknownFrom(_from: never): boolean {
  return false;
}
