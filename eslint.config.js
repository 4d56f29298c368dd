// @ts-check
const tseslint = require('typescript-eslint');
const importX = require('eslint-plugin-import-x');
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

/**
 * The import direction (STYLE.md): apps → workflows/activities → libs. A workflow's contract (type name,
 * input, updates, queries, signals, ids) lives in libs/contracts; nothing outside workflows/ imports a
 * workflow body, and libs/ imports neither workflows/ nor activities/. Matched on relative specifiers,
 * the only way this repository reaches those folders.
 */
const workflowBodies = {
  regex: '^(\\.{1,2}/)+(.*/)?workflows(/|$)',
  message: 'Import the workflow\'s contract from libs/contracts, never a workflow body (workflows/).',
};
const activityCode = {
  regex: '^(\\.{1,2}/)+(.*/)?activities(/|$)',
  message: 'Only the worker loads activities/: move what you need into a libs/ module the activity wraps.',
};
/** Deterministic code (the workflow bundle): no Node built-ins, no I/O libraries. */
const deterministic = {
  paths: nodeBuiltins.map((name) => ({ name, message: 'Workflow code is deterministic: no Node built-ins (do I/O in an activity).' })),
  patterns: [{ group: ioLibraries, message: 'Workflow code is deterministic: no I/O libraries (do I/O in an activity).' }],
};

/**
 * Each folder's restricted imports. Flat config does not merge one rule's options across blocks (the
 * last block matching a file wins), so every entry lists all of its folder's restrictions.
 */
const importDirection = [
  { files: ['activities/**/*.ts', 'apps/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'], patterns: [workflowBodies] },
  { files: ['libs/**/*.ts', 'apps/api/**/*.ts', 'apps/web/**/*.ts'], patterns: [workflowBodies, activityCode] },
  // A workflow names its activities' types (proxyActivities<Activities>) and never loads their code.
  { files: ['workflows/**/*.ts'], paths: deterministic.paths, patterns: [...deterministic.patterns, { ...activityCode, allowTypeImports: true }] },
  { files: ['libs/contracts/**/*.ts'], paths: deterministic.paths, patterns: [...deterministic.patterns, workflowBodies, activityCode] },
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
  ...importDirection.map(({ files, paths, patterns }) => ({ files, rules: { 'no-restricted-imports': ['error', { ...(paths ? { paths } : {}), patterns }] } })),
  {
    // No import cycles among the server's own modules (type-only imports do not count: they vanish at build).
    files: ['libs/**/*.ts', 'workflows/**/*.ts', 'activities/**/*.ts', 'apps/api/**/*.ts', 'apps/worker/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [importX.createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['workflows/**/*.ts', 'libs/contracts/**/*.ts'],
    rules: {
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
