// The data-plane request log behind GET/DELETE {adminUrl}/requests. Bounded so a long benchmark
// cannot grow it without limit (the oldest entries go first).

export interface RequestRecord {
  method: string;
  /** The path as received, without the query string. */
  path: string;
  /** HTTP status sent; 0 when the connection was dropped (fault "reset", client abort). */
  status: number;
  vault: string;
}

export class RequestLog {
  private items: RequestRecord[] = [];

  constructor(private readonly capacity = 100_000) {}

  add(record: RequestRecord): void {
    this.items.push(record);
    if (this.items.length > this.capacity) this.items.splice(0, this.items.length - this.capacity);
  }

  list(): RequestRecord[] {
    return [...this.items];
  }

  clear(): void {
    this.items = [];
  }
}
