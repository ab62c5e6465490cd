// The part every adapter shares: run the core flow, publish what happened, and decide the step's
// result in exactly one place. Platform specifics arrive as a PlatformIo built by the adapter.
import type { PushDeps } from '../core/run/push.js';
import { runPush, type RunResult } from '../core/run/push.js';
import type { RawInputs } from '../core/inputs/inputs.js';
import { fleetFromInputProblems, runFailureReport } from '../core/report/fleet-summary.js';
import { InputError } from '../core/inputs/input-error.js';
import { routeAzureLogs } from '../core/run/azure-logging.js';

export interface PlatformIo extends PushDeps {
  raw: RawInputs;
  /** Debug mode of the platform (ACTIONS_STEP_DEBUG / System.Debug). */
  debug: boolean;
  /** Outputs and summary. Called for every result, failed secrets and targets included. */
  publish(result: RunResult): Promise<void>;
  fail(message: string): void;
  succeed(): void;
}

export async function runAdapter(io: PlatformIo): Promise<void> {
  try {
    routeAzureLogs(io.logger, io.debug);
    const result = await runPush(io.raw, io);
    await io.publish(result);
    const report = runFailureReport(result);
    if (report) io.fail(report);
    else io.succeed();
  } catch (error) {
    // Bad inputs: the outputs and the summary still say what happened (every secret read failed,
    // and why), so later steps and people reading the run see the same thing as the error.
    if (error instanceof InputError) {
      try {
        await io.publish(fleetFromInputProblems(error.problems, error.names));
      } catch (publishError) {
        io.fail(`${error.message}\n(the outputs could not be written: ${messageOf(publishError)})`);
        return;
      }
    }
    io.fail(messageOf(error));
  }
}

/** Errors reaching this point are input errors or our own; none is built from a value. */
function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
