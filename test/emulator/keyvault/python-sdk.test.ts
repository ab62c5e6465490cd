// The Python SDK (Debian python3-azure: azure-keyvault-secrets 4.7.0b1 + azure-identity 1.13.0b2)
// against the emulator with environment variables only and verify_challenge_resource=False.
// /usr/bin/python3 is used because the Debian packages are visible only to the system interpreter.
// Without the packages jest reports the test as skipped, with the reason in its title.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { emulatorEnv, startEmulator } from '../../helpers/emulator.js';
import type { Emulator } from '../../helpers/emulator.js';
import { itWhere } from '../../helpers/skip.js';

const PYTHON = '/usr/bin/python3';

const SCRIPT = String.raw`
import json, os, sys
from azure.identity import DefaultAzureCredential
from azure.keyvault.secrets import SecretClient
from azure.core.exceptions import ResourceExistsError, ResourceNotFoundError

client = SecretClient(os.environ["VAULT_URL"], DefaultAzureCredential(), verify_challenge_resource=False)
out = {"api_version": client.api_version}
s1 = client.set_secret("py-secret", "first", tags={"from": "python"})
s2 = client.set_secret("py-secret", "second")
out["versions_differ"] = s1.properties.version != s2.properties.version
out["get"] = client.get_secret("py-secret").value
out["get_v1"] = client.get_secret("py-secret", s1.properties.version).value
out["list"] = sorted(p.name for p in client.list_properties_of_secrets())
out["versions"] = len(list(client.list_properties_of_secret_versions("py-secret")))
deleted = client.begin_delete_secret("py-secret").result()
out["recovery_id"] = deleted.recovery_id
try:
    client.set_secret("py-secret", "blocked")
    out["conflict"] = None
except ResourceExistsError as e:
    out["conflict"] = e.status_code
out["deleted_list"] = [d.name for d in client.list_deleted_secrets()]
out["recovered"] = client.begin_recover_deleted_secret("py-secret").result().name
out["after_recover"] = client.get_secret("py-secret").value
client.begin_delete_secret("py-secret").wait()
client.purge_deleted_secret("py-secret")
try:
    client.get_deleted_secret("py-secret")
    out["after_purge"] = "still there"
except ResourceNotFoundError as e:
    out["after_purge"] = e.status_code
print(json.dumps(out))
`;

let emu: Emulator | undefined;
afterAll(() => emu?.stop());

function pythonSdkMissing(): string | undefined {
  if (!existsSync(PYTHON)) return `${PYTHON} does not exist`;
  const probe = spawnSync(PYTHON, ['-c', 'import azure.keyvault.secrets, azure.identity'], { encoding: 'utf8' });
  if (probe.status !== 0)
    return `the Python SDK cannot be imported (${(probe.stderr || probe.error?.message || '').trim().split('\n').pop()}); install it with: apt-get install -y python3-azure`;
  return undefined;
}

itWhere(
  pythonSdkMissing(),
  'Python SecretClient + DefaultAzureCredential: set, get, list, delete, recover, purge',
  async () => {
    emu = await startEmulator();
    await emu.clearRequests();
    const run = spawnSync(PYTHON, ['-c', SCRIPT], {
      encoding: 'utf8',
      env: { ...emulatorEnv(emu), VAULT_URL: emu.vaultUrl, PYTHONDONTWRITEBYTECODE: '1' },
      timeout: 60_000,
    });
    if (run.status !== 0) throw new Error(`python failed (${run.status}):\n${run.stderr}`);
    const out = JSON.parse(run.stdout.trim().split('\n').pop()!);
    expect(out).toEqual({
      api_version: '7.3',
      versions_differ: true,
      get: 'second',
      get_v1: 'first',
      list: ['py-secret'],
      versions: 2,
      recovery_id: `${emu.vaultUrl}/deletedsecrets/py-secret`,
      conflict: 409,
      deleted_list: ['py-secret'],
      recovered: 'py-secret',
      after_recover: 'second',
      after_purge: 404,
    });
    // It really went over the wire: the challenge first, then authenticated calls (client.api_version above is what the SDK puts in the query).
    const log = await emu.requests();
    expect(log[0]).toEqual({
      service: 'vault',
      method: 'PUT',
      path: '/secrets/py-secret',
      status: 401,
      vault: 'default',
      userAgent: expect.stringMatching(/^azsdk-python-keyvault-secrets\//),
    });
    expect(log.some((r) => r.method === 'DELETE' && r.path === '/deletedsecrets/py-secret' && r.status === 204)).toBe(
      true,
    );
  },
);
