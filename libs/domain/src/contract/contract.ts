import type { AmendmentFacts } from '../amendment/amendment';
import { assertAdministrator } from '../shared/acting';
import type { CommandContext, Decider, DomainEvent, RecordedEvent } from '../shared/decider';
import { assertContext, assertId, assertIdList, assertList, assertOnlyKeys, assertRecord, assertYear, dateOf, own, shown } from '../shared/inputs';
import { DomainRuleError, ensure } from '../shared/rules';
import { assertCents, assertOneOf, assertSha256, assertText, type Component, COMPONENTS, notFound, PRIORITY_NUMBERS } from '../shared/values';
import { assertInseeCode } from '../party/identifiers';
import { signingParty } from '../party/signing';

/**
 * Contract: the Contrat de ville et des solidarités of the Métropole Européenne de Lille, the merger of
 * the contrat de ville "Engagements Quartiers 2030" (2024–2030) and the pacte local des solidarités
 * (2024–2027). Adopted by the metropolitan council on 19 April 2024, signed by its parties on
 * 7 May 2024. Lifecycle (DESIGN §1):
 *
 *   adopted → signed (when every signatory has signed) → in_force ⇄ under_revision (from 2027) → closed
 *                                                          (in_force or under_revision → closed, from 2030-12-31)
 *
 * Communes annex their volet local (one per commune, replaced only through an amendment); amendments in
 * force change the contract through `ApplyAmendmentToContract`. All commands but `SignContract` are
 * recorded by an administrator.
 */

export type ContractStatus = 'adopted' | 'signed' | 'in_force' | 'under_revision' | 'closed';
export type PriorityNumber = (typeof PRIORITY_NUMBERS)[number];

/** Where an ambition is pursued and by when: at MEL scale by 2027, in the QPV by 2030 (press kit). */
export type AmbitionScale = 'metropolis' | 'qpv';
export const AMBITION_SCALES: readonly AmbitionScale[] = ['metropolis', 'qpv'];

export interface Ambition {
  ambitionId: string;
  text: string;
  scale: AmbitionScale;
  horizon: number;
}

/** An enjeu of the contract, numbered 1–6, with its ambitions and its partners (party ids). */
export interface Priority {
  number: PriorityNumber;
  title: string;
  ambitions: Ambition[];
  partnerPartyIds: string[];
}

export interface ContractComponentTerms {
  component: Component;
  /** Indicative yearly means of the component (about 20 M€ for the contrat de ville, 2 M€ for the pacte). */
  indicativeAnnualBudgetCents: number;
}

/** A component with the dates it runs (from COMPONENTS, recorded at adoption). */
export interface ContractComponent extends ContractComponentTerms {
  start: string;
  end: string;
}

/** A quartier prioritaire and the communes (INSEE codes) it lies in: a QPV may span several communes. */
export interface Qpv {
  code: string;
  name: string;
  communes: string[];
}

/** The communes of the contract (INSEE codes) and its QPV; every commune of a QPV is a contract commune. */
export interface Territory {
  communes: string[];
  qpv: Qpv[];
}

export interface LocalAnnexTerms {
  inseeCode: string;
  title: string;
  /** The deliberated document, identified by its SHA-256 digest. */
  documentSha256: string;
}

export interface LocalAnnex extends LocalAnnexTerms {
  /** Effective date of the annex (its event's occurredAt). */
  annexedAt: string;
  /** The amendment that set it, or null for the commune's first annex. */
  amendmentId: string | null;
}

/** What an amendment in force may change in the contract (a closed set). */
export interface ContractChanges {
  /** New ambitions of a priority. */
  addAmbitions?: (Ambition & { priority: PriorityNumber })[];
  /** New partners of a priority. */
  addPartners?: { priority: PriorityNumber; partyId: string }[];
  /** A commune's volet local: the first one, or one that replaces the annexed one. */
  setLocalAnnexes?: LocalAnnexTerms[];
  /** New indicative yearly means of a component. */
  setComponentBudgets?: ContractComponentTerms[];
}
export const CONTRACT_CHANGE_KEYS = ['addAmbitions', 'addPartners', 'setLocalAnnexes', 'setComponentBudgets'] as const;

