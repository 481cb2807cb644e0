import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { sharedPath } from '../../../../test/support/shared';
import { amendmentDecider, type AmendmentEvent, amendmentFacts } from '../amendment/amendment';
import { given } from '../testing/given-when-then';
import type { Actor } from '../shared/decider';
import { DomainRuleError } from '../shared/rules';
import { type ContractCommand, contractDecider as contract, type ContractEvent, missingContractSignatures, type Priority, type Territory } from './contract';

const adoptedOn = '2024-04-19T18:00:00.000+02:00'; // conseil métropolitain
const signedOn = '2024-05-07T11:00:00.000+02:00';
const at = '2024-09-02T10:00:00.000+02:00';
const admin: Actor = { subject: 'user-admin', role: 'administrator' };
const adminUnderMandate: Actor = { ...admin, mandate: 'ceremonie-signature-2024-05-07' };
const auditor: Actor = { subject: 'user-audit', role: 'auditor' };
const rep = (partyId: string): Actor => ({ subject: `user-${partyId}`, role: 'signatory-representative', partyId });

/** The signatories named by the press kit: État, MEL, Région, Département, CAF, Banque des Territoires, Bpifrance, LMH. */
const signatories = ['party-etat', 'party-mel', 'party-region', 'party-departement', 'party-caf', 'party-bdt', 'party-bpi', 'party-lmh'];

const qpv = (code: string, name: string, communes: string[]) => ({ code, name, communes });
/** The 26 QPV of the MEL in the 2024 geography (shared/reference/qpv-mel-2024.csv). */
const QPV = [
  qpv('QN05965M', 'Pont de Bois-Hôtel de ville', ['59009']),
  qpv('QN05966M', 'Résidence-Poste-Triolo', ['59009']),
  qpv('QN05967M', 'Attargette - Chanzy', ['59017']),
  qpv('QN05968M', 'Bizet - Briqueterie', ['59017']),
  qpv('QN05969M', 'Quartier Intercommunal Hautchamps Longchamp - Lionderie - 3 Baudets', ['59299', '59367', '59512']),
  qpv('QN05970M', 'Pacot - Vandracq', ['59328']),
  qpv('QN05971M', 'Secteur Ouest', ['59350']),
  qpv('QN05972M', 'Secteur Sud', ['59220', '59346', '59350', '59360']),
  qpv('QN05973M', 'Secteur Nord Est', ['59350']),
  qpv('QN05974M', 'Secteur Nord', ['59350']),
  qpv('QN05975M', 'Les Oliveaux', ['59360']),
  qpv('QN05976M', 'Clémenceau-Kiener', ['59360']),
  qpv('QN05977M', 'La Briquetterie', ['59378']),
  qpv('QN05978M', 'Nouveau Mons - Les Sarts- Dombrowski', ['59009', '59350', '59410']),
  qpv('QN05979M', 'Comtesse De Ségur', ['59507']),
  qpv('QN05980M', 'Quartier Intercommunal Roubaix-Tourcoing - Blanc Seau - Croix Bas Saint Pierre - Wattrelos Nord', ['59163', '59512', '59599', '59650']),
  qpv('QN05981M', 'Nouveau Roubaix', ['59512']),
  qpv('QN05982M', 'La Mouchonnière', ['59560']),
  qpv('QN05983M', 'Phalempins', ['59599']),
  qpv('QN05984M', 'Virolois', ['59599']),
  qpv('QN05985M', 'La Bourgogne', ['59599']),
  qpv('QN05986M', 'Pont Rompu', ['59599']),
  qpv('QN05987M', 'Blanc Riez', ['59648']),
  qpv('QN05988M', 'Epidéme Villas Couteaux', ['59599', '59650']),
  qpv('QN05989M', 'Centralité De Beaulieu', ['59650']),
  qpv('QN05991N', 'Le Parc', ['59286']),
];
const territory: Territory = { communes: [...new Set(QPV.flatMap((q) => q.communes))].sort(), qpv: QPV };
const LILLE = '59350';
const ROUBAIX = '59512';
const DUNKERQUE = '59183'; // not a commune of the MEL

