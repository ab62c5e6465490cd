// The task library echoes every input, variable and endpoint parameter it reads as a debug line
// (`##vso[task.debug]name=value`). For values that are secrets, send that echo nowhere.
import { Writable } from 'node:stream';
import type * as TaskLibModule from 'azure-pipelines-task-lib/task.js';

const sink = new Writable({ write: (_chunk, _encoding, done) => done() });

/** Runs fn with the task library's command output sent nowhere. */
export function quietly<T>(tl: Pick<typeof TaskLibModule, 'setStdStream'>, fn: () => T): T {
  tl.setStdStream(sink);
  try {
    return fn();
  } finally {
    tl.setStdStream(process.stdout);
  }
}
