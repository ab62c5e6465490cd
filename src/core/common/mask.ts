// What to register with the platform's secret masker for each value. The GitHub runner masks the whole value and
// each of its lines, but Azure DevOps' tl.setSecret refuses a multi-line value and its agent masks the log line by
// line, so the core splits values for both platforms alike.

import type { Masker } from './ports.js';

/**
 * The whole value first, then each line (split on CR, LF or CRLF); each trimmed, blank ones dropped (a runner refuses
 * to mask an empty string, and "" or spaces would hide nothing), duplicates dropped.
 */
export function maskFragments(value: string): string[] {
  const fragments = [value, ...value.split(/\r\n|\r|\n/)].map((f) => f.trim()).filter((f) => f !== '');
  return [...new Set(fragments)];
}

/**
 * Registers every fragment of every value, each fragment once. An adapter whose platform cannot take a multi-line
 * fragment skips those in its Masker: each of their lines comes as a fragment of its own.
 */
export function maskAll(values: readonly string[], masker: Masker): void {
  const registered = new Set<string>();
  for (const value of values) {
    for (const fragment of maskFragments(value)) {
      if (registered.has(fragment)) continue;
      registered.add(fragment);
      masker.mask(fragment);
    }
  }
}
