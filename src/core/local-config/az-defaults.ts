// The Azure CLI's own defaults: `az configure --defaults group=RG workspace=WS` writes them under [defaults] in
// $AZURE_CONFIG_DIR/config (default ~/.azure/config), an INI file; the subscription is the one marked isDefault in
// azureProfile.json beside it (`az account set`), a JSON file that az writes with a UTF-8 byte order mark. Like az,
// AZURE_DEFAULTS_GROUP and AZURE_DEFAULTS_WORKSPACE override the file. Reads files; no platform import.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeJsonError } from '../common/json-problem.js';
import { GUID_RULE, isGuid, isResourceGroup, isWorkspaceName, invalidPartMessage } from '../azure/azure-ids.js';
import type { ConfigRead } from './workspace-config.js';

/** Where az keeps its configuration: AZURE_CONFIG_DIR, else ~/.azure. */
export function azureConfigDir(env: Record<string, string | undefined>, home: string): string {
  const dir = env.AZURE_CONFIG_DIR?.trim();
  return dir !== undefined && dir !== '' ? dir : join(home, '.azure');
}

/** `[section] key = value` (or `key: value`); `#` and `;` lines are comments. Keys and sections are lower-cased. */
export function parseIni(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let section: Record<string, string> | undefined;
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      section = out[header[1]!.trim().toLowerCase()] ??= {};
      continue;
    }
    const m = /^([^=:]+)[=:](.*)$/.exec(line);
    if (m && section) section[m[1]!.trim().toLowerCase()] = m[2]!.trim();
  }
  return out;
}

function readText(path: string): string | undefined | { code: string } {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return code === 'ENOENT' ? undefined : { code };
  }
}

/**
 * The workspace az's defaults name; undefined when they name none (no config file, no `workspace` default).
 * A problem names the file and the key.
 */
export function readAzDefaults(
  configDir: string,
  env: Record<string, string | undefined> = {},
): ConfigRead | undefined {
  const configFile = join(configDir, 'config');
  const configText = readText(configFile);
  if (typeof configText === 'object')
    return { file: configFile, problem: `${configFile} cannot be read (${configText.code})` };
  const defaults = configText === undefined ? {} : (parseIni(configText).defaults ?? {});
  const workspaceName = env.AZURE_DEFAULTS_WORKSPACE?.trim() || defaults.workspace;
  const resourceGroup = env.AZURE_DEFAULTS_GROUP?.trim() || defaults.group;
  if (workspaceName === undefined || workspaceName === '') return undefined;
  const problems: string[] = [];
  if (resourceGroup === undefined || resourceGroup === '')
    problems.push('[defaults] has "workspace" but no "group" (az configure --defaults group=RG)');
  else if (!isResourceGroup(resourceGroup))
    problems.push(`[defaults] "group": ${invalidPartMessage('resourceGroup', resourceGroup)}`);
  if (!isWorkspaceName(workspaceName))
    problems.push(`[defaults] "workspace": ${invalidPartMessage('workspaceName', workspaceName)}`);
  if (problems.length > 0) return { file: configFile, problem: `${configFile}: ${problems.join('; ')}` };

  const profileFile = join(configDir, 'azureProfile.json');
  const subscription = defaultSubscription(profileFile);
  if ('problem' in subscription) return { file: profileFile, problem: subscription.problem };
  return {
    file: configFile,
    workspace: { subscriptionId: subscription.id.toLowerCase(), resourceGroup: resourceGroup!, workspaceName },
    naming: {
      subscriptionId: `the default subscription in ${profileFile} (az account set)`,
      resourceGroup: env.AZURE_DEFAULTS_GROUP?.trim()
        ? 'AZURE_DEFAULTS_GROUP'
        : `"group" in [defaults] of ${configFile}`,
      workspaceName: env.AZURE_DEFAULTS_WORKSPACE?.trim()
        ? 'AZURE_DEFAULTS_WORKSPACE'
        : `"workspace" in [defaults] of ${configFile}`,
    },
  };
}

/** The subscription marked isDefault in azureProfile.json. */
function defaultSubscription(file: string): { id: string } | { problem: string } {
  const text = readText(file);
  if (text === undefined)
    return { problem: `${file} does not exist: sign in with az login (and az account set --subscription SUB)` };
  if (typeof text === 'object') return { problem: `${file} cannot be read (${text.code})` };
  const body = text.replace(/^\uFEFF/, '');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { problem: `${file} is not valid JSON: ${describeJsonError(body)}` };
  }
  const subscriptions = (parsed as { subscriptions?: unknown } | null)?.subscriptions;
  if (!Array.isArray(subscriptions)) return { problem: `${file}: key "subscriptions" is missing or not a list` };
  const chosen = subscriptions.find(
    (s): s is { id?: unknown } =>
      typeof s === 'object' && s !== null && (s as { isDefault?: unknown }).isDefault === true,
  );
  if (chosen === undefined)
    return { problem: `${file}: no subscription has "isDefault": true (az account set --subscription SUB)` };
  if (typeof chosen.id !== 'string' || !isGuid(chosen.id))
    return { problem: `${file}: the default subscription's "id" is not a subscription id (${GUID_RULE})` };
  return { id: chosen.id };
}
