// GitHub Action entry: the only file that imports @actions/core.
import * as core from '@actions/core';
import { runGitHub } from '../adapters/github/run.js';
import { stopOnSignals } from '../adapters/stop-on-signals.js';
import { exitWhenFlushed } from '../adapters/exit-when-flushed.js';

await runGitHub(core, process.env, stopOnSignals());
exitWhenFlushed();
