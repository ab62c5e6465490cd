// Independent clients for the emulated Resource Manager: Debian's python3-azure management SDKs
// (azure-mgmt-authorization 3.0.0 → api-version 2022-04-01, azure-mgmt-keyvault 10.1.0 → 2022-07-01,
// azure-mgmt-machinelearningservices 2.0.0b1 → 2022-10-01, azure-mgmt-msi → 2018-11-30) signed in with the emulator's managed
// identity (a pipeline identity, Owner by default): list role assignments, create a custom role and an
// assignment, read a compute and a vault. Then the data-plane SDK (azure-keyvault-secrets) reads a
// secret as the compute's own identity (ManagedIdentityCredential(client_id=…)): 403 before the
// assignment, the value after. A second run does the same for an online endpoint: its deployments made,
// read, listed and deleted with the SDK's own models, and a read as the endpoint's identity. /usr/bin/python3 because the Debian packages are visible only to it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { emulatorEnv, startEmulator } from '../../helpers/emulator.js';
import type { Emulator } from '../../helpers/emulator.js';
import { itWhere } from '../../helpers/skip.js';

const PYTHON = '/usr/bin/python3';
const SUB = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

const SCRIPT = String.raw`
import json, os, uuid
from azure.core.exceptions import HttpResponseError
from azure.identity import ManagedIdentityCredential
from azure.keyvault.secrets import SecretClient
from azure.mgmt.authorization import AuthorizationManagementClient
from azure.mgmt.authorization.models import Permission, RoleAssignmentCreateParameters, RoleDefinition
from azure.mgmt.keyvault import KeyVaultManagementClient
from azure.mgmt.machinelearningservices import MachineLearningServicesMgmtClient
from azure.mgmt.msi import ManagedServiceIdentityClient

arm, sub, rg, ws = os.environ["ARM_URL"], os.environ["SUB"], "py-rg", "py-ws"
cred = ManagedIdentityCredential()
out = {}

ml = MachineLearningServicesMgmtClient(cred, sub, base_url=arm)
compute = ml.compute.get(rg, ws, "cpu")
out["compute"] = {"type": str(compute.identity.type), "principal_id": compute.identity.principal_id, "compute_type": compute.properties.compute_type}

gpu = ml.compute.get(rg, ws, "gpu")
(uai_id, uai_ref), = gpu.identity.user_assigned_identities.items()
uai = ManagedServiceIdentityClient(cred, sub, base_url=arm).user_assigned_identities.get(rg, uai_id.split("/")[-1])
out["uai"] = {"type": str(gpu.identity.type), "same_principal": uai.principal_id == uai_ref.principal_id, "client_id": uai.client_id}

kv = KeyVaultManagementClient(cred, sub, base_url=arm)
vault = kv.vaults.get(rg, "kv-py-ws")
out["vault"] = {"rbac": vault.properties.enable_rbac_authorization, "uri": vault.properties.vault_uri}

auth = AuthorizationManagementClient(cred, sub, base_url=arm)
out["mine"] = sorted(a.role_definition_id.split("/")[-1] for a in auth.role_assignments.list_for_scope(vault.id, filter="atScope() and assignedTo('%s')" % os.environ["MI_OBJECT_ID"]))

pipeline = SecretClient(vault.properties.vault_uri, cred, verify_challenge_resource=False)
pipeline.set_secret("py-key", "python-value")
as_compute = SecretClient(vault.properties.vault_uri, ManagedIdentityCredential(client_id=os.environ["COMPUTE_CLIENT_ID"]), verify_challenge_resource=False)
try:
    as_compute.get_secret("py-key")
    out["before"] = "read"
except HttpResponseError as e:
    out["before"] = e.status_code

role_id = str(uuid.uuid4())
role = auth.role_definitions.create_or_update(
    "/subscriptions/%s" % sub, role_id,
    RoleDefinition(role_name="Python secret reader", description="test", role_type="CustomRole",
                   permissions=[Permission(actions=[], data_actions=["Microsoft.KeyVault/vaults/secrets/get*"])],
                   assignable_scopes=["/subscriptions/%s" % sub]))
out["role"] = {"name": role.role_name, "type": role.role_type, "id_tail": role.id.split("/")[-1] == role_id}
rg_scope = "/subscriptions/%s/resourceGroups/%s" % (sub, rg)
assignment = auth.role_assignments.create(rg_scope, str(uuid.uuid4()), RoleAssignmentCreateParameters(
    role_definition_id=role.id, principal_id=compute.identity.principal_id, principal_type="ServicePrincipal"))
out["assignment"] = {"scope": assignment.scope, "principal": assignment.principal_id == compute.identity.principal_id}
out["compute_assignments"] = [a.scope for a in auth.role_assignments.list_for_scope(vault.id, filter="principalId eq '%s'" % compute.identity.principal_id)]
out["after"] = as_compute.get_secret("py-key").value
print(json.dumps(out))
`;

