import { createHash } from 'node:crypto';
import {
  type Actor,
  type Ambition,
  type CommandContext,
  commitmentDecider,
  contractDecider,
  governanceBodyDecider,
  indicatorDecider,
  partyDecider,
  type PartyKind,
  type Priority,
  type PriorityNumber,
  yearPeriod,
} from '@mel/domain';
import type { AnyDecider } from '../command-executor';
import type { PressKit, PressKitAction } from './press-kit';
import type { Qpv } from './qpv';

/**
 * The Contrat de ville et des solidarités of the MEL as the ledger's first events, with their real
 * effective dates: the parties, the contract adopted by the metropolitan council on 19 April 2024 and
 * signed on 7 May 2024, its components, the 6 enjeux with every ambition and partner of the press
 * kit, the 26 QPV of the 2024 geography, the governance bodies of the three functions, and the actions
 * of the "Zoom sur l'action" boxes as commitments with the figures the text gives.
 *
 * The texts (titles, ambitions, partners, actions, QPV) are read from the press kit and the QPV list
 * in place; what the press kit does not say is decided here and written in docs/adr/0005.
 */
export interface SeedStep {
  /** Stable name of the step: its events get ids derived from it, so a re-run writes nothing. */
  key: string;
  decider: AnyDecider;
  aggregateId: string;
  command: CommandContext & { type: string; [field: string]: unknown };
}

export const CONTRACT_ID = 'mel-2024';
export const ADOPTED_AT = '2024-04-19T18:00:00+02:00'; // Conseil métropolitain of 19 April 2024
export const SIGNED_AT = '2024-05-07T11:00:00+02:00'; // signature of 7 May 2024
const SEEDER: Actor = { subject: 'ledger-seed', role: 'administrator', mandate: 'dossier de presse du 7 mai 2024' };

/** Budgets of the press kit: about 20 M€ a year for the contrat de ville, 2 M€ a year for the pacte. */
const ANNUAL_BUDGET_CENTS = { 'contrat-de-ville': 20_000_000_00, 'pacte-local-solidarites': 2_000_000_00 } as const;

interface PartySeed {
  partyId: string;
  name: string;
  kind: PartyKind;
  siren?: string;
  inseeCode?: string;
}

/**
 * The signatories the press kit names ("aux côtés de ceux déjà pris par l'État, la Région, le
 * Département, la CAF, la Banque des territoires, la BPI, Lille Métropole Habitat et la MEL"). SIRENs are
 * given where they are certain (MEL: the reference data; the others: public registers, Luhn-checked by
 * the domain); the others stay null until an administrator completes them.
 */
const SIGNATORIES: PartySeed[] = [
  { partyId: 'party-etat', name: 'État — Préfecture du Nord', kind: 'state' },
  { partyId: 'party-mel', name: 'Métropole Européenne de Lille', kind: 'metropolis', siren: '200093201' },
  { partyId: 'party-region-hdf', name: 'Région Hauts-de-France', kind: 'region', siren: '200053742' },
  { partyId: 'party-departement-nord', name: 'Département du Nord', kind: 'department', siren: '225900018' },
  { partyId: 'party-caf-nord', name: "Caisse d'allocations familiales du Nord", kind: 'social-security' },
  { partyId: 'party-banque-des-territoires', name: 'Banque des Territoires (Caisse des dépôts)', kind: 'public-bank', siren: '180020026' },
  { partyId: 'party-bpifrance', name: 'Bpifrance', kind: 'public-bank', siren: '320252489' },
  { partyId: 'party-lmh', name: 'Lille Métropole Habitat', kind: 'social-landlord' },
];

/** How the partner names of the press kit map to parties; "Communes" means every commune of the contract. */
const PARTNER_PARTIES: Record<string, string> = {
  État: 'party-etat',
  MEL: 'party-mel',
  Région: 'party-region-hdf',
  Département: 'party-departement-nord',
  CAF: 'party-caf-nord',
  "Banque Publique d'Investissement (BPI)": 'party-bpifrance',
};
const PARTNER_KINDS: Record<string, PartyKind> = {
  'Éducation nationale': 'public-agency',
  'France Travail': 'public-agency',
  ARS: 'public-agency',
  CPAM: 'social-security',
  EPSM: 'public-agency',
  Bailleurs: 'social-landlord',
  'Clubs de prévention': 'association',
  'Missions locales': 'association',
  "Associations d'étudiants": 'association',
};

/**
 * Who carries each action of the press kit: the body named by the text, or the MEL, which pilots the
 * contract, where the text names none. The figures are those the text gives.
 */
