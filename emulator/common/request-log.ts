// The request log behind GET/DELETE {adminUrl}/requests: every request to a vault, to the Entra-like
// token endpoint (and the instance discovery the discovery proxy answers), to ARM and to the CI OIDC
// endpoints. Bounded so a long benchmark cannot grow it without limit (the oldest entries go first).

export type Service = 'vault' | 'entra' | 'arm' | 'oidc';
export const SERVICES: readonly Service[] = ['vault', 'entra', 'arm', 'oidc'];

export interface RequestRecord {
  service: Service;
  method: string;
  /** The path as received, without the query string. */
  path: string;
  /** HTTP status sent; 0 when the connection was dropped (fault "reset", client abort). */
  status: number;
  /** The vault's name (service "vault" only). */
  vault?: string;
  /** The client's User-Agent header, when it sent one. */
  userAgent?: string;
  /** The host the client asked for, when it is not the emulator's own (the discovery proxy: login.microsoftonline.com). */
  host?: string;
}

/** `userAgent` for a record: the header as sent, or nothing. */
export function userAgentOf(headers: { 'user-agent'?: string | undefined }): { userAgent?: string } {
  const ua = headers['user-agent'];
  return typeof ua === 'string' ? { userAgent: ua } : {};
}

export class RequestLog {
  private items: RequestRecord[] = [];

  constructor(private readonly capacity = 100_000) {}

  add(record: RequestRecord): void {
    this.items.push(record);
    if (this.items.length > this.capacity) this.items.splice(0, this.items.length - this.capacity);
  }

  list(service?: Service): RequestRecord[] {
    return service === undefined ? [...this.items] : this.items.filter((r) => r.service === service);
  }

  clear(): void {
    this.items = [];
  }
}
