// The reliability suite (npm run reliability): the same TypeScript setup and global setup as the
// tests (one emulator CA for the run), its own folder and file pattern so `npm test` never runs it.
import base from '../jest.config.js';

export default {
  ...base,
  rootDir: '..',
  roots: ['<rootDir>/reliability'],
  testMatch: ['**/*.rel.ts'],
  reporters: ['default'],
  testTimeout: 900_000,
};
