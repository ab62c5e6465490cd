// The readers check's plain data: the verdicts (the reader lines as parsed are inputs/readers-request.ts). No logic, no imports of the flow.

export type ReadStatus = 'reads' | 'missing' | 'granted' | 'unknown';

/** One identity of a reader line and whether it can get every pushed secret. */
export interface IdentityVerdict {
  principalId: string;
  clientId?: string;
  status: ReadStatus;
  /** What lets it read: the role and its scope, or "access policy". */
  via?: string;
  /** Why it cannot (or could not be checked), with the fix for a person to run when it is missing. */
  reason?: string;
}

export interface ReaderVerdict {
  /** missing with no identities: the reader itself does not exist (a compute or identity Resource Manager lacks). */
  status: ReadStatus;
  identities: IdentityVerdict[];
  reason?: string;
}

/** The check of one target's vault. */
export interface ReadersReport {
  /** reader line as given → verdict. */
  verdicts: Record<string, ReaderVerdict>;
  /** Notes about the vault itself (network access): not failures. */
  notes: string[];
  /** A failure, `fail` or `warn`, as the inputs asked: from readers-missing. */
  missing: 'fail' | 'warn';
  dryRun: boolean;
}
