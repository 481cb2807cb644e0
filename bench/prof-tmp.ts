import { Client } from 'pg';
import { migrate, openDatabase, silentLog, withDatabase } from '../libs/database/src';
import { canonicalBytes } from '../libs/ledger/src';
async function main() {
  const db = await openDatabase({ log: silentLog });
  const c = new Client({ connectionString: db.adminUrl }); await c.connect();
  await c.query('DROP DATABASE IF EXISTS prof WITH (FORCE)'); await c.query('CREATE DATABASE prof');
  const admin = withDatabase(db.adminUrl, 'prof');
  await migrate(admin, { log: silentLog });
  const a = new Client({ connectionString: admin }); await a.connect();
  let seq = 0;
  const mk = (n: number) => Array.from({ length: n }, (_, i) => { seq++; return canonicalBytes({ actor: { subject: 'u', role: 'r' }, causationId: null, correlationId: 'c', data: { i, text: 'x'.repeat(200) }, eventId: `0190f5a2-0000-7000-8000-${String(seq).padStart(12, '0')}`, occurredAt: '2025-01-01T00:00:00.000Z', recordedAt: '2025-01-01T00:00:00.000Z', schemaVersion: 1, seq, streamId: `commitment-${seq % 16}`, streamVersion: Math.ceil(seq / 16), type: 'X' }); });
  // fill some
  for (let b = 0; b < 200; b++) { const head = seq; const e = mk(16); await a.query('SELECT event_store.append_batch($1,$2)', [head, e]); }
  const t0 = process.hrtime.bigint();
  for (let b = 0; b < 200; b++) { const head = seq; const e = mk(16); await a.query('SELECT event_store.append_batch($1,$2)', [head, e]); }
  console.log('append_batch 16:', (Number(process.hrtime.bigint() - t0) / 1e6 / 200).toFixed(3), 'ms');
  await a.end(); await c.query('DROP DATABASE prof WITH (FORCE)'); await c.end(); await db.close();
}
main();
