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
  return lines;
}