const qpv2030 = (ambitionId: string, text: string) => ({ ambitionId, text, scale: 'qpv' as const, horizon: 2030 });
/** The 6 enjeux of the press kit with their ambitions and the partners among the signatories. */
const priorities: Priority[] = [
  {
    number: 1,
    title: 'Lutter contre les inégalités dès l’enfance, notamment par la réussite éducative et scolaire de tous les jeunes',
    ambitions: [
      qpv2030('1.1', 'accompagner les jeunes vers l’autonomie et favoriser les parcours personnalisés (insertion, logement, santé)'),
      qpv2030('1.2', 'mobiliser et accompagner les jeunes les plus vulnérables vers et dans le logement'),
      qpv2030('1.3', 'mieux repérer les élèves en difficultés et les accompagner dans leur réussite scolaire'),
      qpv2030('1.4', 'soutenir la parentalité'),
      qpv2030('1.5', 'favoriser la diversification d’orientation scolaire'),
      qpv2030('1.6', 'favoriser la mixité sociale et scolaire'),
      qpv2030('1.7', 'favoriser des activités sportives et culturelles régulières et variées'),
    ],
    partnerPartyIds: ['party-etat', 'party-mel', 'party-departement', 'party-caf'],
  },
  {
    number: 2,
    title: 'Amplifier la politique d’accès à l’emploi',
    ambitions: [
      qpv2030('2.1', 'lever les freins à la mobilité pour tous et favoriser l’insertion des personnes en grande précarité'),
      qpv2030('2.2', 'renforcer l’articulation du SPELOF, en lien avec la mise en place de France Travail'),
      qpv2030('2.3', 'positionner les habitants des quartiers prioritaires au cœur des actions favorisant l’emploi et le dynamisme économique'),
      qpv2030('2.4', 'intensifier l’accompagnement des demandeurs d’emploi les plus vulnérables'),
      qpv2030('2.5', 'lever les freins d’accès à l’emploi des habitants'),
      qpv2030('2.6', 'améliorer l’adéquation entre les compétences des habitants et celles recherchées par les employeurs'),
      qpv2030('2.7', 'promouvoir la création d’activités économiques comme outil de développement des territoires prioritaires'),
    ],
    partnerPartyIds: ['party-etat', 'party-mel', 'party-departement', 'party-region', 'party-caf', 'party-bpi'],
  },
  {
    number: 3,
    title: 'Promouvoir l’accès aux soins et à la prévention',
    ambitions: [
      qpv2030('3.1', 'se doter d’un outil d’observation en matière de santé mentale'),
      qpv2030('3.2', 'soutenir les acteurs agissant sur les problématiques de santé mentale notamment auprès des jeunes'),
      qpv2030('3.3', 'améliorer la participation des habitants des quartiers prioritaires aux campagnes de prévention'),
    ],
    partnerPartyIds: ['party-etat', 'party-mel', 'party-departement'],
  },
  {
    number: 4,
    title: 'Œuvrer pour le vivre ensemble',
    ambitions: [
      qpv2030('4.1', 'améliorer la situation de l’habitat (qualité des logements, performance énergétique, mixité)'),
      qpv2030('4.2', 'améliorer la propreté des quartiers prioritaires via la démarche métropolitaine de GUSP'),
      qpv2030('4.3', 'aménager de nouveaux espaces actuellement délaissés situés en quartier prioritaire'),
      qpv2030('4.4', 'créer des collectifs d’habitants pour faciliter le lien entre les institutions et les habitants'),
      qpv2030('4.5', 'diminuer de manière significative l’entrée des adolescents dans les réseaux de délinquance'),
    ],
    partnerPartyIds: ['party-etat', 'party-mel', 'party-lmh', 'party-region'],
  },
  {
    number: 5,
    title: 'Construire une transition écologique solidaire',
    ambitions: [
      { ambitionId: '5.1', text: 'lutter contre la précarité énergétique et favoriser l’accès à une alimentation durable', scale: 'metropolis', horizon: 2027 },
      qpv2030('5.2', 'améliorer l’efficacité énergétique et lutter contre la précarité énergétique'),
      qpv2030('5.3', 'mettre en œuvre des opérations d’aménagement favorisant la santé environnementale et l’adaptation au changement climatique'),
      qpv2030('5.4', 'favoriser la mobilité des habitants'),
      qpv2030('5.5', 'favoriser l’accès à une alimentation saine et durable'),
    ],
    partnerPartyIds: ['party-etat', 'party-mel', 'party-departement', 'party-region', 'party-caf'],
  },
  {
    number: 6,
    title: 'Lutter contre l’isolement et la grande précarité',
    ambitions: [
      qpv2030('6.1', 'faciliter l’accès aux droits et accompagner les habitants aux usages numériques'),
      qpv2030('6.2', 'soutenir et expérimenter des démarches dédiées aux personnes isolées, peu mobiles, en rupture de droit'),
      qpv2030('6.3', 'faire évoluer les pratiques RH des employeurs en matière de lutte contre les discriminations'),
      qpv2030('6.4', 'poursuivre les actions de lutte contre les discriminations dans le domaine du logement'),
    ],
    partnerPartyIds: ['party-etat', 'party-mel', 'party-departement', 'party-caf'],
  },
];

