// A cancelled job is told by a signal: the GitHub runner sends SIGINT, then SIGTERM 7.5 s later;
// the Azure DevOps agent sends SIGINT, then SIGTERM. The first one aborts the returned signal, so
// the engine starts no more requests and reports what was written and what was not; a second one
// ends the process at once, for a run that cannot stop by itself.
import { setMaxListeners } from 'node:events';

export function stopOnSignals(proc: NodeJS.Process = process): AbortSignal {
  const controller = new AbortController();
  // Each target's push listens to it: more than ten targets must not print Node's leak warning.
  setMaxListeners(0, controller.signal);
  for (const name of ['SIGTERM', 'SIGINT'] as const) {
    proc.on(name, () => {
      if (controller.signal.aborted) proc.exit(proc.exitCode ?? 1);
      controller.abort(new Error(`the job was cancelled (${name})`));
    });
  }
  return controller.signal;
}
