import type { Actor } from './decider';
import { DomainRuleError } from './rules';

/** A signatory representative acts only for their own party; an administrator acts for any. */
export function assertActsFor(actor: Actor, partyId: string, what: string): void {
  if (actor.role === 'administrator') return;
  if (actor.role === 'signatory-representative' && actor.partyId === partyId) return;
  throw new DomainRuleError(
    'PartyActsOnlyForItself',
    `${what} belongs to party ${partyId}; ${actor.partyId ? `party ${actor.partyId}` : `a ${actor.role}`} cannot act for it`,
  );
}

export function assertAdministrator(actor: Actor, what: string): void {
  if (actor.role !== 'administrator') throw new DomainRuleError('OnlyAnAdministratorMayDoThis', `${what}: only an administrator may do this`);
}
