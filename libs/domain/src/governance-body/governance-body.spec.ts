import fc from 'fast-check';
import { given } from '../testing/given-when-then';
import type { Actor } from '../shared/decider';
import { DomainRuleError } from '../shared/rules';
import {
  type GovernanceBodyCommand,
  governanceBodyDecider as body,
  type GovernanceBodyEvent,
  membersOn,
  quorumRequired,
} from './governance-body';

const at = '2024-06-20T09:00:00.000Z';
const admin: Actor = { subject: 'user-admin-mel', role: 'administrator' };
const secretary: Actor = { subject: 'user-sec-copil', role: 'body-secretary', partyId: 'party-mel', mandate: 'copil-cvs-mel' };
const etat: Actor = { subject: 'user-prefecture-1', role: 'signatory-representative', partyId: 'party-etat' };

const BODY = 'copil-cvs-mel';
const cmd = (c: Record<string, unknown>) => ({ at, actor: admin, bodyId: BODY, ...c }) as GovernanceBodyCommand;

const creation = {
  type: 'CreateGovernanceBody',
  name: 'Comité de pilotage du contrat de ville et des solidarités',
  function: 'pilotage',
  quorum: { kind: 'fraction', numerator: 1, denominator: 2 },
  citizenSeats: 2,
};
const created: GovernanceBodyEvent = {
  type: 'GovernanceBodyCreated',
  data: {
    bodyId: BODY,
    name: 'Comité de pilotage du contrat de ville et des solidarités',
    function: 'pilotage',
    quorum: { kind: 'fraction', numerator: 1, denominator: 2 },
    citizenSeats: 2,
  },
};

const member = (memberId: string, partyId: string, seat: string, startDate = '2024-06-01', votingRight = true) =>
  ({ type: 'MemberAdded', data: { bodyId: BODY, memberId, partyId, votingRight, seat, startDate } }) as GovernanceBodyEvent;
const ended = (memberId: string, startDate: string, endDate: string): GovernanceBodyEvent => ({
  type: 'MembershipEnded',
  data: { bodyId: BODY, memberId, startDate, endDate },
});

/** The steering committee as seated in June 2024: the four main signatories, two conseil citoyen members and an expert. */
const roster: GovernanceBodyEvent[] = [
  member('mbr-etat-01', 'party-etat', 'signatory'),
  member('mbr-mel-01', 'party-mel', 'signatory'),
  member('mbr-dep-01', 'party-departement-nord', 'signatory'),
  member('mbr-caf-01', 'party-caf', 'signatory'),
  member('mbr-cc-01', 'party-conseil-citoyen-roubaix', 'citizen'),
  member('mbr-cc-02', 'party-conseil-citoyen-lille-sud', 'citizen'),
  member('mbr-exp-01', 'party-mel', 'expert', '2024-06-01', false),
];
const constituted: GovernanceBodyEvent = { type: 'GovernanceBodyConstituted', data: { bodyId: BODY, constitutedOn: '2024-06-20' } };
const seated = [created, ...roster, constituted];

