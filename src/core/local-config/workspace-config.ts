// An Azure ML workspace named by a config file, found the way azure-ai-ml's MLClient.from_config() finds it: for
// each candidate name in order, the start directory and up through 20 parents; the first file found wins. The file
// holds subscription_id, resource_group and workspace_name (what the portal's "Download config.json" and
// azureml-core's write_config() produce), or a `Scope` resource id. Reads files; no platform import.
import type { TargetNaming } from '../common/types.js';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describeJsonError } from '../common/json-problem.js';
import { isGuid, isResourceGroup, isWorkspaceName, invalidPartMessage } from '../azure/azure-ids.js';

/** In from_config()'s order: `.azureml`, `aml_config`, then the directory itself; config.json before project.json. */
export const CONFIG_CANDIDATES = [
  '.azureml/config.json',
  '.azureml/project.json',
  'aml_config/config.json',
  'aml_config/project.json',
  'config.json',
  'project.json',
] as const;

/** from_config() looks in the start directory and this many parents. */
export const PARENT_LEVELS = 20;

export interface WorkspaceRef {
  subscriptionId: string;
  resourceGroup: string;
  workspaceName: string;
}

/** A workspace read from a file, or what is wrong with the file (naming the key, never more than names). */
export type ConfigRead =
  { workspace: WorkspaceRef; file: string; naming?: TargetNaming } | { problem: string; file: string };

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The first config file from `start` up, as from_config() searches; undefined when there is none. */
export function findWorkspaceConfig(start: string): string | undefined {
  for (const candidate of CONFIG_CANDIDATES) {
    let dir = resolve(start);
    for (let level = 0; level <= PARENT_LEVELS; level++) {
      const path = join(dir, candidate);
      if (isFile(path)) return path;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return undefined;
}

/**
 * `path` (relative to `base`) as a file, or a directory to search from. `problem` when it does not exist, names no
 * config (a directory with none above it), or the file is not a workspace config.
 */
export function loadWorkspaceConfig(path: string, base: string): ConfigRead {
  const full = resolve(base, path);
  if (isDirectory(full)) {
    const found = findWorkspaceConfig(full);
    if (found === undefined) {
      return {
        file: full,
        problem: `${full} is a directory, and neither it nor its ${PARENT_LEVELS} parents hold ${CONFIG_CANDIDATES.join(', ')}`,
      };
    }
    return readWorkspaceConfig(found);
  }
  if (!isFile(full)) return { file: full, problem: `${full} does not exist` };
  return readWorkspaceConfig(full);
}

const SCOPE =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.MachineLearningServices\/workspaces\/([^/]+)\/?$/i;

/** The workspace a config file names. */
export function readWorkspaceConfig(file: string): ConfigRead {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { file, problem: `${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  const body = text.replace(/^\uFEFF/, '');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { file, problem: `${file} is not valid JSON: ${describeJsonError(body)}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { file, problem: `${file} must hold a JSON object (subscription_id, resource_group, workspace_name)` };
  }
  const config = parsed as Record<string, unknown>;
  const problems: string[] = [];
  const str = (key: string): string | undefined => {
    const v = config[key];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') problems.push(`key "${key}" must be a string`);
    return typeof v === 'string' ? v.trim() : undefined;
  };

  let ref: Partial<WorkspaceRef>;
  const scope = str('Scope');
  if (scope !== undefined) {
    const m = SCOPE.exec(scope);
    if (!m) {
      return {
        file,
        problem: `${file}: key "Scope" is not a workspace resource id (/subscriptions/SUB/resourceGroups/RG/providers/Microsoft.MachineLearningServices/workspaces/WS)`,
      };
    }
    ref = { subscriptionId: m[1], resourceGroup: m[2], workspaceName: m[3] };
  } else {
    ref = {
      subscriptionId: str('subscription_id'),
      resourceGroup: str('resource_group'),
      workspaceName: str('workspace_name'),
    };
    for (const [key, value] of [
      ['subscription_id', ref.subscriptionId],
      ['resource_group', ref.resourceGroup],
      ['workspace_name', ref.workspaceName],
    ] as const) {
      if (value === undefined && !problems.some((p) => p.includes(`"${key}"`)))
        problems.push(`key "${key}" is missing (or give "Scope", the workspace's resource id)`);
    }
  }
  const where = scope !== undefined ? 'key "Scope"' : undefined;
  if (ref.subscriptionId !== undefined && !isGuid(ref.subscriptionId))
    problems.push(`${where ?? 'key "subscription_id"'}: ${invalidPartMessage('subscriptionId', ref.subscriptionId)}`);
  if (ref.resourceGroup !== undefined && !isResourceGroup(ref.resourceGroup))
    problems.push(`${where ?? 'key "resource_group"'}: ${invalidPartMessage('resourceGroup', ref.resourceGroup)}`);
  if (ref.workspaceName !== undefined && !isWorkspaceName(ref.workspaceName))
    problems.push(`${where ?? 'key "workspace_name"'}: ${invalidPartMessage('workspaceName', ref.workspaceName)}`);
  if (problems.length > 0) return { file, problem: `${file}: ${problems.join('; ')}` };
  const key = (k: string) => `the key ${scope !== undefined ? 'Scope' : k} of ${file}`;
  return {
    file,
    workspace: {
      subscriptionId: ref.subscriptionId!.toLowerCase(),
      resourceGroup: ref.resourceGroup!,
      workspaceName: ref.workspaceName!,
    },
    naming: {
      subscriptionId: key('subscription_id'),
      resourceGroup: key('resource_group'),
      workspaceName: key('workspace_name'),
    },
  };
}
