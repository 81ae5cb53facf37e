/**
 * `archway validate DIR`: check a config directory offline (no listeners) and report.
 *
 * Owns: the report format and the exit code. Prints every config error (file:line: object: field: message), then
 * every Gateway API object's conditions as the translator computes them. Exit code 1 when anything is invalid: a
 * config error, or a condition saying an object or listener is not accepted, not programmed, has unresolved refs
 * or is conflicted.
 */
import { formatConfigError } from '../api/decode.ts';
import type { Condition, KubeObject } from '../api/types.ts';
import { SUPPORTED_FEATURES } from '../runtime/features.ts';
import { FileSource } from '../sources/files/files.ts';
import { mergeStatus } from '../status/merge.ts';
import type { StatusValue } from '../status/types.ts';
import { keyOf, Store } from '../store/store.ts';
import { translate } from '../translate/translate.ts';

const NEGATIVE_POLARITY = new Set(['Conflicted']);

export function conditionIsBad(c: Pick<Condition, 'type' | 'status'>): boolean {
  return NEGATIVE_POLARITY.has(c.type) ? c.status === 'True' : c.status !== 'True';
}

interface Line {
  readonly text: string;
  readonly bad: boolean;
}

function describeStatus(status: Record<string, unknown>): Line[] {
  const lines: Line[] = [];
  const cond = (prefix: string, cs: unknown) => {
    for (const c of (cs ?? []) as Condition[]) {
      lines.push({
        text: `${prefix}${c.type}=${c.status} (${c.reason}) ${c.message}`.trimEnd(),
        bad: conditionIsBad(c),
      });
    }
  };
  cond('  ', status.conditions);
  for (const l of (status.listeners ?? []) as { name: string; attachedRoutes: number; conditions: Condition[] }[]) {
    lines.push({ text: `  listener ${l.name}: ${l.attachedRoutes} attached route(s)`, bad: false });
    cond('    ', l.conditions);
  }
  for (const p of (status.parents ?? []) as { parentRef: Record<string, unknown>; conditions: Condition[] }[]) {
    const ref = p.parentRef;
    lines.push({
      text: `  parent ${ref.kind} ${ref.namespace}/${ref.name}${ref.sectionName ? ` (${ref.sectionName})` : ''}:`,
      bad: false,
    });
    cond('    ', p.conditions);
  }
  return lines;
}

export async function validateDir(
  dir: string,
  controllerName: string,
  out: (line: string) => void,
): Promise<{ ok: boolean }> {
  const store = new Store();
  const files = new FileSource({ dir, store, rescanMs: 0 });
  await files.rescan();
  const errors = files.errors();
  for (const e of errors) out(`error: ${formatConfigError(e)}`);
  const snap = store.snapshot();
  const { statuses } = translate(snap, {
    controllerName,
    gatewayAddresses: new Map(),
    supportedFeatures: SUPPORTED_FEATURES,
  });
  let bad = errors.length > 0;
  const objects: KubeObject[] = [
    snap.gatewayClasses,
    snap.gateways,
    snap.httpRoutes,
    ...Object.values(snap.other),
  ].flat();
  for (const obj of objects) {
    const value = statuses.get(keyOf(obj));
    if (!value) continue;
    const status = mergeStatus(undefined, value as StatusValue, obj.metadata.generation ?? 1, '');
    const lines = describeStatus(status as Record<string, unknown>);
    const objBad = lines.some((l) => l.bad);
    bad ||= objBad;
    out(
      `${objBad ? 'INVALID' : 'ok'}  ${obj.kind} ${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name}`,
    );
    for (const l of lines) out(l.text);
  }
  out(`${objects.length} Gateway API object(s), ${errors.length} config error(s): ${bad ? 'INVALID' : 'valid'}`);
  return { ok: !bad };
}
