import { buildProgram } from './program';

buildProgram()
  .parseAsync(process.argv)
  .catch((error: Error) => {
    console.error(`ledger: ${error.message}`);
    process.exitCode = 1;
  });