/** The QPV code of the 2024 geography (décret n° 2023-1314), such as QN05972M. */
export const QPV_CODE = /^QN\d{5}[A-Z]$/;

const FIRST_YEAR = Number(COMPONENTS['contrat-de-ville'].start.slice(0, 4));
const LAST_YEAR = Math.max(...Object.values(COMPONENTS).map((c) => c.lastYear));
/** The mid-term evaluation and revision of the contract take place from 2027 (press kit, DESIGN §1). */
export const MID_TERM_REVISION_FROM = '2027-01-01';
/** The contract closes at the end of its longest component, the contrat de ville (2030-12-31). */
const CONTRACT_END = Object.values(COMPONENTS)
  .map((c) => c.end as string)
  .reduce((a, b) => (a > b ? a : b));

// ---- commands ---------------------------------------------------------------------------------

export type ContractCommand = CommandContext &
  (
    | {
        type: 'AdoptContract';
        contractId: string;
        title: string;
        /** The adopted text, identified by its SHA-256 digest. */
        documentSha256: string;
        components: ContractComponentTerms[];
        priorities: Priority[];
        territory: Territory;
        signatoryPartyIds: string[];
      }
    /** A party signs: its representative, or an administrator on its behalf under a mandate. */
    | { type: 'SignContract'; contractId: string; onBehalfOfPartyId?: string | null }
    | { type: 'EnterIntoForce'; contractId: string }
    | ({ type: 'AnnexLocalPart'; contractId: string } & LocalAnnexTerms)
    | { type: 'StartRevision'; contractId: string; reason: string }
    | { type: 'CompleteRevision'; contractId: string; conclusion: string }
    | { type: 'CloseContract'; contractId: string }
    | {
        type: 'ApplyAmendmentToContract';
        contractId: string;
        /** Looked up from the amendment's stream by the command handler: `amendmentFacts(state)`. */
        amendment: AmendmentFacts;
        changes: ContractChanges;
      }
  );

// ---- events -----------------------------------------------------------------------------------

export type ContractEvent =
  | DomainEvent<
      'ContractAdopted',
      {
        contractId: string;
        title: string;
        documentSha256: string;
        components: ContractComponent[];
        priorities: Priority[];
        territory: Territory;
        signatoryPartyIds: string[];
      }
    >
  | DomainEvent<'ContractSignedByParty', { contractId: string; partyId: string }>
  | DomainEvent<'ContractSigned', { contractId: string }>
  | DomainEvent<'ContractEnteredIntoForce', { contractId: string }>
  | DomainEvent<'LocalAnnexAttached', { contractId: string } & LocalAnnexTerms>
  | DomainEvent<'ContractRevisionStarted', { contractId: string; reason: string }>
  | DomainEvent<'ContractRevisionCompleted', { contractId: string; conclusion: string }>
  | DomainEvent<'ContractClosed', { contractId: string }>
  | DomainEvent<'ContractAmended', { contractId: string; amendmentId: string; changes: ContractChanges }>;

// ---- state ------------------------------------------------------------------------------------

export interface ContractState {
  exists: boolean;
  contractId?: string;
  status?: ContractStatus;
  title?: string;
  documentSha256?: string;
  components: ContractComponent[];
  priorities: Priority[];
  territory: Territory;
  signatoryPartyIds: string[];
  signedPartyIds: string[];
  /** Per commune INSEE code. */
  localAnnexes: Record<string, LocalAnnex>;
  appliedAmendmentIds: string[];
  revisions: { startedAt: string; reason: string; completedAt?: string; conclusion?: string }[];
  adoptedAt?: string;
  signedAt?: string;
  inForceSince?: string;
  closedAt?: string;
}

const initialState: ContractState = {
  exists: false,
  components: [],
  priorities: [],
  territory: { communes: [], qpv: [] },
  signatoryPartyIds: [],
  signedPartyIds: [],
  localAnnexes: {},
  appliedAmendmentIds: [],
  revisions: [],
};

