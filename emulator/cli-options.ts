// Command-line flags → start options. The behaviour flags share their parsers with the admin config
// (admin-config.ts), so `--throttle real` and {"throttle":"real"} mean the same thing.
import { parseArgs } from 'node:util';
import { DEFAULT_CLOUD, parseCloud } from './common/clouds.js';
import type { CloudName } from './common/clouds.js';
import { parseFaultStatus } from './keyvault/faults.js';
import { parseThrottle } from './keyvault/throttle.js';
import { parseOnlineEndpointSpec } from './arm/online-endpoints.js';
import {
  parseComputeSpec,
  parseHubSpec,
  parseIdentitySpec,
  parseProjectSpec,
  parseWorkspaceIdentitySpec,
} from './arm/aml-resources.js';
import type { ArmLevel } from './entra/directory.js';
import { parseGroupSpecs } from './entra/groups.js';
import {
  parseArmLevel,
  parseFirewall,
  parseNonNegative,
  parseRate,
  parseRetryAfter,
  parseRole,
  parseSeed,
  parseVaultPermissions,
} from './admin-config.js';
import type { SettingsPatch } from './keyvault/vault-config.js';
import { parseWorkspaceSpec } from './arm/workspaces.js';

export const USAGE = `Local Azure Key Vault (secrets) emulator — HTTPS on localhost.

Usage: npm run --silent emulator -- [flags]

  --port N              default vault on N, extra vaults on N+1…, then control (identity, admin, CI issuers),
                        authority, ARM and the discovery proxy; 0 = ephemeral (default)
  --vault NAME          add a vault (repeatable); "default" always exists
  --workspace SPEC      add an Azure ML workspace to ARM (repeatable): SUB/RG/NAME[=VAULT|=-] or NAME[=…];
                        its vault (default kv-NAME) is created on its own port; =- names a deleted vault
  --hub SUB/RG/NAME[=managed]
                        add a hub workspace (repeatable) with its own vault kv-NAME, or =managed: a
                        Microsoft-managed vault (its keyVault is null)
  --project SUB/RG/NAME=HUB_SUB/HUB_RG/HUB_NAME
                        add a project workspace of a --hub (repeatable): no keyVault, hubResourceId
  --compute SUB/RG/WS/NAME[=system|=user:ID[,ID…]|=none]
                        add a compute to a workspace (repeatable; default system); ID is a user-assigned
                        identity's name (in SUB/RG) or resource id; its identities have no vault role
  --online-endpoint SUB/RG/WS/NAME[=system|=user:ID[,ID…]|=system+user:ID[,ID…]|=none]
                        add an online endpoint to a workspace (repeatable; default system): the identity
                        its deployments' secret injection reads Key Vault as; ID as for --compute
  --workspace-identity SUB/RG/NAME=ID[,ID…]
                        user-assigned identities of a workspace, hub or project (the first is primary)
  --identity SUB/RG/NAME
                        a user-assigned managed identity attached to nothing (repeatable)
  --group NAME=MEMBER[,MEMBER…]
                        a security group (repeatable): members are object ids, other groups' names,
                        compute:SUB/RG/WS/NAME, endpoint:SUB/RG/WS/NAME, workspace:SUB/RG/NAME or
                        identity:NAME|ID; assignments
                        and access policies for a group apply to its members
  --vault-permissions M rbac (default) | policies: the vaults' permission model; with policies the
                        identities get access policies matching --rbac
  --arm-role ROLE       owner (default) | contributor | reader: the identities' Resource Manager role
                        on every emulated subscription (reader cannot grant)
  --cloud NAME          AzureCloud (default) | AzureUSGovernment | AzureChinaCloud: the audiences vaults and ARM accept
  --cert-dir DIR        reuse the CA/keys in DIR or generate them there (default: a fresh temp dir)
  --rbac ROLE           officer | user | reader | none  (vault role of every identity; default officer)
  --firewall MODE       allow | deny                    (deny: 403 ForbiddenByFirewall on every call)
  --purge-protection    purging a soft-deleted secret is refused with 403, as on a purge-protected vault
  --latency-ms N        added to every data-plane response
  --throttle SPEC       real | none | sets=N,other=M[,window=SECONDS]
  --fault-rate R        fraction 0..1 of data-plane calls that fail with --fault-status
  --fault-status S      429 | 500 | 503 | reset | stall (default 503; reset drops the connection,
                        stall never answers)
  --consistency-delay-ms N
                        eventual consistency: for N ms after a delete, recover or purge the change is
                        not yet visible, as on the service (default 0: at once)
  --seed N              seed of the fault PRNG (default fixed, so runs repeat)
  --retry-after S|none  Retry-After seconds on 429s (default none)
  --quiet               no per-request log lines on stderr
  --exit-on-stdin-close stop when stdin closes (for parents that may die without signalling)
  --shell               print export lines for a POSIX shell instead of the JSON line: the env, and
                        what aml-vault-push's CLI reads for Resource Manager, the authority and the
                        subscription (source the file in a shell, then run the CLI with no endpoint flags)
  --help

Prints one JSON line on stdout when ready, logs on stderr, serves until SIGTERM or SIGINT.`;

