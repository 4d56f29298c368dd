// @ts-check
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
    // request-filtering-agent ships only ES modules: Node 20 requires them as they are, Jest's own
    // CommonJS loader needs them compiled.
    '/node_modules/request-filtering-agent/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', esModuleInterop: true }, isolatedModules: true }],
  },
  transformIgnorePatterns: ['/node_modules/(?!request-filtering-agent/)'],
  // Real PostgreSQL and a real Temporal dev server for the whole run (test/support/global-setup.ts).
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 120000,
  // Two cores: each integration file runs its own worker; more workers only thrash.
  maxWorkers: 2,
  verbose: true,
};
