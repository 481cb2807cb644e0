/** One jest run for the whole monorepo: unit, contract, integration and end-to-end tests. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testRegex: '\\.(spec|e2e-spec)\\.ts$',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  moduleNameMapper: { '^@mel/(application|database|domain|event-store|ledger|projections)(/.*)?$': '<rootDir>/libs/$1/src$2' },
  // A real PostgreSQL for every run: DATABASE_URL's, or an embedded one started here.
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 120_000,
  // Two files at a time, even on 2 cores (jest's default would be one): every file has databases of its
  // own, and most of a file's time is spent waiting on PostgreSQL, the API or the browser. On this
  // project's 2-core CI machine: 398 s instead of 615 s for the whole suite on PostgreSQL 15.
  maxWorkers: 2,
};