interface ActionPlan {
  owner: PartySeed;
  ambitionHint: string;
  qpv?: string[];
  indicators?: (Record<string, unknown> & { indicatorId: string; targets?: { years: number[]; value: number; upperValue?: number }; baseline?: { value: number; date: string } })[];
  milestones?: { milestoneId: string; title: string; dueDate: string }[];
}
const ASSOCIATION = (partyId: string, name: string): PartySeed => ({ partyId, name, kind: 'association' });
const MEL = SIGNATORIES[1];
const ACTIONS: Record<string, ActionPlan> = {
  'ARELI, programme Émergence': {
    owner: ASSOCIATION('party-areli', 'ARELI'),
    ambitionHint: 'autonomie parcours',
    indicators: [
      {
        indicatorId: 'emergence-laureats',
        title: 'Jeunes bacheliers sélectionnés chaque année dans le programme Émergence',
        level: 'local',
        measure: 'unit',
        unit: 'jeunes bacheliers',
        ascending: true,
        targets: { years: [2024, 2025, 2026, 2027, 2028, 2029, 2030], value: 30, upperValue: 50 },
      },
    ],
  },
  "Fonds d'Innovation Jeunes en Métropole": { owner: MEL, ambitionHint: 'autonomie parcours jeunes' },
  'MEL toi du territoire': { owner: MEL, ambitionHint: 'création activités économiques' },
  MobilimEL: { owner: MEL, ambitionHint: 'freins mobilité' },
  'Ambassadeurs Santé Mentale auprès des jeunes': {
    owner: MEL,
    ambitionHint: 'santé mentale jeunes',
    milestones: [{ milestoneId: 'deploiement-rentree-2024', title: 'Déploiement par la MEL pour la rentrée scolaire 2024', dueDate: '2024-09-02' }],
  },
  VoisinMalin: { owner: ASSOCIATION('party-voisinmalin', 'VoisinMalin'), ambitionHint: 'collectifs habitants institutions' },
  'P.A.N.I.E.R.S': {
    owner: ASSOCIATION('party-bio-en-hauts-de-france', 'Bio en Hauts-de-France'),
    ambitionHint: 'alimentation',
    indicators: [
      {
        indicatorId: 'paniers-distribues',
        title: 'Paniers PANIERS distribués dans l’année (tarif solidaire pris en charge à 50 %)',
        level: 'local',
        measure: 'unit',
        unit: 'paniers',
        ascending: true,
        baseline: { value: 7000, date: '2023-12-31' },
      },
      {
        indicatorId: 'paniers-communes',
        title: 'Communes parties prenantes du dispositif PANIERS',
        level: 'local',
        measure: 'unit',
        unit: 'communes',
        ascending: true,
        baseline: { value: 10, date: '2024-05-07' },
      },
    ],
  },
  'Quartiers fertiles': { owner: MEL, ambitionHint: 'aménagement santé environnementale', qpv: ['QN05972M'] },
  SOLIGUIDE: { owner: ASSOCIATION('party-solinum', 'Solinum'), ambitionHint: 'outils coordination accès droits' },
  'Emmaüs Connect': {
    owner: ASSOCIATION('party-emmaus-connect', 'Emmaüs Connect'),
    ambitionHint: 'numériques accès droits',
    indicators: [
      {
        indicatorId: 'freins-numeriques',
        title: 'Part des personnes qui éprouvent au moins un frein à utiliser pleinement le numérique',
        level: 'national',
        measure: 'percentage',
        unit: '%',
        ascending: false,
        baseline: { value: 48, date: '2024-05-07' },
      },
    ],
  },
};

/** The three functions of the governance pact: piloter et coordonner, suivre, animer. */
const BODIES = [
  { bodyId: 'copil-cvs', name: 'Comité de pilotage du contrat de ville et des solidarités', function: 'pilotage', citizenSeats: 2 },
  { bodyId: 'comite-suivi-cvs', name: 'Comité de suivi du contrat de ville et des solidarités', function: 'suivi', citizenSeats: 2 },
  { bodyId: 'comite-animation-cvs', name: "Comité d'animation du contrat de ville et des solidarités", function: 'animation', citizenSeats: 2 },
] as const;
const CITIZENS: PartySeed = { partyId: 'party-conseils-citoyens', name: 'Conseils citoyens des quartiers prioritaires de la MEL', kind: 'other' };

