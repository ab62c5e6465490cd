// Child processes of the benchmark: every one is tracked, timed from spawn to exit, bounded by a
// timeout, and stopped when the benchmark exits (normally, on error, or on SIGINT/SIGTERM).
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

const live = new Set();

/** Sends `signal` to every child still running. Synchronous, so it is safe in an 'exit' handler. */
export function killAll(signal = 'SIGTERM') {
  for (const child of live) {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** Registers a child started elsewhere (the emulator) so that killAll reaches it. */
export function track(child) {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** The last `max` characters of a growing string. */
const tail = (s, max) => (s.length > max ? s.slice(-max) : s);

/**
 * Runs `command args` to completion. Resolves with the exit code, stdout, the tail of stderr and the
 * wall time in ms (spawn to 'close', so process start-up and shutdown are included, as a user sees it).
 * `onStderr(chunk, atMs)`, when given, sees all of stderr as it arrives, timed from the spawn.
 */
export function runTimed(command, args, { env, cwd, timeoutMs, onStderr }) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = track(spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] }));
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => {
      onStderr?.(d, performance.now() - started);
      stderr = tail(stderr + d, 16_000);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 3_000).unref();
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Math.round((performance.now() - started) * 10) / 10, timedOut });
    });
  });
}
