// What the readers check's verdicts say in words: which fail the step (readers-missing: fail), which only warn,
// and the lines a person reads for each. Names, ids, roles and commands only.
import type { ReaderVerdict, ReadersReport } from './types.js';
import { pinFailures, pinWarnings } from './pin-messages.js';

/** A target's readers check, with where it was done. */
export interface WithReaders {
  target: string;
  vaultUrl?: string;
  readers?: ReadersReport;
}

/** A missing reader fails the step unless readers-missing is warn, or a dry run would grant it. */
function fails(report: ReadersReport, v: ReaderVerdict): boolean {
  if (v.status !== 'missing' || report.missing === 'warn') return false;
  // A dry run that would grant every missing identity does not fail; one that does not exist fails dry or not.
  return !(
    report.dryRun &&
    !absent(v) &&
    v.identities.every((i) => i.status !== 'missing' || /dry run: would grant/.test(i.reason ?? ''))
  );
}

const written = (report: ReadersReport) =>
  report.dryRun ? 'dry run: nothing was written' : 'the secrets were written';

/** The reader does not exist: missing, with no identity to check. */
const absent = (v: ReaderVerdict) => v.status === 'missing' && v.identities.length === 0;

/** One missing reader in words: one that does not exist says so first, then where the secrets went. */
function missingLine(t: WithReaders, report: ReadersReport, line: string, v: ReaderVerdict): string {
  const where = t.vaultUrl ?? t.target;
  if (absent(v)) return `readers ${line}: ${v.reason ?? 'does not exist'} (${written(report)} to ${where})`;
  return `readers ${line}: cannot read the secrets of ${where} (${written(report)}): ${v.reason ?? ''}`;
}

/** Failure lines of one target (readers-missing: fail; the deployments' pins: pin-messages.ts). */
export function readersFailureLines(t: WithReaders, prefix: string): string[] {
  const report = t.readers;
  if (!report) return [];
  return Object.entries(report.verdicts).flatMap(([line, v]) =>
    [
      ...(fails(report, v) ? [missingLine(t, report, line, v)] : []),
      ...pinFailures(report, line, v, t.vaultUrl ?? t.target),
    ].map((text) => `${prefix}${text}`),
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
    else if (v.status === 'missing' && !fails(report, v)) lines.push(missingLine(t, report, line, v));
    lines.push(...pinWarnings(report, line, v));
  }
  for (const note of report.notes) lines.push(`${t.vaultUrl ?? t.target}: ${note}`);
  return lines;
}

export function readersFailed(t: WithReaders): boolean {
  const report = t.readers;
  return (
    report !== undefined &&
    Object.entries(report.verdicts).some(([line, v]) => fails(report, v) || pinFailures(report, line, v, '').length > 0)
  );
}