/** The signatories that have not signed yet. */
export function missingContractSignatures(state: ContractState): string[] {
  return state.signatoryPartyIds.filter((id) => !state.signedPartyIds.includes(id));
}

const TRANSITIONS: Partial<Record<ContractCommand['type'], { from: ContractStatus[]; to?: ContractStatus }>> = {
  EnterIntoForce: { from: ['signed'], to: 'in_force' },
  StartRevision: { from: ['in_force'], to: 'under_revision' },
  CompleteRevision: { from: ['under_revision'], to: 'in_force' },
  CloseContract: { from: ['in_force', 'under_revision'], to: 'closed' },
  AnnexLocalPart: { from: ['signed', 'in_force', 'under_revision'] },
  ApplyAmendmentToContract: { from: ['in_force', 'under_revision'] },
};

const LABEL: Record<ContractStatus, string> = {
  adopted: 'adopted',
  signed: 'signed',
  in_force: 'in force',
  under_revision: 'under revision',
  closed: 'closed',
};

// ---- decide -----------------------------------------------------------------------------------

function decide(command: ContractCommand, state: ContractState): ContractEvent[] {
  assertContext(command);
  if (command.type === 'AdoptContract') return adopt(command, state);

  if (!state.exists || !state.contractId || !state.status) throw notFound(`contract ${shown(command.contractId)}`);
  const contractId = state.contractId;
  const status = state.status;

  const transition = own(TRANSITIONS, command.type);
  if (transition) {
    ensure(
      transition.from.includes(status),
      'TransitionMustFollowLifecycle',
      transition.to
        ? `a contract ${LABEL[status]} cannot become ${LABEL[transition.to]}`
        : `a contract ${LABEL[status]} cannot take ${command.type === 'AnnexLocalPart' ? 'a local annex' : 'an amendment'}`,
    );
  }

  switch (command.type) {
    case 'SignContract': {
      const partyId = signingParty(command.actor, command.onBehalfOfPartyId, 'PartyActsOnlyForItself');
      ensure(
        state.signatoryPartyIds.includes(partyId),
        'ContractIsSignedByItsParties',
        `party ${partyId} is not a signatory of contract ${contractId}`,
        command.actor.role === 'administrator' ? 'onBehalfOfPartyId' : undefined,
      );
      ensure(!state.signedPartyIds.includes(partyId), 'ContractIsSignedByItsParties', `party ${partyId} has already signed contract ${contractId}`);
      ensure(status === 'adopted', 'TransitionMustFollowLifecycle', `a contract ${LABEL[status]} takes no more signatures`);
      const events: ContractEvent[] = [{ type: 'ContractSignedByParty', data: { contractId, partyId } }];
      const missing = missingContractSignatures(state).filter((id) => id !== partyId);
      if (missing.length === 0) events.push({ type: 'ContractSigned', data: { contractId } });
      return events;
    }
    case 'EnterIntoForce':
      assertAdministrator(command.actor, 'bringing the contract into force');
      return [{ type: 'ContractEnteredIntoForce', data: { contractId } }];
    case 'AnnexLocalPart': {
      assertAdministrator(command.actor, 'annexing a local part');
      const annex = readAnnex(command, '', state);
      ensure(
        !state.localAnnexes[annex.inseeCode],
        'AggregateMustNotExistYet',
        `commune ${annex.inseeCode} has its local annex already; another one replaces it only through an amendment (changes.setLocalAnnexes)`,
        'inseeCode',
      );
      return [{ type: 'LocalAnnexAttached', data: { contractId, ...annex } }];
    }
    case 'StartRevision':
      assertAdministrator(command.actor, 'starting the revision of the contract');
      ensure(
        dateOf(command.at) >= MID_TERM_REVISION_FROM,
        'TransitionMustFollowLifecycle',
        `the contract is revised at mid-term, from ${MID_TERM_REVISION_FROM}; ${dateOf(command.at)} is too early`,
        'at',
      );
      assertText(command.reason, 'reason');
      return [{ type: 'ContractRevisionStarted', data: { contractId, reason: command.reason } }];
    case 'CompleteRevision':
      assertAdministrator(command.actor, 'completing the revision of the contract');
      assertText(command.conclusion, 'conclusion', 10_000);
      return [{ type: 'ContractRevisionCompleted', data: { contractId, conclusion: command.conclusion } }];
    case 'CloseContract':
      assertAdministrator(command.actor, 'closing the contract');
      ensure(
        dateOf(command.at) >= CONTRACT_END,
        'TransitionMustFollowLifecycle',
        `the contract runs until ${CONTRACT_END}; it cannot be closed on ${dateOf(command.at)}`,
        'at',
      );
      return [{ type: 'ContractClosed', data: { contractId } }];
    case 'ApplyAmendmentToContract': {
      assertAdministrator(command.actor, 'applying an amendment to the contract');
      const amendment: unknown = command.amendment;
      assertRecord(amendment, 'amendment');
      assertId(amendment.amendmentId, 'amendment.amendmentId');
      const amendmentId = amendment.amendmentId;
      ensure(
        amendment.status === 'in_force',
        'AmendmentTakesEffectOnlyWhenSignedByAll',
        `amendment ${amendmentId} is ${shown(amendment.status)}, not in force`,
      );
      ensure(
        amendment.contractId === contractId,
        'AmendmentTakesEffectOnlyWhenSignedByAll',
        `amendment ${amendmentId} does not affect contract ${contractId}`,
      );
      ensure(
        !state.appliedAmendmentIds.includes(amendmentId),
        'AggregateMustNotExistYet',
        `amendment ${amendmentId} has been applied to contract ${contractId} already`,
        'amendment.amendmentId',
      );
      const changes = readChanges(command.changes, state);
      return [{ type: 'ContractAmended', data: { contractId, amendmentId, changes } }];
    }
    default:
      throw new DomainRuleError('ValueMustBeValid', `unknown command ${shown((command as { type: unknown }).type)}`, 'type');
  }
}

