import { currentSchemaVersion, upcast } from './upcasting';

describe('upcasting', () => {
  it('brings a FundingRecorded of schema version 1 to version 2: its amount was in euros', () => {
    const v1 = { type: 'FundingRecorded', schemaVersion: 1, seq: 7, data: { commitmentId: 'c1', transaction: 'disbursement', year: 2025, amountCents: 500, partyId: 'party-mel' } };
    expect(upcast(v1)).toEqual({ ...v1, schemaVersion: 2, data: { ...v1.data, currency: 'EUR' } });
  });

  it('leaves an event already at the current version as it is (same object)', () => {
    const v2 = { type: 'FundingRecorded', schemaVersion: 2, data: { amountCents: 1, currency: 'EUR' } };
    expect(upcast(v2)).toBe(v2);
    const other = { type: 'CommitmentProposed', schemaVersion: 1, data: {} };
    expect(upcast(other)).toBe(other);
  });

  it('says which version writers use', () => {
    expect(currentSchemaVersion('FundingRecorded')).toBe(2);
    expect(currentSchemaVersion('CommitmentProposed')).toBe(1);
  });
});
