import fc from 'fast-check';
import { given } from '../testing/given-when-then';
import type { Actor } from '../shared/decider';
import { DomainRuleError } from '../shared/rules';
import { isSiren, luhnIsValid, parseIdentifiers } from './identifiers';
import { type PartyCommand, partyDecider as party, type PartyEvent } from './party';

const at = '2024-04-02T09:00:00.000+02:00';
const admin: Actor = { subject: 'user-admin', role: 'administrator' };
const mel: Actor = { subject: 'user-mel-1', role: 'signatory-representative', partyId: 'party-mel' };

/** Clearly fake SIRENs with a valid Luhn key, for parties whose real SIREN is not asserted here. */
const FAKE_SIREN_ETAT = '111111118';
const FAKE_SIREN_CAF = '222222226';
const FAKE_SIREN_OTHER = '123456782';
/** A clearly fake RNA number. */
const FAKE_RNA = 'W000000001';

const none = { siren: null, inseeCode: null, rna: null };
const registered: PartyEvent = {
  type: 'PartyRegistered',
  data: { partyId: 'party-mel', name: 'Métropole Européenne de Lille', kind: 'metropolis', identifiers: { ...none, siren: '200093201' } },
};
const register = { type: 'RegisterParty', partyId: 'party-mel', name: 'Métropole Européenne de Lille', kind: 'metropolis', identifiers: { siren: '200093201' } };
const cmd = (c: Record<string, unknown>) => ({ at, actor: admin, partyId: 'party-mel', ...c }) as PartyCommand;