function adopt(command: Extract<ContractCommand, { type: 'AdoptContract' }>, state: ContractState): ContractEvent[] {
  assertAdministrator(command.actor, 'adopting the contract');
  ensure(!state.exists, 'AggregateMustNotExistYet', `contract ${shown(command.contractId)} already exists`, 'contractId');
  assertId(command.contractId, 'contractId');
  assertText(command.title, 'title', 300);
  assertSha256(command.documentSha256, 'documentSha256');
  const components = readComponents(command.components);
  const priorities = readPriorities(command.priorities);
  const territory = readTerritory(command.territory);
  assertIdList(command.signatoryPartyIds, 'signatoryPartyIds', 2, 500);
  const { contractId, title, documentSha256 } = command;
  return [
    {
      type: 'ContractAdopted',
      data: { contractId, title, documentSha256, components, priorities, territory, signatoryPartyIds: [...command.signatoryPartyIds] },
    },
  ];
}

// ---- validation -------------------------------------------------------------------------------

const COMPONENT_NAMES = Object.keys(COMPONENTS) as Component[];

/** Both components, once each: the contract is their merger. */
function readComponents(value: unknown): ContractComponent[] {
  assertList(value, 'components', 1, COMPONENT_NAMES.length);
  const components = value.map((entry, i) => {
    const field = `components[${i}]`;
    assertRecord(entry, field);
    assertOneOf(entry.component, COMPONENT_NAMES, `${field}.component`);
    ensure(
      value.findIndex((other) => (other as { component?: unknown } | null)?.component === entry.component) === i,
      'ValueMustBeValid',
      `${field}.component ${entry.component} appears twice`,
      `${field}.component`,
    );
    assertCents(entry.indicativeAnnualBudgetCents, `${field}.indicativeAnnualBudgetCents`);
    const { start, end } = COMPONENTS[entry.component];
    return { component: entry.component, indicativeAnnualBudgetCents: entry.indicativeAnnualBudgetCents, start, end };
  });
  for (const name of COMPONENT_NAMES) {
    ensure(components.some((c) => c.component === name), 'ValueMustBeValid', `components must include the ${name}`, 'components');
  }
  return components;
}

