import { buildProgram } from '../program';
import { migrateTask } from './migrate.command';

describe('ledger migrate', () => {
  it('applies the schema migrations when called with no option, as it always has', () => {
    expect(migrateTask({}, {})).toEqual({ kind: 'schema' });
  });

  it('copies to or from EventStoreDB, in the namespace given, else LEDGER_EVENTSTORE_NAMESPACE, else "ledger"', () => {
    expect(migrateTask({ toEventstore: 'esdb://es1:2113,es2:2113,es3:2113?tls=false' }, {})).toEqual({
      kind: 'to-eventstore',
      connectionString: 'esdb://es1:2113,es2:2113,es3:2113?tls=false',
      namespace: 'ledger',
    });
    expect(migrateTask({ fromEventstore: 'esdb+discover://cluster.example:2113' }, { LEDGER_EVENTSTORE_NAMESPACE: 'mel' })).toMatchObject({ kind: 'from-eventstore', namespace: 'mel' });
    expect(migrateTask({ toEventstore: 'esdb://es:2113', namespace: 'lyon' }, { LEDGER_EVENTSTORE_NAMESPACE: 'mel' })).toMatchObject({ namespace: 'lyon' });
  });

  it.each([
    [{ toEventstore: 'esdb://a:2113', fromEventstore: 'esdb://b:2113' }, /not both: a copy goes one way/],
    [{ toEventstore: 'postgres://ledger@db/ledger' }, /is not an EventStoreDB connection string: give esdb:\/\/host:2113\?tls=false/],
    [{ toEventstore: 'esdb://admin:secret@es:2113 ' }, /"esdb:\/\/admin:\*\*\*@es:2113 " is not an EventStoreDB connection string/],
    [{ namespace: 'mel' }, /--namespace goes with --to-eventstore or --from-eventstore/],
    [{ toEventstore: 'esdb://es:2113', namespace: 'Not A Namespace' }, /namespace "Not A Namespace" must be/],
  ])('refuses %j and says what to give instead', (options, message) => {
    expect(() => migrateTask(options, {})).toThrow(message);
  });

  it('lists its options in the help', () => {
    const migrate = buildProgram().commands.find((c) => c.name() === 'migrate')!;
    expect(migrate.options.map((o) => o.long)).toEqual(['--to-eventstore', '--from-eventstore', '--namespace']);
    expect(migrate.description()).toContain('check that every entry is identical on both sides');
  });

  it('refuses conflicting options before it opens any database', async () => {
    const program = buildProgram().exitOverride();
    await expect(program.parseAsync(['node', 'ledger', 'migrate', '--to-eventstore', 'esdb://a:2113', '--from-eventstore', 'esdb://b:2113'])).rejects.toThrow(/not both/);
  });
});
