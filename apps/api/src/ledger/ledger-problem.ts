import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';

/** The problem type URIs of the ledger's other refusals (shared/problem-details.ts). */
const TYPE_BASE = 'https://ledger.lillemetropole.example/problems/';

/**
 * A refusal of the verifiable-ledger routes that is not a malformed request (those are 400
 * RequestFieldError, like every other query): no checkpoint yet, a leaf no checkpoint covers yet, a
 * cosignature that does not verify. The rule names what must hold, and `field` what is at fault.
 */
export class LedgerProblem extends Error {
  constructor(
    readonly status: number,
    readonly rule: string,
    readonly title: string,
    detail: string,
    readonly field?: string,
    /** Extension members of the problem details (e.g. nextCheckpointAt). */
    readonly extensions: Record<string, unknown> = {},
    /** Sent as Retry-After when given. */
    readonly retryAfterSeconds?: number,
  ) {
    super(detail);
    this.name = 'LedgerProblem';
  }
}

export function noCheckpointOfSize(size: number): LedgerProblem {
  return new LedgerProblem(404, 'CheckpointMustExist', 'No checkpoint of that size', `the ledger has signed no checkpoint of size ${size} (GET /ledger/checkpoints lists them)`, 'size');
}

/** RFC 9457 problem details of a LedgerProblem, in the shape of ProblemDetailsFilter's. */
@Catch(LedgerProblem)
export class LedgerProblemFilter implements ExceptionFilter<LedgerProblem> {
  catch(problem: LedgerProblem, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (problem.retryAfterSeconds !== undefined) response.setHeader('Retry-After', String(problem.retryAfterSeconds));
    response
      .status(problem.status)
      .type('application/problem+json')
      .json({
        type: `${TYPE_BASE}${problem.rule}`,
        title: problem.title,
        status: problem.status,
        detail: problem.message,
        rule: problem.rule,
        ...(problem.field !== undefined && { field: problem.field }),
        ...problem.extensions,
      });
  }
}