function readAmbition(value: Record<string, unknown>, field: string): Ambition {
  assertId(value.ambitionId, `${field}.ambitionId`);
  assertText(value.text, `${field}.text`, 1_000);
  assertOneOf(value.scale, AMBITION_SCALES, `${field}.scale`);
  assertYear(value.horizon, `${field}.horizon`);
  ensure(
    value.horizon >= FIRST_YEAR && value.horizon <= LAST_YEAR,
    'PeriodIsWithinTheContract',
    `${field}.horizon ${value.horizon} lies outside the contract (${FIRST_YEAR}–${LAST_YEAR})`,
    `${field}.horizon`,
  );
  return { ambitionId: value.ambitionId, text: value.text, scale: value.scale, horizon: value.horizon };
}

/** The six enjeux, numbered 1–6 once each, with at least one ambition each; ambition ids are unique. */
function readPriorities(value: unknown): Priority[] {
  assertList(value, 'priorities', PRIORITY_NUMBERS.length, PRIORITY_NUMBERS.length);
  const numbers = new Set<number>();
  const ambitionIds = new Set<string>();
  return value.map((entry, i) => {
    const field = `priorities[${i}]`;
    assertRecord(entry, field);
    assertOneOf(entry.number, PRIORITY_NUMBERS, `${field}.number`);
    ensure(!numbers.has(entry.number), 'ValueMustBeValid', `${field}.number ${entry.number} appears twice`, `${field}.number`);
    numbers.add(entry.number);
    assertText(entry.title, `${field}.title`, 300);
    assertList(entry.ambitions, `${field}.ambitions`, 1, 100);
    const ambitions = entry.ambitions.map((raw, j) => {
      const f = `${field}.ambitions[${j}]`;
      assertRecord(raw, f);
      const ambition = readAmbition(raw, f);
      ensure(!ambitionIds.has(ambition.ambitionId), 'ValueMustBeValid', `${f}.ambitionId ${ambition.ambitionId} appears twice`, `${f}.ambitionId`);
      ambitionIds.add(ambition.ambitionId);
      return ambition;
    });
    assertIdList(entry.partnerPartyIds, `${field}.partnerPartyIds`, 0, 500);
    return { number: entry.number, title: entry.title, ambitions, partnerPartyIds: [...entry.partnerPartyIds] };
  });
}

function assertInseeCodes(value: unknown, field: string, min: number, max: number): asserts value is string[] {
  assertList(value, field, min, max);
  value.forEach((code, i) => {
    assertInseeCode(code, `${field}[${i}]`);
    ensure(value.indexOf(code) === i, 'ValueMustBeValid', `${field}[${i}] ${code} appears twice`, `${field}[${i}]`);
  });
}

function readTerritory(value: unknown): Territory {
  assertRecord(value, 'territory');
  assertInseeCodes(value.communes, 'territory.communes', 1, 1_000);
  const communes = value.communes;
  assertList(value.qpv, 'territory.qpv', 1, 2_000);
  const codes = new Set<string>();
  const qpv = value.qpv.map((entry, i) => {
    const field = `territory.qpv[${i}]`;
    assertRecord(entry, field);
    ensure(typeof entry.code === 'string' && QPV_CODE.test(entry.code), 'ValueMustBeValid', `${field}.code must be a QPV code such as QN05972M`, `${field}.code`);
    ensure(!codes.has(entry.code), 'ValueMustBeValid', `${field}.code ${entry.code} appears twice`, `${field}.code`);
    codes.add(entry.code);
    assertText(entry.name, `${field}.name`, 200);
    assertInseeCodes(entry.communes, `${field}.communes`, 1, 50);
    entry.communes.forEach((code, j) =>
      ensure(communes.includes(code), 'ValueMustBeValid', `${field}.communes[${j}] ${code} is not among territory.communes`, `${field}.communes[${j}]`),
    );
    return { code: entry.code, name: entry.name, communes: [...entry.communes] };
  });
  return { communes: [...communes], qpv };
}