export function melContractSeed(pressKit: PressKit, qpvList: Qpv[], pressKitBytes: Uint8Array): SeedStep[] {
  const steps: SeedStep[] = [];
  const at = (when: string) => ({ actor: SEEDER, at: when });
  const registered = new Set<string>();
  const register = (party: PartySeed, when = ADOPTED_AT) => {
    if (registered.has(party.partyId)) return;
    registered.add(party.partyId);
    steps.push({
      key: `party:${party.partyId}`,
      decider: partyDecider as unknown as AnyDecider,
      aggregateId: party.partyId,
      command: {
        type: 'RegisterParty',
        partyId: party.partyId,
        name: party.name,
        kind: party.kind,
        identifiers: { siren: party.siren ?? null, inseeCode: party.inseeCode ?? null },
        ...at(when),
      },
    });
  };

  // Parties: signatories, communes of the territory, partners named per enjeu, carriers of actions.
  SIGNATORIES.forEach((party) => register(party));
  const communes = new Map<string, string>();
  for (const qpv of qpvList) for (const commune of qpv.communes) communes.set(commune.insee, commune.name);
  const communeParties = [...communes].sort(([a], [b]) => a.localeCompare(b)).map(([insee, name]) => ({ partyId: `party-commune-${insee}`, name, kind: 'commune' as const, inseeCode: insee }));
  communeParties.forEach((party) => register(party));
  const partnerIds = (names: string[]) =>
    [...new Set(names.flatMap((name) => {
      if (name === 'Communes') return communeParties.map((c) => c.partyId);
      const known = PARTNER_PARTIES[name];
      if (known) return [known];
      const party: PartySeed = { partyId: `party-${slug(name)}`, name, kind: PARTNER_KINDS[name] ?? 'other' };
      register(party);
      return [party.partyId];
    }))];
  const priorities: Priority[] = pressKit.priorities.map((p) => ({
    number: p.number as PriorityNumber,
    title: p.title,
    ambitions: p.ambitions.map(
      (a, i): Ambition => ({
        ambitionId: `p${p.number}-a${i + 1}`,
        text: a.text,
        // Without a scope line, an ambition of the contrat de ville is pursued in the QPV by 2030.
        scale: a.scope === 'metropole' ? 'metropolis' : 'qpv',
        horizon: a.horizon ?? 2030,
      }),
    ),
    partnerPartyIds: partnerIds(p.partners),
  }));
  register(CITIZENS);
  for (const plan of Object.values(ACTIONS)) register(plan.owner);

  // The contract: adopted on 19 April 2024, signed by every signatory on 7 May 2024, in force that day.
  steps.push({
    key: 'contract:adopt',
    decider: contractDecider as unknown as AnyDecider,
    aggregateId: CONTRACT_ID,
    command: {
      type: 'AdoptContract',
      contractId: CONTRACT_ID,
      title: 'Contrat de ville et des solidarités de la Métropole Européenne de Lille 2024-2030',
      documentSha256: createHash('sha256').update(pressKitBytes).digest('hex'),
      components: (['contrat-de-ville', 'pacte-local-solidarites'] as const).map((component) => ({
        component,
        indicativeAnnualBudgetCents: ANNUAL_BUDGET_CENTS[component],
      })),
      priorities,
      territory: {
        communes: [...communes.keys()].sort(),
        qpv: qpvList.map((q) => ({ code: q.code, name: q.name, communes: q.communes.map((c) => c.insee) })),
      },
      signatoryPartyIds: SIGNATORIES.map((s) => s.partyId),
      ...at(ADOPTED_AT),
    },
  });
  for (const signatory of SIGNATORIES) {
    steps.push({
      key: `contract:sign:${signatory.partyId}`,
      decider: contractDecider as unknown as AnyDecider,
      aggregateId: CONTRACT_ID,
      command: { type: 'SignContract', contractId: CONTRACT_ID, onBehalfOfPartyId: signatory.partyId, ...at(SIGNED_AT) },
    });
  }
  steps.push({
    key: 'contract:in-force',
    decider: contractDecider as unknown as AnyDecider,
    aggregateId: CONTRACT_ID,
    command: { type: 'EnterIntoForce', contractId: CONTRACT_ID, ...at(SIGNED_AT) },
  });

  // Governance: one body per function, each signatory a voting member, two conseil citoyen seats.
  for (const body of BODIES) {
    const gb = (key: string, command: Record<string, unknown>) =>
      steps.push({ key: `body:${body.bodyId}:${key}`, decider: governanceBodyDecider as unknown as AnyDecider, aggregateId: body.bodyId, command: { bodyId: body.bodyId, type: String(command.type), ...command, ...at(SIGNED_AT) } });
    gb('create', { type: 'CreateGovernanceBody', name: body.name, function: body.function, quorum: { kind: 'fraction', numerator: 1, denominator: 2 }, citizenSeats: body.citizenSeats });
    for (const signatory of SIGNATORIES) {
      gb(`member:${signatory.partyId}`, { type: 'AddMember', memberId: `${body.bodyId}-${signatory.partyId.replace(/^party-/, '')}`, partyId: signatory.partyId, votingRight: true, seat: 'signatory', startDate: '2024-05-07' });
    }
    for (const n of [1, 2]) {
      gb(`member:citizen-${n}`, { type: 'AddMember', memberId: `${body.bodyId}-conseil-citoyen-${n}`, partyId: CITIZENS.partyId, votingRight: true, seat: 'citizen', startDate: '2024-05-07' });
    }
    gb('constitute', { type: 'ConstituteGovernanceBody', constitutedOn: '2024-05-07' });
  }

  // The actions of the "Zoom sur l'action" boxes, as commitments adopted and started on 7 May 2024.
  for (const priority of pressKit.priorities) {
    for (const action of priority.actions) {
      const plan = ACTIONS[action.title];
      if (!plan) throw new Error(`seed: no plan for the action "${action.title}" of enjeu ${priority.number}: add it to ACTIONS`);
      steps.push(...commitmentSteps(priority.number, priorities[priority.number - 1], action, plan, at(SIGNED_AT)));
    }
  }
  return steps;
}

