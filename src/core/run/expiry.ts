// Expiry warnings: the secrets this run pushed (or found unchanged) that expire within warn-expiry-days. Taken from
// what the push already read or wrote (SecretOutcome.expiresOn), so no extra request lists the vault.
import type { SecretOutcome } from '../common/types.js';

const DAY_MS = 86_400_000;

export interface ExpiryWarning {
  vaultUrl: string;
  name: string;
  expiresOn: Date;
  /** Days from now (fractional; negative when already expired). */
  days: number;
}

/** Warnings for the targets' outcomes; none when `withinDays` is 0. */
export function expiringSoon(
  targets: readonly { vaultUrl?: string; outcomes: readonly SecretOutcome[] }[],
  withinDays: number,
  now: Date,
): ExpiryWarning[] {
  if (withinDays <= 0) return [];
  const warnings: ExpiryWarning[] = [];
  for (const t of targets) {
    if (t.vaultUrl === undefined) continue;
    for (const o of t.outcomes) {
      if (o.expiresOn === undefined || o.status === 'failed') continue;
      const days = (o.expiresOn.getTime() - now.getTime()) / DAY_MS;
      if (days <= withinDays) warnings.push({ vaultUrl: t.vaultUrl, name: o.name, expiresOn: o.expiresOn, days });
    }
  }
  return warnings;
}
