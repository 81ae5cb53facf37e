/**
 * Listener validation, one listener at a time (conflicts between listeners live in conflicts.ts).
 *
 * Owns: protocol support (HTTP and HTTPS; anything else is Accepted=False UnsupportedProtocol), the route kinds a
 * listener supports (allowedRoutes.kinds filtered to what Archway implements; InvalidRouteKinds otherwise), and
 * HTTPS termination material (certificates.ts).
 */
import { GATEWAY_GROUP, type Gateway, type Listener } from '../api/types.ts';
import {
  listenerInvalidRouteKinds,
  listenerUnsupportedProtocol,
  listenerUnsupportedValue,
} from '../status/conditions.ts';
import { resolveCertificates } from './certificates.ts';
import { keyOf, namespaceOf, type TranslateContext } from './context.ts';
import type { ListenerModel, RouteKind } from './model.ts';

/** Route kinds each supported protocol can carry. */
const KINDS_BY_PROTOCOL: Readonly<Record<string, readonly RouteKind[]>> = {
  HTTP: [{ group: GATEWAY_GROUP, kind: 'HTTPRoute' }],
  HTTPS: [{ group: GATEWAY_GROUP, kind: 'HTTPRoute' }],
};

export function buildListener(gateway: Gateway, listener: Listener, ctx: TranslateContext): ListenerModel {
  const namespace = namespaceOf(gateway.metadata);
  const base = {
    gatewayKey: keyOf(namespace, gateway.metadata.name),
    gatewayNamespace: namespace,
    name: listener.name,
    port: listener.port,
    protocol: listener.protocol,
    hostname: listener.hostname ? listener.hostname.toLowerCase() : null,
    allowedRoutes: listener.allowedRoutes,
  };
  const kinds = KINDS_BY_PROTOCOL[listener.protocol];
  if (!kinds) {
    return {
      ...base,
      kind: null,
      supportedKinds: [],
      acceptProblem: listenerUnsupportedProtocol(listener.protocol),
      refProblemBlocks: false,
    };
  }
  const kind = listener.protocol === 'HTTPS' ? 'https' : 'http';
  const { supportedKinds, kindsProblem } = routeKinds(listener, kinds);
  const withKinds = {
    ...base,
    kind,
    supportedKinds,
    ...(kindsProblem && { refProblem: kindsProblem }),
    refProblemBlocks: supportedKinds.length === 0,
  } satisfies ListenerModel;
  return kind === 'https' ? withTls(withKinds, gateway, listener, ctx) : withKinds;
}

function routeKinds(listener: Listener, implemented: readonly RouteKind[]) {
  const requested = listener.allowedRoutes?.kinds;
  if (!requested || requested.length === 0) return { supportedKinds: implemented, kindsProblem: undefined };
  const wanted = requested.map((k) => ({ group: k.group ?? GATEWAY_GROUP, kind: k.kind }));
  const isImplemented = (k: RouteKind): boolean => implemented.some((i) => i.group === k.group && i.kind === k.kind);
  const valid = wanted.filter(isImplemented);
  const supportedKinds = valid.filter((k, i) => valid.findIndex((o) => o.kind === k.kind) === i);
  const invalid = wanted.filter((k) => !isImplemented(k)).map((k) => `${k.group}/${k.kind}`);
  const kindsProblem =
    invalid.length === 0
      ? undefined
      : listenerInvalidRouteKinds(`Unsupported route kinds for protocol ${listener.protocol}: ${invalid.join(', ')}`);
  return { supportedKinds, kindsProblem };
}

function withTls(model: ListenerModel, gateway: Gateway, listener: Listener, ctx: TranslateContext): ListenerModel {
  const mode = listener.tls?.mode ?? 'Terminate';
  if (mode !== 'Terminate') {
    return { ...model, acceptProblem: listenerUnsupportedValue(`HTTPS listeners terminate TLS; tls.mode ${mode}`) };
  }
  const result = resolveCertificates(gateway, listener.tls?.certificateRefs ?? [], ctx);
  if (result.ok) return { ...model, tls: result.tls };
  // A certificate problem outranks an InvalidRouteKinds one: the listener cannot serve at all.
  return { ...model, refProblem: result.problem, refProblemBlocks: true };
}
