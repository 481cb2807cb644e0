import {
  amendmentFacts,
  type AmendmentState,
  type ContractState,
  currentSchemaVersion,
  decisionFacts,
  type DomainEvent,
  fold,
  type GovernanceBodyState,
  type MeetingDecisionFacts,
  type MeetingState,
  type PartyState,
} from '@mel/domain';
import type { EventStore, NewEvent } from '@mel/event-store';
import { type AnyDecider, toRecorded } from '../command-executor';
import { ADOPTED_AT, CONTRACT_ID, type SeedStep } from '../seed/mel-contract-seed';
import { runSeed } from '../seed/run-seed';
import { dayOf } from './calendar';
import type { Facts, Step, StreamPlan } from './plan';
import { COMMITMENT_SHARE, type Measure, measure, planHistory } from './planner';
import { hash32, Random } from './random';
import { type SeedStates, World } from './world';

export interface GenerateHistoryOptions {
  /** How many events the ledger holds once done, the seed's included (at least 2,000). */
  events: number;
  /** The same seed gives the same history. Default 2024. */
  seed?: number;
  /** The MEL contract seed (`loadMelSeed`), run first: the history continues it. */
  seedSteps: SeedStep[];
  /** Streams written to at once. Default 64. */
  concurrency?: number;
  /**
   * Events appended and not yet committed, at most (default 4,000): the store's group commit writes
   * them in batches while the next ones are decided. More gives larger batches, and more to collect.
   */
  maxInFlightEvents?: number;
  /** Called as events are written: the ledger's event count so far, and `events`. */
  onProgress?(written: number, target: number): void;
}

export interface HistoryReport {
  seed: number;
  /** Events in the ledger at the end (the seed's included): `events`. */
  events: number;
  /** Events of the seed. */
  seedEvents: number;
  /** Events this run wrote. */
  generated: number;
  /** Streams this run wrote to. */
  streams: number;
  /** Events written, per type and per aggregate. */
  byType: Record<string, number>;
  byAggregate: Record<string, number>;
  /** The earliest and latest effective dates (`at`) written. */
  effectiveFrom: string;
  effectiveTo: string;
  /** Time spent running the seed and planning, then writing, in seconds. */
  planningSeconds: number;
  writingSeconds: number;
  concurrency: number;
}

/** One stream being written: its plan, where it is, its state folded so far. */
interface Run {
  plan: StreamPlan;
  index: number;
  /** Materialised when the stream is first written to; each step is dropped once recorded. */
  steps: (Step | undefined)[] | null;
  next: number;
  /** The epoch of the next step (Infinity once every step is recorded). */
  nextEpoch: number;
  state: unknown;
  version: number;
  random: Random;
  /** Bodies and amendments stay in memory once written: meetings and targets look them up. */
  keep: boolean;
}

/** Epochs a stream may run ahead of the earliest one still being written. */
const WINDOW = 2;
/** How long the lanes decide before the store's I/O gets its turn. */
const TURN_MS = 2;

/**
 * Writes a realistic, reproducible history of the Contrat de ville et des solidarités of the MEL into
 * `store`: the MEL seed first, then parties, commitments (drafted, adopted at programmation rounds,
 * funded year by year, reported on, corrected after the fact, suspended, completed or withdrawn),
 * indicators with targets and actuals, governance bodies and their members over time, their meetings
 * (agenda, convocation, attendance, quorum, motions, votes, decisions, minutes), amendments and
 * evaluation cycles, effective from 7 May 2024 to 31 December 2030.
 *
 * Every event is decided by the aggregate's decider on the stream's state, as CommandExecutor does,
 * and appended through `store.append` at the version it was decided on; the states stay in memory
 * between commands. A stream's next command is decided on the state its previous events give without
 * waiting for them to commit (they commit, in order, or the whole run fails): while the store's group
 * commit writes one batch, the next is being decided. At most `maxInFlightEvents` wait.
 *
 * The history is recorded month by month (an epoch): `concurrency` streams are written at once, each
 * in its own order, within a window of {@link WINDOW} months ahead of the earliest month not yet
 * written. A command that reads another stream's facts (a meeting, the members of its body; an
 * amendment, the decision that approved it; a target, the amendment in force) or follows from them
 * (an adoption, the round's decision) waits until that stream has recorded its earlier months, and
 * what it reads does not change after that: the events of every stream are the same whatever the
 * interleaving of the streams, and their ids are derived from the seed, the stream and the version.
 *
 * The store must hold the MEL seed at most (nothing else): the history is a whole.
 */
