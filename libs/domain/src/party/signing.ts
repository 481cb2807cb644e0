import type { Actor } from '../shared/decider';
import { DomainRuleError, ensure, type RuleName } from '../shared/rules';
import { assertId } from '../shared/inputs';

/**
 * Who signs, for which party (contract and amendments alike). The party comes from the token, never
 * from the request body (DESIGN §6), with one exception that is stated explicitly:
 * - a signatory representative signs for the party of their token; naming another party in
 *   `onBehalfOfPartyId` is refused;
 * - an administrator records the signature of a party (a paper signature at a ceremony, such as the
 *   one of 7 May 2024) only when naming that party in `onBehalfOfPartyId` and acting under a mandate
 *   (the token's `mandate`, kept in the event's envelope);
 * - nobody else signs.
 * `rule` is the rule raised on refusal (the caller's: each aggregate names its own).
 */
export function signingParty(actor: Actor, onBehalfOfPartyId: unknown, rule: RuleName): string {
  const named = onBehalfOfPartyId === undefined || onBehalfOfPartyId === null ? undefined : onBehalfOfPartyId;
  if (named !== undefined) assertId(named, 'onBehalfOfPartyId');
  if (actor.role === 'signatory-representative' && typeof actor.partyId === 'string' && actor.partyId.length > 0) {
    ensure(
      named === undefined || named === actor.partyId,
      rule,
      `the representative of party ${actor.partyId} cannot sign on behalf of party ${String(named)}`,
      'onBehalfOfPartyId',
    );
    return actor.partyId;
  }
  if (actor.role === 'administrator') {
    ensure(named !== undefined, rule, 'an administrator records a signature only on behalf of a party it names', 'onBehalfOfPartyId');
    ensure(
      typeof actor.mandate === 'string' && actor.mandate.trim().length > 0,
      rule,
      `an administrator records the signature of party ${named} only under a mandate`,
    );
    return named;
  }
  throw new DomainRuleError(rule, `a ${actor.role} does not sign for a party`);
}