const documentSha256 = '3f5a0c1e9b7d2a4c6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d';
const adoption = {
  type: 'AdoptContract',
  actor: admin,
  at: adoptedOn,
  contractId: 'cvs-mel-2024',
  title: 'Contrat de ville et des solidarités de la Métropole Européenne de Lille 2024-2030',
  documentSha256,
  components: [
    { component: 'contrat-de-ville', indicativeAnnualBudgetCents: 20_000_000_00 },
    { component: 'pacte-local-solidarites', indicativeAnnualBudgetCents: 2_000_000_00 },
  ],
  priorities,
  territory,
  signatoryPartyIds: signatories,
};
const { type: _t, actor: _a, at: _at, ...adoptionData } = adoption;
const adopted: ContractEvent = {
  type: 'ContractAdopted',
  data: {
    ...adoptionData,
    components: [
      { component: 'contrat-de-ville', indicativeAnnualBudgetCents: 20_000_000_00, start: '2024-01-01', end: '2030-12-31' },
      { component: 'pacte-local-solidarites', indicativeAnnualBudgetCents: 2_000_000_00, start: '2024-01-01', end: '2027-12-31' },
    ],
  },
};
const signedBy = (partyId: string): ContractEvent => ({ type: 'ContractSignedByParty', data: { contractId: 'cvs-mel-2024', partyId } });
const signed: ContractEvent[] = [adopted, ...signatories.map(signedBy), { type: 'ContractSigned', data: { contractId: 'cvs-mel-2024' } }];
const inForce: ContractEvent[] = [...signed, { type: 'ContractEnteredIntoForce', data: { contractId: 'cvs-mel-2024' } }];
const revisionStarted: ContractEvent = { type: 'ContractRevisionStarted', data: { contractId: 'cvs-mel-2024', reason: 'évaluation à mi-parcours 2027' } };
const underRevision: ContractEvent[] = [...inForce, revisionStarted];
const closed: ContractEvent[] = [...inForce, { type: 'ContractClosed', data: { contractId: 'cvs-mel-2024' } }];

const cmd = (c: Record<string, unknown>) => ({ at, actor: admin, contractId: 'cvs-mel-2024', ...c }) as ContractCommand;

