// The rules between folders of src/ and of emulator/, checked by `npm run lint` (lint:deps) with dependency-cruiser.
// Type-only imports count everywhere (tsPreCompilationDeps): a type that two concepts share is a
// dependency too, so it lives in the lower one (usually core/common/), never in whichever file came first.
// docs/ARCHITECTURE.md explains each folder; its graph is generated from this configuration.
//
// The core's subsystems, lowest first. Each may import only itself and the folders listed for it.
const CORE_LAYERS = {
  common: [],
  azure: ['common'],
  'local-config': ['common', 'azure'],
  inputs: ['common', 'azure', 'local-config'],
  errors: ['common', 'azure', 'inputs'],
  targets: ['common', 'azure', 'inputs', 'errors'],
  engine: ['common', 'azure', 'inputs', 'errors'],
  readers: ['common', 'azure', 'inputs', 'errors', 'targets'],
  run: ['common', 'azure', 'inputs', 'errors', 'targets', 'engine', 'readers'],
  report: ['common', 'azure', 'inputs', 'errors', 'engine', 'readers', 'run'],
};
// The emulator's rooms, lowest first, on the same terms. The files at the top of emulator/ (main.ts,
// cli-options.ts, server.ts, admin*.ts, start-info.ts) start it and may import any room; no room imports them.
const EMULATOR_ROOMS = {
  common: [],
  entra: ['common'],
  'ci-oidc': ['common', 'entra'],
  access: ['common', 'entra'],
  keyvault: ['common', 'entra', 'access'],
  arm: ['common', 'entra', 'access', 'keyvault'],
};
// Matched anywhere in the resolved path: a linked node_modules resolves outside the tree.
const PLATFORM_LIBRARIES = '(^|/)node_modules/(@actions/|azure-pipelines-task-lib)';

const layerRules = Object.entries(CORE_LAYERS).map(([folder, allowed]) => ({
  name: `core-${folder}-uses-only-${allowed.length ? allowed.join('-') : 'itself'}`,
  comment: `src/core/${folder}/ may import only ${allowed.length ? `src/core/{${allowed.join(',')}}/` : 'its own folder'} of src/ (see docs/ARCHITECTURE.md)`,
  severity: 'error',
  from: { path: `^src/core/${folder}/` },
  to: { path: '^src/', pathNot: `^src/core/(${[folder, ...allowed].join('|')})/` },
}));

const roomRules = Object.entries(EMULATOR_ROOMS).map(([folder, allowed]) => ({
  name: `emulator-${folder}-uses-only-${allowed.length ? allowed.join('-') : 'itself'}`,
  comment: `emulator/${folder}/ may import only ${allowed.length ? `emulator/{${allowed.join(',')}}/` : 'its own folder'} of emulator/ (see docs/ARCHITECTURE.md)`,
  severity: 'error',
  from: { path: `^emulator/${folder}/` },
  to: { path: '^emulator/', pathNot: `^emulator/(${[folder, ...allowed].join('|')})/` },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycle anywhere in src/ or emulator/, type-only imports included.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-has-no-loose-files',
      comment: 'Every core module lives in a subsystem folder.',
      severity: 'error',
      from: { path: '^src/core/[^/]+$' },
      to: {},
    },
    ...layerRules,
    {
      name: 'core-is-platform-free',
      comment:
        'The core knows nothing of GitHub or Azure DevOps: no platform library, adapter, entry or manifest code.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: [PLATFORM_LIBRARIES, '^src/(adapters|entry|manifests)/'] },
    },
    {
      name: 'src-never-uses-the-emulator',
      comment: 'The emulator is a test double: product code never imports it (nor tests, bench or scripts).',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(emulator|test|bench|reliability|scripts)/' },
    },
    {
      name: 'only-entries-load-platform-libraries',
      comment:
        'Only src/entry/* imports @actions/core or azure-pipelines-task-lib at run time; adapters take the library as a parameter (type imports are fine).',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/entry/' },
      to: { path: PLATFORM_LIBRARIES, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'adapters-do-not-use-entries-or-manifests',
      severity: 'error',
      from: { path: '^src/adapters/' },
      to: { path: '^src/(entry|manifests)/' },
    },
    {
      name: 'manifests-read-only-the-declaration',
      comment: 'The manifest generators read the input declaration and nothing else of the product.',
      severity: 'error',
      from: { path: '^src/manifests/' },
      to: { path: '^src/', pathNot: '^src/(manifests|core/(inputs|common|azure))/' },
    },
    ...roomRules,
    {
      name: 'emulator-has-no-loose-rooms',
      comment:
        'Every module of emulator/ lives in a room (a folder of EMULATOR_ROOMS) or is one of the files that start it.',
      severity: 'error',
      from: { path: '^emulator/', pathNot: `^emulator/((${Object.keys(EMULATOR_ROOMS).join('|')})/[^/]+|[^/]+)$` },
      to: {},
    },
    {
      name: 'emulator-never-uses-src',
      comment:
        'The emulator stands in for Azure: it shares no code with the product it is tested against (nor with tests, bench or scripts).',
      severity: 'error',
      from: { path: '^emulator/' },
      to: { path: '^(src|test|bench|reliability|scripts)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    reporterOptions: {
      mermaid: { minify: false },
    },
  },
};
