import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Actor, Role } from '@mel/domain';
import type { Request } from 'express';
import { ActorRequiredError } from './problem-details';

const ROLES: Role[] = ['administrator', 'body-secretary', 'signatory-representative', 'auditor', 'public'];
export const ACTOR_HEADER = 'x-ledger-actor';

/**
 * Who acts: never the request body (DESIGN §6). Until bearer tokens arrive (issue 6), the actor is read
 * from the `X-Ledger-Actor` header, a JSON object `{ "subject", "role", "partyId"?, "mandate"? }`;
 * this is the one place that will read the token instead.
 */
export function actorFrom(request: Request): Actor {
  const header = request.headers[ACTOR_HEADER];
  if (typeof header !== 'string' || header.length === 0) throw new ActorRequiredError(`the ${ACTOR_HEADER} header names who acts`);
  let value: unknown;
  try {
    value = JSON.parse(header);
  } catch {
    throw new ActorRequiredError(`the ${ACTOR_HEADER} header must be a JSON object`);
  }
  const v = value as Record<string, unknown>;
  const text = (x: unknown) => typeof x === 'string' && x.length > 0 && x.length <= 200;
  if (!v || typeof v !== 'object' || !text(v.subject) || !ROLES.includes(v.role as Role)) {
    throw new ActorRequiredError(`the ${ACTOR_HEADER} header needs a subject and a role among ${ROLES.join(', ')}`);
  }
  if ((v.partyId !== undefined && !text(v.partyId)) || (v.mandate !== undefined && !text(v.mandate))) {
    throw new ActorRequiredError(`partyId and mandate of ${ACTOR_HEADER} must be non-empty texts`);
  }
  return {
    subject: v.subject as string,
    role: v.role as Role,
    ...(v.partyId !== undefined && { partyId: v.partyId as string }),
    ...(v.mandate !== undefined && { mandate: v.mandate as string }),
  };
}

export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  actorFrom(context.switchToHttp().getRequest<Request>()),
);
