// The targets of a run: the multi-line `targets` input (one workspace, `vault-name:NAME` or vault URL a line), or the
// single-target inputs (vault-url, vault-name, workspace-name with resource-group). The two ways exclude each other;
// subscription-id is the default subscription of `RESOURCE_GROUP/WORKSPACE` lines.
import { VAULT_NAME_RULE, displayName, isValidVaultName, vaultUrlFromName } from '../azure/names.js';
import { isGuid, isResourceGroup, isWorkspaceName, invalidPartMessage } from '../azure/azure-ids.js';
import { readTarget, readVaultUrl } from './parse-target.js';
import type { Cloud } from '../azure/clouds.js';
import type { Target, TargetSpec } from '../common/types.js';
import type { Reader } from './input-reader.js';
import { NOT_CONFIGURED, readConfigTarget } from '../local-config/config-target.js';

const SINGLE_TARGET_KEYS = ['vault-url', 'vault-name', 'workspace-name', 'resource-group'] as const;
const VAULT_NAME_PREFIX = /^vault-name:/i;

/** The run's targets; undefined when there is a problem (reported on `r`). */
export function readTargets(r: Reader, cloud: Cloud): TargetSpec[] | undefined {
  const configured = readConfigTarget(r);
  if (configured !== NOT_CONFIGURED) {
    if (configured === undefined) return undefined;
    const { source, ...target } = configured;
    return [{ target, display: displayOf(target), source }];
  }
  if (r.text('targets') === undefined) {
    const target = readTarget(r, cloud);
    return target === undefined ? undefined : [{ target, display: displayOf(target) }];
  }
  const singles = SINGLE_TARGET_KEYS.filter((k) => r.text(k) !== undefined);
  if (singles.length > 0) {
    r.problem(
      'targets',
      `set either ${r.label('targets')} or ${singles.map((k) => r.label(k)).join(' and ')}, not both ` +
        `(a ${r.label('targets')} line can name a workspace, vault-name:NAME or a vault URL)`,
    );
  }
  const subscriptionText = r.text('subscription-id');
  const defaultSubscription = subscriptionText !== undefined && isGuid(subscriptionText) ? subscriptionText : undefined;
  if (subscriptionText !== undefined && defaultSubscription === undefined) {
    r.problem('subscription-id', `${invalidPartMessage('subscriptionId', subscriptionText)}`);
  }

  const before = r.problems.length;
  const seen = new Map<string, number>();
  const specs: TargetSpec[] = [];
  for (const { line, text } of r.lines('targets')) {
    const report = (message: string) => r.problems.push(`${r.label('targets')} line ${line}: ${message}`);
    const target = readTargetLine(r, text, cloud, defaultSubscription, subscriptionText !== undefined, report);
    if (target === undefined) continue;
    const key = identityOf(target);
    const first = seen.get(key);
    if (first !== undefined) {
      report(`the same target as line ${first}; give each target once`);
      continue;
    }
    seen.set(key, line);
    specs.push({ target: namedByLine(r, target, text, line), display: displayOf(target) });
  }
  if (r.lines('targets').length === 0) {
    r.problem('targets', 'has no target lines (only blank lines or # comments)');
  }
  return r.problems.length === before && singles.length === 0 ? specs : undefined;
}

function readTargetLine(
  r: Reader,
  text: string,
  cloud: Cloud,
  defaultSubscription: string | undefined,
  subscriptionGiven: boolean,
  report: (message: string) => void,
): Target | undefined {
  if (VAULT_NAME_PREFIX.test(text)) {
    const name = text.replace(VAULT_NAME_PREFIX, '').trim();
    if (isValidVaultName(name)) return { kind: 'vault', vaultUrl: vaultUrlFromName(name, cloud.vaultDnsSuffix) };
    report(`${displayName(name)} is not a valid vault name (${VAULT_NAME_RULE})`);
    return undefined;
  }
  if (text.includes('://')) {
    const vaultUrl = readVaultUrl(r, text, cloud, (m) => report(`the vault URL ${m}`));
    return vaultUrl === undefined ? undefined : { kind: 'vault', vaultUrl };
  }
  const parts = text.split('/').map((p) => p.trim());
  if (parts.length !== 2 && parts.length !== 3) {
    report(
      'is not a target: write SUBSCRIPTION/RESOURCE_GROUP/WORKSPACE, RESOURCE_GROUP/WORKSPACE, vault-name:NAME or https://NAME.' +
        cloud.vaultDnsSuffix,
    );
    return undefined;
  }
  const [subscription, resourceGroup, workspaceName] = parts.length === 3 ? parts : [undefined, ...parts];
  let ok = true;
  if (subscription !== undefined && !isGuid(subscription)) {
    report(`${invalidPartMessage('subscriptionId', subscription)}`);
    ok = false;
  }
  if (subscription === undefined && defaultSubscription === undefined) {
    // An invalid subscription-id is reported once, against that input.
    if (!subscriptionGiven) {
      report(`names no subscription: write SUBSCRIPTION/RESOURCE_GROUP/WORKSPACE or set ${r.label('subscription-id')}`);
    }
    ok = false;
  }
  if (!isResourceGroup(resourceGroup!)) {
    report(`${invalidPartMessage('resourceGroup', resourceGroup!)}`);
    ok = false;
  }
  if (!isWorkspaceName(workspaceName!)) {
    report(`${invalidPartMessage('workspaceName', workspaceName!)}`);
    ok = false;
  }
  if (!ok) return undefined;
  return {
    kind: 'workspace',
    subscriptionId: (subscription ?? defaultSubscription)!.toLowerCase(),
    resourceGroup: resourceGroup!,
    workspaceName: workspaceName!,
  };
}

/** A workspace line's parts are named by the line; a subscription it leaves out, by subscription-id. */
function namedByLine(r: Reader, target: Target, text: string, line: number): Target {
  if (target.kind !== 'workspace') return target;
  const here = `${r.label('targets')} line ${line}`;
  const ownSubscription = text.split('/').filter((p) => p.trim() !== '').length === 3;
  return {
    ...target,
    naming: {
      workspaceName: here,
      resourceGroup: here,
      subscriptionId: ownSubscription ? here : r.label('subscription-id'),
    },
  };
}

/** How a target reads in logs and the summary. */
export function displayOf(target: Target): string {
  return target.kind === 'vault'
    ? target.vaultUrl
    : `${target.subscriptionId}/${target.resourceGroup}/${target.workspaceName}`;
}

/** Two lines naming the same target compare equal: Azure resource names and hosts are case-insensitive. */
function identityOf(target: Target): string {
  return displayOf(target).toLowerCase();
}
