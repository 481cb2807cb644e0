import { type Actor, type ErasureReason, type PersonCommand, personDecider } from '@mel/domain';
import type { EventStore } from '@mel/event-store';
import { type AnyDecider, CommandExecutor } from '../command-executor';
import { erasureIn, type PersonalDirectory, personStreamId } from './personal-directory';

export interface ErasureRequest {
  personId: string;
  /** A category of ERASURE_REASONS (never free text: it goes into the log). */
  reason?: ErasureReason | null;
  actor: Actor;
  /** When the erasure was asked for (ISO 8601 with its offset): the event's effective date. */
  at: string;
  correlationId?: string;
}

export interface ErasureOutcome {
  personId: string;
  /**
   * `erased`: the erasure was recorded now, and the directory's entry deleted. `completed`: the log
   * already recorded this erasure (an earlier run stopped before the directory's part), which ran now.
   */
  outcome: 'erased' | 'completed';
  /** The seq and id of the PersonDataErased event (written now, or earlier when `completed`). */
  seq: number;
  eventId: string;
  streamId: string;
  /** When the log recorded the erasure (the event's recordedAt). */
  erasedAt: string;
  /** Whether the person's row was deleted by this run (false when an earlier run had). */
  directoryRowDeleted: boolean;
}

/**
 * Erasing a person's data (GDPR art. 17; ADR 12), the one path of the API's endpoint and of
 * `ledger erase-person`, in this order:
 *
 * 1. record `PersonDataErased { personId, reason, requestedAt }` in the person's stream through the
 *    generic command path (the decider refuses a second erasure, an unknown person, a non-administrator);
 * 2. then, in one transaction, delete the person's row from the directory and record the erasure
 *    (id, time, seq: nothing personal).
 *
 * Read models and exports need nothing: they never held a name. The log, the Merkle tree and the
 * checkpoints are untouched, so every proof stays valid.
 *
 * If the process stops between 1 and 2, the log says "erased" while the directory still holds the row:
 * running the erasure again finishes step 2 (`completed`) and writes no second event; reads already
 * treat the person as erased (PersonalDirectory.find). Once both steps are done, another erasure is
 * refused (`PersonDataIsErasedOnce`, 409) and writes nothing.
 */
export class PersonErasure {
  private readonly executor: CommandExecutor;

  constructor(
    private readonly store: EventStore,
    private readonly directory: PersonalDirectory,
  ) {
    this.executor = new CommandExecutor(store);
  }

  async erase(request: ErasureRequest): Promise<ErasureOutcome> {
    const { personId } = request;
    const streamId = personStreamId(personId);
    const { state } = await this.executor.read(personDecider, personId);
    if (state.erased) {
      // Recorded already: finish the directory's part if an earlier run did not; otherwise the decider
      // refuses the second erasure below, writing nothing.
      const outcome = await this.complete(personId, streamId);
      if (outcome.changed) return { ...outcome.result, outcome: 'completed' };
    }
    const known = await this.directory.knows(personId);
    const command: PersonCommand = { type: 'RecordPersonErasure', personId, reason: request.reason ?? null, known, actor: request.actor, at: request.at };
    await this.executor.execute(personDecider as unknown as AnyDecider, personId, command, { correlationId: request.correlationId });
    // The erasure event just appended is the stream's only one: step 2 reads its seq and time from there.
    const { result } = await this.complete(personId, streamId);
    return { ...result, outcome: 'erased' };
  }

  /** Step 2, for an erasure the log records. */
  private async complete(personId: string, streamId: string): Promise<{ changed: boolean; result: Omit<ErasureOutcome, 'outcome'> }> {
    const erasure = erasureIn(await this.store.readStream(streamId));
    if (!erasure) throw new Error(`the log records no erasure of ${personId}, yet one was expected in ${streamId}`);
    let done: { changed: boolean; rowDeleted: boolean };
    try {
      done = await this.directory.completeErasure(personId, erasure);
    } catch (error) {
      throw new ErasureIncompleteError(personId, erasure.seq, error as Error);
    }
    const { changed, rowDeleted } = done;
    return {
      changed,
      result: { personId, seq: erasure.seq, eventId: erasure.eventId, streamId, erasedAt: erasure.recordedAt, directoryRowDeleted: rowDeleted },
    };
  }
}

/**
 * Step 1 is done (the log records the erasure, at `seq`) but step 2 failed: the directory still holds
 * the person's row. Running the erasure again finishes it.
 */
export class ErasureIncompleteError extends Error {
  constructor(
    readonly personId: string,
    readonly seq: number,
    override readonly cause: Error,
  ) {
    super(
      `the erasure of ${personId} is recorded in the log (seq ${seq}) but the directory could not be updated (${cause.message}): ` +
        'run the erasure again to finish it; it will not be recorded twice',
    );
    this.name = 'ErasureIncompleteError';
  }
}
