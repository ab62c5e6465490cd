// What a person reads on standard output after a push (or set): one line per secret — what happened to it, its new
// version id, or in a few words why it was blocked or failed —, one line per reader verdict (with the command that
// fixes a missing one, and an endpoint's stale pins), one per injection reference, and a total. With several targets each vault's lines come under its name. The whole cause
// of a failure is on standard error (the error lines); here it is short. Names, ids and reasons only, never a value.
import type { FleetResult, TargetResult } from '../../../core/run/fleet.js';
import type { SecretOutcome } from '../../../core/common/types.js';
import type { ReaderVerdict } from '../../../core/readers/types.js';
import { referencesOf } from '../../../core/azure/injection-reference.js';

const WORD = 12;

const DONE: Record<SecretOutcome['action'], string> = {
  create: 'created',
  update: 'updated',
  unchanged: 'unchanged',
  recover: 'recovered',
  blocked: 'blocked',
};

/** The first clause of a reason, on one line, at most about 80 characters. */
export function fewWords(text: string, max = 80): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const clause = line.split(/; /)[0]!;
  return clause.length <= max ? clause : `${clause.slice(0, max - 1).trimEnd()}…`;
}

/** `word  name  detail`, aligned. */
function row(indent: string, word: string, name: string, nameWidth: number, detail?: string): string {
  return `${indent}${word.padEnd(WORD - 1)} ${detail ? `${name.padEnd(nameWidth)}  ${detail}` : name}`.trimEnd();
}

/** A failure's cause is stated once, on standard error (the plan names it, the error or warning says it whole). */
const SEE_ABOVE = 'the message above says why';

function outcomeWord(o: SecretOutcome): string {
  if (o.status === 'failed' && o.action !== 'blocked') return 'failed';
  if (o.status === 'planned' && o.action !== 'unchanged' && o.action !== 'blocked') return `would ${o.action}`;
  return DONE[o.action];
}

function targetLines(t: TargetResult, dryRun: boolean, indent: string, count: Map<string, number>): string[] {
  const tally = (word: string) => count.set(word, (count.get(word) ?? 0) + 1);
  if (t.sameVaultAs !== undefined) return [`${indent}the same vault as ${t.sameVaultAs}: pushed once`];
  const names = [...t.outcomes.map((o) => o.name), ...t.deleted.map((d) => d.name)];
  const width = Math.max(
    0,
    ...names.map((n) => n.length),
    ...Object.keys(t.readers?.verdicts ?? {}).map((l) => l.length),
  );
  const lines: string[] = [];
  if (t.error !== undefined && t.outcomes.length === 0) {
    tally('failed');
    lines.push(row(indent, 'failed', t.target, 0, SEE_ABOVE));
  }
  for (const o of t.outcomes) {
    const word = outcomeWord(o);
    tally(word);
    const detail = word === 'failed' || word === 'blocked' ? SEE_ABOVE : o.version && `version ${o.version}`;
    lines.push(row(indent, word, o.name, width, detail || undefined));
  }
  for (const d of t.deleted) {
    const word = d.status === 'failed' ? 'failed' : dryRun ? 'would delete' : 'deleted';
    tally(word);
    lines.push(row(indent, word, d.name, width, d.status === 'failed' ? `prune: ${SEE_ABOVE}` : ''));
  }
  if (t.error !== undefined && t.outcomes.length > 0) lines.push(`${indent}failed: ${SEE_ABOVE}`);
  for (const [line, v] of Object.entries(t.readers?.verdicts ?? {})) {
    const via = v.identities.find((i) => i.via !== undefined)?.via;
    const fix = /\b[Rr]un: (.+)$/.exec(v.reason ?? '')?.[1];
    const detail =
      v.status === 'reads' || v.status === 'granted'
        ? via && fewWords(via)
        : fix !== undefined
          ? // The command is in the error or warning above: stated once, not again here.
            'cannot read; the message above has the command that grants it'
          : v.status === 'missing'
            ? // A missing reader is always an error or a warning: its reason is there, not repeated here.
              `cannot read; ${SEE_ABOVE}`
            : v.reason && fewWords(v.reason);
    lines.push(row(indent, v.status, line, width, detail));
    lines.push(...pinLines(line, v, indent, width));
  }
  // What a deployment's environment variables take to have this version injected.
  for (const [name, reference] of Object.entries(t.vaultUrl ? referencesOf(t.vaultUrl, t.outcomes) : {}))
    lines.push(row(indent, 'reference', name, width, reference));
  return lines;
}

/** An endpoint reader's deployments: a stale pin, a reference to an absent secret; the command is in the message above. */
function pinLines(line: string, v: ReaderVerdict, indent: string, width: number): string[] {
  const d = v.deployments;
  return [
    ...(d?.stale ?? []).map((p) =>
      row(
        indent,
        'stale pin',
        line,
        width,
        `${p.deployment} ${p.variable} pins ${p.pinned || 'no version'}, the vault holds ${p.current}; the message above has the command that updates it`,
      ),
    ),
    ...(d?.absent ?? []).map((a) =>
      row(
        indent,
        'absent',
        line,
        width,
        `${a.deployment} ${a.variable} references ${a.secret}, which the vault does not have (the message above)`,
      ),
    ),
  ];
}

/** A vault's name from its URL (a host without dots, a local one, with its port); a workspace target as given. */
export function vaultName(url: string): string {
  try {
    const { hostname, host } = new URL(url);
    return hostname.includes('.') ? hostname.split('.')[0]! : host;
  } catch {
    return url;
  }
}

/** The lines of a push, or nothing when the inputs stopped it (the problems are on standard error). */
export function pushText(result: FleetResult): string {
  if (result.problems !== undefined) return '';
  const several = result.targets.length > 1;
  const count = new Map<string, number>();
  const lines: string[] = [];
  for (const t of result.targets) {
    if (several)
      lines.push(`${t.vaultUrl ?? t.target}${t.vaultUrl && t.target !== t.vaultUrl ? ` (${t.target})` : ''}`);
    lines.push(...targetLines(t, result.dryRun, several ? '  ' : '', count));
  }
  const parts = [...count].map(([word, n]) => `${n} ${word}`);
  const vaults = result.targets.filter((t) => t.sameVaultAs === undefined);
  const where = vaults.length === 1 ? vaultName(vaults[0]!.vaultUrl ?? vaults[0]!.target) : `${vaults.length} vaults`;
  const secrets = `${result.secrets.length} secret${result.secrets.length === 1 ? '' : 's'}`;
  lines.push(
    `${result.dryRun ? 'Dry run, nothing written: ' : ''}${secrets} in ${where}${parts.length > 0 ? `: ${parts.join(', ')}` : ''}`,
  );
  return `${lines.join('\n')}\n`;
}
