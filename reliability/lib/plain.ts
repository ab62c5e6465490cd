// Plain values for scenarios that are about landing, not leaking: distinct, reproducible from the
// seed, one of them multi-line so a partial write would show.
import { randomBytes } from 'node:crypto';
import { mulberry32 } from '../../emulator/keyvault/faults.js';

export function plainValues(seed: number, n: number, tag: string): string[] {
  const next = mulberry32(seed);
  const word = () => Math.floor(next() * 2 ** 32).toString(36);
  return Array.from({ length: n }, (_, i) =>
    i % 5 === 0 ? `${tag}-${word()}\n${word()}\r\n${word()}` : `${tag}-${word()}-${word()}-${i}`,
  );
}

/** A short random suffix for names, so scenarios never meet each other's secrets. */
export const suffix = () => randomBytes(3).toString('hex');
