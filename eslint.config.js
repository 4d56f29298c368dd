// @ts-check
const tseslint = require('typescript-eslint');
const { builtinModules } = require('node:module');

/** Node built-ins, with and without the node: prefix. */
const nodeBuiltins = builtinModules.flatMap((m) => [m, `node:${m}`]);

/** Libraries that do I/O or need the Node runtime: never in deterministic workflow code. */
const ioLibraries = [
  'pg',
  'pg-*',
  'typeorm',
  'typeorm/*',
  '@nestjs/*',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
  '@temporalio/testing',
  'axios',
  'node-fetch',
  'undici',
  'exceljs',
];

module.exports = tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tools/**', '.data/**', 'coverage/**', 'test/fixtures/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'Workflow code is deterministic: no Node built-ins (do I/O in an activity).' })),
          patterns: [
            { group: ioLibraries, message: 'Workflow code is deterministic: no I/O libraries (do I/O in an activity).' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'Workflow code may not read the process environment.' },
        { name: 'setInterval', message: 'Use workflow timers (sleep) instead.' },
      ],
    },
  },
  {
    files: ['scripts/**/*.js', 'test/support/**/*.js', '*.js', '.ci/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly' } },
  },
);
