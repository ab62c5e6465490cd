// The readers check rendered: the `readers` output and the "Who can read" table of a target's summary (the
// warnings and failure lines are readers/verdict-messages.ts). Names, ids, roles and commands only.
import { cell } from './markdown.js';
import type { ReaderVerdict } from '../readers/types.js';
import type { WithReaders } from '../readers/verdict-messages.js';

/** vault URL → reader line → verdict. */
export function readersOutput(targets: readonly WithReaders[]): string {
  const out: Record<string, Record<string, ReaderVerdict>> = {};
  for (const t of targets) if (t.readers) out[t.vaultUrl ?? t.target] = t.readers.verdicts;
  return JSON.stringify(out);
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
  for (const [line, v] of Object.entries(report.verdicts)) lines.push(...pinsMarkdown(line, v));
  return lines;
}

/** An `endpoint:` reader's deployments: what each of their references to this vault pins, and the connections. */
function pinsMarkdown(line: string, v: ReaderVerdict): string[] {
  const d = v.deployments;
  if (!d) return [];
  const lines = [`#### Deployments of ${cell(line)}`, ''];
  if (d.unknown) lines.push(`⚠️ ${cell(d.unknown)}`, '');
  if (d.checked.length === 0 && !d.unknown) return [...lines, 'No deployments.', ''];
  const rows = [
    ...d.stale.map(
      (p) =>
        `| ${cell(p.deployment)} | ${cell(p.variable)} | ${cell(p.secret)} | ⚠️ pins ${cell(p.pinned || 'no version')}, current ${cell(p.current)}: \`${cell(p.command)}\` |`,
    ),
    ...d.absent.map(
      (a) =>
        `| ${cell(a.deployment)} | ${cell(a.variable)} | ${cell(a.secret)} | ❌ not in the vault: the deployment would not start |`,
    ),
    ...d.connections.map(
      (c) => `| ${cell(c.deployment)} | ${cell(c.variable)} | \`${cell(c.reference)}\` | a connection: not checked |`,
    ),
  ];
  if (rows.length === 0)
    return [
      ...lines,
      `${d.checked.map(cell).join(', ')}: every reference to this vault names the current version.`,
      '',
    ];
  return [...lines, '| Deployment | Variable | Secret | Status |', '|---|---|---|---|', ...rows, ''];
}
