// The readers check as a step of the push (fleet.ts): one Resource Manager client and one cache of role definitions
// per run, then each target's check after its secrets are written. A failure of the check itself makes every reader
// of that target unknown; it never undoes or fails the push.
import type { TokenCredential } from '@azure/core-auth';
import type { Cloud } from '../azure/clouds.js';
import type { Logger } from '../common/ports.js';
import type { SecretOutcome, SecretSpec } from '../common/types.js';
import { currentVersion } from '../azure/injection-reference.js';
import { createArmClient, type WorkspaceResolution } from '../targets/workspace-vault.js';
import { checkReaders } from './check-readers.js';
import { RoleDefinitions } from './role-definitions.js';
import { readersWarnings } from './verdict-messages.js';
import type { ReadersReport } from './types.js';
import type { ReadersRequest } from '../inputs/readers-request.js';

export interface ReadersStepDeps {
  credential: TokenCredential;
  cloud: Cloud;
  userAgent?: string;
}

/** What the push of one target left: its outcomes (the current versions) and a listing of the vault's names. */
export interface Pushed {
  outcomes: readonly SecretOutcome[];
  listNames: () => Promise<string[]>;
}

export type ReadersStep = (
  display: string,
  vaultUrl: string,
  found: WorkspaceResolution | undefined,
  logger: Logger,
  pushed: Pushed,
) => Promise<{ readers: ReadersReport }>;

export function readersStep(
  request: ReadersRequest,
  secrets: readonly SecretSpec[],
  dryRun: boolean,
  deps: ReadersStepDeps,
): ReadersStep {
  const arm = createArmClient(deps);
  const roles = new RoleDefinitions(arm);
  const names = secrets.map((s) => s.name);
  return async (display, vaultUrl, found, logger, pushed) => {
    const run = new Map(
      secrets.map((s) => {
        const o = pushed.outcomes.find((x) => x.name === s.name);
        const version = o && currentVersion(o);
        return [s.name.toLowerCase(), { name: s.name, ...(version && { version }) }] as const;
      }),
    );
    logger.info(
      `Checking who can read the ${names.length} secret(s) in ${vaultUrl}: ${request.lines.map((l) => l.line).join(', ')}`,
    );
    let readers: ReadersReport;
    try {
      readers = await checkReaders(
        request,
        {
          display,
          vaultUrl,
          ...(found && {
            vaultId: found.vaultId,
            ...(found.vault && { vault: found.vault }),
            workspace: { workspaceId: found.workspaceId, workspace: found.workspace, display },
          }),
          run,
          listNames: pushed.listNames,
        },
        names,
        { arm, roles, logger, dryRun },
      );
    } catch (error) {
      const reason = `the check failed: ${error instanceof Error ? error.message : String(error)}`;
      readers = {
        missing: request.missing,
        stale: request.stale,
        dryRun,
        notes: [],
        verdicts: Object.fromEntries(request.lines.map((l) => [l.line, { status: 'unknown', identities: [], reason }])),
      };
    }
    for (const w of readersWarnings({ target: display, vaultUrl, readers })) logger.warning(w);
    return { readers };
  };
}
