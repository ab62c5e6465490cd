// The readers check rendered: the `readers` output, the "Who can read" table of a target's summary, the warnings and
// the failure lines. Names, ids, roles and commands only.
import { cell } from '../markdown.js';
import type { ReaderVerdict, ReadersReport } from './types.js';

interface WithReaders {
  target: string;
  vaultUrl?: string;
  readers?: ReadersReport;
}

/** vault URL → reader line → verdict. */
export function readersOutput(targets: readonly WithReaders[]): string {
  const out: Record<string, Record<string, ReaderVerdict>> = {};
  for (const t of targets) if (t.readers) out[t.vaultUrl ?? t.target] = t.readers.verdicts;
  return JSON.stringify(out);
}

/** A missing reader fails the step unless readers-missing is warn, or a dry run would grant it. */
function fails(report: ReadersReport, v: ReaderVerdict): boolean {
  if (v.status !== 'missing' || report.missing === 'warn') return false;
  return !(
    report.dryRun && v.identities.every((i) => i.status !== 'missing' || /dry run: would grant/.test(i.reason ?? ''))
  );
}

const written = (report: ReadersReport) =>
  report.dryRun ? 'dry run: nothing was written' : 'the secrets were written';

/** Failure lines of one target (readers-missing: fail). */
export function readersFailureLines(t: WithReaders, prefix: string): string[] {
  const report = t.readers;
  if (!report) return [];
  return Object.entries(report.verdicts)
    .filter(([, v]) => fails(report, v))
    .map(
      ([line, v]) =>
        `${prefix}readers ${line}: cannot read the secrets of ${t.vaultUrl ?? t.target} (${written(report)}): ${v.reason ?? ''}`,
    );
}

/** Warnings of one target: unknown readers, missing ones under warn (or a dry run that would grant), the notes. */
export function readersWarnings(t: WithReaders): string[] {
  const report = t.readers;
  if (!report) return [];
  const lines: string[] = [];
  for (const [line, v] of Object.entries(report.verdicts)) {
    if (v.status === 'unknown')
      lines.push(`readers ${line}: could not check whether it reads ${t.vaultUrl ?? t.target}: ${v.reason ?? ''}`);
    else if (v.status === 'missing' && !fails(report, v))
      lines.push(
        `readers ${line}: cannot read the secrets of ${t.vaultUrl ?? t.target} (${written(report)}): ${v.reason ?? ''}`,
      );
  }
  for (const note of report.notes) lines.push(`${t.vaultUrl ?? t.target}: ${note}`);
  return lines;
}

export function readersFailed(t: WithReaders): boolean {
  const report = t.readers;
  return report !== undefined && Object.values(report.verdicts).some((v) => fails(report, v));
}

const ICON: Record<string, string> = {
  reads: '✅ reads',
  granted: '✅ granted',
  missing: '❌ missing',
  unknown: '⚠️ unknown',
};

/** The "Who can read" table of a target's summary. */
export function readersMarkdown(t: WithReaders): string[] {
  const report = t.readers;
  if (!report) return [];
  const lines = ['#### Who can read', '', '| Reader | Identity | Status | Via or reason |', '|---|---|---|---|'];
  for (const [line, v] of Object.entries(report.verdicts)) {
    if (v.identities.length === 0) lines.push(`| ${cell(line)} |  | ${ICON[v.status]} | ${cell(v.reason ?? '')} |`);
    for (const i of v.identities) {
      const who = i.clientId ? `${i.principalId} (client ${i.clientId})` : i.principalId;
      lines.push(`| ${cell(line)} | ${cell(who)} | ${ICON[i.status]} | ${cell(i.via ?? i.reason ?? '')} |`);
    }
  }
  lines.push('');
  for (const note of report.notes) lines.push(`Note: ${cell(note)}`, '');
  return lines;
}
