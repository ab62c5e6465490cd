// What a scenario measured, saved as JSON for run.mjs to turn into docs/RELIABILITY.md. A scenario
// is one *.rel.ts file under reliability/scenarios: it calls scenario() once, counts into the
// figures as it goes (before it asserts, so a failing run still reports what it saw) and save()s
// them in afterAll. Adding a scenario is adding a file; run.mjs lists whatever was saved.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export type Mode = 'small' | 'full';

/** The configuration run.mjs chose (--small or --full, --seed). */
export const MODE: Mode = process.env.RELIABILITY_MODE === 'full' ? 'full' : 'small';
export const SEED = Number(process.env.RELIABILITY_SEED ?? 20261201);
export const OUT_DIR = resolve(process.env.RELIABILITY_OUT ?? join(__dirname, '..', '..', 'build', 'reliability'));

/** Pick by mode. */
export const bySize = <T>(small: T, full: T): T => (MODE === 'full' ? full : small);

export interface Figures {
  /** Process runs of a bundle (or other unit the scenario names in `unit`). */
  cases: number;
  unit: string;
  /** Generated secret values pushed through the scenario. */
  values: number;
  /** A value, a line of it or an encoding of it seen outside the mask registrations; or an injected command. */
  leaks: number;
  /** A secret the step reported written (or did not name as failed) that is missing from the vault. */
  lost: number;
  /** A secret whose latest value in the vault is not the one pushed (partial, mixed, or another run's where it claimed its own). */
  wrong: number;
  /** Bad inputs the step rejected with zero requests to any service, and those it accepted or that caused a request. */
  badInputsRejected: number;
  badInputsAccepted: number;
  /** Runs that met injected faults and ended right (all landed, or failed naming exactly what did not land). */
  faultsSurvived: number;
  /** Injected faults the emulator answered with (from its request log). */
  faultsInjected: number;
  /** Longest time from the signal (or the vault going silent) to the step's exit, ms; null when not measured. */
  stopMs: number | null;
  /** Free-form findings, one line each (names and counts only, never a value). */
  notes: string[];
}

export interface Scenario {
  id: string;
  title: string;
  meaning: string;
  fig: Figures;
  note(line: string): void;
  save(): void;
}

const started = Date.now();

/** `order` places the scenario in the report (lower first). */
export function scenario(id: string, title: string, meaning: string, unit = 'process runs', order = 50): Scenario {
  const fig: Figures = {
    cases: 0,
    unit,
    values: 0,
    leaks: 0,
    lost: 0,
    wrong: 0,
    badInputsRejected: 0,
    badInputsAccepted: 0,
    faultsSurvived: 0,
    faultsInjected: 0,
    stopMs: null,
    notes: [],
  };
  return {
    id,
    title,
    meaning,
    fig,
    note: (line) => void fig.notes.push(line),
    save() {
      mkdirSync(OUT_DIR, { recursive: true });
      writeFileSync(
        join(OUT_DIR, `${id}.json`),
        JSON.stringify(
          { id, title, meaning, order, mode: MODE, seed: SEED, durationMs: Date.now() - started, ...fig },
          null,
          2,
        ),
      );
    },
  };
}
