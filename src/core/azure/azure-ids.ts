// Shapes of Azure identifiers, checked before any request so a typo is an input error, not a
// confusing 400 or AADSTS code later. Sources: learn.microsoft.com azure-resource-manager
// management/resource-name-rules (resource groups, Microsoft.MachineLearningServices workspaces);
// Entra tenant ids are GUIDs or verified domain names.
import { displayName } from './names.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A DNS name with at least two labels, e.g. contoso.onmicrosoft.com. */
const DOMAIN = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
/** Resource groups: 1–90 of letters, digits, '_', '-', '.', '(', ')' (and Unicode letters); not ending in '.'. */
const RESOURCE_GROUP = /^[\p{L}\p{N}_\-.()]{1,90}$/u;
/** Azure ML workspaces: 3–33 characters, alphanumerics, '-' and '_', starting with a letter or digit. */
const WORKSPACE = /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$/;

export const GUID_RULE = 'a GUID such as 00000000-0000-0000-0000-000000000000';
export const TENANT_RULE = 'a GUID or a domain such as contoso.onmicrosoft.com';
export const RESOURCE_GROUP_RULE = "1–90 characters of letters, digits, _ - . ( ), not ending in '.'";
export const WORKSPACE_RULE = '3–33 characters of letters, digits, - and _, starting with a letter or digit';

const PART_RULES = {
  subscriptionId: `a subscription id (${GUID_RULE})`,
  resourceGroup: `a valid resource group name (${RESOURCE_GROUP_RULE})`,
  workspaceName: `a valid Azure ML workspace name (${WORKSPACE_RULE})`,
} as const;

/** The one wording for a part of a workspace's id that breaks its rule: the text as messages show it, and the rule. */
export function invalidPartMessage(part: keyof typeof PART_RULES, text: string): string {
  return `${displayName(text)} is not ${PART_RULES[part]}`;
}

export const isGuid = (text: string): boolean => GUID.test(text);
export const isTenantId = (text: string): boolean => GUID.test(text) || DOMAIN.test(text);
export const isResourceGroup = (text: string): boolean => RESOURCE_GROUP.test(text) && !text.endsWith('.');
export const isWorkspaceName = (text: string): boolean => WORKSPACE.test(text);

/**
 * The one check for every URL a token is sent to (vault, Resource Manager, authority): a URL, https, no user name or
 * password. The reason never repeats the text: a URL with credentials in it is itself a secret.
 */
export function checkHttpsUrl(text: string): { url: URL; problem?: string } | { problem: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { problem: 'is not a URL' };
  }
  if (url.username || url.password) return { problem: 'must not contain a user name or password' };
  // Parsed but refused: the URL comes back too, so a caller can report its other problems in the same go.
  if (url.protocol !== 'https:') return { url, problem: `must start with https://, not ${url.protocol}//` };
  return { url };
}

/** An https URL without credentials, query or fragment; returns it without a trailing slash, or a reason. */
export function httpsBaseUrl(text: string): { url: string } | { problem: string } {
  const checked = checkHttpsUrl(text);
  if (checked.problem !== undefined) return { problem: checked.problem };
  const { url } = checked as { url: URL };
  if (url.search || url.hash) return { problem: 'must not have a query or fragment' };
  return { url: `${url.origin}${url.pathname}`.replace(/\/+$/, '') };
}
