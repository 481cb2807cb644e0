import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { CommandContext, Decider, DomainEvent } from '@mel/domain';
import { canonicalize } from '@mel/ledger';
import type { Request, Response } from 'express';
import type { CommandAnswer } from '@mel/application';
import { ExecuteDomainCommand } from './execute-domain-command';
import { RequestFieldError } from './problem-details';

/**
 * What every command endpoint does around its domain command: reads If-Match and Idempotency-Key,
 * dispatches through the CommandBus, and answers 201 with the seq produced, ETag = stream version.
 */
@Injectable()
export class CommandSender {
  constructor(private readonly bus: CommandBus) {}

  async send<C extends CommandContext & { type: string }>(
    request: Request,
    response: Response,
    decider: Decider<C, DomainEvent, unknown>,
    aggregateId: string,
    command: C,
  ): Promise<CommandAnswer> {
    const key = header(request, 'idempotency-key');
    if (key !== undefined && (key.length === 0 || key.length > 200)) {
      throw new RequestFieldError('Idempotency-Key', 'length', 'Idempotency-Key must have 1 to 200 characters');
    }
    const answer = await this.bus.execute<ExecuteDomainCommand, CommandAnswer>(
      // DTOs are class instances: the domain and the ledger's hashing take plain data.
      new ExecuteDomainCommand(decider as Decider<unknown, DomainEvent, unknown>, aggregateId, structuredClone(command), {
        ifMatch: ifMatch(request),
        idempotencyKey: key,
        // What a reused key is compared with: only a keyed request needs it.
        ...(key !== undefined && {
          requestSha256: createHash('sha256')
            .update(`${request.method} ${request.originalUrl}\n${canonicalize(request.body ?? null)}`)
            .digest('hex'),
        }),
        correlationId: header(request, 'x-correlation-id'),
      }),
    );
    response.status(201).setHeader('ETag', `"${answer.streamVersion}"`);
    if (answer.replayed) response.setHeader('Idempotent-Replayed', 'true');
    return answer;
  }
}

function header(request: Request, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** If-Match: "3", W/"3" or 3 → 3. */
function ifMatch(request: Request): number | undefined {
  const value = header(request, 'if-match');
  if (value === undefined) return undefined;
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(value.trim());
  if (!match) throw new RequestFieldError('If-Match', 'matches', 'If-Match must be the ETag of the resource, such as "3"');
  return Number(match[1]);
}
