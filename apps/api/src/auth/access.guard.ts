import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { TokenRejected, TokenVerifier } from '@mel/application';
import type { Role } from '@mel/domain';
import type { Request } from 'express';
import { setActor } from '../shared/actor';
import { ActorRequiredError, RuleProblem } from '../shared/problem-details';
import { ALLOWED_ROLES } from './access.decorators';

/**
 * The one place where access is decided (DESIGN §6), before any validation or work: a route marked
 * `@Public()` is open; any other needs a valid bearer token (401 otherwise) whose role the route's
 * `@Allow(…)` names (403 otherwise); a route with neither is refused to everyone. The actor the token
 * names is then the request's actor. Finer rules (a party acts only for itself, a secretary only for
 * their body) are the domain's, with the same actor.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const allowed = this.reflector.getAllAndOverride<Role[] | 'anyone' | undefined>(ALLOWED_ROLES, [context.getHandler(), context.getClass()]);
    if (allowed === 'anyone') return true;
    const request = context.switchToHttp().getRequest<Request>();
    if (!allowed) {
      throw new RuleProblem(403, 'RouteMustHaveAnAccessRule', 'No one may call a route without an access rule', `${request.method} ${request.path} has no access rule`);
    }
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9_\-.~+/]+=*)$/.exec(header.trim()) : null;
    if (!match) {
      throw new ActorRequiredError(header ? 'the Authorization header must be "Bearer <token>"' : 'this route needs a bearer token (Authorization: Bearer …); for local use, mint one with `npm run ledger -- token --role ROLE`');
    }
    let actor;
    try {
      actor = await this.verifier.verify(match[1]);
    } catch (error) {
      if (error instanceof TokenRejected) throw new ActorRequiredError(error.message, error.rule);
      throw error;
    }
    if (!allowed.includes(actor.role)) {
      const route = `${request.method} ${request.route?.path ?? request.path}`;
      // The same rule as the domain's when only an administrator may: a client sees one name for one refusal.
      if (allowed.length === 1 && allowed[0] === 'administrator') {
        throw new RuleProblem(403, 'OnlyAnAdministratorMayDoThis', 'Only an administrator may do this', `${route}: only an administrator may do this, not a ${actor.role}`);
      }
      throw new RuleProblem(403, 'RoleMayNotDoThis', 'This role may not do this', `a ${actor.role} may not ${route}; it is for: ${allowed.join(', ')}`);
    }
    setActor(request, actor);
    return true;
  }
}