describe('GovernanceBody', () => {
  describe('creation', () => {
    it('creates a steering committee with its quorum rule and conseil citoyen seats', () => {
      given(body, []).when(cmd(creation)).then([created]);
    });

    it('creates a suivi body without citizen seats (0 when omitted)', () => {
      const { citizenSeats: _c, ...rest } = creation;
      given(body, [])
        .when(cmd({ ...rest, bodyId: 'comite-suivi-roubaix', name: 'Comité technique de suivi — Roubaix', function: 'suivi', quorum: { kind: 'count', minimum: 3 } }))
        .then([
          {
            type: 'GovernanceBodyCreated',
            data: { bodyId: 'comite-suivi-roubaix', name: 'Comité technique de suivi — Roubaix', function: 'suivi', quorum: { kind: 'count', minimum: 3 }, citizenSeats: 0 },
          },
        ]);
    });

    it('keeps only the fields of the quorum rule', () => {
      given(body, [])
        .when(cmd({ ...creation, quorum: { kind: 'fraction', numerator: 1, denominator: 2, minimum: 99, note: 'x' } }))
        .then([created]);
    });

    it('refuses a second creation of the same body', () => {
      given(body, [created]).when(cmd(creation)).thenRefuses('AggregateMustNotExistYet', 'bodyId');
    });

    it.each([
      ['no citizen seat', { citizenSeats: 0 }],
      ['citizen seats left out', { citizenSeats: undefined }],
    ])('SteeringBodyHasCitizenSeats: refuses a pilotage body with %s', (_label, change) => {
      given(body, []).when(cmd({ ...creation, ...change })).thenRefuses('SteeringBodyHasCitizenSeats', 'citizenSeats');
    });

    it.each([
      ['a secretary', secretary],
      ['a signatory representative', etat],
    ])('OnlyAnAdministratorMayDoThis: %s cannot create a body', (_label, actor) => {
      given(body, []).when(cmd({ ...creation, actor })).thenRefuses('OnlyAnAdministratorMayDoThis');
    });

    it.each([
      ['a name that is a number', { name: 42 }, 'name'],
      ['a huge name', { name: 'C'.repeat(100_000) }, 'name'],
      ['an unknown function', { function: 'decision' }, 'function'],
      ['no quorum rule', { quorum: undefined }, 'quorum'],
      ['a quorum rule that is a string', { quorum: 'half' }, 'quorum'],
      ['an unknown kind of quorum', { quorum: { kind: 'majority' } }, 'quorum.kind'],
      ['a fraction above one', { quorum: { kind: 'fraction', numerator: 3, denominator: 2 } }, 'quorum.numerator'],
      ['a zero denominator', { quorum: { kind: 'fraction', numerator: 1, denominator: 0 } }, 'quorum.denominator'],
      ['a decimal numerator', { quorum: { kind: 'fraction', numerator: 0.5, denominator: 1 } }, 'quorum.numerator'],
      ['a quorum of nobody', { quorum: { kind: 'count', minimum: 0 } }, 'quorum.minimum'],
      ['citizen seats as text', { citizenSeats: '2' }, 'citizenSeats'],
      ['a body id with spaces', { bodyId: 'comité de pilotage' }, 'bodyId'],
    ])('refuses %s, naming the field', (_label, change, field) => {
      given(body, []).when(cmd({ ...creation, ...change })).thenRefuses('ValueMustBeValid', field);
    });

    it('refuses a command that is not an object, or without an actor or a date', () => {
      given(body, []).when(null as unknown as GovernanceBodyCommand).thenRefuses('ValueMustBeValid', 'type');
      given(body, []).when(cmd({ ...creation, actor: undefined })).thenRefuses('ValueMustBeValid', 'actor');
      given(body, []).when(cmd({ ...creation, at: 'yesterday' })).thenRefuses('ValueMustBeValid', 'at');
    });
  });

  describe('memberships', () => {
    const add = {
      type: 'AddMember',
      memberId: 'mbr-etat-01',
      partyId: 'party-etat',
      votingRight: true,
      seat: 'signatory',
      startDate: '2024-06-01',
    };

    it('adds a member sitting for a party (on_behalf_of), with a seat and a voting right', () => {
      given(body, [created]).when(cmd(add)).then([member('mbr-etat-01', 'party-etat', 'signatory')]);
    });

    it('refuses a membership of a body that does not exist', () => {
      given(body, []).when(cmd(add)).thenRefuses('AggregateMustExist');
    });

    it('OnlyAnAdministratorMayDoThis: a signatory representative does not change memberships', () => {
      given(body, [created]).when(cmd({ ...add, actor: etat })).thenRefuses('OnlyAnAdministratorMayDoThis');
      given(body, seated).when(cmd({ type: 'EndMembership', memberId: 'mbr-etat-01', endDate: '2025-01-01', actor: secretary })).thenRefuses('OnlyAnAdministratorMayDoThis');
    });

    it.each([
      ['a name instead of a pseudonymous id', { memberId: 'Jean Dupont' }, 'memberId'],
      ['a missing party', { partyId: undefined }, 'partyId'],
      ['a voting right given as text', { votingRight: 'oui' }, 'votingRight'],
      ['an unknown seat', { seat: 'president' }, 'seat'],
      ['a date that does not exist', { startDate: '2024-02-30' }, 'startDate'],
      ['an observer with a voting right', { seat: 'observer', votingRight: true }, 'votingRight'],
    ])('refuses %s, naming the field', (_label, change, field) => {
      given(body, [created]).when(cmd({ ...add, ...change })).thenRefuses('ValueMustBeValid', field);
    });

    it('refuses overlapping membership periods of one member', () => {
      given(body, [created, member('mbr-etat-01', 'party-etat', 'signatory')])
        .when(cmd({ ...add, startDate: '2025-01-01' }))
        .thenRefuses('AggregateMustNotExistYet', 'startDate');
      given(body, [created, member('mbr-etat-01', 'party-etat', 'signatory'), ended('mbr-etat-01', '2024-06-01', '2025-03-31')])
        .when(cmd({ ...add, startDate: '2025-03-31' }))
        .thenRefuses('AggregateMustNotExistYet', 'startDate');
    });

    it('takes a member back after the end of their previous membership', () => {
      given(body, [created, member('mbr-etat-01', 'party-etat', 'signatory'), ended('mbr-etat-01', '2024-06-01', '2025-03-31')])
        .when(cmd({ ...add, startDate: '2025-04-01', votingRight: false, seat: 'expert' }))
        .then([member('mbr-etat-01', 'party-etat', 'expert', '2025-04-01', false)]);
    });

    it('refuses a conseil citoyen member beyond the declared citizen seats', () => {
      given(body, seated)
        .when(cmd({ ...add, memberId: 'mbr-cc-03', partyId: 'party-conseil-citoyen-tourcoing', seat: 'citizen', startDate: '2025-01-01' }))
        .thenRefuses('ValueMustBeValid', 'seat');
    });

    it('seats a conseil citoyen member once a citizen seat is free', () => {
      const history = [...seated, ended('mbr-cc-01', '2024-06-01', '2025-09-30')];
      const replacement = { ...add, memberId: 'mbr-cc-03', partyId: 'party-conseil-citoyen-tourcoing', seat: 'citizen' };
      given(body, history).when(cmd({ ...replacement, startDate: '2025-10-01' })).then([member('mbr-cc-03', 'party-conseil-citoyen-tourcoing', 'citizen', '2025-10-01')]);
      given(body, history).when(cmd({ ...replacement, startDate: '2025-09-30' })).thenRefuses('ValueMustBeValid', 'seat');
    });

    it('ends a membership; its end date is its last day', () => {
      const events = given(body, seated).when(cmd({ type: 'EndMembership', memberId: 'mbr-caf-01', endDate: '2026-12-31' })).then([ended('mbr-caf-01', '2024-06-01', '2026-12-31')]);
      const after = given(body, [...seated, ...events]).state;
      expect(membersOn(after, '2026-12-31').map((m) => m.memberId)).toContain('mbr-caf-01');
      expect(membersOn(after, '2027-01-01').map((m) => m.memberId)).not.toContain('mbr-caf-01');
    });

    it('refuses to end a membership that is not current, or before it started', () => {
      given(body, seated).when(cmd({ type: 'EndMembership', memberId: 'mbr-inconnu', endDate: '2025-01-01' })).thenRefuses('AggregateMustExist', 'memberId');
      given(body, seated).when(cmd({ type: 'EndMembership', memberId: 'mbr-caf-01', endDate: '2024-05-31' })).thenRefuses('ValueMustBeValid', 'endDate');
      given(body, seated).when(cmd({ type: 'EndMembership', memberId: 'mbr-caf-01', endDate: 20250101 })).thenRefuses('ValueMustBeValid', 'endDate');
    });
  });

  describe('conseil citoyen representatives in the steering body', () => {
    const citizensOnly = (ids: string[]) => roster.filter((e) => e.type !== 'MemberAdded' || e.data.seat !== 'citizen' || ids.includes(e.data.memberId));

    it('constitutes a steering body that has conseil citoyen members', () => {
      given(body, [created, ...roster]).when(cmd({ type: 'ConstituteGovernanceBody', constitutedOn: '2024-06-20' })).then([constituted]);
    });

    it('SteeringBodyHasCitizenSeats: refuses to constitute a steering body without a conseil citoyen member', () => {
      given(body, [created, ...citizensOnly([])]).when(cmd({ type: 'ConstituteGovernanceBody', constitutedOn: '2024-06-20' })).thenRefuses('SteeringBodyHasCitizenSeats', 'constitutedOn');
    });

    it('constitutes a suivi body without conseil citoyen members', () => {
      const suivi: GovernanceBodyEvent = { ...created, data: { ...(created.data as object), function: 'suivi', citizenSeats: 0 } } as GovernanceBodyEvent;
      given(body, [suivi, ...citizensOnly([])]).when(cmd({ type: 'ConstituteGovernanceBody', constitutedOn: '2024-06-20' })).then([constituted]);
    });

    it('refuses to constitute a body twice', () => {
      given(body, seated).when(cmd({ type: 'ConstituteGovernanceBody', constitutedOn: '2025-01-01' })).thenRefuses('TransitionMustFollowLifecycle');
    });

    it('lets a conseil citoyen member leave while another remains', () => {
      given(body, seated).when(cmd({ type: 'EndMembership', memberId: 'mbr-cc-01', endDate: '2025-09-30' })).then([ended('mbr-cc-01', '2024-06-01', '2025-09-30')]);
    });

    it('SteeringBodyHasCitizenSeats: refuses that the last conseil citoyen member leaves', () => {
      given(body, [...seated, ended('mbr-cc-01', '2024-06-01', '2025-09-30')])
        .when(cmd({ type: 'EndMembership', memberId: 'mbr-cc-02', endDate: '2025-12-31' }))
        .thenRefuses('SteeringBodyHasCitizenSeats', 'endDate');
    });

    it('SteeringBodyHasCitizenSeats: refuses an end that leaves a gap after the other citizen member’s end', () => {
      // cc-02 ends first, later than the end asked for cc-01: after 2026-06-30 nobody would remain.
      given(body, [...seated, ended('mbr-cc-02', '2024-06-01', '2026-06-30')])
        .when(cmd({ type: 'EndMembership', memberId: 'mbr-cc-01', endDate: '2025-09-30' }))
        .thenRefuses('SteeringBodyHasCitizenSeats', 'endDate');
    });

    it('SteeringBodyHasCitizenSeats: refuses a replacement that starts only after a gap', () => {
      given(body, [...seated, ended('mbr-cc-01', '2024-06-01', '2025-09-30'), member('mbr-cc-03', 'party-conseil-citoyen-tourcoing', 'citizen', '2026-02-01')])
        .when(cmd({ type: 'EndMembership', memberId: 'mbr-cc-02', endDate: '2025-12-31' }))
        .thenRefuses('SteeringBodyHasCitizenSeats', 'endDate');
    });

    it('lets the last conseil citoyen member leave when the replacement takes over the next day', () => {
      given(body, [...seated, ended('mbr-cc-01', '2024-06-01', '2025-09-30'), member('mbr-cc-03', 'party-conseil-citoyen-tourcoing', 'citizen', '2026-01-01')])
        .when(cmd({ type: 'EndMembership', memberId: 'mbr-cc-02', endDate: '2025-12-31' }))
        .then([ended('mbr-cc-02', '2024-06-01', '2025-12-31')]);
    });
  });

  describe('membersOn', () => {
    const history = [
      ...seated,
      ended('mbr-caf-01', '2024-06-01', '2025-12-31'),
      member('mbr-caf-02', 'party-caf', 'signatory', '2026-01-01'),
    ];
    const { state } = given(body, history);

    it('gives the members on a date, with their party, seat and voting right', () => {
      expect(membersOn(state, '2025-06-12')).toEqual([
        { memberId: 'mbr-etat-01', partyId: 'party-etat', votingRight: true, seat: 'signatory' },
        { memberId: 'mbr-mel-01', partyId: 'party-mel', votingRight: true, seat: 'signatory' },
        { memberId: 'mbr-dep-01', partyId: 'party-departement-nord', votingRight: true, seat: 'signatory' },
        { memberId: 'mbr-caf-01', partyId: 'party-caf', votingRight: true, seat: 'signatory' },
        { memberId: 'mbr-cc-01', partyId: 'party-conseil-citoyen-roubaix', votingRight: true, seat: 'citizen' },
        { memberId: 'mbr-cc-02', partyId: 'party-conseil-citoyen-lille-sud', votingRight: true, seat: 'citizen' },
        { memberId: 'mbr-exp-01', partyId: 'party-mel', votingRight: false, seat: 'expert' },
      ]);
    });

    it('follows memberships over time', () => {
      expect(membersOn(state, '2024-05-31')).toEqual([]);
      const caf = (date: string) => membersOn(state, date).filter((m) => m.partyId === 'party-caf').map((m) => m.memberId);
      expect(caf('2025-12-31')).toEqual(['mbr-caf-01']);
      expect(caf('2026-01-01')).toEqual(['mbr-caf-02']);
      expect(caf('2027-03-15')).toEqual(['mbr-caf-02']);
    });

    it('refuses a malformed date', () => {
      expect(() => membersOn(state, '12/06/2025')).toThrow(DomainRuleError);
    });
  });

  describe('quorumRequired', () => {
    it('rounds a fraction up and asks for at least one member', () => {
      expect(quorumRequired({ kind: 'fraction', numerator: 1, denominator: 2 }, 6)).toBe(3);
      expect(quorumRequired({ kind: 'fraction', numerator: 1, denominator: 2 }, 7)).toBe(4);
      expect(quorumRequired({ kind: 'fraction', numerator: 2, denominator: 3 }, 6)).toBe(4);
      expect(quorumRequired({ kind: 'fraction', numerator: 1, denominator: 3 }, 0)).toBe(1);
      expect(quorumRequired({ kind: 'count', minimum: 5 }, 6)).toBe(5);
    });
  });
});

