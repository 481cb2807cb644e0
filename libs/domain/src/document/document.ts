import type { Actor, CommandContext, Decider, DomainEvent, RecordedEvent } from '../shared/decider';
import { assertBoolean, optionalText, shown } from '../shared/inputs';
import { DomainRuleError, ensure } from '../shared/rules';
import { assertOneOf, assertSha256, assertText, notFound } from '../shared/values';

/**
 * Document: minutes, local annexes, reports, evidence, amendments… The ledger never holds a document's
 * content, only its SHA-256 (lowercase hex), which is also its id: the stream of a document is
 * `document-<sha256>`, so registering the same bytes twice is refused. Registration records what the
 * document is (title, kind, media type, size, the party that registered it, whether it is public);
 * afterwards the only change is to be superseded by a newer document. Nothing else changes a document.
 *
 * Choices:
 * - Who registers: an administrator for any party; a signatory representative or a body secretary
 *   (who records minutes) for their own party only. Who supersedes: the same, for the party that
 *   registered the document.
 * - The media type is `type/subtype` (RFC 6838), without parameters, stored as given.
 * - A document is never empty: `sizeBytes` is a whole number ≥ 1.
 * - Supersession takes a looked-up fact: the successor document's registration, read from its stream by
 *   the command handler (`successor`, null when not registered). The successor must be registered and
 *   current (not itself superseded), which also rules out cycles. "Newer" means a newer version, not a
 *   later registration: the order of registration is not checked.
 */

export const DOCUMENT_KINDS = ['minutes', 'local-annex', 'report', 'evidence', 'amendment', 'other'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export interface DocumentDescription {
  title: string;
  kind: DocumentKind;
  mediaType: string;
  sizeBytes: number;
  registeredByPartyId: string;
  public: boolean;
}

// ---- commands ---------------------------------------------------------------------------------

export type DocumentCommand = CommandContext &
  (
    | {
        type: 'RegisterDocument';
        /** The SHA-256 of the document's bytes, lowercase hex. */
        documentId: string;
        title: string;
        kind: DocumentKind;
        mediaType: string;
        sizeBytes: number;
        registeredByPartyId: string;
        /** Defaults to false: open data only lists public documents. */
        public?: boolean;
      }
    | {
        type: 'SupersedeDocument';
        documentId: string;
        /** The SHA-256 of the newer document. */
        supersededBy: string;
        reason?: string | null;
        /** Looked up from the successor's stream by the command handler; null when it is not registered. */
        successor: { documentId: string; supersededBy: string | null } | null;
      }
  );

// ---- events -----------------------------------------------------------------------------------

export type DocumentEvent =
  | DomainEvent<'DocumentRegistered', { documentId: string } & DocumentDescription>
  | DomainEvent<'DocumentSuperseded', { documentId: string; supersededBy: string; reason: string | null }>;

// ---- state ------------------------------------------------------------------------------------

export interface DocumentState {
  exists: boolean;
  documentId?: string;
  description?: DocumentDescription;
  /** Effective date of the registration. */
  registeredAt?: string;
  status?: 'current' | 'superseded';
  supersededBy: string | null;
}

const initialState: DocumentState = { exists: false, supersededBy: null };

// RFC 6838 restricted-name: type/subtype, no parameters.
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i;

// ---- decide -----------------------------------------------------------------------------------

function decide(command: DocumentCommand, state: DocumentState): DocumentEvent[] {
  if (command.type === 'RegisterDocument') {
    ensure(!state.exists, 'AggregateMustNotExistYet', `document ${shown(command.documentId)} is registered already`, 'documentId');
    assertSha256(command.documentId, 'documentId');
    assertText(command.title, 'title', 300);
    assertOneOf(command.kind, DOCUMENT_KINDS, 'kind');
    ensure(typeof command.mediaType === 'string' && MEDIA_TYPE.test(command.mediaType), 'ValueMustBeValid', 'mediaType must be a media type such as application/pdf', 'mediaType');
    ensure(Number.isSafeInteger(command.sizeBytes) && command.sizeBytes > 0, 'ValueMustBeValid', 'sizeBytes must be a whole number of bytes ≥ 1', 'sizeBytes');
    assertText(command.registeredByPartyId, 'registeredByPartyId', 100);
    assertRecordsFor(command.actor, command.registeredByPartyId, 'registeredByPartyId');
    if (command.public !== undefined) assertBoolean(command.public, 'public');
    const { documentId, title, kind, mediaType, sizeBytes, registeredByPartyId } = command;
    return [{ type: 'DocumentRegistered', data: { documentId, title, kind, mediaType, sizeBytes, registeredByPartyId, public: command.public ?? false } }];
  }
  if (!state.exists || !state.description || !state.documentId) throw notFound(`document ${shown(command.documentId)}`);
  const documentId = state.documentId;

  switch (command.type) {
    case 'SupersedeDocument': {
      assertRecordsFor(command.actor, state.description.registeredByPartyId);
      ensure(state.status === 'current', 'TransitionMustFollowLifecycle', `document ${documentId} is superseded already, by ${state.supersededBy}`);
      assertSha256(command.supersededBy, 'supersededBy');
      ensure(command.supersededBy !== documentId, 'ValueMustBeValid', 'a document is not superseded by itself', 'supersededBy');
      const successor = command.successor;
      if (successor === null || successor === undefined) {
        throw new DomainRuleError('AggregateMustExist', `document ${command.supersededBy} is not registered`, 'supersededBy');
      }
      ensure(typeof successor === 'object' && successor.documentId === command.supersededBy, 'ValueMustBeValid', 'the successor looked up is not the document named by supersededBy', 'successor');
      ensure(
        successor.supersededBy === null,
        'TransitionMustFollowLifecycle',
        `document ${command.supersededBy} is itself superseded by ${shown(successor.supersededBy)}: name the current version`,
        'supersededBy',
      );
      const reason = optionalText(command.reason, 'reason', 2000);
      return [{ type: 'DocumentSuperseded', data: { documentId, supersededBy: command.supersededBy, reason } }];
    }
    default:
      throw new DomainRuleError('ValueMustBeValid', `unknown command ${shown((command as { type: unknown }).type)}`, 'type');
  }
}

/**
 * An administrator records documents for any party; a signatory representative, or a body secretary
 * (minutes), for their own party only; an auditor or the public records nothing.
 */
function assertRecordsFor(actor: Actor, partyId: string, field?: string): void {
  if (actor.role === 'administrator') return;
  ensure(
    (actor.role === 'signatory-representative' || actor.role === 'body-secretary') && actor.partyId === partyId,
    'PartyActsOnlyForItself',
    `the document is party ${partyId}’s; ${actor.partyId ? `party ${actor.partyId}` : `a ${actor.role}`} cannot record it`,
    field,
  );
}

// ---- evolve -----------------------------------------------------------------------------------

function evolve(state: DocumentState, event: RecordedEvent<DocumentEvent>): DocumentState {
  switch (event.type) {
    case 'DocumentRegistered': {
      const { documentId, ...description } = event.data;
      return { ...state, exists: true, documentId, description, registeredAt: event.occurredAt, status: 'current' };
    }
    case 'DocumentSuperseded':
      return { ...state, status: 'superseded', supersededBy: event.data.supersededBy };
    default:
      return state;
  }
}

export const documentDecider: Decider<DocumentCommand, DocumentEvent, DocumentState> = {
  aggregate: 'document',
  initialState,
  decide,
  evolve,
};
