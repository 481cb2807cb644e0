import { resolve } from 'node:path';
import { PostgresEventStore } from '@mel/event-store';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { ADOPTED_AT, CONTRACT_ID, SIGNED_AT } from './mel-contract-seed';
import { loadMelSeed, runSeed } from './run-seed';

const projectRoot = resolve(__dirname, '../../../..');

describe('the MEL contract seed', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore({ connectionString: db.appUrl });
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it('loads the contract with its real dates, through the deciders, and a second run changes nothing', async () => {
    const steps = loadMelSeed(projectRoot);
    const progress: number[] = [];
    const first = await runSeed(store, steps, (done) => progress.push(done));
    expect(first.written).toBe(steps.length);
    expect(progress.at(-1)).toBe(steps.length);
    expect(first.head).toBe(first.events);

    const again = await runSeed(store, loadMelSeed(projectRoot));
    expect(again).toEqual({ steps: steps.length, written: 0, events: 0, head: first.head });

    const contract = await store.readStream(`contract-${CONTRACT_ID}`);
    expect(contract[0]).toMatchObject({ type: 'ContractAdopted', occurredAt: new Date(ADOPTED_AT).toISOString() });
    const adopted = contract[0].data as { priorities: { number: number; ambitions: unknown[]; partnerPartyIds: string[] }[]; territory: { qpv: unknown[]; communes: string[] }; components: { component: string; indicativeAnnualBudgetCents: number }[] };
    expect(adopted.priorities.map((p) => p.number)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(adopted.priorities.map((p) => p.ambitions.length)).toEqual([7, 7, 3, 6, 7, 4]);
    expect(adopted.territory.qpv).toHaveLength(26);
    expect(adopted.territory.communes).toHaveLength(19);
    expect(adopted.components).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ component: 'contrat-de-ville', indicativeAnnualBudgetCents: 2_000_000_000 }),
        expect.objectContaining({ component: 'pacte-local-solidarites', indicativeAnnualBudgetCents: 200_000_000 }),
      ]),
    );
    expect(adopted.priorities[0].partnerPartyIds).toEqual(expect.arrayContaining(['party-etat', 'party-mel', 'party-commune-59350']));
    const signed = contract.filter((e) => e.type === 'ContractSigned');
    expect(signed).toHaveLength(1);
    expect(signed[0].occurredAt).toBe(new Date(SIGNED_AT).toISOString());
    expect(contract.at(-1)?.type).toBe('ContractEnteredIntoForce');
  });

  it('records the actions of the press kit as commitments in progress, with the figures the text gives', async () => {
    const emergence = await store.readStream('commitment-areli-programme-emergence');
    expect(emergence.map((e) => e.type)).toEqual(['CommitmentDrafted', 'CommitmentProposed', 'CommitmentAdopted', 'CommitmentStarted']);
    expect(emergence[0].data).toMatchObject({ ownerPartyId: 'party-areli', priority: 1, component: 'contrat-de-ville', horizon: 2030 });
    const targets = (await store.readStream('indicator-emergence-laureats')).filter((e) => e.type === 'TargetSet');
    expect(targets).toHaveLength(7);
    expect(targets[0].data).toMatchObject({ value: 30, upperValue: 50 });
    const paniers = await store.readStream('indicator-paniers-distribues');
    expect(paniers.find((e) => e.type === 'BaselineSet')?.data).toMatchObject({ value: 7000 });
  });

  it('constitutes a steering body with conseil citoyen members', async () => {
    const copil = await store.readStream('governance-body-copil-cvs');
    expect(copil[0]).toMatchObject({ type: 'GovernanceBodyCreated', data: { function: 'pilotage', citizenSeats: 2 } });
    expect(copil.filter((e) => e.type === 'MemberAdded' && (e.data as { seat: string }).seat === 'citizen')).toHaveLength(2);
    expect(copil.at(-1)?.type).toBe('GovernanceBodyConstituted');
  });

  it('says where it looked when its sources are missing', () => {
    expect(() => loadMelSeed(projectRoot, { LEDGER_SEED_DIR: '/nonexistent' })).toThrow(/LEDGER_SEED_DIR/);
  });
});
