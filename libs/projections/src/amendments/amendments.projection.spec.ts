import { PostgresEventStore } from '@mel/event-store';
import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { ProjectionRunner } from '../projection-runner';
import { ensureLiveVersion, readModelDataSource } from '../read-model-versions';
import { rebuild } from '../rebuild';
import { AmendmentRow, AmendmentSignatureRow, AmendmentTargetRow, amendmentsProjection } from './amendments.projection';

const projections = [amendmentsProjection];
const rep = (partyId: string) => ({ subject: `user-${partyId}`, role: 'signatory-representative', partyId });
const admin = { subject: 'user-admin', role: 'administrator', mandate: 'délégation' };
const decision = (amendmentId: string, decisionId: string) => ({ amendmentId, decisionId, meetingId: 'copil-1', bodyId: 'copil-cvs' });

/** The amendments register from raw events: lifecycle, signatures, effects on contract and commitments; rebuild-stable. */
describe('amendmentsProjection', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let source: DataSource;
  let live: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore({ connectionString: db.appUrl });
    const proposed = (amendmentId: string, commitmentIds: string[], contractId: string | null) => ({
      type: 'AmendmentProposed',
      occurredAt: '2025-03-01T08:00:00Z',
      actor: rep('party-mel'),
      data: {
        amendmentId, rationale: 'pourquoi', description: 'quoi', contractId, commitmentIds, affectedPartyIds: ['party-mel', 'party-etat'], proposedByPartyId: 'party-mel',
        changes: [
          ...(contractId ? [{ target: { kind: 'contract', id: contractId }, change: { addAmbitions: [] } }] : []),
          ...commitmentIds.map((id) => ({ target: { kind: 'commitment', id }, change: { title: `${id} (avenant)` } })),
        ],
      },
    });
    await store.append('amendment-av-1', [
      proposed('av-1', ['c-1', 'c-2'], 'mel-2024'),
      { type: 'AmendmentApproved', occurredAt: '2025-06-12T12:20:00Z', actor: admin, data: decision('av-1', 'd-1') },
      { type: 'AmendmentSigned', occurredAt: '2025-06-20T09:00:00Z', actor: rep('party-mel'), data: { amendmentId: 'av-1', partyId: 'party-mel' } },
      { type: 'AmendmentSigned', occurredAt: '2025-06-20T09:30:00Z', actor: admin, data: { amendmentId: 'av-1', partyId: 'party-etat' } },
      { type: 'AmendmentEnteredIntoForce', occurredAt: '2025-06-20T10:00:00Z', actor: admin, data: { amendmentId: 'av-1' } },
    ], { expectedVersion: 'no-stream' });
    await store.append('contract-mel-2024', [{ type: 'ContractAmended', occurredAt: '2025-06-20T10:00:00Z', actor: admin, data: { contractId: 'mel-2024', amendmentId: 'av-1', changes: { addAmbitions: [] } } }], { expectedVersion: 'any' });
    await store.append('commitment-c-1', [{ type: 'CommitmentAmended', occurredAt: '2025-06-20T10:00:00Z', actor: admin, data: { commitmentId: 'c-1', amendmentId: 'av-1', changes: { title: 'c-1 (avenant)' } } }], { expectedVersion: 'any' });
    await store.append('commitment-c-2', [
      { type: 'CommitmentAmended', occurredAt: '2025-06-20T10:00:00Z', actor: admin, data: { commitmentId: 'c-2', amendmentId: 'av-1', changes: { title: 'c-2 (avenant)' } } },
      { type: 'CommitmentSuperseded', occurredAt: '2025-06-20T10:00:00Z', actor: admin, data: { commitmentId: 'c-2', amendmentId: 'av-1' } },
    ], { expectedVersion: 'any' });
    await store.append('amendment-av-2', [
      proposed('av-2', ['c-1'], null),
      { type: 'AmendmentRejected', occurredAt: '2025-06-12T12:25:00Z', actor: admin, data: decision('av-2', 'd-2') },
    ], { expectedVersion: 'no-stream' });
    await store.append('amendment-av-3', [
      proposed('av-3', ['c-2'], null),
      { type: 'AmendmentWithdrawn', occurredAt: '2025-04-01T08:00:00Z', actor: rep('party-mel'), data: { amendmentId: 'av-3', reason: 'remplacé' } },
    ], { expectedVersion: 'no-stream' });

    live = await ensureLiveVersion(db.adminUrl, projections);
    source = readModelDataSource(db.appUrl, live, projections);
    await source.initialize();
    await new ProjectionRunner(store, source, live, projections, { batchSize: 3 }).catchUp();
  });
  afterAll(async () => {
    await source?.destroy();
    await store?.close();
    await db?.drop();
  });

  it('keeps each amendment’s status, decision and dates', async () => {
    const rows = await source.getRepository(AmendmentRow).find({ order: { amendmentId: 'ASC' } });
    expect(rows.map((r) => [r.amendmentId, r.status, r.decisionOutcome, r.decisionId])).toEqual([
      ['av-1', 'in_force', 'approved', 'd-1'],
      ['av-2', 'rejected', 'rejected', 'd-2'],
      ['av-3', 'withdrawn', null, null],
    ]);
    expect(rows[0]).toMatchObject({ contractId: 'mel-2024', inForceOn: new Date('2025-06-20T10:00:00Z'), streamVersion: 5 });
    expect(rows[2]).toMatchObject({ withdrawalReason: 'remplacé', withdrawnOn: new Date('2025-04-01T08:00:00Z') });
  });

  it('records signatures with who signed and under which mandate', async () => {
    const signatures = await source.getRepository(AmendmentSignatureRow).find({ order: { seq: 'ASC' } });
    expect(signatures.map((s) => [s.partyId, s.signerRole, s.onBehalf, s.mandate])).toEqual([
      ['party-mel', 'signatory-representative', false, null],
      ['party-etat', 'administrator', true, 'délégation'],
    ]);
  });

  it('marks each target applied (and superseded) by its effect event, and leaves the others unapplied', async () => {
    const all = await store.readAll(0, 100);
    const seqOf = (streamId: string, type: string) => String(all.find((e) => e.streamId === streamId && e.type === type)!.seq);
    const targets = await source.getRepository(AmendmentTargetRow).find({ order: { amendmentId: 'ASC', kind: 'ASC', targetId: 'ASC' } });
    expect(targets.map((t) => [t.amendmentId, t.kind, t.targetId, t.appliedSeq, t.supersededSeq])).toEqual([
      ['av-1', 'commitment', 'c-1', seqOf('commitment-c-1', 'CommitmentAmended'), null],
      ['av-1', 'commitment', 'c-2', seqOf('commitment-c-2', 'CommitmentAmended'), seqOf('commitment-c-2', 'CommitmentSuperseded')],
      ['av-1', 'contract', 'mel-2024', seqOf('contract-mel-2024', 'ContractAmended'), null],
      ['av-2', 'commitment', 'c-1', null, null],
      ['av-3', 'commitment', 'c-2', null, null],
    ]);
    expect(targets[0]).toMatchObject({ change: { title: 'c-1 (avenant)' }, appliedOn: new Date('2025-06-20T10:00:00Z') });
  });

  it('rebuilds to the same digests (no wall-clock column)', async () => {
    const report = await rebuild({ adminUrl: db.adminUrl, appUrl: db.appUrl, store, projections, checkOnly: true });
    expect(report.differences).toEqual([]);
    expect(report.switched).toBe(false);
  });
});
