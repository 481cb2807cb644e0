import { deterministicEventId } from './deterministic-event-id';

describe('deterministicEventId', () => {
  const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it('is a UUIDv7 carrying the given time, the same for the same name', () => {
    const id = deterministicEventId('seed:contract-mel-2024:adopt', '2024-04-19T10:00:00+02:00');
    expect(id).toMatch(UUID_V7);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.parse('2024-04-19T08:00:00Z'));
    expect(deterministicEventId('seed:contract-mel-2024:adopt', '2024-04-19T10:00:00+02:00')).toBe(id);
  });

  it('differs for different names at the same time', () => {
    const at = '2024-05-07T10:00:00Z';
    const ids = new Set(Array.from({ length: 1000 }, (_, i) => deterministicEventId(`name-${i}`, at)));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(UUID_V7);
  });
});
