// Where to push: a vault URL, a vault name, or an Azure ML workspace; and the cloud with its endpoints.
import { VAULT_NAME_RULE, displayName, isValidVaultName, vaultUrlFromName } from '../azure/names.js';
import { CLOUD_NAMES, CLOUDS, findCloud, withOverrides, type Cloud } from '../azure/clouds.js';
import {
  httpsBaseUrl,
  isGuid,
  isResourceGroup,
  isWorkspaceName,
  checkHttpsUrl,
  invalidPartMessage,
} from '../azure/azure-ids.js';
import type { Target } from '../common/types.js';
import { normaliseSuffix, vaultHostProblem } from '../azure/vault-host.js';

import type { Reader } from './input-reader.js';

// ── Target ───────────────────────────────────────────────────────────────────────────────────────────────────

const TARGET_KEYS = ['vault-url', 'vault-name', 'workspace-name'] as const;

/** Exactly one of vault-url, vault-name or workspace-name (with its resource group and subscription). */
export function readTarget(r: Reader, cloud: Cloud): Target | undefined {
  const given = TARGET_KEYS.filter((k) => r.text(k) !== undefined);
  if (given.length > 1) {
    r.problems.push(
      `set one of ${TARGET_KEYS.map((k) => r.label(k)).join(', ')}, not ${given.map((k) => r.label(k)).join(' and ')}`,
    );
  } else if (given.length === 0) {
    r.problems.push(
      `no target: set ${r.label('workspace-name')} (with ${r.label('resource-group')} and ${r.label('subscription-id')}), ` +
        `${r.label('vault-name')}, or ${r.label('vault-url')} (https://NAME.${cloud.vaultDnsSuffix}); ` +
        `or ${r.label('workspace-config')} PATH (a workspace's config.json)` +
        (r.ctx.discoverWorkspace
          ? ", or put a .azureml/config.json in this directory or a parent, or set az's defaults (az configure --defaults group=RG workspace=WS)"
          : ''),
    );
  }
  const url = r.text('vault-url');
  const name = r.text('vault-name');
  const fromUrl = url === undefined ? undefined : readVaultUrl(r, url, cloud);
  const fromName = name === undefined ? undefined : readVaultName(r, name, cloud);
  const workspace = readWorkspace(r, given.includes('workspace-name'));
  if (given.length !== 1) return undefined;
  if (workspace) return workspace;
  const vaultUrl = fromUrl ?? fromName;
  return vaultUrl === undefined ? undefined : { kind: 'vault', vaultUrl };
}

/** The workspace and where it lives; resource-group and subscription-id only make sense with it. */
function readWorkspace(r: Reader, wanted: boolean): Target | undefined {
  const workspaceName = r.text('workspace-name');
  const resourceGroup = r.text('resource-group');
  const subscriptionId = r.text('subscription-id');
  if (!wanted) {
    for (const key of ['resource-group', 'subscription-id'] as const) {
      if (r.text(key) !== undefined) r.problem(key, `is used only with ${r.label('workspace-name')}`);
    }
    return undefined;
  }
  let ok = true;
  if (workspaceName !== undefined && !isWorkspaceName(workspaceName)) {
    r.problem('workspace-name', `${invalidPartMessage('workspaceName', workspaceName)}`);
    ok = false;
  }
  if (resourceGroup === undefined) {
    r.problem('resource-group', `is required with ${r.label('workspace-name')}`);
    ok = false;
  } else if (!isResourceGroup(resourceGroup)) {
    r.problem('resource-group', `${invalidPartMessage('resourceGroup', resourceGroup)}`);
    ok = false;
  }
  if (subscriptionId === undefined) {
    r.problem('subscription-id', `is required with ${r.label('workspace-name')}`);
    ok = false;
  } else if (!isGuid(subscriptionId)) {
    r.problem('subscription-id', `${invalidPartMessage('subscriptionId', subscriptionId)}`);
    ok = false;
  }
  if (!ok || workspaceName === undefined || resourceGroup === undefined || subscriptionId === undefined)
    return undefined;
  return { kind: 'workspace', workspaceName, resourceGroup, subscriptionId: subscriptionId.toLowerCase() };
}

/** The cloud (default AzureCloud) with its endpoints, as overridden by resource-manager-endpoint / authority-host. */
export function readCloud(r: Reader): Cloud {
  const name = r.text('cloud');
  let cloud = CLOUDS.AzureCloud;
  if (name !== undefined) {
    const found = findCloud(name);
    if (found) cloud = found;
    else r.problem('cloud', `${displayName(name)} is not one of ${CLOUD_NAMES.join(', ')}`);
  }
  const overrides: { resourceManager?: string; authorityHost?: string } = {};
  for (const [key, field] of [
    ['resource-manager-endpoint', 'resourceManager'],
    ['authority-host', 'authorityHost'],
  ] as const) {
    const text = r.text(key);
    if (text === undefined) continue;
    const checked = httpsBaseUrl(text);
    if ('problem' in checked) r.problem(key, checked.problem);
    else overrides[field] = checked.url;
  }
  const suffixes = readAllowedSuffixes(r);
  return withOverrides(cloud, { ...overrides, ...(suffixes.length > 0 && { vaultSuffixes: suffixes }) });
}

/** DNS suffixes of vaults outside the named cloud (Azure Stack Hub, a private cloud), one a line or comma separated. */
function readAllowedSuffixes(r: Reader): string[] {
  const out: string[] = [];
  for (const { line, text } of r.lines('allowed-vault-suffixes')) {
    for (const item of text
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '')) {
      const suffix = normaliseSuffix(item);
      if (suffix === undefined) {
        r.problems.push(
          `${r.label('allowed-vault-suffixes')} line ${line}: ${displayName(item)} is not a DNS suffix (two or more labels of letters, digits and '-', e.g. vault.contoso.local)`,
        );
      } else out.push(suffix);
    }
  }
  return out;
}

/** A vault's base URL, or undefined after reporting (by default against vault-url; a `targets` line passes its own). */
export function readVaultUrl(
  r: Reader,
  text: string,
  cloud: Cloud,
  report: (message: string) => void = (m) => r.problem('vault-url', m),
): string | undefined {
  const checked = checkHttpsUrl(text);
  if (checked.problem !== undefined)
    report(`${checked.problem}; expected https://NAME.${cloud.vaultDnsSuffix} (Key Vault is reached over TLS only)`);
  if (!('url' in checked)) return undefined;
  const { url } = checked;
  let ok = checked.problem === undefined;
  if ((url.pathname !== '/' && url.pathname !== '') || /[?#]/.test(text)) {
    report(`must be the vault's base URL (https://host[:port]), without a path, query or fragment`);
    ok = false;
  }
  // Checked only on an otherwise valid URL: one problem per mistake.
  const foreign = ok ? vaultHostProblem(url, cloud.vaultSuffixes) : undefined;
  if (foreign !== undefined) {
    report(`${foreign}; add its suffix to ${r.label('allowed-vault-suffixes')} if it really is a vault`);
    ok = false;
  }
  return ok ? url.origin : undefined;
}

function readVaultName(r: Reader, name: string, cloud: Cloud): string | undefined {
  if (isValidVaultName(name)) return vaultUrlFromName(name, cloud.vaultDnsSuffix);
  r.problem('vault-name', `${displayName(name)} is not a valid vault name (${VAULT_NAME_RULE})`);
  return undefined;
}
