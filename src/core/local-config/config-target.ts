// The target named by a workspace config: the `workspace-config` input (a file, or a directory to search from), or,
// where the platform asks for it (the CLI) and no target input is given, the file MLClient.from_config() would find
// from the working directory, then az's defaults. Problems name the input or the file, and the key.
import { displayName } from '../azure/names.js';
import {
  findWorkspaceConfig,
  loadWorkspaceConfig,
  readWorkspaceConfig,
  type ConfigRead,
  type WorkspaceRef,
} from './workspace-config.js';
import { readAzDefaults } from './az-defaults.js';
import type { TargetNaming } from '../common/types.js';

/** The inputs this module reads (a subset of InputKey, spelled out: importing inputs.ts would lead back here). */
type ConfigKey = 'workspace-config' | (typeof OTHER_TARGET_KEYS)[number];

/** The target inputs workspace-config excludes. */
const OTHER_TARGET_KEYS = [
  'targets',
  'vault-url',
  'vault-name',
  'workspace-name',
  'resource-group',
  'subscription-id',
] as const;

/** The platform's side of the search (ParseContext carries it): where to start, and whether to search at all. */
export interface WorkspaceDiscovery {
  /** az's configuration directory (AZURE_CONFIG_DIR, else ~/.azure). */
  azureConfigDir: string;
  /** The environment, for AZURE_DEFAULTS_GROUP / AZURE_DEFAULTS_WORKSPACE. */
  env: Record<string, string | undefined>;
}

/** What this module needs of the input reader (input-reader.ts's Reader), without importing it. */
export interface ConfigReader {
  readonly problems: string[];
  readonly notes: string[];
  readonly ctx: { workingDirectory?: string; discoverWorkspace?: WorkspaceDiscovery };
  text(key: ConfigKey): string | undefined;
  label(key: ConfigKey): string;
  problem(key: ConfigKey, message: string): void;
}

/** `source`: where the config was read (a file, or az's defaults in a file); `naming`: its keys, for messages. */
export type WorkspaceTarget = { kind: 'workspace'; source: string; naming?: TargetNaming } & WorkspaceRef;

/** No workspace config applies: the other target inputs decide (and report when none is given). */
export const NOT_CONFIGURED = Symbol('not configured');

/** The workspace of a config, undefined after a problem, or NOT_CONFIGURED. */
export function readConfigTarget(r: ConfigReader): WorkspaceTarget | undefined | typeof NOT_CONFIGURED {
  const path = r.text('workspace-config');
  const others = OTHER_TARGET_KEYS.filter((k) => r.text(k) !== undefined);
  const base = r.ctx.workingDirectory ?? process.cwd();
  if (path !== undefined) {
    if (others.length > 0) {
      r.problem(
        'workspace-config',
        `set either ${r.label('workspace-config')} or ${others.map((k) => r.label(k)).join(' and ')}, not both`,
      );
      return undefined;
    }
    return fromRead(r, loadWorkspaceConfig(path, base), (p) => r.problem('workspace-config', p));
  }
  const discover = r.ctx.discoverWorkspace;
  if (others.length > 0 || discover === undefined) return NOT_CONFIGURED;
  const found = findWorkspaceConfig(base);
  if (found !== undefined) {
    return fromRead(r, readWorkspaceConfig(found), (p) =>
      r.problems.push(`the workspace config found from ${base}: ${p}`),
    );
  }
  const az = readAzDefaults(discover.azureConfigDir, discover.env);
  if (az === undefined) return NOT_CONFIGURED;
  return fromRead(r, az, (p) => r.problems.push(`az's defaults (az configure --defaults): ${p}`), "az's defaults in ");
}

function fromRead(
  r: ConfigReader,
  read: ConfigRead,
  report: (problem: string) => void,
  from = '',
): WorkspaceTarget | undefined {
  if ('problem' in read) {
    report(read.problem);
    return undefined;
  }
  const { workspace } = read;
  r.notes.push(
    `Using the workspace ${displayName(workspace.workspaceName)} (resource group ${workspace.resourceGroup}, subscription ${workspace.subscriptionId}) from ${from}${read.file}`,
  );
  return {
    kind: 'workspace',
    ...workspace,
    source: `${from}${read.file}`,
    ...(read.naming && { naming: read.naming }),
  };
}
