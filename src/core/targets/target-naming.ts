// Where the person gave each part of a workspace target, for "check …" in a message: the inputs by the platform's
// names, or what the target carries (a targets line, a key of config.json, az's defaults).
import type { Label } from '../inputs/inputs.js';
import type { Target, TargetNaming } from '../common/types.js';

export type Part = keyof TargetNaming;

const INPUT_OF = {
  workspaceName: 'workspace-name',
  resourceGroup: 'resource-group',
  subscriptionId: 'subscription-id',
} as const;

/** "A, B and C": each place once (a targets line names all three parts). */
export function checkWhere(t: Extract<Target, { kind: 'workspace' }>, label: Label, parts: Part[]): string {
  const places = [...new Set(parts.map((p) => t.naming?.[p] ?? label(INPUT_OF[p])))];
  return places.length === 1 ? places[0]! : `${places.slice(0, -1).join(', ')} and ${places.at(-1)!}`;
}
