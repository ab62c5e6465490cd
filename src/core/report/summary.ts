// A PushResult rendered for people and pipelines: step outputs, the job summary, the failure report.
// Names, actions, version ids and reasons only; a value is never part of a PushResult, so it cannot get here.

import type { PushResult, SecretOutcome } from '../common/types.js';

export { OUTPUT_NAMES, type OutputName } from '../inputs/inputs.js';
import type { OutputName } from '../inputs/inputs.js';
import { cell, vaultHost } from './markdown.js';
/** Every output is a string: JSON arrays of names, a JSON object name → version id, and the vault URL. */
export type ResultOutputs = Record<Exclude<OutputName, FleetOutputName>, string>;
/** Outputs of a whole run over its targets (fleet-summary.ts), not of one vault's push. */
type FleetOutputName = 'deleted' | 'results' | 'readers' | 'references';

type Bucket = 'created' | 'updated' | 'unchanged' | 'recovered' | 'failed';
const BUCKETS: readonly Bucket[] = ['created', 'updated', 'unchanged', 'recovered', 'failed'];
const BUCKET_OF_ACTION = {
  create: 'created',
  update: 'updated',
  unchanged: 'unchanged',
  recover: 'recovered',
} as const;

/** A blocked secret (e.g. an unowned one without adopt-unowned) is a failure, in a dry run too. */
function isFailed(outcome: SecretOutcome): boolean {
  return outcome.status === 'failed' || outcome.action === 'blocked';
}

/**
 * Where an outcome is counted. A real run counts what was done; a dry run counts what would be done (its
 * outcomes are 'planned').
 */
function bucketOf(outcome: SecretOutcome, dryRun: boolean): Bucket | undefined {
  if (isFailed(outcome)) return 'failed';
  if (!dryRun && outcome.status !== 'done') return undefined;
  return outcome.action === 'blocked' ? 'failed' : BUCKET_OF_ACTION[outcome.action];
}

function namesByBucket(result: PushResult): Record<Bucket, string[]> {
  const names: Record<Bucket, string[]> = { created: [], updated: [], unchanged: [], recovered: [], failed: [] };
  for (const outcome of result.outcomes) {
    const bucket = bucketOf(outcome, result.dryRun);
    if (bucket !== undefined) names[bucket].push(outcome.name);
  }
  return names;
}

/** New version ids only: an unchanged secret got none, and a dry run writes none. */
function newVersions(result: PushResult): Map<string, string> {
  const versions = new Map<string, string>();
  if (result.dryRun) return versions;
  for (const o of result.outcomes) {
    if (o.status === 'done' && o.version !== undefined && o.action !== 'unchanged' && o.action !== 'blocked') {
      versions.set(o.name, o.version);
    }
  }
  return versions;
}

export function resultOutputs(result: PushResult): ResultOutputs {
  const names = namesByBucket(result);
  return {
    created: JSON.stringify(names.created),
    updated: JSON.stringify(names.updated),
    unchanged: JSON.stringify(names.unchanged),
    recovered: JSON.stringify(names.recovered),
    failed: JSON.stringify(names.failed),
    // fromEntries, so that every name is an own key whatever it is.
    versions: JSON.stringify(Object.fromEntries(newVersions(result))),
    'vault-url': result.vaultUrl,
  };
}

/** The result of a run stopped by input problems: every secret name read is failed, nothing else. */
export function inputProblemsResult(problems: string[], names: string[]): PushResult {
  return {
    vaultUrl: '',
    dryRun: false,
    problems,
    outcomes: names.map((name) => ({
      name,
      origin: 'inputs',
      action: 'blocked',
      status: 'failed',
      reason: 'not pushed: the inputs have problems',
    })),
  };
}

export function summaryMarkdown(result: PushResult): string {
  if (result.problems && result.problems.length > 0) return problemsMarkdown(result, result.problems);
  const names = namesByBucket(result);
  const counts = BUCKETS.map((b) => `${names[b].length} ${b}`).join(' · ');
  const lines = [
    `### aml-vault-push: ${cell(vaultHost(result.vaultUrl))}${result.dryRun ? ' (dry run)' : ''}`,
    '',
    result.dryRun ? `Dry run, nothing was written. The plan: ${counts}` : counts,
    '',
  ];
  if (result.outcomes.length === 0) return [...lines, 'No secrets.', ''].join('\n');
  lines.push('| Secret | Action | Version | Reason |', '|---|---|---|---|');
  for (const o of result.outcomes) {
    const action = o.status === 'failed' && o.action !== 'blocked' ? `${o.action} (failed)` : o.action;
    const reason = o.status === 'failed' ? (o.error ?? o.reason) : o.reason;
    lines.push(`| ${cell(o.name)} | ${cell(action)} | ${cell(o.version ?? '')} | ${cell(reason)} |`);
  }
  return [...lines, ''].join('\n');
}

/** One line per failed (or blocked) secret, `NAME (origin): cause`; undefined when none failed. */
export function failureReport(result: PushResult): string | undefined {
  const failed = result.outcomes.filter(isFailed);
  if (failed.length === 0) return undefined;
  return failed.map((o) => `${o.name} (${o.origin}): ${oneLine(o.error ?? o.reason)}`).join('\n');
}

/** Service messages carry CRLFs (e.g. RBAC denials); one line per secret keeps the report readable. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** The summary of a run stopped by input problems: the problems, then the secrets not pushed. */
function problemsMarkdown(result: PushResult, problems: string[]): string {
  const lines = [
    `### aml-vault-push: ${problems.length === 1 ? 'a problem' : `${problems.length} problems`} in the inputs, nothing was written`,
    '',
    ...problems.map((p) => `- ${cell(p)}`),
    '',
  ];
  if (result.outcomes.length === 0) return [...lines, 'No secret name could be read.', ''].join('\n');
  lines.push('Not pushed:', '', '| Secret |', '|---|', ...result.outcomes.map((o) => `| ${cell(o.name)} |`), '');
  return lines.join('\n');
}
