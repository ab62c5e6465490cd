// What the deployments' pins of `endpoint:` readers say in words (readers/deployment-pins.ts finds them): a reference
// to a secret the vault lacks fails the step (that deployment would not start), a stale pin fails or warns as
// stale-references says, a deployment list that could not be read warns. Names, versions and commands only.
import type { ReaderVerdict, ReadersReport } from './types.js';

function staleLines(line: string, v: ReaderVerdict): string[] {
  return (v.deployments?.stale ?? []).map(
    (p) =>
      `readers ${line}: the deployment ${p.deployment} pins ${p.secret} ${p.pinned ? `version ${p.pinned}` : 'without a version'} in ${p.variable}, ` +
      `and the vault holds version ${p.current} now; the deployment keeps the old value until it is updated: ${p.command}`,
  );
}

function absentLines(line: string, v: ReaderVerdict, where: string): string[] {
  return (v.deployments?.absent ?? []).map(
    (a) =>
      `readers ${line}: the deployment ${a.deployment} references the secret ${a.secret} in ${a.variable}, which ${where} does not have: ` +
      'the deployment would not start (SecretsInjectionError); push that secret or correct the reference',
  );
}

/** Pin failures of one reader line: absent secrets always, stale pins under stale-references: fail. */
export function pinFailures(report: ReadersReport, line: string, v: ReaderVerdict, where: string): string[] {
  return [...absentLines(line, v, where), ...(report.stale === 'fail' ? staleLines(line, v) : [])];
}

/** Pin warnings of one reader line: stale pins under warn, deployments that could not be read. */
export function pinWarnings(report: ReadersReport, line: string, v: ReaderVerdict): string[] {
  const lines = report.stale === 'warn' ? staleLines(line, v) : [];
  if (v.deployments?.unknown) lines.push(`readers ${line}: ${v.deployments.unknown}`);
  return lines;
}
