import { checkNamespace, esdbStreamName, indexStreamName, ledgerStreamIdOf } from './stream-names';

describe('EventStoreDB stream names', () => {
  it('puts a ledger stream under its namespace and reads it back', () => {
    expect(esdbStreamName('ledger', 'commitment-a1')).toBe('ledger/commitment-a1');
    expect(ledgerStreamIdOf('ledger', 'ledger/commitment-a1')).toBe('commitment-a1');
  });

  it.each([
    ['a system stream', '$stats-127.0.0.1:2113'],
    ['a metadata stream', '$$ledger/commitment-a1'],
    ['another namespace that shares the first letters', 'ledger2/commitment-a1'],
    ['the index stream of the namespace', 'ledger.seq-index'],
    ['the bare prefix', 'ledger/'],
  ])('does not take %s for a ledger stream', (_label, name) => {
    expect(ledgerStreamIdOf('ledger', name)).toBeUndefined();
  });

  it('keeps the index stream out of the prefix that selects ledger events', () => {
    expect(ledgerStreamIdOf('mel', indexStreamName('mel'))).toBeUndefined();
  });

  it.each(['', 'Ledger', '$ledger', '1ledger', 'led-ger', 'a'.repeat(41), 'led/ger'])('refuses the namespace %j', (namespace) => {
    expect(() => checkNamespace(namespace)).toThrow(/LEDGER_EVENTSTORE_NAMESPACE/);
  });

  it.each(['ledger', 'mel', 't_1a2b3c', 'a'.repeat(40)])('accepts the namespace %j', (namespace) => {
    expect(checkNamespace(namespace)).toBe(namespace);
  });
});
