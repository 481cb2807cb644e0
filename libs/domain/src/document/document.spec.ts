import { createHash } from 'node:crypto';
import type { Actor } from '../shared/decider';
import { given } from '../testing/given-when-then';
import { type DocumentCommand, documentDecider as document, type DocumentEvent } from './document';
import { assertJunkGivesDomainErrors } from '../testing/junk-commands';

const at = '2024-05-07T10:00:00.000Z';
const admin: Actor = { subject: 'user-admin', role: 'administrator' };
const mel: Actor = { subject: 'user-mel-1', role: 'signatory-representative', partyId: 'party-mel' };
const caf: Actor = { subject: 'user-caf-1', role: 'signatory-representative', partyId: 'party-caf' };
const secretary: Actor = { subject: 'user-sec', role: 'body-secretary', partyId: 'party-mel' };
const auditor: Actor = { subject: 'user-auditor', role: 'auditor' };

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const pressKit = sha256('Contrat de ville et des solidarités — dossier de presse, 7 mai 2024');
const pressKitV2 = sha256('Contrat de ville et des solidarités — dossier de presse, 7 mai 2024, version corrigée');
const pressKitV3 = sha256('Contrat de ville et des solidarités — dossier de presse, 7 mai 2024, version définitive');

const description = {
  title: 'Contrat de ville et des solidarités — dossier de presse',
  kind: 'report',
  mediaType: 'application/pdf',
  sizeBytes: 2_483_117,
  registeredByPartyId: 'party-mel',
  public: true,
} as const;
const registered: DocumentEvent = { type: 'DocumentRegistered', data: { documentId: pressKit, ...description } };

const cmd = (c: Record<string, unknown>) => ({ at, actor: mel, documentId: pressKit, ...c }) as DocumentCommand;
const supersede = (c: Record<string, unknown> = {}) =>
  cmd({ type: 'SupersedeDocument', supersededBy: pressKitV2, reason: 'coquille sur le montant annuel', successor: { documentId: pressKitV2, supersededBy: null }, ...c });
const superseded: DocumentEvent = { type: 'DocumentSuperseded', data: { documentId: pressKit, supersededBy: pressKitV2, reason: 'coquille sur le montant annuel' } };

const TEMPLATES: [DocumentEvent[], Record<string, unknown>][] = [
  [[], { type: 'RegisterDocument', documentId: pressKit, ...description }],
  [[registered], { type: 'SupersedeDocument', documentId: pressKit, supersededBy: pressKitV2, reason: 'r', successor: { documentId: pressKitV2, supersededBy: null } }],
];

