#!/usr/bin/env node
// CLI entry: `node dist/cli/index.mjs --help`.
import { defaultCliIo, runCli } from '../adapters/cli/run.js';
import { stopOnSignals } from '../adapters/stop-on-signals.js';
import { exitWhenFlushed } from '../adapters/exit-when-flushed.js';

await runCli(process.argv.slice(2), process.env, { ...defaultCliIo(), signal: stopOnSignals() });
exitWhenFlushed();
