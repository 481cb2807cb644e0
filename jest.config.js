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
};