/** A volet local: for a commune of the contract's territory, its document identified by SHA-256. */
function readAnnex(value: { inseeCode?: unknown; title?: unknown; documentSha256?: unknown }, prefix: string, state: ContractState): LocalAnnexTerms {
  assertInseeCode(value.inseeCode, `${prefix}inseeCode`);
  ensure(
    state.territory.communes.includes(value.inseeCode),
    'LocalAnnexBelongsToAContractCommune',
    `commune ${value.inseeCode} is not a commune of the contract`,
    `${prefix}inseeCode`,
  );
  assertText(value.title, `${prefix}title`, 300);
  assertSha256(value.documentSha256, `${prefix}documentSha256`);
  return { inseeCode: value.inseeCode, title: value.title, documentSha256: value.documentSha256 };
}

function readPriorityNumber(value: unknown, field: string, state: ContractState): PriorityNumber {
  assertOneOf(value, PRIORITY_NUMBERS, field);
  if (!state.priorities.some((p) => p.number === value)) throw new DomainRuleError('ValueMustBeValid', `the contract has no priority ${value}`, field);
  return value;
}

function readChanges(value: unknown, state: ContractState): ContractChanges {
  assertRecord(value, 'changes');
  assertOnlyKeys(value, CONTRACT_CHANGE_KEYS, 'changes');
  const changes: ContractChanges = {};

  if (value.addAmbitions !== undefined) {
    assertList(value.addAmbitions, 'changes.addAmbitions', 1, 100);
    const ids = new Set(state.priorities.flatMap((p) => p.ambitions.map((a) => a.ambitionId)));
    changes.addAmbitions = value.addAmbitions.map((entry, i) => {
      const field = `changes.addAmbitions[${i}]`;
      assertRecord(entry, field);
      const priority = readPriorityNumber(entry.priority, `${field}.priority`, state);
      const ambition = readAmbition(entry, field);
      ensure(!ids.has(ambition.ambitionId), 'ValueMustBeValid', `ambition ${ambition.ambitionId} exists already`, `${field}.ambitionId`);
      ids.add(ambition.ambitionId);
      return { priority, ...ambition };
    });
  }

  if (value.addPartners !== undefined) {
    assertList(value.addPartners, 'changes.addPartners', 1, 500);
    const added: { priority: PriorityNumber; partyId: string }[] = [];
    value.addPartners.forEach((entry, i) => {
      const field = `changes.addPartners[${i}]`;
      assertRecord(entry, field);
      const priority = readPriorityNumber(entry.priority, `${field}.priority`, state);
      assertId(entry.partyId, `${field}.partyId`);
      const partyId = entry.partyId;
      const already =
        state.priorities.find((p) => p.number === priority)!.partnerPartyIds.includes(partyId) ||
        added.some((a) => a.priority === priority && a.partyId === partyId);
      ensure(!already, 'ValueMustBeValid', `party ${partyId} is a partner of priority ${priority} already`, `${field}.partyId`);
      added.push({ priority, partyId });
    });
    changes.addPartners = added;
  }

  if (value.setLocalAnnexes !== undefined) {
    assertList(value.setLocalAnnexes, 'changes.setLocalAnnexes', 1, 1_000);
    changes.setLocalAnnexes = value.setLocalAnnexes.map((entry, i) => {
      const field = `changes.setLocalAnnexes[${i}]`;
      assertRecord(entry, field);
      return readAnnex(entry, `${field}.`, state);
    });
    changes.setLocalAnnexes.forEach((annex, i) => {
      const first = changes.setLocalAnnexes!.findIndex((a) => a.inseeCode === annex.inseeCode);
      ensure(first === i, 'ValueMustBeValid', `commune ${annex.inseeCode} appears twice`, `changes.setLocalAnnexes[${i}].inseeCode`);
    });
  }

  if (value.setComponentBudgets !== undefined) {
    assertList(value.setComponentBudgets, 'changes.setComponentBudgets', 1, COMPONENT_NAMES.length);
    changes.setComponentBudgets = value.setComponentBudgets.map((entry, i) => {
      const field = `changes.setComponentBudgets[${i}]`;
      assertRecord(entry, field);
      assertOneOf(entry.component, COMPONENT_NAMES, `${field}.component`);
      ensure(
        (value.setComponentBudgets as { component?: unknown }[]).findIndex((o) => o?.component === entry.component) === i,
        'ValueMustBeValid',
        `${field}.component ${entry.component} appears twice`,
        `${field}.component`,
      );
      assertCents(entry.indicativeAnnualBudgetCents, `${field}.indicativeAnnualBudgetCents`);
      return { component: entry.component, indicativeAnnualBudgetCents: entry.indicativeAnnualBudgetCents };
    });
  }

  ensure(Object.keys(changes).length > 0, 'ValueMustBeValid', `changes must give at least one of ${CONTRACT_CHANGE_KEYS.join(', ')}`, 'changes');
  return changes;
}

