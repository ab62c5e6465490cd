// The inputs of several targets, prune, list and expiry warnings: part of the input declaration (input-declaration.ts
// places them among the core inputs, in this order).
import type { InputSpec } from './input-spec.js';

const lines = { type: 'lines' } as const;
const text = { type: 'text' } as const;
const bool = { type: 'boolean' } as const;

export const TARGETS_INPUT = {
  targets: {
    kind: lines,
    repeats: true,
    cli: { metavar: 'TARGET' },
    required: 'one target',
    description: (d) =>
      'Several targets, one a line: a workspace `SUBSCRIPTION/RESOURCE_GROUP/WORKSPACE` (or `RESOURCE_GROUP/WORKSPACE` with ' +
      `${d.ref('subscription-id')}), \`vault-name:NAME\` or a vault URL. Each vault is pushed in parallel with its own rate budget; ` +
      `one failing target does not stop the others. Instead of ${d.ref('workspace-name')}, ${d.ref('vault-name')} and ${d.ref('vault-url')}.`,
    azdo: { label: 'Targets (one a line)', group: 'target' },
  },
} satisfies Record<string, InputSpec>;

export const FLEET_INPUTS = {
  'owner-scope': {
    kind: text,
    cli: { metavar: 'NAME' },
    description: () =>
      'A short name (`a-z`, `0-9`, `-`; at most 32) added to the owner tag (`OWNER#scope`), so that two workflows of one owner manage disjoint sets of secrets and never prune or overwrite each other’s.',
    azdo: { label: 'Owner scope', group: 'advanced' },
  },
  prune: {
    kind: bool,
    default: 'false',
    description: (d) =>
      'Soft-delete, in every target, the secrets this owner (and scope) wrote that are no longer in the input. Never an unowned secret or another owner’s; ' +
      `never purged (recover one with \`az keyvault secret recover\`). Refuses when the input has no secrets. ${d.ref('dry-run')} shows the deletions.`,
    azdo: { label: 'Prune retired secrets', group: 'advanced' },
  },
  'warn-expiry-days': {
    kind: { type: 'number', min: 0, max: 3650 },
    default: '30',
    cli: { metavar: 'DAYS' },
    description: () => 'Warn about pushed secrets that expire within this many days (0–3650; 0 turns the warning off).',
    azdo: { label: 'Warn of expiry within (days)', group: 'properties' },
  },
  mode: {
    kind: { type: 'choice', values: ['push', 'list'] },
    default: 'push',
    on: ['github', 'azdo'],
    description: () =>
      '`push` the secrets, or `list` what each target holds (name, enabled, updated, expiry, content type, owner; never a value) in the summary.',
    azdo: { label: 'Mode', group: 'target', options: { push: 'push', list: 'list' } },
  },
} satisfies Record<string, InputSpec>;
