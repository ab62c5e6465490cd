// A listing rendered: the summary table per target (name, enabled, updated, expires, content type, owner; never a
// value), the outputs (the vault URLs) and the failure report (targets that could not be listed).
import type { ListResult } from '../run/list-secrets.js';
import { describeOwner } from '../run/list-secrets.js';
import type { OutputName } from '../inputs/inputs.js';
import { cell, vaultHost } from './markdown.js';

const day = (d: Date | undefined) => (d === undefined ? '' : d.toISOString().slice(0, 10));

export function listOutputs(result: ListResult): Partial<Record<OutputName, string>> {
  const urls = [...new Set(result.targets.flatMap((t) => (t.vaultUrl === undefined ? [] : [t.vaultUrl])))];
  return { 'vault-url': urls.join('\n') };
}

export function listSummaryMarkdown(result: ListResult): string {
  const lines: string[] = [];
  for (const t of result.targets) {
    lines.push(`### aml-vault-push list: ${cell(t.vaultUrl ? vaultHost(t.vaultUrl) : t.target)}`, '');
    if (t.vaultUrl && t.target !== t.vaultUrl) lines.push(`Target ${cell(t.target)}`, '');
    if (t.sameVaultAs !== undefined) {
      lines.push(`The same vault as ${cell(t.sameVaultAs)}.`, '');
      continue;
    }
    if (t.error !== undefined) {
      lines.push(`**Failed:** ${cell(t.error)}`, '');
      continue;
    }
    lines.push(`${t.secrets.length} secret(s)`, '');
    if (t.secrets.length === 0) continue;
    lines.push('| Secret | Enabled | Updated | Expires | Content type | Owner |', '|---|---|---|---|---|---|');
    for (const s of t.secrets) {
      lines.push(
        `| ${cell(s.name)} | ${s.enabled ? 'yes' : 'no'} | ${day(s.updatedOn)} | ${day(s.expiresOn)} | ` +
          `${cell(s.contentType ?? '')} | ${cell(describeOwner(s.owner))} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** Plain text for a terminal: one line per secret, aligned. */
export function listText(result: ListResult): string {
  const out: string[] = [];
  for (const t of result.targets) {
    out.push(`${t.vaultUrl ?? t.target}${t.vaultUrl && t.target !== t.vaultUrl ? ` (${t.target})` : ''}`);
    if (t.sameVaultAs !== undefined) out.push(`  the same vault as ${t.sameVaultAs}`);
    else if (t.error !== undefined) out.push(`  failed: ${t.error}`);
    else if (t.secrets.length === 0) out.push('  no secrets');
    const rows = t.secrets.map((s) => [
      s.name,
      s.enabled ? 'enabled' : 'disabled',
      day(s.updatedOn) || '-',
      day(s.expiresOn) || '-',
      s.contentType || '-',
      describeOwner(s.owner),
    ]);
    const header = ['NAME', 'ENABLED', 'UPDATED', 'EXPIRES', 'CONTENT-TYPE', 'OWNER'];
    if (rows.length > 0) {
      const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
      for (const r of [header, ...rows]) out.push(`  ${r.map((c, i) => c.padEnd(widths[i]!)).join('  ')}`.trimEnd());
    }
  }
  return `${out.join('\n')}\n`;
}

/** JSON for machines: per target, the properties of every secret and its owner (never a value). */
export function listJson(result: ListResult): unknown {
  return result.targets.map((t) => ({
    target: t.target,
    ...(t.vaultUrl !== undefined && { vaultUrl: t.vaultUrl }),
    ...(t.error !== undefined && { error: t.error }),
    ...(t.sameVaultAs !== undefined && { sameVaultAs: t.sameVaultAs }),
    secrets: t.secrets.map((s) => ({
      name: s.name,
      enabled: s.enabled,
      ...(s.updatedOn && { updated: s.updatedOn.toISOString() }),
      ...(s.expiresOn && { expires: s.expiresOn.toISOString() }),
      ...(s.contentType !== undefined && { contentType: s.contentType }),
      owner: describeOwner(s.owner),
    })),
  }));
}

export function listFailureReport(result: ListResult): string | undefined {
  const failed = result.targets.filter((t) => t.error !== undefined);
  return failed.length === 0 ? undefined : failed.map((t) => `${t.target}: ${t.error}`).join('\n');
}
