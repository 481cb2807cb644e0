import fc from 'fast-check';
import type { Actor } from '../shared/decider';
import { DomainRuleError } from '../shared/rules';
import { given } from '../testing/given-when-then';
import { assertJunkGivesDomainErrors } from '../testing/junk-commands';
import { ERASURE_REASONS, isPersonId, type PersonCommand, personDecider as person, type PersonEvent } from './person';

const at = '2025-03-10T09:30:00+01:00';
const admin: Actor = { subject: 'user-admin-mel', role: 'administrator' };
const mel: Actor = { subject: 'user-mel-1', role: 'signatory-representative', partyId: 'party-mel' };
const secretary: Actor = { subject: 'user-sec-copil', role: 'body-secretary', partyId: 'party-mel', mandate: 'copil-cvs' };
const auditor: Actor = { subject: 'user-auditor', role: 'auditor' };
const anyone: Actor = { subject: 'anonymous', role: 'public' };

const PERSON = 'person-0b6f3c1e-7a2d-4f1b-9c3e-5d8a7b6c4e21';

const cmd = (c: Record<string, unknown> = {}) =>
  ({ type: 'RecordPersonErasure', at, actor: admin, personId: PERSON, reason: 'gdpr-art-17-request', known: true, ...c }) as PersonCommand;
const erased: PersonEvent = { type: 'PersonDataErased', data: { personId: PERSON, reason: 'gdpr-art-17-request', requestedAt: at } };

const TEMPLATES: [PersonEvent[], Record<string, unknown>][] = [[[], { type: 'RecordPersonErasure', personId: PERSON, reason: 'consent-withdrawn', known: true }]];

describe('Person', () => {
  describe('erasure', () => {
    it('records that a person’s data was erased, when and on which ground: the id, a category, a date, nothing personal', () => {
      given(person, []).when(cmd()).then([erased]);
      const { state } = given(person, [erased]);
      expect(state).toEqual({ erased: true, personId: PERSON, reason: 'gdpr-art-17-request', requestedAt: at });
    });

    it.each(ERASURE_REASONS.map((reason) => [reason]))('accepts the ground %s', (reason) => {
      given(person, []).when(cmd({ reason })).then((events) => expect(events[0].data.reason).toBe(reason));
    });

    it('records an erasure without a ground as null', () => {
      given(person, []).when(cmd({ reason: undefined })).then([{ type: 'PersonDataErased', data: { personId: PERSON, reason: null, requestedAt: at } }]);
      given(person, []).when(cmd({ reason: null })).then((events) => expect(events[0].data.reason).toBeNull());
    });

    it('holds only the keys it is allowed to hold, whatever else the command carries', () => {
      given(person, [])
        .when(cmd({ displayName: 'Jeanne Exemple', email: 'jeanne@example.org' }))
        .then((events) => expect(Object.keys(events[0].data).sort()).toEqual(['personId', 'reason', 'requestedAt']));
    });

    it('PersonDataIsErasedOnce: refuses a second erasure', () => {
      given(person, [erased]).when(cmd()).thenRefuses('PersonDataIsErasedOnce', 'personId');
      given(person, [erased]).when(cmd({ reason: 'legal-obligation' })).thenRefuses('PersonDataIsErasedOnce', 'personId');
    });

    it('AggregateMustExist: refuses to erase a person the directory does not know', () => {
      given(person, []).when(cmd({ known: false })).thenRefuses('AggregateMustExist', 'personId');
    });

    it.each([
      ['a signatory representative', mel],
      ['a body secretary', secretary],
      ['an auditor', auditor],
      ['the public', anyone],
    ])('OnlyAnAdministratorMayDoThis: %s does not erase', (_label, actor) => {
      given(person, []).when(cmd({ actor })).thenRefuses('OnlyAnAdministratorMayDoThis');
    });

    it.each([
      ['a ground written as free text', { reason: 'Jeanne Exemple asked by mail on 3 March' }, 'reason'],
      ['a ground that is a number', { reason: 17 }, 'reason'],
      ['a person id that is a name', { personId: 'jeanne-exemple' }, 'personId'],
      ['a person id with a UUID v7', { personId: 'person-01936f0e-7a2d-7f1b-9c3e-5d8a7b6c4e21' }, 'personId'],
      ['a person id in uppercase', { personId: PERSON.toUpperCase() }, 'personId'],
      ['a bare UUID', { personId: PERSON.slice('person-'.length) }, 'personId'],
      ['a lookup given as text', { known: 'yes' }, 'known'],
      ['a missing lookup', { known: undefined }, 'known'],
      ['a date without a time zone', { at: '2025-03-10T09:30:00' }, 'at'],
      ['an unknown command', { type: 'RenamePerson' }, 'type'],
    ])('ValueMustBeValid: refuses %s, naming the field', (_label, change, field) => {
      given(person, []).when(cmd(change)).thenRefuses('ValueMustBeValid', field);
    });
  });

  it('recognises person ids, and only them', () => {
    expect(isPersonId(PERSON)).toBe(true);
    for (const other of ['copil-cvs-mel', 'person-', `${PERSON}x`, ` ${PERSON}`, 42, null]) expect(isPersonId(other)).toBe(false);
    fc.assert(fc.property(fc.uuid({ version: 4 }), (uuid) => isPersonId(`person-${uuid}`)));
  });

  it('turns any malformed body into a DomainRuleError, never another error (commands will come from HTTP)', () => {
    assertJunkGivesDomainErrors(person, TEMPLATES, (fields) => cmd({ ...fields, actor: admin, at }));
    // The whole command, not only its fields, may be junk.
    fc.assert(
      fc.property(fc.anything(), (junk) => {
        try {
          person.decide(junk as PersonCommand, person.initialState);
        } catch (error) {
          expect(error).toBeInstanceOf(DomainRuleError);
        }
      }),
    );
  });
});
