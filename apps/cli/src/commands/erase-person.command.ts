import { type ErasureOutcome, PersonalDirectory, PersonErasure } from '@mel/application';
import { type Actor, DomainRuleError, ERASURE_REASONS, type ErasureReason, ID_PATTERN, isPersonId } from '@mel/domain';
import { openEventStore } from '@mel/event-store';
import type { Command } from 'commander';
import { Pool } from 'pg';
import { withDatabase } from '../database-session';

/** Who the log names as having erased, unless --operator says otherwise: a pseudonymous id, never a name. */
export const CLI_OPERATOR = 'ledger-cli';

export function registerErasePerson(program: Command): void {
  program
    .command('erase-person')
    .description(
      'erase a person’s data from the personal directory (GDPR art. 17): record PersonDataErased (the id, the ground, the date; nothing personal) ' +
        'in the log, then delete the person’s entry; the read models and the open data never held it, and the log, the Merkle tree and its ' +
        'checkpoints are untouched, so every proof stays valid. Running it again after an interruption finishes the erasure.',
    )
    .argument('<personId>', 'the person’s id, person-<UUID v4>, as POST /directory/people answered it')
    .requiredOption('--reason <ground>', `the ground of the erasure, a category: ${ERASURE_REASONS.join(', ')}`)
    .option('--at <date-time>', 'when the erasure was asked for, ISO 8601 with a time zone (default: now)')
    .option('--operator <id>', 'the pseudonymous id recorded as who erased (never a name)', CLI_OPERATOR)
    .action(async (personId: string, options: { reason: string; at?: string; operator: string }) => {
      const request = checkedRequest(personId, options);
      await withDatabase(Boolean(program.opts().verbose), async (database) => {
        const store = openEventStore({ appUrl: database.appUrl, poolSize: 2 });
        const pool = new Pool({ connectionString: database.appUrl, max: 2 });
        pool.on('error', () => undefined); // a dropped idle connection is replaced by the next query
        try {
          const erasure = new PersonErasure(store, new PersonalDirectory(pool, store));
          let outcome: ErasureOutcome;
          try {
            outcome = await erasure.erase(request);
          } catch (error) {
            throw error instanceof DomainRuleError ? new Error(whatToDo(personId, error)) : error;
          }
          console.log(report(outcome, request.reason));
        } finally {
          await pool.end();
          await store.close();
        }
      });
    });
}

function checkedRequest(personId: string, options: { reason: string; at?: string; operator: string }) {
  const given = personId.slice(0, 100);
  if (!isPersonId(personId)) {
    throw new Error(`${JSON.stringify(given)} is not a person id: give it as POST /directory/people answered it, person- and a UUID v4 in lowercase`);
  }
  if (!(ERASURE_REASONS as readonly string[]).includes(options.reason)) {
    throw new Error(`--reason must be one of ${ERASURE_REASONS.join(', ')} (a category, never free text: it is recorded in the log for good), not ${JSON.stringify(options.reason.slice(0, 100))}`);
  }
  if (options.at !== undefined && (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(options.at) || Number.isNaN(Date.parse(options.at)))) {
    throw new Error(`--at must be an ISO 8601 date-time with a time zone, e.g. 2025-03-10T09:30:00+01:00 (got ${JSON.stringify(options.at.slice(0, 100))})`);
  }
  if (!ID_PATTERN.test(options.operator)) {
    throw new Error('--operator must be a pseudonymous id of 1 to 100 letters, digits, . _ : - (it is recorded in the log: never a name)');
  }
  const actor: Actor = { subject: options.operator, role: 'administrator' };
  return { personId, reason: options.reason as ErasureReason, at: options.at ?? new Date().toISOString(), actor };
}

function report(outcome: ErasureOutcome, reason: string): string {
  const untouched = 'the read models and the open data hold no name; the log, the Merkle tree and its checkpoints are unchanged, so every proof stays valid';
  if (outcome.outcome === 'completed') {
    return (
      `finished the erasure of ${outcome.personId} that the log recorded at seq ${outcome.seq} (event ${outcome.eventId}, ${outcome.erasedAt}): ` +
      `${outcome.directoryRowDeleted ? 'the directory entry is deleted now' : 'the directory entry was deleted already; the erasure is recorded in the directory now'}; ${untouched}`
    );
  }
  return (
    `erased ${outcome.personId}: PersonDataErased recorded at seq ${outcome.seq} in stream ${outcome.streamId} (event ${outcome.eventId}, reason ${reason}); ` +
    `${outcome.directoryRowDeleted ? 'the directory entry is deleted' : 'the directory held no entry any more'}; ${untouched}`
  );
}

/** A refusal, and what to do next. */
function whatToDo(personId: string, error: DomainRuleError): string {
  switch (error.rule) {
    case 'PersonDataIsErasedOnce':
      return `${error.message}. Nothing was written. To see when, GET /directory/people/${personId} answers the erasure's date and seq.`;
    case 'AggregateMustExist':
      return `${error.message}. Nothing was written. Check the id: it is the personId POST /directory/people answered (GET /directory/people/${personId} says whether it exists).`;
    default:
      return `${error.message} (${error.rule}${error.field ? `, ${error.field}` : ''}). Nothing was written.`;
  }
}