function commitmentSteps(number: number, priority: Priority, action: PressKitAction, plan: ActionPlan, context: CommandContext): SeedStep[] {
  const commitmentId = slug(action.title);
  const ambition = closestAmbition(priority.ambitions, `${plan.ambitionHint} ${action.text}`);
  const component = ambition.horizon <= 2027 ? 'pacte-local-solidarites' : 'contrat-de-ville';
  const step = (key: string, decider: AnyDecider, aggregateId: string, command: Record<string, unknown>): SeedStep => ({
    key: `commitment:${commitmentId}:${key}`,
    decider,
    aggregateId,
    command: { type: String(command.type), ...command, ...context },
  });
  const commitment = commitmentDecider as unknown as AnyDecider;
  const steps: SeedStep[] = [
    step('draft', commitment, commitmentId, {
      type: 'DraftCommitment',
      commitmentId,
      title: action.title,
      description: action.text.slice(0, 10_000),
      ownerPartyId: plan.owner.partyId,
      coFunderPartyIds: [],
      priority: number,
      ambition: ambition.text,
      component,
      horizon: ambition.horizon,
      scope: { qpv: plan.qpv ?? [], communes: [] },
      // The press kit gives no amount per action: means and budget stay empty until reported.
      means: { droitCommunCents: 0, creditsSpecifiquesCents: 0 },
      budget: [],
    }),
    step('propose', commitment, commitmentId, { type: 'ProposeCommitment', commitmentId }),
    step('adopt', commitment, commitmentId, { type: 'AdoptCommitment', commitmentId }),
    step('start', commitment, commitmentId, { type: 'StartCommitment', commitmentId }),
  ];
  for (const milestone of plan.milestones ?? []) {
    steps.push(step(`milestone:${milestone.milestoneId}`, commitment, commitmentId, { type: 'ScheduleMilestone', commitmentId, ...milestone }));
  }
  const indicator = indicatorDecider as unknown as AnyDecider;
  for (const { targets, baseline, ...definition } of plan.indicators ?? []) {
    const id = definition.indicatorId;
    steps.push(
      step(`indicator:${id}`, indicator, id, { type: 'DefineIndicator', ...definition, ownerPartyId: plan.owner.partyId, commitmentId, priority: number }),
    );
    if (baseline) steps.push(step(`indicator:${id}:baseline`, indicator, id, { type: 'SetBaseline', indicatorId: id, value: baseline.value, date: baseline.date }));
    for (const year of targets?.years ?? []) {
      steps.push(
        step(`indicator:${id}:target:${year}`, indicator, id, {
          type: 'SetTarget',
          indicatorId: id,
          period: yearPeriod(year),
          value: targets!.value,
          upperValue: targets!.upperValue ?? null,
        }),
      );
    }
  }
  return steps;
}

/** The ambition of the enjeu sharing the most significant words with the action (ties: the first). */
function closestAmbition(ambitions: Ambition[], text: string): Ambition {
  const words = significantWords(text);
  let best = ambitions[0];
  let bestScore = -1;
  for (const ambition of ambitions) {
    const score = [...significantWords(ambition.text)].filter((w) => words.has(w)).length;
    if (score > bestScore) [best, bestScore] = [ambition, score];
  }
  return best;
}

function significantWords(text: string): Set<string> {
  return new Set(
    text
      .toLowerCase()
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .split(/[^a-z]+/)
      .filter((w) => w.length >= 5)
      .map((w) => w.replace(/s$/, '')),
  );
}

/** `Fonds d'Innovation Jeunes en Métropole` → `fonds-d-innovation-jeunes-en-metropole`. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 90);
}
