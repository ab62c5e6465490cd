import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'build/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Product code never depends on the emulator.
    files: ['src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['**/emulator/**'] }] },
  },
  {
    // The core knows nothing of either platform; only src/entry/* imports a platform library.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['@actions/*', 'azure-pipelines-task-lib*', '**/adapters/**', '**/entry/**', '**/emulator/**'] },
      ],
    },
  },
  {
    files: ['src/adapters/**/*.ts'],
    rules: {
      // Adapters take the platform library as a parameter (type-only imports are fine).
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@actions/*', 'azure-pipelines-task-lib*'], allowTypeImports: true }] },
      ],
    },
  },
);
