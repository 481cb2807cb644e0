import type { Actor, AmendmentFacts, CommandContext, GovernanceBodyState, MeetingDecisionFacts } from '@mel/domain';
import type { AnyDecider } from '../command-executor';
import { epochOf, instant, instantMs } from './calendar';
import { hash32, type Random } from './random';

/**
 * The plan of a generated history: for each stream, its steps in the order they are recorded. A step
 * is recorded in an epoch (a month: the history is written month by month), takes effect at `at`
 * (which may be earlier: a correction recorded after the fact), and builds its command when its turn
 * comes, from the stream's state at that point and from facts of other streams recorded in earlier
 * epochs (a decision for an amendment, a body's members for a meeting), as a command handler would
 * look them up. The command then goes through the stream's decider like any other.
 */
export type Command = CommandContext & { type: string };

export interface Facts {
  /** A governance body's current state. */
  body(bodyId: string): GovernanceBodyState;
  /** A decision recorded in an earlier epoch. */
  decision(decisionId: string): MeetingDecisionFacts;
  /** An amendment's facts as `amendmentFacts` gives them. */
  amendment(amendmentId: string): AmendmentFacts;
}

export interface BuildContext<S = unknown> {
  /** The stream's state, folded from its events so far. */
  state: S;
  /** The effective instant of the step. */
  at: string;
  /** The stream's own random numbers for what depends on its state (attendance, votes). */
  random: Random;
  facts: Facts;
}

export interface Step {
  /** When it is recorded: day × 1440 + minute. */
  rec: number;
  epoch: number;
  at: string;
  /** `at` in milliseconds since the epoch. */
  atMs: number;
  /** How many events its command gives (known when planning, checked when recording). */
  events: number;
  /**
   * Streams whose facts the command reads: it is recorded only once each of them has recorded every
   * step of the epochs before this one.
   */
  needs?: string[];
  build(context: BuildContext<never>): Command;
}

export interface StreamPlan {
  streamId: string;
  aggregateId: string;
  decider: AnyDecider;
  /** The stream's steps, in the order they are recorded; the same list every time it is called. */
  steps(): Step[];
}

/** Collects the steps of one stream, then sorts them by recording time (stable: ties keep their order). */
export class Timeline<S> {
  private readonly list: Step[] = [];

  /** A step recorded when it takes effect. */
  add(day: number, minute: number, build: (context: BuildContext<S>) => Command, events = 1, needs?: string[]): this {
    return this.addLate(day, minute, day, minute, build, events, needs);
  }

  /** A step recorded on `recDay` that takes effect on `atDay` (earlier: recorded after the fact). */
  addLate(
    recDay: number,
    recMinute: number,
    atDay: number,
    atMinute: number,
    build: (context: BuildContext<S>) => Command,
    events = 1,
    needs?: string[],
  ): this {
    this.list.push({
      rec: recDay * 1440 + recMinute,
      epoch: epochOf(recDay),
      at: instant(atDay, atMinute),
      atMs: instantMs(atDay, atMinute),
      events,
      ...(needs && { needs }),
      build: build as Step['build'],
    });
    return this;
  }

  steps(limit = Infinity): Step[] {
    const sorted = this.list.sort((a, b) => a.rec - b.rec);
    return limit < sorted.length ? sorted.slice(0, limit) : sorted;
  }
}

// ---- who acts -----------------------------------------------------------------------------------

export const ADMINISTRATOR: Actor = { subject: 'admin-mel-politique-de-la-ville', role: 'administrator' };
export const SIGNING_ADMINISTRATOR: Actor = { ...ADMINISTRATOR, mandate: 'délégation de signature du comité de pilotage' };

const representatives = new Map<string, Actor>();
/** The signatory representative of a party (a pseudonymous subject, never a name). */
export function representative(partyId: string): Actor {
  let actor = representatives.get(partyId);
  if (!actor) {
    actor = { subject: `rep-${hash32(partyId).toString(36)}`, role: 'signatory-representative', partyId };
    representatives.set(partyId, actor);
  }
  return actor;
}

const secretaries = new Map<string, Actor>();
/** The secretary of a governance body (its mandate is the body). */
export function secretary(bodyId: string): Actor {
  let actor = secretaries.get(bodyId);
  if (!actor) {
    actor = { subject: `secretary-${bodyId}`, role: 'body-secretary', mandate: bodyId };
    secretaries.set(bodyId, actor);
  }
  return actor;
}
