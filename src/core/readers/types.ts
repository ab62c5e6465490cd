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

/** A deployment's environment variable pinning an older version of a secret of this run. */
export interface StalePin {
  deployment: string;
  variable: string;
  secret: string;
  /** The version the reference names; '' when it names none. */
  pinned: string;
  current: string;
  /** The command that points the variable at the current version (or what to edit, when the variable holds more). */
  command: string;
}

/** The `${{keyvault:…}}` references of an endpoint's deployments to the pushed vault (`endpoint:` readers). */
export interface DeploymentPins {
  /** The deployments read. */
  checked: string[];
  stale: StalePin[];
  /** References to a secret the vault does not have: that deployment would not start. */
  absent: { deployment: string; variable: string; secret: string }[];
  /** Connection references (`${{azureml://connections/…}}`): listed, not checked. */
  connections: { deployment: string; variable: string; reference: string }[];
  /** The deployments could not be read, and why. */
  unknown?: string;
}

export interface ReaderVerdict {
  /** missing with no identities: the reader itself does not exist (a compute or identity Resource Manager lacks). */
  status: ReadStatus;
  identities: IdentityVerdict[];
  reason?: string;
  /** `endpoint:` readers, unless stale-references is ignore. */
  deployments?: DeploymentPins;
}

/** The check of one target's vault. */
export interface ReadersReport {
  /** reader line as given → verdict. */
  verdicts: Record<string, ReaderVerdict>;
  /** Notes about the vault itself (network access): not failures. */
  notes: string[];
  /** A failure, `fail` or `warn`, as the inputs asked: from readers-missing. */
  missing: 'fail' | 'warn';
  /** stale-references: a stale pin fails the step, warns, or was not looked for. */
  stale: 'warn' | 'fail' | 'ignore';
  dryRun: boolean;
}
