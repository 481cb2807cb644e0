import type { ContractState, GovernanceBodyState, PartyKind, PartyState, Priority } from '@mel/domain';
import { Random } from './random';
import type { StreamPlan } from './plan';

/** An organisation that may own, co-fund, sit on a body or sign; registered on `registeredDay`. */
export interface PartyInfo {
  partyId: string;
  name: string;
  kind: PartyKind;
  registeredDay: number;
}

export interface QpvInfo {
  code: string;
  name: string;
  communes: string[];
}

/** What the seed put in the ledger, as the generator plans from it (folded from the store). */
export interface SeedStates {
  contractId: string;
  contract: ContractState;
  parties: PartyState[];
  bodies: GovernanceBodyState[];
  /** Every stream of the seed: its state and version (the generator continues some of them). */
  streams: Map<string, { state: unknown; version: number }>;
}

/**
 * What every planner reads and adds to: the contract's enjeux and territory, the parties by date of
 * registration, and the plans made so far.
 */
export class World {
  readonly random: Random;
  readonly contractId: string;
  readonly contract: ContractState;
  readonly priorities: Priority[];
  readonly qpv: QpvInfo[];
  readonly communes: { insee: string; name: string; partyId: string }[];
  readonly signatories: string[];
  /** Parties ordered by registration day (the seed's first). */
  readonly parties: PartyInfo[] = [];
  readonly plans: StreamPlan[] = [];

  constructor(
    readonly seed: number,
    readonly seedStates: SeedStates,
    seedPartiesDay: number,
  ) {
    this.random = new Random(seed);
    this.contractId = seedStates.contractId;
    this.contract = seedStates.contract;
    this.priorities = seedStates.contract.priorities;
    this.qpv = seedStates.contract.territory.qpv.map((q) => ({ code: q.code, name: q.name, communes: q.communes }));
    this.signatories = seedStates.contract.signatoryPartyIds;
    const names = new Map(seedStates.parties.map((p) => [p.partyId!, p]));
    this.communes = seedStates.contract.territory.communes.map((insee) => ({
      insee,
      partyId: `party-commune-${insee}`,
      name: names.get(`party-commune-${insee}`)?.name ?? insee,
    }));
    for (const party of seedStates.parties) {
      this.parties.push({ partyId: party.partyId!, name: party.name!, kind: party.kind!, registeredDay: seedPartiesDay });
    }
  }

  party(partyId: string): PartyInfo {
    const party = this.parties.find((p) => p.partyId === partyId);
    if (!party) throw new Error(`generator: no party ${partyId}`);
    return party;
  }

  /** Parties registered before `day` (a month ahead at least), of the given kinds. */
  partiesBefore(day: number, kinds?: readonly PartyKind[]): PartyInfo[] {
    return this.parties.filter((p) => p.registeredDay + 31 <= day && (!kinds || kinds.includes(p.kind)));
  }

  communeName(insee: string): string {
    return this.communes.find((c) => c.insee === insee)?.name ?? insee;
  }
}
