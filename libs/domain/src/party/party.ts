import { assertAdministrator } from '../shared/acting';
import type { CommandContext, Decider, DomainEvent, RecordedEvent } from '../shared/decider';
import { assertContext, assertId, shown } from '../shared/inputs';
import { DomainRuleError, ensure } from '../shared/rules';
import { assertOneOf, assertText, notFound } from '../shared/values';
import { parseIdentifiers, type PartyIdentifiers } from './identifiers';

/**
 * Party (signataire, partenaire): an organisation that signs the contract, is a partner of a priority,
 * owns or co-funds commitments and signs amendments. Identified by its SIREN, the INSEE code of a
 * commune or the RNA number of an association (null until known: the press kit gives few of them). An organisation's name is public data;
 * the people who represent it are not recorded here (DESIGN §6). Only administrators register parties
 * and change them.
 */

/**
 * A small closed set of kinds of organisation, enough to tell apart the signatories and partners of the
 * contract (État, MEL, Région, Département, communes, CAF, Banque des Territoires, Bpifrance, bailleurs…).
 * `public-agency` covers the State's operators and agencies that are not the prefecture itself (France
 * Travail, ARS, ANCT…).
 */
export const PARTY_KINDS = [
  'state',
  'public-agency',
  'metropolis',
  'region',
  'department',
  'commune',
  'social-security',
  'public-bank',
  'social-landlord',
  'association',
  'company',
  'other',
] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

const MAX_NAME = 300;

// ---- commands ---------------------------------------------------------------------------------

/** Identifiers as a command gives them: absent or null for those the party does not have. */
export type PartyIdentifiersInput = Partial<Record<keyof PartyIdentifiers, string | null>>;

export type PartyCommand = CommandContext &
  (
    | { type: 'RegisterParty'; partyId: string; name: string; kind: PartyKind; identifiers: PartyIdentifiersInput }
    | { type: 'RenameParty'; partyId: string; name: string; reason: string }
    | { type: 'CorrectPartyIdentifiers'; partyId: string; identifiers: PartyIdentifiersInput; reason: string }
  );

// ---- events -----------------------------------------------------------------------------------

export type PartyEvent =
  | DomainEvent<'PartyRegistered', { partyId: string; name: string; kind: PartyKind; identifiers: PartyIdentifiers }>
  | DomainEvent<'PartyRenamed', { partyId: string; name: string; reason: string }>
  | DomainEvent<'PartyIdentifiersCorrected', { partyId: string; identifiers: PartyIdentifiers; reason: string }>;

// ---- state ------------------------------------------------------------------------------------

export interface PartyState {
  exists: boolean;
  partyId?: string;
  name?: string;
  kind?: PartyKind;
  identifiers?: PartyIdentifiers;
  /** Earlier names, oldest first (Pôle emploi became France Travail on 1 January 2024). */
  formerNames: string[];
}

const initialState: PartyState = { exists: false, formerNames: [] };

// ---- decide -----------------------------------------------------------------------------------

function decide(command: PartyCommand, state: PartyState): PartyEvent[] {
  assertContext(command);
  switch (command.type) {
    case 'RegisterParty': {
      assertAdministrator(command.actor, 'registering a party');
      ensure(!state.exists, 'AggregateMustNotExistYet', `party ${shown(command.partyId)} already exists`, 'partyId');
      assertId(command.partyId, 'partyId');
      assertText(command.name, 'name', MAX_NAME);
      assertOneOf(command.kind, PARTY_KINDS, 'kind');
      const identifiers = identifiersOfKind(command.identifiers, command.kind);
      const { partyId, name, kind } = command;
      return [{ type: 'PartyRegistered', data: { partyId, name, kind, identifiers } }];
    }
    case 'RenameParty': {
      const current = existing(state, command.partyId);
      assertAdministrator(command.actor, 'renaming a party');
      assertText(command.name, 'name', MAX_NAME);
      ensure(command.name !== current.name, 'ValueMustBeValid', `party ${current.partyId} is already named ${current.name}`, 'name');
      assertText(command.reason, 'reason');
      return [{ type: 'PartyRenamed', data: { partyId: current.partyId, name: command.name, reason: command.reason } }];
    }
    case 'CorrectPartyIdentifiers': {
      const current = existing(state, command.partyId);
      assertAdministrator(command.actor, 'correcting the identifiers of a party');
      const identifiers = identifiersOfKind(command.identifiers, current.kind);
      ensure(
        identifiers.siren !== current.identifiers.siren ||
          identifiers.inseeCode !== current.identifiers.inseeCode ||
          identifiers.rna !== current.identifiers.rna,
        'ValueMustBeValid',
        `the identifiers of party ${current.partyId} are already these`,
        'identifiers',
      );
      assertText(command.reason, 'reason');
      return [{ type: 'PartyIdentifiersCorrected', data: { partyId: current.partyId, identifiers, reason: command.reason } }];
    }
    default:
      throw new DomainRuleError('ValueMustBeValid', `unknown command ${shown((command as { type: unknown }).type)}`, 'type');
  }
}

function existing(state: PartyState, partyId: unknown): Required<Pick<PartyState, 'partyId' | 'name' | 'kind' | 'identifiers'>> {
  if (!state.exists || !state.partyId || !state.name || !state.kind || !state.identifiers) throw notFound(`party ${shown(partyId)}`);
  return { partyId: state.partyId, name: state.name, kind: state.kind, identifiers: state.identifiers };
}

/**
 * The identifiers a party of this kind may have: an INSEE code is a commune's and a commune has one
 * (the volets locaux and the territory name communes by it); an RNA number is an association's.
 */
function identifiersOfKind(input: unknown, kind: PartyKind): PartyIdentifiers {
  const identifiers = parseIdentifiers(input);
  if (kind === 'commune') {
    ensure(identifiers.inseeCode !== null, 'ValueMustBeValid', 'a commune is identified by its INSEE code', 'identifiers.inseeCode');
  } else {
    ensure(identifiers.inseeCode === null, 'ValueMustBeValid', `an INSEE code identifies a commune, not a ${kind}`, 'identifiers.inseeCode');
  }
  if (kind !== 'association') {
    ensure(identifiers.rna === null, 'ValueMustBeValid', `an RNA number identifies an association, not a ${kind}`, 'identifiers.rna');
  }
  return identifiers;
}

// ---- evolve -----------------------------------------------------------------------------------

function evolve(state: PartyState, event: RecordedEvent<PartyEvent>): PartyState {
  switch (event.type) {
    case 'PartyRegistered': {
      const { partyId, name, kind, identifiers } = event.data;
      return { ...state, exists: true, partyId, name, kind, identifiers };
    }
    case 'PartyRenamed':
      return { ...state, name: event.data.name, formerNames: state.name ? [...state.formerNames, state.name] : state.formerNames };
    case 'PartyIdentifiersCorrected':
      return { ...state, identifiers: event.data.identifiers };
    default:
      return state;
  }
}

export const partyDecider: Decider<PartyCommand, PartyEvent, PartyState> = {
  aggregate: 'party',
  initialState,
  decide,
  evolve,
};
