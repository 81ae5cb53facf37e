/**
 * TLS certificateRefs of HTTPS listeners: resolution, permission and validation.
 *
 * Owns: turning Listener.tls.certificateRefs into PEM material for the IR, or the ResolvedRefs=False condition that
 * says why not. A ref must name a core Secret (group "", kind Secret) of type kubernetes.io/tls whose tls.crt and
 * tls.key hold a PEM certificate and the matching private key (node:crypto parses both); a Secret in another
 * namespace needs a ReferenceGrant there allowing Gateway -> Secret (RefNotPermitted otherwise).
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { GATEWAY_GROUP, type Gateway, type Secret, type SecretObjectReference } from '../api/types.ts';
import type { TlsCertificateIR } from '../ir/types.ts';
import { listenerInvalidCertificateRef, listenerRefNotPermitted } from '../status/conditions.ts';
import type { ConditionValue } from '../status/types.ts';
import { grantsOf, keyOf, namespaceOf, secretOf, type TranslateContext } from './context.ts';
import { referenceAllowed } from './referencegrant.ts';

const TLS_SECRET_TYPE = 'kubernetes.io/tls';

export type CertificateResult =
  | { readonly ok: true; readonly tls: TlsCertificateIR }
  | { readonly ok: false; readonly problem: ConditionValue };

/** The certificate to serve (the first ref's), or the condition naming the first ref that fails. */
export function resolveCertificates(
  gateway: Gateway,
  refs: readonly SecretObjectReference[],
  ctx: TranslateContext,
): CertificateResult {
  if (refs.length === 0) return { ok: false, problem: listenerInvalidCertificateRef('tls.certificateRefs is empty') };
  const results = refs.map((ref) => resolveOne(gateway, ref, ctx));
  const failed = results.find((r) => !r.ok);
  return failed ?? (results[0] as CertificateResult);
}

function resolveOne(gateway: Gateway, ref: SecretObjectReference, ctx: TranslateContext): CertificateResult {
  const group = ref.group ?? '';
  const kind = ref.kind ?? 'Secret';
  const gwNamespace = namespaceOf(gateway.metadata);
  const namespace = ref.namespace || gwNamespace;
  const what = `certificateRef ${group || 'core'}/${kind} ${keyOf(namespace, ref.name)}`;
  if (group !== '' || kind !== 'Secret') {
    return { ok: false, problem: listenerInvalidCertificateRef(`${what}: only core Secrets are supported`) };
  }
  const from = { group: GATEWAY_GROUP, kind: 'Gateway', namespace: gwNamespace };
  if (namespace !== gwNamespace && !referenceAllowed(grantsOf(ctx), from, { group, kind, namespace, name: ref.name })) {
    return {
      ok: false,
      problem: listenerRefNotPermitted(`${what}: no ReferenceGrant in namespace "${namespace}" allows it`),
    };
  }
  const secret = secretOf(ctx, keyOf(namespace, ref.name));
  if (!secret) return { ok: false, problem: listenerInvalidCertificateRef(`${what}: Secret not found`) };
  const detail = invalidSecretDetail(secret);
  if (detail !== undefined) return { ok: false, problem: listenerInvalidCertificateRef(`${what}: ${detail}`) };
  return { ok: true, tls: { certPem: secretValue(secret, 'tls.crt'), keyPem: secretValue(secret, 'tls.key') } };
}

/** stringData (plain text, as written in standalone YAML) wins over data (base64), as the API server merges them. */
function secretValue(secret: Secret, key: string): string {
  const plain = secret.stringData?.[key];
  if (plain !== undefined) return plain;
  const encoded = secret.data?.[key];
  return encoded === undefined ? '' : Buffer.from(encoded, 'base64').toString('utf8');
}

function invalidSecretDetail(secret: Secret): string | undefined {
  if (secret.type !== undefined && secret.type !== TLS_SECRET_TYPE) {
    return `Secret type is "${secret.type}", not ${TLS_SECRET_TYPE}`;
  }
  const certPem = secretValue(secret, 'tls.crt');
  const keyPem = secretValue(secret, 'tls.key');
  if (!certPem || !keyPem) return 'Secret needs both tls.crt and tls.key';
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    return 'tls.crt is not a valid PEM certificate';
  }
  try {
    if (!cert.checkPrivateKey(createPrivateKey(keyPem))) return 'tls.key does not match tls.crt';
  } catch {
    return 'tls.key is not a valid PEM private key';
  }
  return undefined;
}
