// Time for the scheduler and its rate windows: the system's, or a fake one in tests.

export interface Clock {
  now(): number;
  /** Resolves after `ms`; when `signal` aborts first, resolves early and lets the timer go (so a
   * stopped run leaves nothing that keeps the process alive). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    }),
};
