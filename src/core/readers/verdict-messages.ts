// What the readers check's verdicts say in words: which fail the step (readers-missing: fail), which only warn,
// and the lines a person reads for each. Names, ids, roles and commands only.
import type { ReaderVerdict, ReadersReport } from './types.js';

/** A target's readers check, with where it was done. */
export interface WithReaders {
  target: string;
  vaultUrl?: string;
  readers?: ReadersReport;
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
