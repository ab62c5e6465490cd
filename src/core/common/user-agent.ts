// Who is calling, on every Azure request (Key Vault, Resource Manager, Entra ID): the SDK's own
// User-Agent gets "aml-vault-push/VERSION (github|azdo|cli)" in front, so a vault's diagnostic logs
// and Resource Manager's activity log say which tool, which release and which platform sent it.

/** Replaced by package.json's version when scripts/build.mjs bundles (esbuild `define`). */
declare const __AML_VERSION__: string | undefined;

/** This release's version; "0.0.0-dev" when running from source (tests), not from a bundle. */
export const VERSION: string = typeof __AML_VERSION__ === 'string' ? __AML_VERSION__ : '0.0.0-dev';

import type { Platform } from './types.js';

export type { Platform };

/** The prefix for the SDK's `userAgentOptions.userAgentPrefix`, e.g. "aml-vault-push/0.1.0 (github)". */
export function userAgent(platform: Platform, version: string = VERSION): string {
  return `aml-vault-push/${version} (${platform})`;
}
