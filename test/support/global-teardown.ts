import type { EmbeddedPostgres } from '../../libs/database/src';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as Record<string, unknown>).__LEDGER_EMBEDDED_PG__ as EmbeddedPostgres | undefined;
  await server?.stop();
}
