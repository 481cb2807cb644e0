import { type PartyCommand, partyDecider, type PartyKind } from '@mel/domain';
import type { AnyDecider } from '../command-executor';
import { slug } from '../seed/mel-contract-seed';
import { HISTORY_END, HISTORY_START } from './calendar';
import { ADMINISTRATOR, Timeline } from './plan';
import { hash32, Random } from './random';
import { ASSOCIATION_KINDS, COMPANY_KINDS, LANDLORD_NAMES } from './texts';
import type { World } from './world';

/** A SIREN: 8 digits and a Luhn check digit. */
function siren(random: Random): string {
  const base = random.digits(8);
  for (let check = 0; check <= 9; check++) if (luhn(`${base}${check}`)) return `${base}${check}`;
  throw new Error('unreachable');
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * `count` organisations that join the contract over the years (associations above all, some
 * companies of the social economy, landlords, agencies), each registered by the administration a
 * month at least before it takes part; a few renamed later, or their register numbers completed.
 */
export function planParties(world: World, count: number): void {
  const random = world.random;
  const taken = new Set(world.parties.map((p) => p.partyId));
  const created: typeof world.parties = [];
  for (let i = 0; i < count; i++) {
    const kind = random.weighted<PartyKind>([
      ['association', 70],
      ['company', 8],
      ['social-landlord', 5],
      ['public-agency', 4],
      ['other', 13],
    ]);
    const place = random.chance(0.6) ? random.pick(world.qpv).name : random.pick(world.communes).name;
    const name =
      kind === 'association'
        ? `${random.pick(ASSOCIATION_KINDS)} ${place}`
        : kind === 'company'
          ? `${random.pick(COMPANY_KINDS)} ${place}`
          : kind === 'social-landlord'
            ? `${random.pick(LANDLORD_NAMES)} ${place}`
            : kind === 'public-agency'
              ? `Agence territoriale ${place}`
              : `Collectif ${place}`;
    const base = `party-${slug(name)}`.slice(0, 48).replace(/-+$/, '');
    let partyId = base;
    for (let n = 2; taken.has(partyId); n++) partyId = `${base}-${n}`;
    taken.add(partyId);
    const registeredDay = random.chance(0.35)
      ? HISTORY_START + random.int(3, 150)
      : HISTORY_START + random.int(150, HISTORY_END - HISTORY_START - 540);
    created.push({ partyId, name, kind, registeredDay });
  }
  created.sort((a, b) => a.registeredDay - b.registeredDay);
  world.parties.push(...created);

  for (const party of created) {
    world.plans.push({
      streamId: `party-${party.partyId}`,
      aggregateId: party.partyId,
      decider: partyDecider as unknown as AnyDecider,
      steps: () => {
        const r = new Random(hash32(`${world.seed}:plan:${party.partyId}`));
        const rna = party.kind === 'association' && r.chance(0.7) ? `W${r.digits(9)}` : null;
        const registered = party.kind === 'association' ? (r.chance(0.3) ? siren(r) : null) : r.chance(0.8) ? siren(r) : null;
        const timeline = new Timeline<never>();
        const day = party.registeredDay;
        timeline.add(day, 9 * 60 + r.int(0, 480), ({ at }): PartyCommand => ({
          type: 'RegisterParty',
          partyId: party.partyId,
          name: party.name,
          kind: party.kind,
          identifiers: { siren: registered, rna },
          actor: ADMINISTRATOR,
          at,
        }));
        if (registered === null && r.chance(0.3)) {
          const later = day + r.int(30, 400);
          const completed = siren(r);
          if (later < HISTORY_END) {
            timeline.add(later, 10 * 60 + r.int(0, 300), ({ at }): PartyCommand => ({
              type: 'CorrectPartyIdentifiers',
              partyId: party.partyId,
              identifiers: { siren: completed, rna },
              reason: 'SIREN communiqué par la structure',
              actor: ADMINISTRATOR,
              at,
            }));
          }
        }
        if (r.chance(0.05)) {
          const later = day + r.int(200, 900);
          if (later < HISTORY_END) {
            timeline.add(later, 11 * 60 + r.int(0, 300), ({ at }): PartyCommand => ({
              type: 'RenameParty',
              partyId: party.partyId,
              name: `${party.name} (nouvelle dénomination)`,
              reason: 'Changement de dénomination voté en assemblée générale',
              actor: ADMINISTRATOR,
              at,
            }));
          }
        }
        return timeline.steps();
      },
    });
  }
}
