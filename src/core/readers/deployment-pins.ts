// Which versions an online endpoint's deployments pin. Secret injection resolves each `${{keyvault:…}}` reference of
// a deployment's environment variables once, when the deployment is created or updated, and every documented form
// names a version (learn.microsoft.com/azure/machine-learning/concept-secret-injection): after a rotation a deployment
// keeps the old value until its reference names the new version and it is updated. A reference to a secret the vault
// does not have fails the deployment's creation (SecretsInjectionError,
// learn.microsoft.com/azure/machine-learning/how-to-troubleshoot-online-endpoints). Deployments: GET
// …/onlineEndpoints/{e}/deployments, properties.environmentVariables a string map (azure-rest-api-specs
// Microsoft.MachineLearningServices stable/2025-06-01 OnlineDeployment). Only references are reported: a variable's
// other text is never repeated.
import { WORKSPACE_API_VERSION, type ArmClient } from '../targets/workspace-vault.js';
import { findReferences, keyVaultReference, referenceOrigin } from '../azure/injection-reference.js';
import { listAll } from './vault-resource.js';
import type { WorkspaceContext } from './identity-blocks.js';
import type { DeploymentPins } from './types.js';

export interface DeploymentEnv {
  name: string;
  variables: Record<string, string>;
}

export interface PinContext {
  endpoint: string;
  resourceGroup: string;
  workspaceName: string;
  vaultUrl: string;
  /** This run's secrets by lower-case name: the name as pushed and the version the vault holds now (if known). */
  run: ReadonlyMap<string, { name: string; version?: string }>;
  /** The vault's live secrets by lower-case name; undefined when they were not listed. */
  existing?: ReadonlySet<string>;
}

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const SAFE_VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Pure: the stale pins, the references to absent secrets and the connection references of these deployments. */
export function findPins(deployments: readonly DeploymentEnv[], ctx: PinContext): Omit<DeploymentPins, 'unknown'> {
  const origin = referenceOrigin(ctx.vaultUrl);
  const out: Omit<DeploymentPins, 'unknown'> = { checked: [], stale: [], absent: [], connections: [] };
  for (const d of deployments) {
    out.checked.push(d.name);
    for (const [variable, text] of Object.entries(d.variables)) {
      if (typeof text !== 'string') continue;
      for (const ref of findReferences(text)) {
        if (ref.kind === 'connection') out.connections.push({ deployment: d.name, variable, reference: ref.text });
        if (ref.kind !== 'keyvault' || ref.origin !== origin) continue;
        const mine = ctx.run.get(ref.secret.toLowerCase());
        if (mine === undefined) {
          if (ctx.existing !== undefined && !ctx.existing.has(ref.secret.toLowerCase()))
            out.absent.push({ deployment: d.name, variable, secret: ref.secret });
          continue;
        }
        if (mine.version === undefined || ref.version?.toLowerCase() === mine.version.toLowerCase()) continue;
        const fresh = keyVaultReference(ctx.vaultUrl, mine.name, mine.version);
        out.stale.push({
          deployment: d.name,
          variable,
          secret: mine.name,
          pinned: ref.version ?? '',
          current: mine.version,
          command: updateCommand(ctx, d.name, variable, fresh, text.trim() === ref.text),
        });
      }
    }
  }
  return out;
}

/** `az ml online-deployment update … --set environment_variables.VAR=…` (its generic --set), quoted for a POSIX shell. */
function updateCommand(ctx: PinContext, deployment: string, variable: string, fresh: string, whole: boolean): string {
  const names = [deployment, ctx.endpoint, ctx.workspaceName].every((n) => SAFE_NAME.test(n));
  if (!whole || !names || !SAFE_VARIABLE.test(variable) || /['\s]/.test(ctx.resourceGroup))
    return `set ${variable} of the deployment ${deployment} to reference ${fresh} in its YAML, then run az ml online-deployment update --file DEPLOYMENT.yml`;
  return (
    `az ml online-deployment update --name ${deployment} --endpoint-name ${ctx.endpoint} ` +
    `--resource-group ${ctx.resourceGroup} --workspace-name ${ctx.workspaceName} ` +
    `--set 'environment_variables.${variable}=${fresh}'`
  );
}

/** Reads the endpoint's deployments and finds their pins; the vault's names are listed only when a reference needs them. */
export async function readDeploymentPins(
  endpoint: string,
  workspace: WorkspaceContext,
  arm: ArmClient,
  ctx: Omit<PinContext, 'endpoint' | 'resourceGroup' | 'workspaceName' | 'existing'>,
  listNames: () => Promise<string[]>,
): Promise<DeploymentPins> {
  const path = `${workspace.workspaceId}/onlineEndpoints/${encodeURIComponent(endpoint)}/deployments`;
  const listed = await listAll(arm, path, WORKSPACE_API_VERSION);
  const [, rg = '', ws = ''] = /\/resourceGroups\/([^/]+)\/.*\/workspaces\/([^/]+)$/i.exec(workspace.workspaceId) ?? [];
  const full: PinContext = {
    ...ctx,
    endpoint,
    resourceGroup: decodeURIComponent(rg),
    workspaceName: decodeURIComponent(ws),
  };
  if ('unknown' in listed)
    return {
      checked: [],
      stale: [],
      absent: [],
      connections: [],
      unknown: `its deployments could not be listed: ${listed.unknown}`,
    };
  const deployments = listed.items.flatMap((item): DeploymentEnv[] => {
    if (typeof item.name !== 'string') return [];
    const env = (item.properties as Record<string, unknown> | undefined)?.environmentVariables;
    const variables = typeof env === 'object' && env !== null ? (env as Record<string, string>) : {};
    return [{ name: item.name, variables }];
  });
  const origin = referenceOrigin(ctx.vaultUrl);
  const others = deployments.some((d) =>
    Object.values(d.variables).some(
      (text) =>
        typeof text === 'string' &&
        findReferences(text).some(
          (r) => r.kind === 'keyvault' && r.origin === origin && !ctx.run.has(r.secret.toLowerCase()),
        ),
    ),
  );
  if (!others) return findPins(deployments, full);
  try {
    const existing = new Set((await listNames()).map((n) => n.toLowerCase()));
    return findPins(deployments, { ...full, existing });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return {
      ...findPins(deployments, full),
      unknown: `the vault's secrets could not be listed to check the other references: ${why}`,
    };
  }
}