export interface CliOptions {
  help: boolean;
  port: number;
  vaults: string[];
  workspaces: string[];
  hubs: string[];
  projects: string[];
  computes: string[];
  onlineEndpoints: string[];
  workspaceIdentities: string[];
  groups: string[];
  userIdentities: string[];
  armRole?: ArmLevel;
  cloud: CloudName;
  certDir?: string;
  settings: SettingsPatch;
  quiet: boolean;
  exitOnStdinClose: boolean;
  shell: boolean;
}

/** Throws Error with a message for the user on any bad flag. */
export function parseCli(argv: string[]): CliOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      port: { type: 'string' },
      vault: { type: 'string', multiple: true },
      workspace: { type: 'string', multiple: true },
      hub: { type: 'string', multiple: true },
      project: { type: 'string', multiple: true },
      compute: { type: 'string', multiple: true },
      'online-endpoint': { type: 'string', multiple: true },
      'workspace-identity': { type: 'string', multiple: true },
      group: { type: 'string', multiple: true },
      identity: { type: 'string', multiple: true },
      'vault-permissions': { type: 'string' },
      'arm-role': { type: 'string' },
      cloud: { type: 'string' },
      'cert-dir': { type: 'string' },
      rbac: { type: 'string' },
      firewall: { type: 'string' },
      'purge-protection': { type: 'boolean' },
      'latency-ms': { type: 'string' },
      throttle: { type: 'string' },
      'fault-rate': { type: 'string' },
      'fault-status': { type: 'string' },
      'consistency-delay-ms': { type: 'string' },
      seed: { type: 'string' },
      'retry-after': { type: 'string' },
      quiet: { type: 'boolean' },
      'exit-on-stdin-close': { type: 'boolean' },
      shell: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (positionals.length > 0) throw new Error(`unexpected argument "${positionals[0]}"`);
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port "${values.port}"`);
  const workspaces = values.workspace ?? [];
  for (const spec of workspaces) parseWorkspaceSpec(spec);
  const hubs = values.hub ?? [];
  const projects = values.project ?? [];
  const computes = values.compute ?? [];
  const workspaceIdentities = values['workspace-identity'] ?? [];
  hubs.forEach(parseHubSpec);
  projects.forEach(parseProjectSpec);
  computes.forEach(parseComputeSpec);
  const onlineEndpoints = values['online-endpoint'] ?? [];
  onlineEndpoints.forEach(parseOnlineEndpointSpec);
  workspaceIdentities.forEach(parseWorkspaceIdentitySpec);
  const groups = values.group ?? [];
  parseGroupSpecs(groups);
  const userIdentities = values.identity ?? [];
  userIdentities.forEach(parseIdentitySpec);
  const cloud = values.cloud === undefined ? DEFAULT_CLOUD : parseCloud(values.cloud);
  const settings: SettingsPatch = {};
  if (values.rbac !== undefined) settings.rbac = parseRole(values.rbac, '--rbac');
  if (values['vault-permissions'] !== undefined)
    settings.vaultPermissions = parseVaultPermissions(values['vault-permissions'], '--vault-permissions');
  if (values.firewall !== undefined) settings.firewall = parseFirewall(values.firewall);
  if (values['purge-protection']) settings.purgeProtection = true;
  if (values['latency-ms'] !== undefined) settings.latencyMs = parseNonNegative(values['latency-ms'], '--latency-ms');
  if (values.throttle !== undefined) settings.throttle = parseThrottle(values.throttle);
  if (values['fault-rate'] !== undefined) settings.faultRate = parseRate(values['fault-rate']);
  if (values['fault-status'] !== undefined) settings.faultStatus = parseFaultStatus(values['fault-status']);
  if (values['consistency-delay-ms'] !== undefined)
    settings.consistencyDelayMs = parseNonNegative(values['consistency-delay-ms'], '--consistency-delay-ms');
  if (values.seed !== undefined) settings.seed = parseSeed(values.seed);
  if (values['retry-after'] !== undefined) settings.retryAfter = parseRetryAfter(values['retry-after']);
  return {
    help: values.help ?? false,
    port,
    vaults: values.vault ?? [],
    workspaces,
    hubs,
    projects,
    computes,
    onlineEndpoints,
    workspaceIdentities,
    groups,
    userIdentities,
    ...(values['arm-role'] !== undefined ? { armRole: parseArmLevel(values['arm-role'], '--arm-role') } : {}),
    cloud,
    ...(values['cert-dir'] !== undefined ? { certDir: values['cert-dir'] } : {}),
    settings,
    quiet: values.quiet ?? false,
    exitOnStdinClose: values['exit-on-stdin-close'] ?? false,
    shell: values.shell ?? false,
  };
}
