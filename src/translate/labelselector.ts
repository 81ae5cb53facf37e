/**
 * Kubernetes label selectors (metav1.LabelSelector): matchLabels and matchExpressions, ANDed.
 *
 * Owns: selector evaluation against a label set. An empty selector matches everything; an unknown operator
 * matches nothing.
 */
import type { LabelSelector } from '../api/types.ts';

type Requirement = NonNullable<LabelSelector['matchExpressions']>[number];

export function matchesSelector(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  const pairs = Object.entries(selector.matchLabels ?? {});
  if (!pairs.every(([k, v]) => labels[k] === v)) return false;
  return (selector.matchExpressions ?? []).every((req) => matchesRequirement(req, labels));
}

function matchesRequirement(req: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.hasOwn(labels, req.key);
  const value = labels[req.key];
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return has && value !== undefined && values.includes(value);
    case 'NotIn':
      return !has || value === undefined || !values.includes(value);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default:
      return unknownOperator(req.operator);
  }
}

function unknownOperator(_operator: never): boolean {
  return false;
}
