// What an error says about itself, read defensively from a RestError-shaped object: its name, status, Node code, the
// Key Vault error code chain and message from the body, and response headers. Never the request (it can carry the
// value), never an arbitrary message that could quote a request body.

/** What an error says about itself, read defensively from a RestError-shaped object. */
export interface ErrorFacts {
  name?: string;
  statusCode?: number;
  /** `error.code`: the Key Vault error code (e.g. Forbidden) or a Node network code (e.g. ECONNREFUSED). */
  code?: string;
  /** The Key Vault error code chain from the response body, outermost first (e.g. [Forbidden, ForbiddenByRbac]). */
  serviceCodes: string[];
  /** The Key Vault error message from the response body (not error.message, which can be anything). */
  serviceMessage?: string;
  requestId?: string;
}

export function errorFacts(error: unknown): ErrorFacts {
  const e = asRecord(error);
  const facts: ErrorFacts = { serviceCodes: [] };
  if (!e) return facts;
  if (typeof e.name === 'string') facts.name = e.name;
  if (typeof e.statusCode === 'number') facts.statusCode = e.statusCode;
  if (typeof e.code === 'string') facts.code = e.code;
  const body = serviceErrorBody(e);
  if (body) {
    facts.serviceCodes = codeChain(body);
    if (typeof body.message === 'string') facts.serviceMessage = body.message;
  }
  const requestId = responseHeader(error, 'x-ms-request-id');
  if (requestId) facts.requestId = requestId;
  return facts;
}

/** True when `code` is the error's code or anywhere in its Key Vault code chain (case-insensitive). */
export function hasErrorCode(facts: ErrorFacts, code: string): boolean {
  const wanted = code.toLowerCase();
  return [facts.code, ...facts.serviceCodes].some((c) => c?.toLowerCase() === wanted);
}

/** A response header of a RestError-shaped error: HttpHeaders (with get) or a plain object. */
export function responseHeader(error: unknown, name: string): string | undefined {
  const headers = asRecord(asRecord(asRecord(error)?.response)?.headers);
  if (!headers) return undefined;
  if (typeof headers.get === 'function') {
    const v: unknown = (headers.get as (n: string) => unknown).call(headers, name);
    return typeof v === 'string' ? v : undefined;
  }
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === wanted && typeof v === 'string') return v;
  return undefined;
}

const MAX_QUOTE = 600;

export function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_QUOTE ? `${flat.slice(0, MAX_QUOTE)}…` : flat;
}

type Loose = Record<string, unknown>;

export function asRecord(value: unknown): Loose | undefined {
  return typeof value === 'object' && value !== null ? (value as Loose) : undefined;
}

/**
 * The `{ code, message, innererror }` object of a Key Vault error response. The SDK's generated
 * client puts the deserialized body on `error.details.error` (with `innerError`); other pipelines
 * leave the raw JSON in `response.bodyAsText` or the parsed body in `response.parsedBody`.
 */
function serviceErrorBody(e: Loose): Loose | undefined {
  const fromDetails = asRecord(asRecord(e.details)?.error);
  if (fromDetails) return fromDetails;
  const response = asRecord(e.response);
  const parsed = asRecord(asRecord(response?.parsedBody)?.error);
  if (parsed) return parsed;
  const text = response?.bodyAsText;
  if (typeof text === 'string' && text.trimStart().startsWith('{')) {
    try {
      return asRecord(asRecord(JSON.parse(text) as unknown)?.error);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function codeChain(body: Loose): string[] {
  const codes: string[] = [];
  let node: Loose | undefined = body;
  for (let depth = 0; node && depth < 8; depth++) {
    if (typeof node.code === 'string') codes.push(node.code);
    node = asRecord(node.innerError ?? node.innererror);
  }
  return codes;
}
