import { buildProgram } from './program';

describe('ledger --help', () => {
  it('names the command and lists its subcommands', () => {
    const program = buildProgram();
    const help = program.helpInformation();
    expect(help).toMatch(/^Usage: ledger \[options\] \[command\]/);
    expect(program.commands.map((c) => c.name())).toEqual(expect.arrayContaining(['export', 'migrate', 'rebuild', 'seed', 'status']));
    expect(help).toContain('DATABASE_URL');
  });

  it('refuses an unknown subcommand with a pointer to the help', async () => {
    const program = buildProgram().exitOverride();
    let stderr = '';
    program.configureOutput({ writeErr: (text) => (stderr += text) });
    await expect(program.parseAsync(['node', 'ledger', 'frobnicate'])).rejects.toMatchObject({ code: 'commander.unknownCommand' });
    expect(stderr).toContain('ledger --help');
  });
});
