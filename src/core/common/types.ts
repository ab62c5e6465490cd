// Plain data that flows through the core: raw input strings in, a validated PushRequest, a PushResult out.
// The common leaf: it imports nothing of src/. Raw inputs and the parsed intent belong to inputs/ (inputs.ts).

/** Where a run comes from: the GitHub Action, the Azure DevOps task or the CLI. */
export type Platform = 'github' | 'azdo' | 'cli';

export type NameTransform = 'dashes' | 'kebab' | 'none';
export type OnDeleted = 'recover' | 'fail' | 'purge';

/** Where the tool is run from; written into the ownership tags of every secret it writes. */
export interface Owner {
  /** e.g. "github.com/contoso/train" or "dev.azure.com/contoso/ml/pipelines/12". At most 256 characters. */
  id: string;
  /** What is wrong with an owner the person gave (never repeating it): reported with the input problems. */
  problem?: string;
}

/** One secret to push. `origin` says where it came from, for messages: e.g. `secrets line 3 (DB_PASSWORD)`. */
export interface SecretSpec {
  name: string;
  value: string;
  origin: string;
}

export interface PushRequest {
  vaultUrl: string;
  secrets: SecretSpec[];
  contentType?: string;
  /** User tags (the ownership tags are added by the engine). */
  tags: Record<string, string>;
  /** Absolute expiry (expires-on) ... */
  expiresOn?: Date;
  /** ... or relative expiry in milliseconds from the time a version is written (expires-in). */
  expiresInMs?: number;
  notBefore?: Date;
  onDeleted: OnDeleted;
  adoptUnowned: boolean;
  dryRun: boolean;
  /** Requests in flight at once, at most: the engine starts lower and grows to it while the vault keeps up. */
  maxConcurrency: number;
  /** One request without an answer after this long is abandoned and retried. Default 30 s (engine.ts). */
  callTimeoutMs?: number;
  /** The whole push stops after this long; what did not land is named. Default 15 min (engine.ts). */
  runDeadlineMs?: number;
}

/** Where to push: a vault given directly, or the default vault of an Azure ML workspace. */
export type Target =
  | { kind: 'vault'; vaultUrl: string }
  | { kind: 'workspace'; subscriptionId: string; resourceGroup: string; workspaceName: string; naming?: TargetNaming };

/**
 * Where the person gave each part of a workspace target, as they gave it: a messages says "check the key
 * resource_group of ./config.json", not an input they never set. Without it, the target inputs' own names.
 */
export interface TargetNaming {
  workspaceName: string;
  resourceGroup: string;
  subscriptionId: string;
}

/** A target as the user gave it, with a display name for logs, the summary and failures. */
export interface TargetSpec {
  target: Target;
  /** `SUBSCRIPTION/RESOURCE_GROUP/WORKSPACE` for a workspace, the vault URL for a vault. */
  display: string;
  /** The file (or az's defaults) the target was read from, when it came from one: for the CLI's prompt. */
  source?: string;
}

/** What the plan decided for one secret. */
export type Action = 'create' | 'update' | 'unchanged' | 'recover' | 'blocked';

export interface SecretOutcome {
  name: string;
  origin: string;
  action: Action;
  /** Why this action, for the plan and the summary (names and lengths only, never a value). */
  reason: string;
  /** planned: dry run; done: applied (or nothing to do); failed: see error. */
  status: 'planned' | 'done' | 'failed';
  /** The new version id when one was written. */
  version?: string;
  /** An unchanged secret: the version the vault holds (no new one was written), for its injection reference. */
  currentVersion?: string;
  /** A cause a person can act on, when status is failed. */
  error?: string;
  /** The expiry of the version the vault holds after this run (or would, in a dry run), when the engine knows it. */
  expiresOn?: Date;
}

export interface PushResult {
  vaultUrl: string;
  dryRun: boolean;
  outcomes: SecretOutcome[];
  /** Set when the inputs had problems: nothing was requested, every secret read is failed. */
  problems?: string[];
}
