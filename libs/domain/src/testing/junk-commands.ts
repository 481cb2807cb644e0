import fc from 'fast-check';
import type { Decider, DomainEvent } from '../shared/decider';
import { DomainRuleError } from '../shared/rules';
import { given } from './given-when-then';

/** Values a malformed HTTP body can put in any field. */
export const hostileValue = fc.oneof(
  fc.jsonValue(),
  fc.constant(undefined),
  fc.constant(JSON.parse('{"toString":1,"valueOf":1}')),
  fc.constant(JSON.parse('{"__proto__":{"polluted":1}}')),
  fc.constant('x'.repeat(20_001)), // above every maximum length
);

/**
 * Property: a valid command of `templates` (each with the history it applies to), with any of its
 * fields replaced by hostile values, gives events or a DomainRuleError, never another error.
 */
export function assertJunkGivesDomainErrors<C, E extends DomainEvent, S>(
  decider: Decider<C, E, S>,
  templates: readonly (readonly [E[], Record<string, unknown>])[],
  toCommand: (fields: Record<string, unknown>) => C,
  numRuns = 2000,
): void {
  const scenario = fc.constantFrom(...templates).chain(([history, command]) =>
    fc.tuple(fc.constant(history), fc.constant(command), fc.dictionary(fc.constantFrom(...Object.keys(command)), hostileValue, { minKeys: 1 })),
  );
  fc.assert(
    fc.property(scenario, ([history, command, changes]) => {
      const state = given(decider, history).state;
      try {
        expect(Array.isArray(decider.decide(toCommand({ ...command, ...changes }), state))).toBe(true);
      } catch (error) {
        expect(error).toBeInstanceOf(DomainRuleError);
      }
    }),
    { numRuns },
  );
}
