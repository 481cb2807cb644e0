import type { Decider, DomainEvent, RecordedEvent } from '../shared/decider';
import { DomainRuleError, type RuleName } from '../shared/rules';

/**
 * Unit tests of a decider, written given(events) / when(command) / then(events or rule):
 *
 *   given(commitment, [drafted]).when(propose).then([{ type: 'CommitmentProposed', data: {...} }]);
 *   given(commitment, []).when(propose).thenRefuses('AggregateMustExist');
 */
export function given<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, history: E[]) {
  // States and events are frozen: an evolve or a decide that changed what it was given would throw
  // here. The command path keeps states between commands (CommandExecutor) and relies on it.
  const state = history.reduce(
    (s, event, i) => decider.evolve(deepFreeze(s), deepFreeze(record(event, i))),
    decider.initialState,
  );
  deepFreeze(state);
  return {
    state,
    when(command: C) {
      const run = () => decider.decide(deepFreeze(command), state);
      return {
        then(expected: E[] | ((events: E[]) => void)) {
          const events = run();
          if (typeof expected === 'function') expected(events);
          else expect(events).toEqual(expected);
          return events;
        },
        thenRefuses(rule: RuleName, field?: string) {
          let error: unknown;
          try {
            run();
          } catch (e) {
            error = e;
          }
          expect(error).toBeInstanceOf(DomainRuleError);
          expect((error as DomainRuleError).rule).toBe(rule);
          if (field !== undefined) expect((error as DomainRuleError).field).toBe(field);
        },
      };
    },
  };
}

/** Event ids given to the history of a test: `event-0`, `event-1`, … in order. */
export function record<E extends DomainEvent>(event: E, index: number): RecordedEvent<E> {
  return { ...event, eventId: `event-${index}`, occurredAt: '2024-05-07T10:00:00.000Z', streamVersion: index + 1 };
}

/** Freezes a value and everything it holds, so that any later change throws (modules are strict). */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  return value;
}
