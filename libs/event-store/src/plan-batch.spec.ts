import { v7 as uuidv7 } from 'uuid';
import { prepareAppend, sealEvent } from './envelope';
import type { ExpectedVersion } from './event-envelope';
import { planBatch, type StoreSnapshot } from './plan-batch';

const actor = { subject: 'user-1', role: 'body-secretary' };
const request = (streamId: string, expectedVersion: ExpectedVersion, eventIds: (string | undefined)[] = [undefined]) =>
  prepareAppend(streamId, eventIds.map((eventId) => ({ eventId, type: 'MeetingHeld', occurredAt: '2024-06-01T09:00:00Z', actor, data: {} })), expectedVersion);
const snapshot = (over: Partial<StoreSnapshot> = {}): StoreSnapshot => ({
  head: 10,
  nowMs: Date.parse('2026-01-01T00:00:00Z'),
  lastRecordedMs: 0,
  versions: new Map(),
  existing: new Map(),
  ...over,
});

describe('planBatch', () => {
  it('numbers new events after the head and after each stream, in arrival order', () => {
    const plan = planBatch([request('meeting-a', 'no-stream'), request('meeting-b', 3), request('meeting-a', 1)], snapshot({ versions: new Map([['meeting-b', 3]]) }));
    expect(plan.outcomes.map((o) => ('ok' in o ? [o.ok.seq, o.ok.streamVersion] : o.error.name))).toEqual([[11, 1], [12, 4], [13, 2]]);
    expect(plan.entries.map((e) => JSON.parse(e).seq)).toEqual([11, 12, 13]);
    expect(plan.versions).toEqual(new Map([['meeting-a', 2], ['meeting-b', 4]]));
  });

  it('lets the first of two appends at the same expected version win, and reports the actual version to the second', () => {
    const plan = planBatch([request('meeting-a', 2), request('meeting-a', 2)], snapshot({ versions: new Map([['meeting-a', 2]]) }));
    expect('ok' in plan.outcomes[0]).toBe(true);
    expect(plan.outcomes[1]).toMatchObject({ error: { name: 'WrongExpectedVersionError', expectedVersion: 2, actualVersion: 3 } });
    expect(plan.entries).toHaveLength(1);
  });

  it('never dates a batch before the last recorded event, whatever the clock says', () => {
    const last = Date.parse('2026-06-01T00:00:00Z');
    const plan = planBatch([request('meeting-a', 'any')], snapshot({ nowMs: last - 60_000, lastRecordedMs: last }));
    expect(JSON.parse(plan.entries[0]).recordedAt).toBe('2026-06-01T00:00:00.000Z');
  });

  it('answers a faithful retry with the stored positions, and a changed one with a conflict', () => {
    const id = uuidv7();
    const original = request('meeting-a', 'no-stream', [id]);
    const { envelope } = sealEvent(original.events[0], 'meeting-a', 1, 4, '2025-01-01T00:00:00.000Z');
    const existing = new Map([[id, envelope]]);
    const retry = planBatch([request('meeting-a', 'no-stream', [id])], snapshot({ existing, versions: new Map([['meeting-a', 1]]) }));
    expect(retry.outcomes[0]).toMatchObject({ ok: { seq: 4, streamVersion: 1, replayed: true } });
    expect(retry.entries).toEqual([]);
    const elsewhere = planBatch([request('meeting-b', 'any', [id])], snapshot({ existing }));
    expect(elsewhere.outcomes[0]).toMatchObject({ error: { name: 'EventIdConflictError', eventId: id } });
  });
});
