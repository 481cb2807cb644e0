import { assertAdministrator } from '../shared/acting';
import type { CommandContext, Decider, DomainEvent, RecordedEvent } from '../shared/decider';
import { assertBoolean, assertContext, shown } from '../shared/inputs';
import { DomainRuleError, ensure } from '../shared/rules';
import { assertOneOf } from '../shared/values';

/**
 * Person: someone named in the personal directory (a member of a body, a representative of a party, a
 * resident). The ledger never holds a person's name or contact details (DESIGN §6, ADR 12): those live
 * in the erasable directory, outside the log, under a pseudonymous id (`person-<UUID v4>`, drawn by the
 * server, never derived from the name). Events name people by that id only.
 *
 * The one event of a person's stream (`person-<personId>`) is the erasure of their directory entry: it
 * records that, when and on which ground the data was erased, and nothing personal. The ground is a
 * category of a closed list, never free text (a free text could hold the very name being erased).
 * Registering a person writes nothing to the log: the directory is not evidence, the log is.
 *
 * Choices:
 * - Only an administrator erases.
 * - A person's data is erased once: a second erasure is refused (`PersonDataIsErasedOnce`), so that a
 *   retry writes no second event.
 * - The command carries a looked-up fact, `known`: whether the directory holds (or held) this person.
 *   A person unknown to the directory is not erased (`AggregateMustExist`): an erasure event for an id
 *   that never named anyone would say something false.
 */

/** A person id: `person-` and a UUID v4, lowercase. Drawn by the server; says nothing of the person. */
export const PERSON_ID_PATTERN = /^person-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function isPersonId(value: unknown): value is string {
  return typeof value === 'string' && PERSON_ID_PATTERN.test(value);
}

/**
 * Why a person's data is erased: the grounds of GDPR art. 17(1) and the ledger's own cases, as
 * categories. Free text is not accepted: it could hold the name being erased, in an event that stays.
 */
export const ERASURE_REASONS = [
  /** The person asked for their data to be erased (art. 17). */
  'gdpr-art-17-request',
  /** The person objected to the processing (art. 21, art. 17(1)(c)). */
  'gdpr-art-21-objection',
  /** The person withdrew the consent the processing rested on (art. 17(1)(b)). */
  'consent-withdrawn',
  /** The data is no longer needed: the mandate ended and its retention period is over (art. 17(1)(a)). */
  'retention-period-ended',
  /** The data was processed unlawfully (art. 17(1)(d)). */
  'unlawful-processing',
  /** A legal obligation requires the erasure (art. 17(1)(e)). */
  'legal-obligation',
  /** The entry was made by mistake (wrong person, duplicate). */
  'registered-in-error',
] as const;
export type ErasureReason = (typeof ERASURE_REASONS)[number];

// ---- commands ---------------------------------------------------------------------------------

export type PersonCommand = CommandContext & {
  type: 'RecordPersonErasure';
  personId: string;
  /** A category of ERASURE_REASONS; absent or null when none is given. */
  reason?: ErasureReason | null;
  /** Looked up in the directory by the caller: whether it holds, or held, this person. */
  known: boolean;
};

// ---- events -----------------------------------------------------------------------------------

export type PersonEvent = DomainEvent<
  'PersonDataErased',
  {
    personId: string;
    reason: ErasureReason | null;
    /** When the erasure was asked for: the command's effective date and time (ISO 8601). */
    requestedAt: string;
  }
>;

// ---- state ------------------------------------------------------------------------------------

export interface PersonState {
  erased: boolean;
  personId?: string;
  reason?: ErasureReason | null;
  requestedAt?: string;
}

const initialState: PersonState = { erased: false };

// ---- decide -----------------------------------------------------------------------------------

function decide(command: PersonCommand, state: PersonState): PersonEvent[] {
  assertContext(command);
  switch (command.type) {
    case 'RecordPersonErasure': {
      assertAdministrator(command.actor, 'erasing a person’s data');
      ensure(isPersonId(command.personId), 'ValueMustBeValid', 'personId must be a person id: person- and a UUID v4 (lowercase)', 'personId');
      const personId = command.personId;
      ensure(!state.erased, 'PersonDataIsErasedOnce', `the data of ${personId} was erased already (requested at ${state.requestedAt}); nothing is left to erase`, 'personId');
      assertBoolean(command.known, 'known');
      ensure(command.known, 'AggregateMustExist', `${personId} is not in the personal directory: there is nothing to erase`, 'personId');
      let reason: ErasureReason | null = null;
      if (command.reason !== undefined && command.reason !== null) {
        assertOneOf(command.reason, ERASURE_REASONS, 'reason');
        reason = command.reason;
      }
      return [{ type: 'PersonDataErased', data: { personId, reason, requestedAt: command.at } }];
    }
    default:
      throw new DomainRuleError('ValueMustBeValid', `unknown command ${shown((command as { type: unknown }).type)}`, 'type');
  }
}

// ---- evolve -----------------------------------------------------------------------------------

function evolve(state: PersonState, event: RecordedEvent<PersonEvent>): PersonState {
  switch (event.type) {
    case 'PersonDataErased':
      return { erased: true, personId: event.data.personId, reason: event.data.reason, requestedAt: event.data.requestedAt };
    default:
      return state;
  }
}

export const personDecider: Decider<PersonCommand, PersonEvent, PersonState> = {
  aggregate: 'person',
  initialState,
  decide,
  evolve,
};
