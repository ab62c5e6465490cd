// The reliability suite (npm run reliability): the tests' TypeScript setup (ts-jest, transpile only)
// and global setup (one emulator CA for the run), its own folder and file pattern, so `npm test`
// never runs it and it never runs the tests.
import { common } from '../jest.config.js';

export default {
  rootDir: '..',
  roots: ['<rootDir>/reliability'],
  testMatch: ['**/*.rel.ts'],
  ...common,
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  reporters: ['default'],
  testTimeout: 900_000,
};