// ---- evolve -----------------------------------------------------------------------------------

function evolve(state: ContractState, event: RecordedEvent<ContractEvent>): ContractState {
  switch (event.type) {
    case 'ContractAdopted': {
      const { contractId, title, documentSha256, components, priorities, territory, signatoryPartyIds } = event.data;
      return {
        ...state,
        exists: true,
        status: 'adopted',
        contractId,
        title,
        documentSha256,
        components,
        priorities,
        territory,
        signatoryPartyIds,
        adoptedAt: event.occurredAt,
      };
    }
    case 'ContractSignedByParty':
      return { ...state, signedPartyIds: [...state.signedPartyIds, event.data.partyId] };
    case 'ContractSigned':
      return { ...state, status: 'signed', signedAt: event.occurredAt };
    case 'ContractEnteredIntoForce':
      return { ...state, status: 'in_force', inForceSince: event.occurredAt };
    case 'LocalAnnexAttached': {
      const { contractId: _c, ...annex } = event.data;
      return { ...state, localAnnexes: { ...state.localAnnexes, [annex.inseeCode]: { ...annex, annexedAt: event.occurredAt, amendmentId: null } } };
    }
    case 'ContractRevisionStarted':
      return { ...state, status: 'under_revision', revisions: [...state.revisions, { startedAt: event.occurredAt, reason: event.data.reason }] };
    case 'ContractRevisionCompleted':
      return {
        ...state,
        status: 'in_force',
        revisions: state.revisions.map((r, i) =>
          i === state.revisions.length - 1 ? { ...r, completedAt: event.occurredAt, conclusion: event.data.conclusion } : r,
        ),
      };
    case 'ContractClosed':
      return { ...state, status: 'closed', closedAt: event.occurredAt };
    case 'ContractAmended':
      return { ...applyChanges(state, event.data.changes, event.data.amendmentId, event.occurredAt), appliedAmendmentIds: [...state.appliedAmendmentIds, event.data.amendmentId] };
    default:
      return state;
  }
}

function applyChanges(state: ContractState, changes: ContractChanges, amendmentId: string, at: string): ContractState {
  const priorities = state.priorities.map((priority) => ({
    ...priority,
    ambitions: [
      ...priority.ambitions,
      ...(changes.addAmbitions ?? []).filter((a) => a.priority === priority.number).map(({ priority: _p, ...ambition }) => ambition),
    ],
    partnerPartyIds: [
      ...priority.partnerPartyIds,
      ...(changes.addPartners ?? []).filter((a) => a.priority === priority.number).map((a) => a.partyId),
    ],
  }));
  const localAnnexes = { ...state.localAnnexes };
  for (const annex of changes.setLocalAnnexes ?? []) localAnnexes[annex.inseeCode] = { ...annex, annexedAt: at, amendmentId };
  const components = state.components.map((component) => {
    const change = (changes.setComponentBudgets ?? []).find((c) => c.component === component.component);
    return change ? { ...component, indicativeAnnualBudgetCents: change.indicativeAnnualBudgetCents } : component;
  });
  return { ...state, priorities, localAnnexes, components };
}

export const contractDecider: Decider<ContractCommand, ContractEvent, ContractState> = {
  aggregate: 'contract',
  initialState,
  decide,
  evolve,
};
