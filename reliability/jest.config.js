// The reliability suite (npm run reliability): the tests' TypeScript setup (ts-jest, transpile only)
// and global setup (one emulator CA for the run), its own folder and file pattern, so `npm test`
// never runs it and it never runs the tests.
export default {
  rootDir: '..',
  roots: ['<rootDir>/reliability'],
  testMatch: ['**/*.rel.ts'],
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
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  reporters: ['default'],
  testTimeout: 900_000,
};
