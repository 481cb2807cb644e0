/**
 * The shape of every aggregate (DESIGN §7): `decide(command, state) → events`, `evolve(state, event) →
 * state`. Pure and synchronous: time, the actor and facts looked up elsewhere arrive in the command;
 * `decide` throws only DomainRuleError.
 */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
}

/** An event as read back from the store: the domain event and the envelope fields a fold may use. */
export type RecordedEvent<E extends DomainEvent = DomainEvent> = E & {
  eventId: string;
  /** Effective date (ISO 8601). */
  occurredAt: string;
  streamVersion: number;
};

export interface Decider<Command, Event extends DomainEvent, State> {
  /** Stream prefix: the stream of aggregate `id` is `${aggregate}-${id}`. */
  readonly aggregate: string;
  readonly initialState: State;
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: RecordedEvent<Event>): State;
}

/** Who acts, as the authenticated token says (never the request body). */
export interface Actor {
  subject: string;
  role: Role;
  /** The party the actor represents, for a signatory representative or a body secretary. */
  partyId?: string;
  /** A delegation or decision under which the actor acts. */
  mandate?: string;
}

export type Role = 'administrator' | 'body-secretary' | 'signatory-representative' | 'auditor' | 'public';

/** What every command carries besides its own fields. */
export interface CommandContext {
  actor: Actor;
  /** The effective (legal) date and time of what the command records, ISO 8601. */
  at: string;
}

export function streamId(aggregate: string, id: string): string {
  return `${aggregate}-${id}`;
}

export function fold<E extends DomainEvent, S>(decider: Decider<unknown, E, S>, events: RecordedEvent<E>[]): S {
  return events.reduce((state, event) => decider.evolve(state, event), decider.initialState);
}