describe('Contract', () => {
  describe('adoption', () => {
    it('records the contract adopted by the metropolitan council on 19 April 2024, with the dates of its two components', () => {
      given(contract, []).when(cmd(adoption)).then([adopted]);
    });

    it('keeps the 6 priorities, the 26 QPV in 19 communes and the signatories in its state', () => {
      const { state } = given(contract, [adopted]);
      expect(state.status).toBe('adopted');
      expect(state.priorities.map((p) => p.number)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(state.territory.qpv).toHaveLength(26);
      expect(state.territory.communes).toHaveLength(19);
      expect(missingContractSignatures(state)).toEqual(signatories);
    });

    it('uses the QPV of the reference file (shared/reference/qpv-mel-2024.csv)', () => {
      const rows = readFileSync(sharedPath('reference', 'qpv-mel-2024.csv'), 'utf8').trim().split('\n').slice(1);
      const reference = rows.map((row) => {
        const [code, name, insee] = row.split(',');
        return { code, name, communes: insee.split(';') };
      });
      expect(QPV).toEqual(reference);
    });

    it('OnlyAnAdministratorMayDoThis: a signatory does not record the adoption', () => {
      given(contract, []).when(cmd({ ...adoption, actor: rep('party-mel') })).thenRefuses('OnlyAnAdministratorMayDoThis');
    });

    it('AggregateMustNotExistYet: refuses to adopt the same contract twice', () => {
      given(contract, [adopted]).when(cmd(adoption)).thenRefuses('AggregateMustNotExistYet', 'contractId');
    });

    const withPriority = (i: number, change: Record<string, unknown>) => priorities.map((p, j) => (j === i ? { ...p, ...change } : p));
    const withAmbition = (i: number, change: Record<string, unknown>) =>
      withPriority(i, { ambitions: [{ ...priorities[i].ambitions[0], ...change }, ...priorities[i].ambitions.slice(1)] });
    it.each([
      ['an ambition beyond 2030', { priorities: withAmbition(4, { horizon: 2031 }) }, 'PeriodIsWithinTheContract', 'priorities[4].ambitions[0].horizon'],
      ['an ambition before 2024', { priorities: withAmbition(0, { horizon: 2020 }) }, 'PeriodIsWithinTheContract', 'priorities[0].ambitions[0].horizon'],
      ['a budget in euros with cents as a fraction', { components: [{ component: 'contrat-de-ville', indicativeAnnualBudgetCents: 20_000_000.5 }, adoption.components[1]] }, 'MoneyIsInWholeCents', 'components[0].indicativeAnnualBudgetCents'],
      ['a negative budget', { components: [adoption.components[0], { component: 'pacte-local-solidarites', indicativeAnnualBudgetCents: -1 }] }, 'MoneyIsInWholeCents', 'components[1].indicativeAnnualBudgetCents'],
      ['a budget given as text', { components: [adoption.components[0], { component: 'pacte-local-solidarites', indicativeAnnualBudgetCents: '2 M€' }] }, 'MoneyIsInWholeCents', 'components[1].indicativeAnnualBudgetCents'],
    ])('refuses %s', (_label, change, rule, field) => {
      given(contract, []).when(cmd({ ...adoption, ...change })).thenRefuses(rule as never, field);
    });

    it.each([
      ['five priorities', { priorities: priorities.slice(0, 5) }, 'priorities'],
      ['priorities given as text', { priorities: 'six enjeux' }, 'priorities'],
      ['a priority 7', { priorities: withPriority(5, { number: 7 }) }, 'priorities[5].number'],
      ['priority 1 twice', { priorities: withPriority(1, { number: 1 }) }, 'priorities[1].number'],
      ['a priority without ambitions', { priorities: withPriority(2, { ambitions: [] }) }, 'priorities[2].ambitions'],
      ['an ambition without text', { priorities: withAmbition(3, { text: undefined }) }, 'priorities[3].ambitions[0].text'],
      ['an ambition of an unknown scale', { priorities: withAmbition(3, { scale: 'region' }) }, 'priorities[3].ambitions[0].scale'],
      ['an ambition id used twice', { priorities: withAmbition(1, { ambitionId: '1.1' }) }, 'priorities[1].ambitions[0].ambitionId'],
      ['a partner id that is not an id', { priorities: withPriority(0, { partnerPartyIds: [{ name: 'CAF' }] }) }, 'priorities[0].partnerPartyIds[0]'],
      ['a priority that is null', { priorities: [null, ...priorities.slice(1)] }, 'priorities[0]'],
      ['one component only', { components: [adoption.components[0]] }, 'components'],
      ['a component twice', { components: [adoption.components[0], adoption.components[0]] }, 'components[1].component'],
      ['an unknown component', { components: [adoption.components[0], { component: 'npnru', indicativeAnnualBudgetCents: 1 }] }, 'components[1].component'],
      ['no territory', { territory: undefined }, 'territory'],
      ['a malformed QPV code', { territory: { ...territory, qpv: [{ ...QPV[0], code: 'Lille Sud' }] } }, 'territory.qpv[0].code'],
      ['a QPV code twice', { territory: { ...territory, qpv: [QPV[0], QPV[0]] } }, 'territory.qpv[1].code'],
      ['a QPV without commune', { territory: { ...territory, qpv: [{ ...QPV[0], communes: [] }] } }, 'territory.qpv[0].communes'],
      ['a QPV in a commune outside the territory', { territory: { ...territory, qpv: [{ ...QPV[0], communes: [DUNKERQUE] }] } }, 'territory.qpv[0].communes[0]'],
      ['a commune code that is not an INSEE code', { territory: { ...territory, communes: ['Lille'] } }, 'territory.communes[0]'],
      ['a single signatory', { signatoryPartyIds: ['party-mel'] }, 'signatoryPartyIds'],
      ['a signatory listed twice', { signatoryPartyIds: ['party-mel', 'party-mel'] }, 'signatoryPartyIds[1]'],
      ['a document not identified by its SHA-256', { documentSha256: 'contrat.pdf' }, 'documentSha256'],
      ['a huge title', { title: 'C'.repeat(1_000_000) }, 'title'],
      ['a contract id with a slash', { contractId: 'cvs/mel' }, 'contractId'],
    ])('ValueMustBeValid: refuses %s, naming the field', (_label, change, field) => {
      given(contract, []).when(cmd({ ...adoption, ...change })).thenRefuses('ValueMustBeValid', field);
    });
  });

  describe('signature', () => {
    it('records the signature of a party by its representative', () => {
      given(contract, [adopted]).when(cmd({ type: 'SignContract', actor: rep('party-region'), at: signedOn })).then([signedBy('party-region')]);
    });

    it('lets an administrator record the signature of a named party under a mandate', () => {
      given(contract, [adopted])
        .when(cmd({ type: 'SignContract', actor: adminUnderMandate, onBehalfOfPartyId: 'party-bpi', at: signedOn }))
        .then([signedBy('party-bpi')]);
    });

    it('becomes signed on the last signature (7 May 2024)', () => {
      const lastButOne = signed.slice(0, -2);
      const events = given(contract, lastButOne)
        .when(cmd({ type: 'SignContract', actor: rep('party-lmh'), at: signedOn }))
        .then([signedBy('party-lmh'), { type: 'ContractSigned', data: { contractId: 'cvs-mel-2024' } }]);
      const { state } = given(contract, [...lastButOne, ...events]);
      expect(state.status).toBe('signed');
      expect(missingContractSignatures(state)).toEqual([]);
    });

    it('ContractIsSignedByItsParties: a party that is not a signatory does not sign', () => {
      given(contract, [adopted]).when(cmd({ type: 'SignContract', actor: rep('party-ars') })).thenRefuses('ContractIsSignedByItsParties');
    });

    it('ContractIsSignedByItsParties: an administrator does not sign for a party that is not a signatory', () => {
      given(contract, [adopted])
        .when(cmd({ type: 'SignContract', actor: adminUnderMandate, onBehalfOfPartyId: 'party-ars' }))
        .thenRefuses('ContractIsSignedByItsParties', 'onBehalfOfPartyId');
    });

    it('ContractIsSignedByItsParties: a party signs once', () => {
      given(contract, [adopted, signedBy('party-mel')]).when(cmd({ type: 'SignContract', actor: rep('party-mel') })).thenRefuses('ContractIsSignedByItsParties');
    });

    it('ContractIsSignedByItsParties: no more signature once signed by all', () => {
      given(contract, inForce).when(cmd({ type: 'SignContract', actor: rep('party-mel') })).thenRefuses('ContractIsSignedByItsParties');
    });

    it.each([
      ['a representative naming another party', { actor: rep('party-mel'), onBehalfOfPartyId: 'party-etat' }, 'onBehalfOfPartyId'],
      ['an administrator without a mandate', { actor: admin, onBehalfOfPartyId: 'party-etat' }, undefined],
      ['an administrator naming no party', { actor: adminUnderMandate }, 'onBehalfOfPartyId'],
      ['an auditor', { actor: auditor }, undefined],
    ])('PartyActsOnlyForItself: refuses a signature by %s', (_label, change, field) => {
      given(contract, [adopted]).when(cmd({ type: 'SignContract', ...change })).thenRefuses('PartyActsOnlyForItself', field);
    });
  });

  describe('lifecycle', () => {
    it('enters into force once signed', () => {
      given(contract, signed).when(cmd({ type: 'EnterIntoForce', at: signedOn })).then([{ type: 'ContractEnteredIntoForce', data: { contractId: 'cvs-mel-2024' } }]);
    });

    it('starts the mid-term revision in 2027 and completes it', () => {
      given(contract, inForce)
        .when(cmd({ type: 'StartRevision', at: '2027-03-15T09:00:00.000+01:00', reason: 'évaluation à mi-parcours 2027' }))
        .then([revisionStarted]);
      const conclusion = 'Orientations de la seconde période : mobilisation accrue du droit commun';
      const events = given(contract, underRevision)
        .when(cmd({ type: 'CompleteRevision', at: '2027-12-10T18:00:00.000+01:00', conclusion }))
        .then([{ type: 'ContractRevisionCompleted', data: { contractId: 'cvs-mel-2024', conclusion } }]);
      const { state } = given(contract, [...underRevision, ...events]);
      expect(state.status).toBe('in_force');
      expect(state.revisions).toHaveLength(1);
      expect(state.revisions[0].conclusion).toBe(conclusion);
    });

    it('counts the date of the revision in its own offset: 1 January 2027 at 00:30 in Lille is 2027', () => {
      given(contract, inForce).when(cmd({ type: 'StartRevision', at: '2027-01-01T00:30:00+01:00', reason: 'r' })).then([{ ...revisionStarted, data: { contractId: 'cvs-mel-2024', reason: 'r' } }]);
    });

    it.each([
      ['in 2025', '2025-06-01T10:00:00Z'],
      ['on 31 December 2026', '2026-12-31T23:30:00-01:00'],
    ])('TransitionMustFollowLifecycle: refuses to start the revision %s, before the mid-term', (_label, when) => {
      given(contract, inForce).when(cmd({ type: 'StartRevision', at: when, reason: 'r' })).thenRefuses('TransitionMustFollowLifecycle', 'at');
    });

    it('closes the contract at the end of the contrat de ville (2030-12-31)', () => {
      given(contract, inForce).when(cmd({ type: 'CloseContract', at: '2030-12-31T17:00:00+01:00' })).then([{ type: 'ContractClosed', data: { contractId: 'cvs-mel-2024' } }]);
      given(contract, underRevision).when(cmd({ type: 'CloseContract', at: '2031-01-15T10:00:00+01:00' })).then([{ type: 'ContractClosed', data: { contractId: 'cvs-mel-2024' } }]);
    });

    it('TransitionMustFollowLifecycle: refuses to close the contract before the end of the contrat de ville', () => {
      given(contract, inForce).when(cmd({ type: 'CloseContract', at: '2030-12-30T17:00:00+01:00' })).thenRefuses('TransitionMustFollowLifecycle', 'at');
    });

    it.each([
      ['enter into force before every signature', [adopted], { type: 'EnterIntoForce' }],
      ['enter into force twice', inForce, { type: 'EnterIntoForce' }],
      ['start a revision of a contract not in force', signed, { type: 'StartRevision', at: '2027-03-15T09:00:00Z', reason: 'r' }],
      ['start a revision during a revision', underRevision, { type: 'StartRevision', at: '2027-03-15T09:00:00Z', reason: 'r' }],
      ['complete a revision never started', inForce, { type: 'CompleteRevision', conclusion: 'c' }],
      ['close a contract not in force', signed, { type: 'CloseContract', at: '2031-01-01T10:00:00Z' }],
      ['close a closed contract', closed, { type: 'CloseContract', at: '2031-01-01T10:00:00Z' }],
      ['revise a closed contract', closed, { type: 'StartRevision', at: '2031-01-01T10:00:00Z', reason: 'r' }],
    ])('TransitionMustFollowLifecycle: refuses to %s', (_label, history, command) => {
      given(contract, history as ContractEvent[]).when(cmd(command)).thenRefuses('TransitionMustFollowLifecycle');
    });

    it.each([
      ['EnterIntoForce', signed, {}],
      ['StartRevision', inForce, { at: '2027-03-15T09:00:00Z', reason: 'r' }],
      ['CloseContract', inForce, { at: '2031-01-01T10:00:00Z' }],
    ])('OnlyAnAdministratorMayDoThis: a signatory representative does not record %s', (type, history, fields) => {
      given(contract, history as ContractEvent[]).when(cmd({ type, actor: rep('party-mel'), ...fields })).thenRefuses('OnlyAnAdministratorMayDoThis');
    });

    it('refuses a revision without a reason', () => {
      given(contract, inForce).when(cmd({ type: 'StartRevision', at: '2027-03-15T09:00:00Z', reason: 42 })).thenRefuses('ValueMustBeValid', 'reason');
    });

    it('AggregateMustExist: refuses any command on a contract never adopted', () => {
      given(contract, []).when(cmd({ type: 'EnterIntoForce' })).thenRefuses('AggregateMustExist');
    });

    it('ValueMustBeValid: refuses an unknown command', () => {
      given(contract, inForce).when(cmd({ type: 'TerminateContract' })).thenRefuses('ValueMustBeValid', 'type');
    });
  });

  describe('local annexes (volets locaux)', () => {
    const roubaix = { inseeCode: ROUBAIX, title: 'Volet local de Roubaix', documentSha256: 'a'.repeat(64) };
    const annexed: ContractEvent = { type: 'LocalAnnexAttached', data: { contractId: 'cvs-mel-2024', ...roubaix } };

    it('annexes the volet local of a commune of the contract, identified by the SHA-256 of its document', () => {
      const events = given(contract, inForce).when(cmd({ type: 'AnnexLocalPart', ...roubaix })).then([annexed]);
      expect(given(contract, [...inForce, ...events]).state.localAnnexes[ROUBAIX]).toMatchObject({ ...roubaix, amendmentId: null });
    });

    it('annexes once the contract is signed, before it is in force', () => {
      given(contract, signed).when(cmd({ type: 'AnnexLocalPart', ...roubaix })).then([annexed]);
    });

    it('LocalAnnexBelongsToAContractCommune: refuses the annex of a commune outside the territory', () => {
      given(contract, inForce)
        .when(cmd({ type: 'AnnexLocalPart', ...roubaix, inseeCode: DUNKERQUE, title: 'Volet local de Dunkerque' }))
        .thenRefuses('LocalAnnexBelongsToAContractCommune', 'inseeCode');
    });

    it('AggregateMustNotExistYet: a second annex of a commune replaces the first only through an amendment', () => {
      given(contract, [...inForce, annexed]).when(cmd({ type: 'AnnexLocalPart', ...roubaix, documentSha256: 'b'.repeat(64) })).thenRefuses('AggregateMustNotExistYet', 'inseeCode');
    });

    it('TransitionMustFollowLifecycle: refuses an annex before signature or after closing', () => {
      given(contract, [adopted]).when(cmd({ type: 'AnnexLocalPart', ...roubaix })).thenRefuses('TransitionMustFollowLifecycle');
      given(contract, closed).when(cmd({ type: 'AnnexLocalPart', ...roubaix })).thenRefuses('TransitionMustFollowLifecycle');
    });

    it('OnlyAnAdministratorMayDoThis: a representative does not annex', () => {
      given(contract, inForce).when(cmd({ type: 'AnnexLocalPart', ...roubaix, actor: rep('party-mel') })).thenRefuses('OnlyAnAdministratorMayDoThis');
    });

    it.each([
      ['a document named instead of hashed', { documentSha256: 'volet-local-roubaix.pdf' }, 'documentSha256'],
      ['an uppercase digest', { documentSha256: 'A'.repeat(64) }, 'documentSha256'],
      ['a commune given by name', { inseeCode: 'Roubaix' }, 'inseeCode'],
      ['no title', { title: undefined }, 'title'],
    ])('ValueMustBeValid: refuses %s', (_label, change, field) => {
      given(contract, inForce).when(cmd({ type: 'AnnexLocalPart', ...roubaix, ...change })).thenRefuses('ValueMustBeValid', field);
    });
  });

  describe('amendments', () => {
    const lille = { inseeCode: LILLE, title: 'Volet local de Lille', documentSha256: 'c'.repeat(64) };
    const lilleAnnexed: ContractEvent = { type: 'LocalAnnexAttached', data: { contractId: 'cvs-mel-2024', ...lille } };
    const changes = {
      addAmbitions: [{ priority: 3, ambitionId: '3.4', text: 'partager un observatoire de la santé mentale des jeunes', scale: 'qpv', horizon: 2030 }],
      addPartners: [{ priority: 3, partyId: 'party-caf' }],
      setLocalAnnexes: [{ ...lille, title: 'Volet local de Lille (révisé)', documentSha256: 'd'.repeat(64) }],
      setComponentBudgets: [{ component: 'pacte-local-solidarites', indicativeAnnualBudgetCents: 2_500_000_00 }],
    };
    const facts = { amendmentId: 'avenant-1', status: 'in_force', contractId: 'cvs-mel-2024', affectedCommitmentIds: [] };
    const amended: ContractEvent = { type: 'ContractAmended', data: { contractId: 'cvs-mel-2024', amendmentId: 'avenant-1', changes } as never };

    it('applies an amendment in force: a new ambition and partner, a replaced volet local, a new budget', () => {
      const history = [...inForce, lilleAnnexed];
      given(contract, history).when(cmd({ type: 'ApplyAmendmentToContract', amendment: facts, changes })).then([amended]);
      const { state } = given(contract, [...history, amended]);
      const third = state.priorities.find((p) => p.number === 3)!;
      expect(third.ambitions.map((a) => a.ambitionId)).toEqual(['3.1', '3.2', '3.3', '3.4']);
      expect(third.partnerPartyIds).toContain('party-caf');
      expect(state.localAnnexes[LILLE]).toMatchObject({ title: 'Volet local de Lille (révisé)', documentSha256: 'd'.repeat(64), amendmentId: 'avenant-1' });
      expect(state.components.find((c) => c.component === 'pacte-local-solidarites')!.indicativeAnnualBudgetCents).toBe(2_500_000_00);
      expect(state.appliedAmendmentIds).toEqual(['avenant-1']);
    });

    it('applies an amendment during the revision', () => {
      given(contract, underRevision).when(cmd({ type: 'ApplyAmendmentToContract', amendment: facts, changes: { addPartners: changes.addPartners } })).then(
        (events) => expect(events.map((e) => e.type)).toEqual(['ContractAmended']),
      );
    });

    it('takes its facts from the amendment aggregate, once the amendment is in force', () => {
      const proposal: AmendmentEvent = {
        type: 'AmendmentProposed',
        data: {
          amendmentId: 'avenant-1',
          rationale: 'Évaluation à mi-parcours 2027',
          description: 'La CAF du Nord devient partenaire de l’enjeu 3',
          contractId: 'cvs-mel-2024',
          commitmentIds: [],
          affectedPartyIds: ['party-mel', 'party-etat'],
          changes: [{ target: { kind: 'contract', id: 'cvs-mel-2024' }, change: { addPartners: changes.addPartners } }],
          proposedByPartyId: null,
        },
      };
      const approved: AmendmentEvent[] = [
        proposal,
        { type: 'AmendmentApproved', data: { amendmentId: 'avenant-1', decisionId: 'd-1', meetingId: 'm-1', bodyId: 'body-copil' } },
        { type: 'AmendmentSigned', data: { amendmentId: 'avenant-1', partyId: 'party-mel' } },
        { type: 'AmendmentSigned', data: { amendmentId: 'avenant-1', partyId: 'party-etat' } },
      ];
      const apply = (history: AmendmentEvent[]) => {
        const state = given(amendmentDecider, history).state;
        const change = state.changes.find((c) => c.target.kind === 'contract')!.change;
        return cmd({ type: 'ApplyAmendmentToContract', amendment: amendmentFacts(state), changes: change });
      };
      given(contract, inForce).when(apply(approved)).thenRefuses('AmendmentTakesEffectOnlyWhenSignedByAll');
      given(contract, inForce)
        .when(apply([...approved, { type: 'AmendmentEnteredIntoForce', data: { amendmentId: 'avenant-1' } }]))
        .then([{ type: 'ContractAmended', data: { contractId: 'cvs-mel-2024', amendmentId: 'avenant-1', changes: { addPartners: changes.addPartners } } } as ContractEvent]);
    });

    it.each([
      ['approved but not in force', { ...facts, status: 'approved' }],
      ['in force but about another contract', { ...facts, contractId: 'cvs-autre' }],
      ['in force but about commitments only', { ...facts, contractId: null, affectedCommitmentIds: ['c-1'] }],
    ])('AmendmentTakesEffectOnlyWhenSignedByAll: refuses an amendment %s', (_label, amendment) => {
      given(contract, inForce).when(cmd({ type: 'ApplyAmendmentToContract', amendment, changes })).thenRefuses('AmendmentTakesEffectOnlyWhenSignedByAll');
    });

    it('AggregateMustNotExistYet: applies an amendment once', () => {
      given(contract, [...inForce, lilleAnnexed, amended]).when(cmd({ type: 'ApplyAmendmentToContract', amendment: facts, changes })).thenRefuses('AggregateMustNotExistYet', 'amendment.amendmentId');
    });

    it('TransitionMustFollowLifecycle: refuses to amend a contract not in force', () => {
      given(contract, signed).when(cmd({ type: 'ApplyAmendmentToContract', amendment: facts, changes })).thenRefuses('TransitionMustFollowLifecycle');
      given(contract, closed).when(cmd({ type: 'ApplyAmendmentToContract', amendment: facts, changes })).thenRefuses('TransitionMustFollowLifecycle');
    });

    it('LocalAnnexBelongsToAContractCommune: an amendment does not annex the volet local of a commune outside the territory', () => {
      given(contract, inForce)
        .when(cmd({ type: 'ApplyAmendmentToContract', amendment: facts, changes: { setLocalAnnexes: [{ ...lille, inseeCode: DUNKERQUE }] } }))
        .thenRefuses('LocalAnnexBelongsToAContractCommune', 'changes.setLocalAnnexes[0].inseeCode');
    });

    it('PeriodIsWithinTheContract: an amendment does not add an ambition beyond 2030', () => {
      given(contract, inForce)
        .when(cmd({ type: 'ApplyAmendmentToContract', amendment: facts, changes: { addAmbitions: [{ ...changes.addAmbitions[0], horizon: 2035 }] } }))
        .thenRefuses('PeriodIsWithinTheContract', 'changes.addAmbitions[0].horizon');
    });

    it.each([
      ['an unknown kind of change', { removePriority: 6 }, 'changes.removePriority'],
      ['no change at all', {}, 'changes'],
      ['changes given as a list', [changes], 'changes'],
      ['an ambition id that exists', { addAmbitions: [{ ...changes.addAmbitions[0], ambitionId: '3.1' }] }, 'changes.addAmbitions[0].ambitionId'],
      ['an ambition of priority 7', { addAmbitions: [{ ...changes.addAmbitions[0], priority: 7 }] }, 'changes.addAmbitions[0].priority'],
      ['a partner that is one already', { addPartners: [{ priority: 3, partyId: 'party-mel' }] }, 'changes.addPartners[0].partyId'],
      ['the same new partner twice', { addPartners: [changes.addPartners[0], changes.addPartners[0]] }, 'changes.addPartners[1].partyId'],
      ['an annex without document digest', { setLocalAnnexes: [{ ...lille, documentSha256: undefined }] }, 'changes.setLocalAnnexes[0].documentSha256'],
      ['two annexes for one commune', { setLocalAnnexes: [lille, lille] }, 'changes.setLocalAnnexes[1].inseeCode'],
      ['a budget for an unknown component', { setComponentBudgets: [{ component: 'npnru', indicativeAnnualBudgetCents: 1 }] }, 'changes.setComponentBudgets[0].component'],
      ['no amendment facts', undefined, 'amendment'],
    ])('ValueMustBeValid: refuses %s, naming the field', (label, value, field) => {
      const command =
        label === 'no amendment facts'
          ? { type: 'ApplyAmendmentToContract', amendment: undefined, changes }
          : { type: 'ApplyAmendmentToContract', amendment: facts, changes: value };
      given(contract, inForce).when(cmd(command)).thenRefuses('ValueMustBeValid', field);
    });

    it('MoneyIsInWholeCents: an amendment sets a budget in whole cents', () => {
      given(contract, inForce)
        .when(cmd({ type: 'ApplyAmendmentToContract', amendment: facts, changes: { setComponentBudgets: [{ component: 'contrat-de-ville', indicativeAnnualBudgetCents: 0.5 }] } }))
        .thenRefuses('MoneyIsInWholeCents', 'changes.setComponentBudgets[0].indicativeAnnualBudgetCents');
    });

    it('OnlyAnAdministratorMayDoThis: a representative does not apply an amendment', () => {
      given(contract, inForce).when(cmd({ type: 'ApplyAmendmentToContract', actor: rep('party-mel'), amendment: facts, changes })).thenRefuses('OnlyAnAdministratorMayDoThis');
    });
  });

  it('turns any value in any field into a DomainRuleError, never a TypeError (property)', () => {
    const annex = { type: 'AnnexLocalPart', inseeCode: LILLE, title: 'Volet local de Lille', documentSha256: 'c'.repeat(64) };
    const apply = {
      type: 'ApplyAmendmentToContract',
      amendment: { amendmentId: 'avenant-1', status: 'in_force', contractId: 'cvs-mel-2024', affectedCommitmentIds: [] },
      changes: { addPartners: [{ priority: 3, partyId: 'party-caf' }] },
    };
    const templates: [ContractEvent[], Record<string, unknown>][] = [
      [[], adoption],
      [[adopted], { type: 'SignContract', actor: adminUnderMandate, onBehalfOfPartyId: 'party-mel' }],
      [signed, { type: 'EnterIntoForce' }],
      [inForce, annex],
      [inForce, { type: 'StartRevision', at: '2027-03-15T09:00:00Z', reason: 'r' }],
      [underRevision, { type: 'CompleteRevision', conclusion: 'c' }],
      [inForce, { type: 'CloseContract', at: '2031-01-01T10:00:00Z' }],
      [inForce, apply],
    ];
    const withGarbageAmbition = (garbage: unknown) => priorities.map((p, i) => (i === 0 ? { ...p, ambitions: [garbage] } : p));
    const nested = (template: Record<string, unknown>, garbage: unknown): Record<string, unknown>[] => {
      if (template.type === 'AdoptContract') {
        return [
          { ...template, territory: { ...territory, qpv: [garbage] } },
          { ...template, territory: { communes: garbage, qpv: garbage } },
          { ...template, priorities: [garbage, ...priorities.slice(1)] },
          { ...template, priorities: withGarbageAmbition(garbage) },
          { ...template, components: [garbage, garbage] },
        ];
      }
      if (template.type === 'ApplyAmendmentToContract') {
        return ['addAmbitions', 'addPartners', 'setLocalAnnexes', 'setComponentBudgets'].flatMap((key) => [
          { ...template, changes: { [key]: garbage } },
          { ...template, changes: { [key]: [garbage] } },
        ]);
      }
      return [];
    };
    fc.assert(
      fc.property(fc.constantFrom(...templates), fc.string(), fc.anything(), ([history, template], key, garbage) => {
        const state = given(contract, history).state;
        const variants = [...Object.keys(template), 'contractId', 'at', 'actor', key].map((k) => ({ ...template, [k]: garbage }));
        for (const variant of [...variants, ...nested(template, garbage)]) {
          try {
            contract.decide(cmd(variant), state);
          } catch (error) {
            expect(error).toBeInstanceOf(DomainRuleError);
          }
        }
      }),
    );
  });
});