export async function generateHistory(store: EventStore, options: GenerateHistoryOptions): Promise<HistoryReport> {
  const seed = options.seed ?? 2024;
  const concurrency = options.concurrency ?? 64;
  const maxInFlight = options.maxInFlightEvents ?? 4000;
  if (!Number.isSafeInteger(options.events) || options.events < 2000) throw new RangeError('generateHistory: events must be a whole number ≥ 2000');
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) throw new RangeError('generateHistory: concurrency must be a whole number ≥ 1');
  const planningStarted = performance.now();

  await runSeed(store, options.seedSteps);
  const seedStates = await readSeed(store, options.seedSteps);
  const seedEvents = [...seedStates.streams.values()].reduce((sum, s) => sum + s.version, 0);
  const head = await store.head();
  if (head !== seedEvents) {
    throw new Error(`generateHistory writes a whole history after the MEL seed: the ledger holds ${head} events, the seed ${seedEvents}`);
  }
  const target = options.events;
  // A small history may not fit the share of commitments planned first: planned again with less, from
  // a new world (the same seed), until it fits. A large one is planned once.
  let world: World;
  let measures: Map<StreamPlan, Measure>;
  for (let share = COMMITMENT_SHARE; ; share = Math.max(0, share - 0.1)) {
    world = new World(seed, seedStates, dayOf(ADOPTED_AT.slice(0, 10)));
    measures = target > seedEvents ? planHistory(world, target - seedEvents, share) : new Map<StreamPlan, Measure>();
    const total = world.plans.reduce((sum, plan) => sum + (measures.get(plan) ?? measure(plan)).events, 0);
    if (total <= Math.max(0, target - seedEvents) || share === 0) break;
  }

  // How many steps each month records, and where each stream starts.
  const runs: Run[] = [];
  const byStream = new Map<string, Run>();
  const pending: number[] = [];
  let planned = 0;
  for (const plan of world.plans) {
    const m = measures.get(plan) ?? measure(plan);
    if (m.events === 0) continue;
    if (byStream.has(plan.streamId)) throw new Error(`generator: stream ${plan.streamId} planned twice`);
    planned += m.events;
    m.epochs.forEach((epoch, i) => (pending[epoch] = (pending[epoch] ?? 0) + m.steps[i]));
    const known = seedStates.streams.get(plan.streamId);
    const run: Run = {
      plan,
      index: runs.length,
      steps: null,
      next: 0,
      nextEpoch: m.epochs[0],
      state: known?.state ?? plan.decider.initialState,
      version: known?.version ?? 0,
      random: new Random(hash32(`${seed}:build:${plan.streamId}`)),
      keep: plan.streamId.startsWith('governance-body-') || plan.streamId.startsWith('amendment-'),
    };
    runs.push(run);
    byStream.set(plan.streamId, run);
  }
  if (seedEvents + planned !== Math.max(target, seedEvents)) {
    throw new Error(`generator: planned ${planned} events after the seed's ${seedEvents}, not ${target - seedEvents}`);
  }

  const decisions = new Map<string, MeetingDecisionFacts>();
  const facts: Facts = {
    body: (bodyId) => {
      const streamId = `governance-body-${bodyId}`;
      // A body of the seed whose members never change has nothing to record: its state is the seed's.
      const seeded = byStream.has(streamId) ? undefined : seedStates.streams.get(streamId);
      return seeded ? (seeded.state as GovernanceBodyState) : stateOf<GovernanceBodyState>(byStream, streamId);
    },
    decision: (decisionId) => {
      const found = decisions.get(decisionId);
      if (!found) throw new Error(`generator: decision ${decisionId} is not recorded yet`);
      return found;
    },
    amendment: (amendmentId) => amendmentFacts(stateOf<AmendmentState>(byStream, `amendment-${amendmentId}`)),
  };
  const planningSeconds = (performance.now() - planningStarted) / 1000;

  const writingStarted = performance.now();
  const byType: Record<string, number> = {};
  const byAggregate: Record<string, number> = {};
  let written = 0;
  let reported = 0;
  let effectiveFrom = '';
  let effectiveTo = '';

  // Appends in flight: a stream's next command is decided on the state its events give, without
  // waiting for them to commit (they would, or the whole history fails), so that the lanes prepare
  // the next batch while the store writes the current one. At most `maxInFlight` events wait.
  let inFlight = 0;
  let failure: unknown;
  let drained: () => void = () => undefined;
  let whenDrained = new Promise<void>((resolve) => (drained = resolve));
  const settle = () => {
    drained();
    whenDrained = new Promise<void>((resolve) => (drained = resolve));
  };

  const execute = (run: Run, step: Step): void => {
    const { plan } = run;
    const command = step.build({ state: run.state as never, at: step.at, random: run.random, facts });
    let events: DomainEvent[];
    try {
      events = plan.decider.decide(command, run.state);
    } catch (error) {
      throw new Error(`generator: ${command.type} on ${plan.streamId} (version ${run.version}, at ${step.at}) was refused: ${(error as Error).message}`);
    }
    if (events.length !== step.events) throw new Error(`generator: ${command.type} on ${plan.streamId} gave ${events.length} events, ${step.events} planned`);
    const version = run.version;
    const atMs = command.at === step.at ? step.atMs : Date.parse(command.at);
    const appended: NewEvent[] = events.map((event, i) => ({
      eventId: historyEventId(seed, plan.streamId, version + i + 1, atMs),
      type: event.type,
      schemaVersion: currentSchemaVersion(event.type),
      data: event.data,
      // The same instant as `command.at`, already checked by the decider: the store normalises a Date as it is.
      occurredAt: new Date(atMs),
      actor: command.actor,
    }));
    const expected = version + events.length;
    inFlight += events.length;
    store.append(plan.streamId, appended, { expectedVersion: version }).then(
      (result) => {
        if (result.streamVersion !== expected) failure ??= new Error(`generator: ${plan.streamId} is at version ${result.streamVersion}, not ${expected}`);
        inFlight -= events.length;
        written += events.length;
        if (options.onProgress && written - reported >= 1000) {
          reported = written;
          options.onProgress(seedEvents + written, target);
        }
        settle();
      },
      (error: unknown) => {
        failure ??= error;
        inFlight -= events.length;
        settle();
        notify();
      },
    );
    const occurredAt = new Date(atMs).toISOString();
    let state = run.state;
    appended.forEach((event, i) => {
      state = plan.decider.evolve(state, { type: event.type, data: event.data, eventId: event.eventId!, occurredAt, streamVersion: version + i + 1 });
      byType[event.type] = (byType[event.type] ?? 0) + 1;
      if (event.type === 'DecisionRecorded') {
        const { decisionId } = event.data as { decisionId: string };
        decisions.set(decisionId, decisionFacts(state as MeetingState, decisionId));
      }
    });
    run.state = state;
    run.version = expected;
    byAggregate[plan.decider.aggregate] = (byAggregate[plan.decider.aggregate] ?? 0) + events.length;
    if (effectiveFrom === '' || occurredAt < effectiveFrom) effectiveFrom = occurredAt;
    if (occurredAt > effectiveTo) effectiveTo = occurredAt;
  };

  // ---- scheduling: which streams may record now ----------------------------------------------------
  let floor = 0;
  while (floor < pending.length && !pending[floor]) floor++;
  const waiting: Run[][] = []; // by next epoch, beyond the window
  const ready: Run[][] = []; // by next epoch, within the window, free to record
  const blocked = new Map<string, Run[]>(); // by the stream whose facts they wait for
  let wake: () => void = () => undefined;
  let signal = new Promise<void>((resolve) => (wake = resolve));
  const notify = () => {
    wake();
    signal = new Promise<void>((resolve) => (wake = resolve));
  };
  const stepOf = (run: Run): Step => {
    run.steps ??= run.plan.steps();
    return run.steps[run.next]!;
  };
  /** The stream the next step of `run` waits for, if any. */
  const waitsFor = (run: Run): string | undefined => {
    const step = stepOf(run);
    return step.needs?.find((id) => {
      const producer = byStream.get(id);
      return producer !== undefined && producer !== run && producer.nextEpoch < step.epoch;
    });
  };
  const place = (run: Run) => {
    if (run.nextEpoch === Infinity) return;
    if (run.nextEpoch > floor + WINDOW) {
      (waiting[run.nextEpoch] ??= []).push(run);
      return;
    }
    const producer = waitsFor(run);
    if (producer) {
      const list = blocked.get(producer);
      if (list) list.push(run);
      else blocked.set(producer, [run]);
      return;
    }
    (ready[run.nextEpoch] ??= []).push(run);
    notify();
  };
  const take = (): Run | undefined => {
    for (let epoch = floor; epoch <= floor + WINDOW && epoch < ready.length; epoch++) {
      const list = ready[epoch];
      if (list && list.length > 0) return list.pop();
    }
    return undefined;
  };
  const advanced = (run: Run, epoch: number) => {
    pending[epoch]--;
    const waiters = blocked.get(run.plan.streamId);
    if (waiters && run.nextEpoch > epoch) {
      blocked.delete(run.plan.streamId);
      waiters.forEach(place);
    }
    if (epoch === floor && pending[floor] === 0) {
      const before = floor;
      while (floor < pending.length && !pending[floor]) floor++;
      for (let e = before + WINDOW + 1; e <= floor + WINDOW && e < waiting.length; e++) {
        const list = waiting[e];
        if (list) {
          waiting[e] = [];
          list.forEach(place);
        }
      }
      notify();
    }
  };
  for (const run of runs) place(run);

  // Lanes decide in turns of TURN_MS, between which the event loop runs the store's I/O.
  let turnEnds = 0;
  let turn: Promise<void> | undefined;
  const nextTurn = () =>
    (turn ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        turn = undefined;
        turnEnds = performance.now() + TURN_MS;
        resolve();
      }),
    ));

  let running = 0;
  const lane = async () => {
    while (failure === undefined) {
      const run = take();
      if (!run) {
        if (floor >= pending.length) return;
        if (running === 0) throw new Error(`generator: nothing can be recorded in epoch ${floor} (a dependency was planned too late)`);
        await signal;
        continue;
      }
      running++;
      try {
        while (failure === undefined && run.nextEpoch <= floor + WINDOW && !waitsFor(run)) {
          // Give the store's I/O its turn every few milliseconds, and wait while too much is in flight.
          if (performance.now() >= turnEnds) await nextTurn();
          while (inFlight >= maxInFlight && failure === undefined) await whenDrained;
          const step = stepOf(run);
          execute(run, step);
          run.steps![run.next++] = undefined;
          run.nextEpoch = run.next < run.steps!.length ? run.steps![run.next]!.epoch : Infinity;
          advanced(run, step.epoch);
          if (run.nextEpoch === Infinity) {
            run.steps = null;
            if (!run.keep) run.state = null;
            break;
          }
        }
      } catch (error) {
        failure ??= error;
        throw error;
      } finally {
        running--;
        notify();
      }
      place(run);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  while (inFlight > 0) await whenDrained;
  if (failure !== undefined) throw failure;
  options.onProgress?.(seedEvents + written, target);

  return {
    seed,
    events: seedEvents + written,
    seedEvents,
    generated: written,
    streams: runs.length,
    byType: sortedRecord(byType),
    byAggregate: sortedRecord(byAggregate),
    effectiveFrom,
    effectiveTo,
    planningSeconds: round(planningSeconds),
    writingSeconds: round((performance.now() - writingStarted) / 1000),
    concurrency,
  };
}

/**
 * The id of the event at `version` of `streamId` in the history of `seed`: a UUIDv7 whose time is the
 * event's effective instant and whose 74 other bits are a hash of the three, so that the same seed
 * gives the same ids (as deterministicEventId does, without a SHA-256 per event).
 */
export function historyEventId(seed: number, streamId: string, version: number, atMs: number): string {
  const name = `${seed}:${streamId}:${version}`;
  const a = hash32(name, 1);
  const b = hash32(name, 2);
  const c = hash32(name, 3);
  const t = Math.max(0, Math.min(atMs, 2 ** 48 - 1));
  const high = Math.floor(t / 2 ** 16); // the first 32 bits of the 48-bit time
  return (
    `${hex8(high)}-${hex4(t & 0xffff)}-7${hex4(a >>> 16).slice(1)}-${hex4(0x8000 | (a & 0x3fff))}-${hex4(b >>> 16)}${hex8(c)}`
  );
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex4 = (n: number) => HEX[(n >>> 8) & 0xff] + HEX[n & 0xff];
const hex8 = (n: number) => HEX[(n >>> 24) & 0xff] + HEX[(n >>> 16) & 0xff] + HEX[(n >>> 8) & 0xff] + HEX[n & 0xff];

/** The seed's streams, folded from the store, and what the planners read of them. */
async function readSeed(store: EventStore, steps: SeedStep[]): Promise<SeedStates> {
  const streams = new Map<string, { state: unknown; version: number }>();
  const deciders = new Map<string, AnyDecider>();
  for (const step of steps) deciders.set(`${step.decider.aggregate}-${step.aggregateId}`, step.decider);
  for (const [streamId, decider] of deciders) {
    const events = await store.readStream(streamId);
    streams.set(streamId, { state: fold(decider, events.map(toRecorded)), version: events.length });
  }
  const of = <S>(prefix: string) => [...streams.entries()].filter(([id]) => id.startsWith(prefix)).map(([, s]) => s.state as S);
  const contract = streams.get(`contract-${CONTRACT_ID}`);
  if (!contract) throw new Error(`generator: the seed has no contract ${CONTRACT_ID}`);
  return {
    contractId: CONTRACT_ID,
    contract: contract.state as ContractState,
    parties: of<PartyState>('party-'),
    bodies: of<GovernanceBodyState>('governance-body-'),
    streams,
  };
}

function stateOf<S>(runs: Map<string, Run>, streamId: string): S {
  const run = runs.get(streamId);
  if (!run || run.state === null) throw new Error(`generator: ${streamId} is not known`);
  return run.state as S;
}

function sortedRecord(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

const round = (n: number) => Math.round(n * 100) / 100;
