// `aml-vault-push delete NAME`: soft-deletes one secret this owner wrote, in each target. Never purges (the vault
// keeps it for its retention: `az keyvault secret recover`); a secret without our ownership tags, or another
// owner's, is refused unless --adopt-unowned. One read (for the tags) and one DELETE per vault; nothing is
// requested before every input is valid.
import { vaultName } from '../output/terminal-lines.js';
import type { TokenCredential } from '@azure/core-auth';
import { parseRequest, type ParseContext } from '../../../core/inputs/parse-request.js';
import { InputError } from '../../../core/inputs/input-error.js';
import { resolveTargets } from '../../../core/run/fleet.js';
import { createKeyVaultStore } from '../../../core/engine/keyvault-store.js';
import { describeForeignOwner, isOwnedBy, scopedOwner } from '../../../core/common/ownership.js';
import { describeError } from '../../../core/errors/describe-error.js';
import { recoverCommand } from '../../../core/azure/vault-host.js';
import { SECRET_NAME_RULE, isValidSecretName } from '../../../core/azure/names.js';
import type { Logger, SecretStore } from '../../../core/common/ports.js';
import type { Cloud } from '../../../core/azure/clouds.js';
import type { Owner } from '../../../core/common/types.js';
import type { RawInputs } from '../../../core/inputs/inputs.js';

export interface DeleteDeps extends ParseContext {
  logger: Logger;
  owner: Owner;
  identity: string;
  userAgent: string;
  credential(cloud: Cloud): TokenCredential;
  out(text: string): void;
  /** The result as JSON on standard output; else a line per vault. */
  json: boolean;
  fail(message: string): void;
}

interface VaultDeletion {
  target: string;
  vaultUrl?: string;
  /** deleted: done (or, in a dry run, would be); gone: nothing by that name; refused / failed: see reason. */
  status: 'deleted' | 'gone' | 'refused' | 'failed';
  reason: string;
}

export async function runDelete(name: string, raw: RawInputs, deps: DeleteDeps): Promise<void> {
  const parsed = parseRequest({ ...raw, mode: 'list' }, deps);
  const problems = [...parsed.problems, ...(deps.owner.problem ? [deps.owner.problem] : [])];
  if (!isValidSecretName(name))
    problems.unshift(`NAME: not a valid Key Vault secret name (${SECRET_NAME_RULE}); it is not shown`);
  if (!parsed.request || problems.length > 0) return deps.fail(new InputError(problems).message);
  for (const note of parsed.notes) deps.logger.info(note);

  const intent = parsed.request;
  const owner = scopedOwner(deps.owner, intent.ownerScope);
  const credential = deps.credential(intent.cloud);
  deps.logger.info(`Signing in as ${deps.identity}`);
  const context = { label: deps.label, identity: deps.identity };
  const resolved = await resolveTargets(intent.targets, {
    credential,
    cloud: intent.cloud,
    logger: deps.logger,
    label: deps.label,
    identity: deps.identity,
    userAgent: deps.userAgent,
  });
  const results = await Promise.all(
    resolved.map(async (r): Promise<VaultDeletion> => {
      if (r.vaultUrl === undefined)
        return { target: r.spec.display, status: 'failed', reason: r.error ?? 'its vault was not found' };
      const store = createKeyVaultStore(r.vaultUrl, credential, { userAgent: deps.userAgent });
      const base = { target: r.spec.display, vaultUrl: r.vaultUrl };
      try {
        const recover = recoverCommand(r.vaultUrl, name, r.found?.vaultId);
        return { ...base, ...(await deleteOne(store, name, recover, owner, intent.adoptUnowned, intent.dryRun)) };
      } catch (error) {
        return { ...base, status: 'failed', reason: describeError(error, 'delete', context) };
      }
    }),
  );

  const pick = (...statuses: VaultDeletion['status'][]) =>
    results.filter((r) => statuses.includes(r.status)).map((r) => r.vaultUrl ?? r.target);
  const output = {
    'dry-run': intent.dryRun,
    deleted: pick('deleted').length > 0 ? [name] : [],
    failed: pick('refused', 'failed').length > 0 ? [name] : [],
    'vault-url': [...new Set(results.flatMap((r) => (r.vaultUrl ? [r.vaultUrl] : [])))].join('\n'),
    results: Object.fromEntries(results.map((r) => [r.vaultUrl ?? r.target, { status: r.status, reason: r.reason }])),
  };
  deps.out(deps.json ? `${JSON.stringify(output, null, 2)}\n` : deletionLines(name, results, intent.dryRun));
  const refused = results.filter((r) => r.status === 'refused' || r.status === 'failed');
  if (refused.length > 0)
    deps.fail(refused.map((r) => `${name} was not deleted from ${r.vaultUrl ?? r.target}: ${r.reason}`).join('\n'));
}

/** A line per vault (what happened, how to undo it) and a total; a refusal's whole cause is the error line. */
function deletionLines(name: string, results: VaultDeletion[], dryRun: boolean): string {
  const word = (r: VaultDeletion) =>
    r.status === 'deleted' ? (dryRun ? 'would delete' : 'deleted') : r.status === 'gone' ? 'not there' : r.status;
  const lines = results.map((r) => {
    const vault = r.vaultUrl ? vaultName(r.vaultUrl) : r.target;
    const reason = r.status === 'refused' || r.status === 'failed' ? 'the error below says why' : r.reason;
    return `${word(r).padEnd(12)}${name} in ${vault}: ${reason}`;
  });
  const done = results.filter((r) => r.status === 'deleted').length;
  lines.push(
    `${dryRun ? 'Dry run, nothing deleted: ' : ''}${done} of ${results.length} vault(s) ${dryRun ? 'would delete' : 'deleted'} ${name}`,
  );
  return `${lines.join('\n')}\n`;
}

async function deleteOne(
  store: SecretStore,
  name: string,
  recoverCommand: string,
  owner: Owner,
  adoptUnowned: boolean,
  dryRun: boolean,
): Promise<Pick<VaultDeletion, 'status' | 'reason'>> {
  const state = await store.read(name);
  if (state.kind === 'not-live') {
    const deleted = await store.readDeleted(name);
    return deleted.kind === 'deleted'
      ? { status: 'gone', reason: 'already soft-deleted; nothing to do' }
      : { status: 'gone', reason: 'no secret by this name; nothing to do' };
  }
  if (state.kind === 'disabled' && !adoptUnowned) {
    return {
      status: 'refused',
      reason:
        'its latest version is disabled, so its ownership tags cannot be read; pass --adopt-unowned to delete it anyway',
    };
  }
  if (state.kind === 'present' && !isOwnedBy(state.secret.tags, owner) && !adoptUnowned) {
    return {
      status: 'refused',
      reason: `not deleted: ${describeForeignOwner(state.secret.tags)}, not ${owner.id}; pass --adopt-unowned to delete it anyway`,
    };
  }
  const recover = `recover it within the vault's retention with ${recoverCommand}`;
  if (dryRun) return { status: 'deleted', reason: `would be soft-deleted (dry run, nothing was deleted); ${recover}` };
  await store.remove(name);
  return { status: 'deleted', reason: `soft-deleted (never purged); ${recover}` };
}
