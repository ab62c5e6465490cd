// A run's result for people and pipelines: step outputs, the job summary and the failure report, per target.
//
// Outputs. With one target every output keeps its single-vault meaning. With several: a name is in `created`,
// `updated`, `unchanged`, `recovered` or `deleted` when that happened to it in any target, and in `failed` when it
// failed in any target (in all of them when a target failed as a whole); `versions` is keyed by the secret's id,
// `VAULT_URL/secrets/NAME`, as versions differ per vault; `vault-url` lists the vaults, one a line. `results` always
// holds each vault's own outputs, keyed by its URL (by the target as given when its vault was not found).
// Names, actions, dates, version ids and reasons only: a value is never part of a result.
import { inputProblemsResult, resultOutputs, summaryMarkdown } from './summary.js';
import type { OutputName } from '../inputs/inputs.js';
import type { FleetResult, TargetResult } from '../run/fleet.js';
import type { RunResult } from '../run/push.js';
import type { ExpiryWarning } from '../run/expiry.js';
import { listFailureReport, listOutputs, listSummaryMarkdown } from './list-summary.js';
import { cell, vaultHost } from './markdown.js';
import { readersMarkdown, readersOutput } from './readers-report.js';
import { referencesMarkdown, referencesOutput } from './references-report.js';
import { readersFailed, readersFailureLines } from '../readers/verdict-messages.js';

export type RunOutputs = Partial<Record<OutputName, string>>;

interface VaultOutputs {
  created: string[];
  updated: string[];
  unchanged: string[];
  recovered: string[];
  deleted: string[];
  failed: string[];
  versions: Record<string, string>;
  error?: string;
}

const LISTS = ['created', 'updated', 'unchanged', 'recovered', 'deleted', 'failed'] as const;

/** One target's outputs, as the single-vault outputs plus what prune did. */
function vaultOutputs(t: TargetResult, result: FleetResult): VaultOutputs {
  const one = resultOutputs({ vaultUrl: t.vaultUrl ?? '', dryRun: result.dryRun, outcomes: t.outcomes });
  const parse = (text: string) => JSON.parse(text) as string[];
  const failed = parse(one.failed);
  for (const d of t.deleted) if (d.status === 'failed') failed.push(d.name);
  // A target that failed before its push failed every secret of the input.
  if (t.error !== undefined && t.outcomes.length === 0) failed.push(...result.secrets);
  return {
    created: parse(one.created),
    updated: parse(one.updated),
    unchanged: parse(one.unchanged),
    recovered: parse(one.recovered),
    deleted: t.deleted.filter((d) => d.status !== 'failed').map((d) => d.name),
    failed,
    versions: JSON.parse(one.versions) as Record<string, string>,
    ...(t.error !== undefined && { error: t.error }),
  };
}

/** The targets that were pushed, or failed: a target sharing another's vault adds nothing of its own. */
function ownTargets(result: FleetResult): TargetResult[] {
  return result.targets.filter((t) => t.sameVaultAs === undefined);
}

/** A run stopped by input problems, as a result: no target was reached, every secret name read failed. */
export function fleetFromInputProblems(problems: string[], names: string[]): FleetResult {
  return { mode: 'push', dryRun: false, secrets: names, targets: [], expiring: [], problems };
}

export function fleetOutputs(
  result: FleetResult,
): Record<Exclude<OutputName, 'readers'>, string> & { readers?: string } {
  if (result.problems !== undefined) {
    const none = JSON.stringify([]);
    const [created, updated, unchanged, recovered, deleted] = [none, none, none, none, none];
    const failed = JSON.stringify(result.secrets);
    return {
      ...{ created, updated, unchanged, recovered, failed, versions: '{}', deleted, 'vault-url': '', results: '{}' },
      references: '{}',
    };
  }
  const targets = ownTargets(result);
  const per = targets.map((t) => ({ t, o: vaultOutputs(t, result) }));
  const results = Object.fromEntries(per.map(({ t, o }) => [t.vaultUrl ?? t.target, o]));
  const several = result.targets.length > 1;
  const union = (key: (typeof LISTS)[number]) => JSON.stringify([...new Set(per.flatMap(({ o }) => o[key]))]);
  const versions = several
    ? Object.fromEntries(
        per.flatMap(({ t, o }) => Object.entries(o.versions).map(([n, v]) => [`${t.vaultUrl}/secrets/${n}`, v])),
      )
    : (per[0]?.o.versions ?? {});
  const urls = [...new Set(targets.flatMap((t) => (t.vaultUrl === undefined ? [] : [t.vaultUrl])))];
  return {
    created: union('created'),
    updated: union('updated'),
    unchanged: union('unchanged'),
    recovered: union('recovered'),
    failed: union('failed'),
    versions: JSON.stringify(versions),
    deleted: union('deleted'),
    'vault-url': urls.join('\n'),
    results: JSON.stringify(results),
    references: referencesOutput(targets, several),
    ...(result.readers && { readers: readersOutput(targets) }),
  };
}

export function runOutputs(result: RunResult): RunOutputs {
  return result.mode === 'list' ? listOutputs(result) : fleetOutputs(result);
}

