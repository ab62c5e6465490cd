// The injection references of the pushed secrets rendered: the `references` output and the "References" table of a
// target's summary. A reference is a URL with a version id: names and versions only, never a value.
import { cell } from './markdown.js';
import { referencesOf } from '../azure/injection-reference.js';
import type { TargetResult } from '../run/fleet.js';

/** name → reference; with several targets, vault URL → name → reference. */
export function referencesOutput(targets: readonly TargetResult[], several: boolean): string {
  const per = targets.flatMap((t) => (t.vaultUrl ? [[t.vaultUrl, referencesOf(t.vaultUrl, t.outcomes)] as const] : []));
  if (several) return JSON.stringify(Object.fromEntries(per));
  return JSON.stringify(per[0]?.[1] ?? {});
}

/** The "References" table of a target's summary: what to paste into a deployment's environment variables. */
export function referencesMarkdown(t: TargetResult): string[] {
  if (!t.vaultUrl) return [];
  const refs = Object.entries(referencesOf(t.vaultUrl, t.outcomes));
  if (refs.length === 0) return [];
  return [
    '#### References',
    '',
    'For an online deployment’s `environment_variables` (secret injection reads this version; after a rotation, update the deployment to the new one):',
    '',
    '| Secret | Reference |',
    '|---|---|',
    ...refs.map(([name, ref]) => `| ${cell(name)} | \`${ref}\` |`),
    '',
  ];
}
