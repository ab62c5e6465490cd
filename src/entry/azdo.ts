// Azure DevOps task entry: the only file that imports azure-pipelines-task-lib. Importing it moves
// INPUT_*, ENDPOINT_AUTH_* and SECRET_* out of the environment into the library's vault.
import * as tl from 'azure-pipelines-task-lib/task.js';
import { runAzdo } from '../adapters/azdo/run.js';
import { stopOnSignals } from '../adapters/stop-on-signals.js';
import { exitWhenFlushed } from '../adapters/exit-when-flushed.js';

await runAzdo(tl, process.env, stopOnSignals());
exitWhenFlushed();