describe('Party', () => {
  describe('registration', () => {
    it('registers the MEL by its SIREN', () => {
      given(party, []).when(cmd(register)).then([registered]);
    });

    it.each([
      ['party-etat', 'État — Préfet du Nord', 'state', { siren: FAKE_SIREN_ETAT }],
      ['party-region', 'Région Hauts-de-France', 'region', { siren: '200053742' }],
      ['party-departement', 'Département du Nord', 'department', { siren: '225900018' }],
      ['party-caf', 'Caisse d’allocations familiales du Nord', 'social-security', { siren: FAKE_SIREN_CAF }],
      ['party-bdt', 'Banque des Territoires (Caisse des dépôts et consignations)', 'public-bank', { siren: '180020026' }],
      ['party-bpi', 'Bpifrance', 'public-bank', { siren: '320252489' }],
      ['party-lmh', 'Lille Métropole Habitat', 'social-landlord', { siren: '783713498' }],
      ['party-lille', 'Ville de Lille', 'commune', { inseeCode: '59350' }],
      ['party-roubaix', 'Ville de Roubaix', 'commune', { inseeCode: '59512', siren: null }],
      ['party-voisinmalin', 'VoisinMalin', 'association', { rna: FAKE_RNA, siren: FAKE_SIREN_OTHER }],
    ])('registers %s (%s)', (partyId, name, kind, identifiers) => {
      given(party, [])
        .when(cmd({ type: 'RegisterParty', partyId, name, kind, identifiers }))
        .then([{ type: 'PartyRegistered', data: { partyId, name, kind, identifiers: { ...none, ...identifiers } } } as PartyEvent]);
    });

    it('OnlyAnAdministratorMayDoThis: a signatory representative does not register parties', () => {
      given(party, []).when(cmd({ ...register, actor: mel })).thenRefuses('OnlyAnAdministratorMayDoThis');
    });

    it('AggregateMustNotExistYet: refuses to register the same party twice', () => {
      given(party, [registered]).when(cmd(register)).thenRefuses('AggregateMustNotExistYet', 'partyId');
    });

    it('records a party whose register numbers are not known yet with null identifiers', () => {
      given(party, [])
        .when(cmd({ ...register, identifiers: { siren: null } }))
        .then((events) => expect(events[0].data).toMatchObject({ identifiers: { siren: null, inseeCode: null, rna: null } }));
    });

    it.each([
      ['a SIREN with a wrong Luhn key', { identifiers: { siren: '200093202' } }, 'identifiers.siren'],
      ['a SIREN of 8 digits', { identifiers: { siren: '20009320' } }, 'identifiers.siren'],
      ['a SIREN given as a number', { identifiers: { siren: 200093201 } }, 'identifiers.siren'],
      ['a SIRET instead of a SIREN', { identifiers: { siren: '20009320100017' } }, 'identifiers.siren'],
      ['an unknown kind of identifier', { identifiers: { siret: '20009320100017' } }, 'identifiers.siret'],
      ['missing identifiers', { identifiers: undefined }, 'identifiers'],
      ['identifiers given as a string', { identifiers: '200093201' }, 'identifiers'],
      ['a commune without its INSEE code', { kind: 'commune', identifiers: { siren: FAKE_SIREN_OTHER } }, 'identifiers.inseeCode'],
      ['an INSEE code of 4 digits', { kind: 'commune', identifiers: { inseeCode: '5935' } }, 'identifiers.inseeCode'],
      ['an INSEE code for a metropolis', { identifiers: { siren: '200093201', inseeCode: '59350' } }, 'identifiers.inseeCode'],
      ['a malformed RNA number', { kind: 'association', identifiers: { rna: 'W12345678' } }, 'identifiers.rna'],
      ['an RNA number for a company', { kind: 'company', identifiers: { siren: FAKE_SIREN_OTHER, rna: FAKE_RNA } }, 'identifiers.rna'],
      ['an unknown kind', { kind: 'prefecture' }, 'kind'],
      ['an empty name', { name: '  ' }, 'name'],
      ['a huge name', { name: 'M'.repeat(100_000) }, 'name'],
      ['a name that is not text', { name: ['MEL'] }, 'name'],
      ['a party id with spaces', { partyId: 'party mel' }, 'partyId'],
      ['a party id given as a number', { partyId: 42 }, 'partyId'],
    ])('ValueMustBeValid: refuses %s, naming the field', (_label, change, field) => {
      given(party, []).when(cmd({ ...register, ...change })).thenRefuses('ValueMustBeValid', field);
    });

    it.each([
      ['no date', { at: undefined }, 'at'],
      ['a date without time', { at: '2024-04-19' }, 'at'],
      ['a date that does not exist', { at: '2024-02-30T10:00:00Z' }, 'at'],
      ['no actor', { actor: undefined }, 'actor'],
      ['an actor of an unknown role', { actor: { subject: 'u', role: 'root' } }, 'actor'],
      ['an unknown command', { type: 'DeleteParty' }, 'type'],
    ])('ValueMustBeValid: refuses a command with %s', (_label, change, field) => {
      given(party, []).when(cmd({ ...register, ...change })).thenRefuses('ValueMustBeValid', field);
    });
  });

  describe('renaming', () => {
    const poleEmploi: PartyEvent = {
      type: 'PartyRegistered',
      data: { partyId: 'party-ft', name: 'Pôle emploi', kind: 'public-agency', identifiers: { ...none, siren: FAKE_SIREN_OTHER } },
    };
    const rename = { type: 'RenameParty', partyId: 'party-ft', name: 'France Travail', reason: 'Loi n° 2023-1196 du 18 décembre 2023 pour le plein emploi' };

    it('renames a party and keeps its former names', () => {
      const renamed = given(party, [poleEmploi]).when(cmd(rename)).then([
        { type: 'PartyRenamed', data: { partyId: 'party-ft', name: 'France Travail', reason: rename.reason } },
      ]);
      const after = given(party, [poleEmploi, ...renamed]).state;
      expect(after.name).toBe('France Travail');
      expect(after.formerNames).toEqual(['Pôle emploi']);
    });

    it('refuses a rename to the current name', () => {
      given(party, [poleEmploi]).when(cmd({ ...rename, name: 'Pôle emploi' })).thenRefuses('ValueMustBeValid', 'name');
    });

    it('refuses a rename without a reason', () => {
      given(party, [poleEmploi]).when(cmd({ ...rename, reason: undefined })).thenRefuses('ValueMustBeValid', 'reason');
    });

    it('OnlyAnAdministratorMayDoThis: a representative does not rename a party, not even its own', () => {
      given(party, [registered]).when(cmd({ type: 'RenameParty', actor: mel, name: 'MEL', reason: 'usage' })).thenRefuses('OnlyAnAdministratorMayDoThis');
    });

    it('AggregateMustExist: refuses to rename a party that was never registered', () => {
      given(party, []).when(cmd(rename)).thenRefuses('AggregateMustExist');
    });
  });

  describe('identifier corrections', () => {
    const mistyped: PartyEvent = { ...registered, data: { ...registered.data, identifiers: { ...none, siren: FAKE_SIREN_OTHER } } } as PartyEvent;
    const correct = { type: 'CorrectPartyIdentifiers', identifiers: { siren: '200093201' }, reason: 'SIREN mal saisi' };

    it('corrects the identifiers of a party', () => {
      const events = given(party, [mistyped]).when(cmd(correct)).then([
        { type: 'PartyIdentifiersCorrected', data: { partyId: 'party-mel', identifiers: { ...none, siren: '200093201' }, reason: 'SIREN mal saisi' } },
      ]);
      expect(given(party, [mistyped, ...events]).state.identifiers).toEqual({ ...none, siren: '200093201' });
    });

    it('refuses a correction that changes nothing', () => {
      given(party, [registered]).when(cmd(correct)).thenRefuses('ValueMustBeValid', 'identifiers');
    });

    it('applies the rules of the party’s kind: no INSEE code for the metropolis', () => {
      given(party, [mistyped]).when(cmd({ ...correct, identifiers: { siren: '200093201', inseeCode: '59350' } })).thenRefuses('ValueMustBeValid', 'identifiers.inseeCode');
    });

    it('refuses an invalid SIREN in a correction', () => {
      given(party, [mistyped]).when(cmd({ ...correct, identifiers: { siren: '200093210' } })).thenRefuses('ValueMustBeValid', 'identifiers.siren');
    });

    it('OnlyAnAdministratorMayDoThis: a representative does not correct identifiers', () => {
      given(party, [mistyped]).when(cmd({ ...correct, actor: mel })).thenRefuses('OnlyAnAdministratorMayDoThis');
    });
  });

  describe('identifiers', () => {
    it('checks the Luhn key of real SIRENs', () => {
      for (const siren of ['200093201', '200053742', '225900018', '180020026', '320252489', '783713498']) expect(isSiren(siren)).toBe(true);
      expect(isSiren('200093201 ')).toBe(false);
      expect(isSiren(200093201)).toBe(false);
    });

    it('detects any single mistyped digit of a SIREN (property)', () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 9 }), (position, shift) => {
          const digits = '200093201'.split('');
          digits[position] = String((Number(digits[position]) + shift) % 10);
          expect(luhnIsValid(digits.join(''))).toBe(false);
        }),
      );
    });

    it('normalises identifiers with nulls', () => {
      expect(parseIdentifiers({ inseeCode: '59512' })).toEqual({ siren: null, inseeCode: '59512', rna: null });
    });
  });

  it('turns any value in any field into a DomainRuleError, never a TypeError (property)', () => {
    const templates: [PartyEvent[], Record<string, unknown>][] = [
      [[], register],
      [[registered], { type: 'RenameParty', name: 'MEL', reason: 'r' }],
      [[registered], { type: 'CorrectPartyIdentifiers', identifiers: { siren: FAKE_SIREN_OTHER }, reason: 'r' }],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...templates), fc.string(), fc.anything(), ([history, template], key, garbage) => {
        const keys = [...Object.keys(template), 'partyId', 'at', 'actor', key];
        for (const k of keys) {
          const command = cmd({ ...template, [k]: garbage });
          try {
            party.decide(command, given(party, history).state);
          } catch (error) {
            expect(error).toBeInstanceOf(DomainRuleError);
          }
        }
      }),
    );
  });
});
