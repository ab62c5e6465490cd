// Jest runs the TypeScript sources as CommonJS through ts-jest (transpile only; `npm run typecheck`
// does the type checking). Source files use NodeNext `.js` import suffixes, mapped back here.
//
// Three tiers, each a jest project (`npm test` runs them all; `npx jest --selectProjects unit` one):
//   unit      pure code and adapters with plain objects: no network, seconds
//   emulator  the emulator, and the core's Key Vault store and Resource Manager lookup against it over HTTPS
//   e2e       the committed bundles, run as the runner, the agent and a developer run them (checks dist/ first)
/** The TypeScript setup every jest config here shares (this one's projects, and the reliability suite's). */
export const common = {
  testEnvironment: 'node',
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      {
        tsconfig: {
          isolatedModules: true,
          module: 'commonjs',
          moduleResolution: 'node10',
          verbatimModuleSyntax: false,
          esModuleInterop: true,
        },
      },
    ],
  },
};

/** Core tests that talk to the emulator over HTTPS: they belong with the emulator tier, not the unit tier. */
const CORE_AGAINST_EMULATOR = ['engine/keyvault-store', 'targets/workspace-vault'].map(
  (n) => `<rootDir>/test/core/${n}.test.ts`,
);

export default {
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  reporters: ['default', '<rootDir>/test/helpers/summary-reporter.cjs'],
  testTimeout: 60000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/test/{core,adapters,manifests,bench,reliability}/**/*.test.ts'],
      testPathIgnorePatterns: CORE_AGAINST_EMULATOR,
    },
    {
      ...common,
      displayName: 'emulator',
      testMatch: ['<rootDir>/test/emulator/**/*.test.ts', ...CORE_AGAINST_EMULATOR],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/test/helpers/e2e-setup.ts',
    },
  ],
};
