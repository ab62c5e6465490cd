// The recover hint names the vault by its own name (its resource id, else its URL), never a host like localhost.
import { recoverCommand } from '../../../src/core/azure/vault-host.js';

const ID =
  '/subscriptions/11111111-2222-4333-8444-555555555501/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-ws1';

it.each([
  [
    'a vault URL',
    'https://kv-team.vault.azure.net',
    undefined,
    'az keyvault secret recover --vault-name kv-team --name db',
  ],
  [
    'a sovereign cloud',
    'https://kv-cn.vault.azure.cn',
    undefined,
    'az keyvault secret recover --vault-name kv-cn --name db',
  ],
  ['the resource id wins', 'https://localhost:41329', ID, 'az keyvault secret recover --vault-name kv-ws1 --name db'],
  [
    'the emulator by URL: no name to know',
    'https://localhost:41329',
    undefined,
    'az keyvault secret recover --id https://localhost:41329/deletedsecrets/db',
  ],
  [
    'an address',
    'https://127.0.0.1:8443',
    undefined,
    'az keyvault secret recover --id https://127.0.0.1:8443/deletedsecrets/db',
  ],
] as const)('%s', (_title, url, id, command) => {
  expect(recoverCommand(url, 'db', id)).toBe(command);
});