// ── Summary ──────────────────────────────────────────────────────────────────────────────────────────────────

function expiryCell(name: string, vaultUrl: string | undefined, expiresOn: Date | undefined, w: ExpiryWarning[]) {
  if (expiresOn === undefined) return '';
  const date = expiresOn.toISOString().slice(0, 10);
  const warning = w.find((x) => x.vaultUrl === vaultUrl && x.name === name);
  return warning ? `⚠️ ${date} (${warning.days < 1 ? 'within a day' : `in ${Math.floor(warning.days)} d`})` : date;
}

function targetMarkdown(t: TargetResult, result: FleetResult): string[] {
  const title = t.vaultUrl ? vaultHost(t.vaultUrl) : t.target;
  const lines = [`### aml-vault-push: ${cell(title)}${result.dryRun ? ' (dry run)' : ''}`, ''];
  if (t.vaultUrl && t.target !== t.vaultUrl) lines.push(`Target ${cell(t.target)}`, '');
  if (t.sameVaultAs !== undefined) return [...lines, `The same vault as ${cell(t.sameVaultAs)}: pushed once.`, ''];
  const o = vaultOutputs(t, result);
  const counts = LISTS.map((k) => `${o[k].length} ${k}`).join(' · ');
  lines.push(result.dryRun ? `Dry run, nothing was written. The plan: ${counts}` : counts, '');
  if (t.error !== undefined) lines.push(`**Failed:** ${cell(t.error)}`, '');
  if (t.outcomes.length === 0 && t.deleted.length === 0) return [...lines, ...(t.error ? [] : ['No secrets.', ''])];
  lines.push('| Secret | Action | Version | Expires | Reason |', '|---|---|---|---|---|');
  for (const x of t.outcomes) {
    const action = x.status === 'failed' && x.action !== 'blocked' ? `${x.action} (failed)` : x.action;
    const reason = x.status === 'failed' ? (x.error ?? x.reason) : x.reason;
    const expires = expiryCell(x.name, t.vaultUrl, x.expiresOn, result.expiring);
    lines.push(`| ${cell(x.name)} | ${cell(action)} | ${cell(x.version ?? '')} | ${cell(expires)} | ${cell(reason)} |`);
  }
  for (const d of t.deleted) {
    const action = d.status === 'failed' ? 'delete (failed)' : 'delete';
    lines.push(`| ${cell(d.name)} | ${action} |  |  | ${cell(d.error ?? d.reason)} |`);
  }
  return [...lines, '', ...referencesMarkdown(t), ...readersMarkdown(t)];
}

export function fleetSummaryMarkdown(result: FleetResult): string {
  if (result.problems !== undefined) return summaryMarkdown(inputProblemsResult(result.problems, result.secrets));
  const lines: string[] = [];
  if (result.targets.length > 1) {
    const failed = result.targets.filter((t) => fleetTargetFailed(t, result)).length;
    lines.push(
      `## aml-vault-push: ${result.targets.length} targets${failed > 0 ? `, ${failed} failed` : ''}${result.dryRun ? ' (dry run)' : ''}`,
      '',
    );
  }
  for (const t of result.targets) lines.push(...targetMarkdown(t, result));
  return lines.join('\n');
}

export function runSummaryMarkdown(result: RunResult): string {
  return result.mode === 'list' ? listSummaryMarkdown(result) : fleetSummaryMarkdown(result);
}

// ── Failure ──────────────────────────────────────────────────────────────────────────────────────────────────

function fleetTargetFailed(t: TargetResult, result: FleetResult): boolean {
  return t.error !== undefined || vaultOutputs(t, result).failed.length > 0 || readersFailed(t);
}

/** One line per cause of failed secrets (`NAME (origin), …: cause`) and per failed target; undefined when nothing failed. */
export function fleetFailureReport(result: FleetResult): string | undefined {
  const several = result.targets.length > 1;
  const lines: string[] = [];
  for (const t of ownTargets(result)) {
    const prefix = several ? `[${t.target}] ` : '';
    if (t.error !== undefined) lines.push(`${prefix}${t.target}: ${oneLine(t.error)}`);
    // Secrets that failed for the same cause (a failed sign-in fails them all) share one line: stated once.
    const byCause = new Map<string, string[]>();
    for (const o of t.outcomes) {
      if (o.status !== 'failed' && o.action !== 'blocked') continue;
      const cause = oneLine(o.error ?? o.reason);
      byCause.set(cause, [...(byCause.get(cause) ?? []), `${o.name} (${o.origin})`]);
    }
    for (const [cause, names] of byCause) lines.push(`${prefix}${names.join(', ')}: ${cause}`);
    for (const d of t.deleted) {
      if (d.status === 'failed') lines.push(`${prefix}${d.name} (prune): ${oneLine(d.error ?? d.reason)}`);
    }
    lines.push(...readersFailureLines(t, prefix).map(oneLine));
  }
  return lines.length === 0 ? undefined : lines.join('\n');
}

export function runFailureReport(result: RunResult): string | undefined {
  return result.mode === 'list' ? listFailureReport(result) : fleetFailureReport(result);
}

/** Service messages carry CRLFs (e.g. RBAC denials); one line per secret keeps the report readable. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
