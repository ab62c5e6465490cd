// Checks shared by the scenarios: the leak scan of a whole run, and what the vault holds after it.
import type { SecretClient } from '@azure/keyvault-secrets';
import type { Pieces, Finding } from './scan.js';
import { findPieces, injectedCommands, isMaskLine, piecesOf } from './scan.js';
import type { Run, Target } from './runs.js';
import { INPUT_NAMES } from './values.js';

/** Words the tool prints on its own; a value line equal to one of them cannot be scanned for. */
const TOOL_WORDS = ['created', 'updated', 'unchanged', 'recovered', 'failed', 'versions', 'debug', 'error', 'true'];

export function piecesFor(secrets: Record<string, { variable: string; value: string }>): Map<string, Pieces> {
  const vocabulary = [
    ...Object.keys(secrets),
    ...Object.values(secrets).map((s) => s.variable),
    ...INPUT_NAMES,
    ...TOOL_WORDS,
  ];
  return new Map(Object.entries(secrets).map(([name, s]) => [name, piecesOf(s.value, vocabulary)]));
}

export interface LeakReport {
  findings: Finding[];
  /** Pieces too short or too common to scan for (counted, see scan.ts). */
  skipped: number;
}

/**
 * A value may appear only in the mask registrations, and all of them come before anything else the
 * tool prints (the task library's own start-up debug lines excepted: they come from the agent's
 * library, before our code runs, and are scanned like every other line). Every non-empty line of
 * every value must be registered. The CLI has no masker: a value may appear nowhere.
 */
export function scanRun(target: Target, run: Run, pieces: Map<string, Pieces>): LeakReport {
  const findings: Finding[] = [];
  const platform = target.platform;
  const lines = run.stdout.split(/\r?\n/);
  if (platform === 'cli') {
    findings.push(...findPieces('stdout', run.stdout, pieces));
  } else {
    lines.forEach((l, i) => {
      if (!isMaskLine(platform, l)) findings.push(...findPieces(`stdout line ${i + 1}`, l, pieces));
    });
    findings.push(...injectedCommands(platform, run.stdout, target.outputNames));
    const lastMask = lines.map((l) => isMaskLine(platform, l)).lastIndexOf(true);
    lines.slice(0, Math.max(lastMask, 0)).forEach((l, i) => {
      if (isMaskLine(platform, l) || l === '') return;
      if (platform === 'azdo' && l.startsWith('##vso[task.debug]')) return;
      findings.push({ where: `stdout line ${i + 1}`, what: 'output before the last mask registration' });
    });
    const masks = new Set(run.masks);
    for (const [name, p] of pieces)
      p.lines.forEach((line, i) => {
        if (!masks.has(line)) findings.push({ where: 'masks', what: `${name}: line ${i + 1} not registered` });
      });
  }
  findings.push(...findPieces('stderr', run.stderr, pieces));
  for (const [file, text] of run.files) findings.push(...findPieces(`file ${file}`, text, pieces));
  let skipped = 0;
  for (const p of pieces.values()) skipped += p.skipped;
  return { findings, skipped };
}

export type VaultState = Map<string, string | undefined>;

/** The latest value of each name (undefined: absent or soft-deleted). Never printed. */
export async function readVault(client: SecretClient, names: string[]): Promise<VaultState> {
  const state: VaultState = new Map();
  await Promise.all(
    names.map(async (name) => {
      try {
        state.set(name, (await client.getSecret(name)).value);
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode !== 404) throw err;
        state.set(name, undefined);
      }
    }),
  );
  return state;
}

export interface LandingReport {
  /** Did not land, and the step did not name it (or claimed success). */
  lost: string[];
  /** The vault holds neither the pushed value nor the one before: partial, mixed or foreign. */
  wrong: string[];
  /** Reported failed although it landed (conservative; a rerun settles it). */
  failedButLanded: string[];
  notLanded: string[];
}

/**
 * After a run: every secret landed, or the step failed and named each one that did not. `before`
 * is what the vault held before the run (undefined: nothing).
 */
export function landing(
  run: Run,
  pushed: Record<string, string>,
  before: Record<string, string | undefined>,
  after: VaultState,
): LandingReport {
  const failed = new Set(parseList(run.outputs.failed));
  const r: LandingReport = { lost: [], wrong: [], failedButLanded: [], notLanded: [] };
  for (const [name, value] of Object.entries(pushed)) {
    const now = after.get(name);
    if (now === value) {
      if (failed.has(name)) r.failedButLanded.push(name);
      continue;
    }
    r.notLanded.push(name);
    if (now !== before[name]) r.wrong.push(name);
    const named = failed.has(name) || run.failure.includes(name);
    if (run.ok || !named) r.lost.push(name);
  }
  return r;
}

export function parseList(text: string | undefined): string[] {
  if (!text) return [];
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}