describe('Document', () => {
  describe('registration', () => {
    it('registers a document by its SHA-256, never by its content', () => {
      given(document, []).when(cmd({ type: 'RegisterDocument', ...description })).then([registered]);
      const { state } = given(document, [registered]);
      expect(state).toMatchObject({ exists: true, documentId: pressKit, status: 'current', supersededBy: null, description });
    });

    it('registers a document as not public unless told otherwise', () => {
      const { public: _p, ...notPublic } = description;
      given(document, [])
        .when(cmd({ type: 'RegisterDocument', ...notPublic, kind: 'minutes', title: 'Procès-verbal du comité de pilotage' }))
        .then((events) => expect(events[0].data).toMatchObject({ kind: 'minutes', public: false }));
    });

    it('lets a body secretary register minutes for their party, and an administrator for any party', () => {
      given(document, []).when(cmd({ type: 'RegisterDocument', ...description, kind: 'minutes', actor: secretary })).then((events) => expect(events).toHaveLength(1));
      given(document, []).when(cmd({ type: 'RegisterDocument', ...description, registeredByPartyId: 'party-caf', actor: admin })).then((events) => expect(events).toHaveLength(1));
    });

    it('AggregateMustNotExistYet: refuses to register the same hash twice', () => {
      given(document, [registered]).when(cmd({ type: 'RegisterDocument', ...description, title: 'Autre titre' })).thenRefuses('AggregateMustNotExistYet', 'documentId');
    });

    it('PartyActsOnlyForItself: a party does not register a document in another party’s name; an auditor registers nothing', () => {
      given(document, []).when(cmd({ type: 'RegisterDocument', ...description, actor: caf })).thenRefuses('PartyActsOnlyForItself', 'registeredByPartyId');
      given(document, []).when(cmd({ type: 'RegisterDocument', ...description, actor: auditor })).thenRefuses('PartyActsOnlyForItself', 'registeredByPartyId');
    });

    it.each([
      ['an id that is a file name', { documentId: 'dossier-de-presse.pdf' }, 'documentId'],
      ['an id in uppercase hex', { documentId: pressKit.toUpperCase() }, 'documentId'],
      ['an id that is a SHA-1', { documentId: 'a'.repeat(40) }, 'documentId'],
      ['a missing title', { title: undefined }, 'title'],
      ['a title of a million characters', { title: 'x'.repeat(1_000_000) }, 'title'],
      ['an unknown kind', { kind: 'photo' }, 'kind'],
      ['a media type without subtype', { mediaType: 'pdf' }, 'mediaType'],
      ['a media type with a parameter', { mediaType: 'text/plain; charset=utf-8' }, 'mediaType'],
      ['a media type that is a number', { mediaType: 42 }, 'mediaType'],
      ['a size of zero', { sizeBytes: 0 }, 'sizeBytes'],
      ['a size given as text', { sizeBytes: '2483117' }, 'sizeBytes'],
      ['a fractional size', { sizeBytes: 10.5 }, 'sizeBytes'],
      ['a missing party', { registeredByPartyId: undefined }, 'registeredByPartyId'],
      ['a public flag given as text', { public: 'yes' }, 'public'],
    ])('ValueMustBeValid: refuses %s, naming the field', (_label, change, field) => {
      given(document, []).when(cmd({ type: 'RegisterDocument', ...description, ...change })).thenRefuses('ValueMustBeValid', field);
    });
  });

  describe('supersession', () => {
    it('supersedes a document by a newer one, and says so in the state', () => {
      given(document, [registered]).when(supersede()).then([superseded]);
      const { state } = given(document, [registered, superseded]);
      expect(state).toMatchObject({ status: 'superseded', supersededBy: pressKitV2, description });
    });

    it('supersedes without a reason', () => {
      given(document, [registered])
        .when(supersede({ reason: undefined }))
        .then([{ type: 'DocumentSuperseded', data: { documentId: pressKit, supersededBy: pressKitV2, reason: null } }]);
    });

    it('TransitionMustFollowLifecycle: refuses to supersede a document twice', () => {
      given(document, [registered, superseded])
        .when(supersede({ supersededBy: pressKitV3, successor: { documentId: pressKitV3, supersededBy: null } }))
        .thenRefuses('TransitionMustFollowLifecycle');
    });

    it('TransitionMustFollowLifecycle: refuses a successor that is itself superseded (no cycle)', () => {
      given(document, [registered])
        .when(supersede({ successor: { documentId: pressKitV2, supersededBy: pressKit } }))
        .thenRefuses('TransitionMustFollowLifecycle', 'supersededBy');
    });

    it('AggregateMustExist: refuses a successor that is not registered', () => {
      given(document, [registered]).when(supersede({ successor: null })).thenRefuses('AggregateMustExist', 'supersededBy');
    });

    it('AggregateMustExist: refuses to supersede a document that is not registered', () => {
      given(document, []).when(supersede()).thenRefuses('AggregateMustExist');
    });

    it('PartyActsOnlyForItself: only the registering party or an administrator supersedes a document', () => {
      given(document, [registered]).when(supersede({ actor: caf })).thenRefuses('PartyActsOnlyForItself');
      given(document, [registered]).when(supersede({ actor: admin })).then([superseded]);
    });

    it.each([
      ['itself', { supersededBy: pressKit, successor: { documentId: pressKit, supersededBy: null } }, 'supersededBy'],
      ['a file name', { supersededBy: 'v2.pdf' }, 'supersededBy'],
      ['a successor looked up for another document', { successor: { documentId: pressKitV3, supersededBy: null } }, 'successor'],
      ['a reason that is a number', { reason: 3 }, 'reason'],
    ])('ValueMustBeValid: refuses a supersession by %s, naming the field', (_label, change, field) => {
      given(document, [registered]).when(supersede(change)).thenRefuses('ValueMustBeValid', field);
    });

    it('refuses any other change, naming the type', () => {
      given(document, [registered]).when(cmd({ type: 'RenameDocument', title: 'Nouveau titre' })).thenRefuses('ValueMustBeValid', 'type');
    });
  });

  it('turns any malformed body into a DomainRuleError, never another error (commands will come from HTTP)', () => {
    assertJunkGivesDomainErrors(document, TEMPLATES, (fields) => cmd({ ...fields, actor: admin, at }));
  });
});
