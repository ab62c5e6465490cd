// The paths of the Resource Manager resources the emulator serves by name: an Azure ML workspace and a
// Key Vault (their providers, read actions and api-versions), and percent-decoding as ARM does it.
import { KEYVAULT_API_VERSIONS, MLS_API_VERSIONS } from './errors.js';
import { same } from './context.js';

export const MLS = {
  namespace: 'Microsoft.MachineLearningServices',
  type: 'workspaces',
  action: 'Microsoft.MachineLearningServices/workspaces/read',
  versions: MLS_API_VERSIONS,
};
export const KV = {
  namespace: 'Microsoft.KeyVault',
  type: 'vaults',
  action: 'Microsoft.KeyVault/vaults/read',
  versions: KEYVAULT_API_VERSIONS,
};
export const API_VERSION_SHAPE = /^\d{4}-\d{2}-\d{2}(-[a-z]+)?$/i;

export interface Target {
  subscriptionId: string;
  resourceGroup: string;
  kind: typeof MLS | typeof KV;
  name: string;
}

export function parsePath(path: string): Target | undefined {
  const s = path.split('/').map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  if (
    s.length !== 9 ||
    s[0] !== '' ||
    !same(s[1]!, 'subscriptions') ||
    !same(s[3]!, 'resourceGroups') ||
    !same(s[5]!, 'providers')
  )
    return undefined;
  const kind = [MLS, KV].find((k) => same(s[6]!, k.namespace) && same(s[7]!, k.type));
  if (!kind || !s[2] || !s[4] || !s[8]) return undefined;
  return { subscriptionId: s[2], resourceGroup: s[4], kind, name: s[8] };
}

/** The path's segments, each percent-decoded ('' first). */
export function decodeSegments(path: string): string[] {
  return path.split('/').map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
}

export function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