let emu: Emulator | undefined;
afterAll(() => emu?.stop());

function pythonSdkMissing(): string | undefined {
  if (!existsSync(PYTHON)) return `${PYTHON} does not exist`;
  const probe = spawnSync(
    PYTHON,
    [
      '-c',
      'import azure.keyvault.secrets, azure.identity, azure.mgmt.authorization, azure.mgmt.keyvault, azure.mgmt.machinelearningservices, azure.mgmt.msi',
    ],
    { encoding: 'utf8' },
  );
  if (probe.status !== 0)
    return `the Python management SDKs cannot be imported (${(probe.stderr || probe.error?.message || '').trim().split('\n').pop()}); install them with: apt-get install -y python3-azure`;
  return undefined;
}

itWhere(
  pythonSdkMissing(),
  'Python azure-mgmt-* SDKs: role assignments, a custom role, a compute and a vault; the compute reads after the grant',
  async () => {
    emu = await startEmulator([
      '--workspace',
      `${SUB}/py-rg/py-ws`,
      '--compute',
      `${SUB}/py-rg/py-ws/cpu`,
      '--compute',
      `${SUB}/py-rg/py-ws/gpu=user:py-uai`,
      '--quiet',
    ]);
    const cpu = emu.computes[`${SUB}/py-rg/py-ws/cpu`]!.identity;
    await emu.clearRequests();
    const run = spawnSync(PYTHON, ['-c', SCRIPT], {
      encoding: 'utf8',
      env: {
        ...emulatorEnv(emu),
        ARM_URL: emu.armUrl,
        SUB,
        MI_OBJECT_ID: emu.identities.managedIdentity.objectId,
        COMPUTE_CLIENT_ID: cpu.clientId!,
        PYTHONDONTWRITEBYTECODE: '1',
      },
      timeout: 90_000,
    });
    if (run.status !== 0) throw new Error(`python failed (${run.status}):\n${run.stderr}`);
    const out = JSON.parse(run.stdout.trim().split('\n').pop()!);
    expect(out).toEqual({
      compute: { type: 'SystemAssigned', principal_id: cpu.principalId, compute_type: 'AmlCompute' },
      uai: {
        type: 'UserAssigned',
        same_principal: true,
        client_id: emu.computes[`${SUB}/py-rg/py-ws/gpu`]!.identity.identities[0]!.clientId,
      },
      vault: { rbac: true, uri: `${emu.workspaces[`${SUB}/py-rg/py-ws`]!.vaultUrl}/` },
      // Owner at the subscription (--arm-role) and Secrets Officer at the vault (--rbac).
      mine: ['8e3af657-a8ff-443c-a75c-2fe8c4bcb635', 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'].sort(),
      before: 403,
      role: { name: 'Python secret reader', type: 'CustomRole', id_tail: true },
      assignment: { scope: `/subscriptions/${SUB}/resourceGroups/py-rg`, principal: true },
      compute_assignments: [`/subscriptions/${SUB}/resourceGroups/py-rg`],
      after: 'python-value',
    });
    // The SDKs really went over the wire with their own api-versions and user agents.
    const armLog = await emu.requests('arm');
    const agents = new Set(armLog.map((r) => (r as { userAgent?: string }).userAgent?.split(' ')[0]?.split('/')[0]));
    expect(agents).toEqual(
      new Set([
        'azsdk-python-mgmt-machinelearningservices',
        'azsdk-python-azure-mgmt-keyvault',
        'azsdk-python-azure-mgmt-authorization',
        'azsdk-python-azure-mgmt-msi',
      ]),
    );
    expect(armLog.every((r) => r.status === 200 || r.status === 201)).toBe(true);
  },
  120_000,
);

const ENDPOINT_SCRIPT = String.raw`
import json, os, uuid
from azure.core.exceptions import HttpResponseError
from azure.identity import ManagedIdentityCredential
from azure.keyvault.secrets import SecretClient
from azure.mgmt.authorization import AuthorizationManagementClient
from azure.mgmt.authorization.models import RoleAssignmentCreateParameters
from azure.mgmt.machinelearningservices import MachineLearningServicesMgmtClient
from azure.mgmt.machinelearningservices.models import DefaultScaleSettings, ManagedOnlineDeployment, OnlineDeployment, Sku

arm, sub, rg, ws = os.environ["ARM_URL"], os.environ["SUB"], "py-rg", "py-ws"
cred = ManagedIdentityCredential()
ml = MachineLearningServicesMgmtClient(cred, sub, base_url=arm)
out = {}

ep = ml.online_endpoints.get(rg, ws, "score")
out["endpoint"] = {"type": str(ep.identity.type), "principal_id": ep.identity.principal_id, "state": str(ep.properties.provisioning_state)}
out["endpoints"] = sorted(e.name for e in ml.online_endpoints.list(rg, ws))

injected = "\${{keyvault:" + os.environ["VAULT_URL"] + "/secrets/db-password}}"
body = OnlineDeployment(location="local", sku=Sku(name="Default", capacity=1), properties=ManagedOnlineDeployment(
    model="azureml:m:1", instance_type="Standard_DS3_v2", scale_settings=DefaultScaleSettings(),
    environment_variables={"DB_PASSWORD": injected}))
made = ml.online_deployments.begin_create_or_update(rg, ws, "score", "blue", body).result()
out["made"] = {"state": str(made.properties.provisioning_state), "env": made.properties.environment_variables == {"DB_PASSWORD": injected}}
got = ml.online_deployments.get(rg, ws, "score", "blue")
out["got"] = {"name": got.name, "type": type(got.properties).__name__, "instance_type": got.properties.instance_type, "sku": got.sku.name}
out["listed"] = [d.name for d in ml.online_deployments.list(rg, ws, "score")]
try:
    ml.online_deployments.get(rg, ws, "score", "nope")
    out["missing"] = "found"
except HttpResponseError as e:
    out["missing"] = [e.status_code, e.error.code]

vault_url = os.environ["VAULT_URL"]
SecretClient(vault_url, cred, verify_challenge_resource=False).set_secret("db-password", "py-endpoint-value")
as_endpoint = SecretClient(vault_url, ManagedIdentityCredential(client_id=os.environ["ENDPOINT_CLIENT_ID"]), verify_challenge_resource=False)
try:
    as_endpoint.get_secret("db-password")
    out["before"] = "read"
except HttpResponseError as e:
    out["before"] = e.status_code
auth = AuthorizationManagementClient(cred, sub, base_url=arm)
vault_id = "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.KeyVault/vaults/kv-py-ws" % (sub, rg)
auth.role_assignments.create(vault_id, str(uuid.uuid4()), RoleAssignmentCreateParameters(
    role_definition_id="/subscriptions/%s/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6" % sub,
    principal_id=ep.identity.principal_id, principal_type="ServicePrincipal"))
out["after"] = as_endpoint.get_secret("db-password").value
ml.online_deployments.begin_delete(rg, ws, "score", "blue").result()
out["left"] = [d.name for d in ml.online_deployments.list(rg, ws, "score")]
print(json.dumps(out))
`;

itWhere(
  pythonSdkMissing(),
  'Python azure-mgmt-machinelearningservices: online endpoints get/list, a deployment with secret injection created, read, listed, deleted; the endpoint reads after a Secrets User grant',
  async () => {
    const ep = await startEmulator([
      '--workspace',
      `${SUB}/py-rg/py-ws`,
      '--online-endpoint',
      `${SUB}/py-rg/py-ws/score`,
      '--online-endpoint',
      `${SUB}/py-rg/py-ws/score-uai=user:py-uai`,
      '--quiet',
    ]);
    try {
      const identity = ep.onlineEndpoints[`${SUB}/py-rg/py-ws/score`]!.identity;
      const run = spawnSync(PYTHON, ['-c', ENDPOINT_SCRIPT], {
        encoding: 'utf8',
        env: {
          ...emulatorEnv(ep),
          ARM_URL: ep.armUrl,
          SUB,
          VAULT_URL: ep.workspaces[`${SUB}/py-rg/py-ws`]!.vaultUrl,
          ENDPOINT_CLIENT_ID: identity.clientId!,
          PYTHONDONTWRITEBYTECODE: '1',
        },
        timeout: 90_000,
      });
      if (run.status !== 0) throw new Error(`python failed (${run.status}):\n${run.stderr}`);
      expect(JSON.parse(run.stdout.trim().split('\n').pop()!)).toEqual({
        endpoint: { type: 'SystemAssigned', principal_id: identity.principalId, state: 'Succeeded' },
        endpoints: ['score', 'score-uai'],
        made: { state: 'Succeeded', env: true },
        // The SDK picks the model by endpointComputeType (its discriminator).
        got: { name: 'blue', type: 'ManagedOnlineDeployment', instance_type: 'Standard_DS3_v2', sku: 'Default' },
        listed: ['blue'],
        missing: [404, 'ResourceNotFound'],
        before: 403,
        after: 'py-endpoint-value',
        left: [],
      });
    } finally {
      await ep.stop();
    }
  },
  120_000,
);
