// Small Markdown helpers for summaries: table cells and a vault's host.

/** Markdown table cells: HTML-escaped (summaries render HTML), '|' escaped, line breaks as <br>. */
export function cell(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('|', '\\|')
    .replace(/\r\n|\r|\n/g, '<br>');
}

export function vaultHost(vaultUrl: string): string {
  try {
    return new URL(vaultUrl).host;
  } catch {
    return vaultUrl;
  }
}
