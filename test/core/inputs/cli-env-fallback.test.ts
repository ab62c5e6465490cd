// The CLI reads an input's declared environment variable (cli.env) when its flag is absent; the flag wins, a bad
// value is reported under the variable's name, and the pipelines (whose variables the workflow author sets for
// other purposes) never read it.
import { labeller } from '../../../src/core/inputs/inputs.js';
import type { ParseContext } from '../../../src/core/inputs/parse-request.js';
import { azdoContext, expectProblems, githubContext, parse, requestOf, type Vars } from '../../helpers/parse.js';

const cliContext = (vars: Vars): ParseContext => ({
  label: labeller('cli'),
  lookup: (name) => vars[name],
  variableKind: 'environment variable',
  variableNames: () => Object.keys(vars),
});
const ENV = {
  DB_PASSWORD: 'unused-in-these-tests',
  AML_VAULT_PUSH_RESOURCE_MANAGER_ENDPOINT: 'https://localhost:34777',
  AZURE_AUTHORITY_HOST: 'https://localhost:37031',
};

it('the CLI takes Resource Manager and the authority from the environment when no flag names them', () => {
  const { cloud } = requestOf(parse({ secrets: 'DB_PASSWORD' }, ENV, cliContext(ENV)));
  expect(cloud.resourceManager).toBe('https://localhost:34777');
  expect(cloud.authorityHost).toBe('https://localhost:37031');
});

it('a flag wins over the variable', () => {
  const raw = { secrets: 'DB_PASSWORD', 'resource-manager-endpoint': 'https://arm.contoso.local' };
  expect(requestOf(parse(raw, ENV, cliContext(ENV))).cloud.resourceManager).toBe('https://arm.contoso.local');
});

it('a bad value is reported under the variable that held it', () => {
  const vars = { DB_PASSWORD: 'x', AML_VAULT_PUSH_RESOURCE_MANAGER_ENDPOINT: 'http://localhost:1' };
  expectProblems(parse({ secrets: 'DB_PASSWORD' }, vars, cliContext(vars)), [
    'AML_VAULT_PUSH_RESOURCE_MANAGER_ENDPOINT (the environment variable behind --resource-manager-endpoint): must start with https://',
  ]);
});

it.each([
  ['GitHub', githubContext(ENV)],
  ['Azure DevOps', azdoContext(ENV)],
])('%s ignores the variables: only the inputs set the endpoints', (_, ctx) => {
  const { cloud } = requestOf(parse({ secrets: 'DB_PASSWORD' }, ENV, ctx));
  expect(cloud.resourceManager).toBe('https://management.azure.com');
  expect(cloud.authorityHost).toBe('https://login.microsoftonline.com');
});