describe('GovernanceBody — any input from an HTTP body', () => {
  const withValueAt = (value: unknown, path: (string | number)[], replacement: unknown): unknown => {
    if (path.length === 0) return replacement;
    const [head, ...rest] = path;
    const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
    copy[head] = withValueAt(copy[head], rest, replacement);
    return copy;
  };
  const add = { type: 'AddMember', memberId: 'mbr-cc-03', partyId: 'party-conseil-citoyen-tourcoing', votingRight: true, seat: 'citizen', startDate: '2026-01-01' };
  const cases: [string, GovernanceBodyEvent[], Record<string, unknown>, (string | number)[][]][] = [
    ['CreateGovernanceBody', [], creation, [['bodyId'], ['name'], ['function'], ['quorum'], ['quorum', 'kind'], ['quorum', 'numerator'], ['quorum', 'denominator'], ['citizenSeats'], ['at'], ['actor'], ['actor', 'role']]],
    ['AddMember', seated, add, [['memberId'], ['partyId'], ['votingRight'], ['seat'], ['startDate']]],
    ['EndMembership', seated, { type: 'EndMembership', memberId: 'mbr-cc-01', endDate: '2025-09-30' }, [['memberId'], ['endDate'], ['type']]],
    ['ConstituteGovernanceBody', [created, ...roster], { type: 'ConstituteGovernanceBody', constitutedOn: '2024-06-20' }, [['constitutedOn']]],
  ];

  it.each(cases)('%s: a wrong value anywhere is refused with a DomainRuleError, never a TypeError', (_type, history, command, paths) => {
    const { state } = given(body, history);
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.anything({ withNullPrototype: true, withObjectString: true }), (path, value) => {
        try {
          body.decide(withValueAt(cmd(command), path, value) as GovernanceBodyCommand, state);
        } catch (error) {
          expect(error).toBeInstanceOf(DomainRuleError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
