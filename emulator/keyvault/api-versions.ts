// The api-versions the emulator accepts, and how it rejects the others.
// Sources (see docs/keyvault.md §0):
// - REST specs: 7.0 … 7.6 stable, plus the dated 2025-07-01 (learn.microsoft.com set-secret?view=rest-keyvault-secrets-2025-07-01);
// - @azure/keyvault-secrets 4.12.0 `serviceVersion`: "7.0"…"7.6" | "2025-07-01" | "2026-04-01" (4.11.2 sends 2025-07-01 by default);
// - Debian python3-azure azure-keyvault-secrets 4.7.0b1 `ApiVersion`: 7.3 (its default), 7.2, 7.1, 7.0, 2016-10-01.
// Unknown versions get 400 BadParameter with the service's message (pattern quoted in third-party code; see errors.ts).

export const SUPPORTED_API_VERSIONS: readonly string[] = [
  '2016-10-01',
  '7.0',
  '7.1',
  '7.2',
  '7.3',
  '7.4',
  '7.5',
  '7.6',
  '2025-07-01',
  '2026-04-01',
];

export const LATEST_API_VERSION = '2026-04-01';

export function isSupportedApiVersion(version: string): boolean {
  return SUPPORTED_API_VERSIONS.includes(version);
}
