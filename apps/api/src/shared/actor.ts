import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Actor } from '@mel/domain';
import type { Request } from 'express';
import { ActorRequiredError } from './problem-details';

/** Where the AccessGuard leaves the actor its bearer token names. */
const ACTOR = Symbol('ledger actor');

export function setActor(request: Request, actor: Actor): void {
  (request as unknown as Record<symbol, Actor>)[ACTOR] = actor;
}

/**
 * Who acts: the actor of the request's verified bearer token (subject, role, party, mandate), never the
 * request body (DESIGN §6). The AccessGuard verifies the token before any handler runs.
 */
export function actorFrom(request: Request): Actor {
  const actor = (request as unknown as Record<symbol, Actor | undefined>)[ACTOR];
  if (!actor) throw new ActorRequiredError('this route needs a bearer token naming who acts (Authorization: Bearer …)');
  return actor;
}

export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  actorFrom(context.switchToHttp().getRequest<Request>()),
);
