// How many calls run at once: a limit the scheduler moves (AIMD), with waiters served in order.

/** A counting semaphore whose limit can move; waiters are served in order (retries first). */
export class ConcurrencyGate {
  private active = 0;
  private readonly waiting: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private closedWith: (() => unknown) | undefined;

  constructor(public limit: number) {}

  acquire(first: boolean): Promise<void> {
    if (this.closedWith) return Promise.reject(this.closedWith());
    if (this.active < this.limit && this.waiting.length === 0) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      if (first) this.waiting.unshift({ resolve, reject });
      else this.waiting.push({ resolve, reject });
    });
  }

  release(): void {
    this.active--;
    this.drain();
  }

  setLimit(limit: number): void {
    this.limit = limit;
    this.drain();
  }

  /** Refuses every waiter and every later acquire with `error()`. */
  close(error: () => unknown): void {
    this.closedWith = error;
    for (const w of this.waiting.splice(0)) w.reject(error());
  }

  private drain(): void {
    while (this.active < this.limit) {
      const next = this.waiting.shift();
      if (!next) return;
      this.active++;
      next.resolve();
    }
  }
}
