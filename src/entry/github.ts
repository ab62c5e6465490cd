// GitHub Action entry: the only file that imports @actions/core.
import * as core from '@actions/core';
import { runGitHub } from '../adapters/github/run.js';
import { stopOnSignals } from '../adapters/stop-on-signals.js';

await runGitHub(core, process.env, stopOnSignals());
