import {
  type ArgumentsHost,
  BadRequestException,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import { DomainRuleError } from '@mel/domain';
import { EventIdConflictError, InvalidAppendError, WrongExpectedVersionError } from '@mel/event-store';
import type { ValidationError } from 'class-validator';
import type { Request, Response } from 'express';
import { IdempotencyKeyReusedError } from './idempotency';
import { StaleVersionError } from '@mel/application';

/** One refused field: where, which rule, and why, in words. */
export interface FieldError {
  field: string;
  rule: string;
  detail: string;
}

/** RFC 9457 problem details, with the rule broken and the field at fault when there is one. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  rule?: string;
  field?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const TYPE_BASE = 'https://ledger.lillemetropole.example/problems/';

/** Raised by the validation pipe: class-validator's errors, flattened to field paths. */
export class RequestValidationError extends BadRequestException {
  constructor(readonly errors: FieldError[]) {
    super('the request is not valid');
  }

  static fromValidationErrors(errors: ValidationError[]): RequestValidationError {
    const flat: FieldError[] = [];
    const walk = (error: ValidationError, path: string) => {
      const field = path ? (/^\d+$/.test(error.property) ? `${path}[${error.property}]` : `${path}.${error.property}`) : error.property;
      for (const [rule, detail] of Object.entries(error.constraints ?? {})) flat.push({ field, rule, detail });
      for (const child of error.children ?? []) walk(child, field);
    };
    errors.forEach((e) => walk(e, ''));
    return new RequestValidationError(flat);
  }
}

/** A request header, path parameter or body that cannot be read: which one, and the rule it breaks. */
export class RequestFieldError extends RequestValidationError {
  constructor(field: string, rule: string, detail: string) {
    super([{ field, rule, detail }]);
  }
}

/** The JSON body could not be parsed, or is over the limit (body-parser's error, kept whole). */
export class BodyParseError extends Error {
  constructor(override readonly cause: { status?: number; type?: string; message?: string }) {
    super(cause.message ?? 'the body cannot be read');
  }
}

/** A query named a seq the read models have not applied within the wait allowed. */
export class ReadModelsBehindError extends Error {
  constructor(readonly seq: number) {
    super(`the read models have not reached seq ${seq} yet; retry in a moment`);
  }
}

/** No one identified as acting (no token, or one not accepted): who acts comes from the token, never from the body. */
export class ActorRequiredError extends Error {
  constructor(
    message: string,
    readonly rule = 'ActorMustBeIdentified',
  ) {
    super(message);
  }
}

/**
 * A refusal that is not a malformed request nor a domain rule (no checkpoint yet, a cosignature that
 * does not verify…): its status, the rule that must hold, and `field` what is at fault.
 */
export class RuleProblem extends Error {
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
    this.name = 'RuleProblem';
  }
}

/** Retry-After of an answer given while PostgreSQL cannot be reached: the pools reconnect by themselves. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

/** Node's socket errors of a server that is gone, refusing, or not answering. */
const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** SQLSTATEs of a server shutting down, crashed or starting (class 08 is checked apart). */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03']);
/** What pg and pg-pool say when a connection is lost or cannot be had in time (they set no code). */
const CONNECTION_LOST =
  /Connection terminated|Connection ended unexpectedly|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable|terminating connection due to administrator command|the database system is (starting up|shutting down|in recovery mode)/i;

/**
 * Whether `error` says that PostgreSQL cannot be reached right now (stopped, restarting, connection
 * lost or refused): the request may succeed once it is back. Looks through what wraps the driver's
 * error — TypeORM's QueryFailedError/DriverException (`driverError`), `cause`, AggregateError's `errors`.
 */
export function isDatabaseUnreachable(error: unknown, depth = 0): boolean {
  if (error === null || typeof error !== 'object' || depth > 4) return false;
  const { code, message, driverError, cause, errors } = error as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string' && (CONNECTION_ERROR_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  if (typeof message === 'string' && CONNECTION_LOST.test(message)) return true;
  if (driverError !== undefined && isDatabaseUnreachable(driverError, depth + 1)) return true;
  if (cause !== undefined && isDatabaseUnreachable(cause, depth + 1)) return true;
  return Array.isArray(errors) && errors.some((e) => isDatabaseUnreachable(e, depth + 1));
}

/**
 * The one place where errors become HTTP answers (DESIGN §7.3): every refusal is RFC 9457 problem
 * details (application/problem+json) naming the rule and, when there is one, the field. Anything
 * unexpected is a 500 that is logged, and says nothing of its internals.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const problem = this.toProblem(exception);
    if (typeof problem.retryAfterSeconds === 'number') response.setHeader('Retry-After', String(problem.retryAfterSeconds));
    if (problem.status === 401) response.setHeader('WWW-Authenticate', `Bearer realm="ledger"${problem.rule === 'ActorMustBeIdentified' ? '' : ', error="invalid_token"'}`);
    if (problem.status >= 500 && problem.status !== 503) {
      // The request by its method and path (not its query, which may carry search words): what was being done.
      const request = host.switchToHttp().getRequest<Request>();
      this.logger.error(`${request.method} ${request.path}: ${exception instanceof Error ? exception.stack ?? exception.message : String(exception)}`);
    }
    response.status(problem.status).type('application/problem+json').json(problem);
  }

  toProblem(exception: unknown): ProblemDetails {
    if (exception instanceof DomainRuleError) {
      return {
        type: `${TYPE_BASE}${exception.rule}`,
        title: exception.title,
        status: exception.status,
        detail: exception.message,
        rule: exception.rule,
        // The domain's `at` is what a request gives as `effectiveAt`.
        ...(exception.field !== undefined && { field: exception.field === 'at' ? 'effectiveAt' : exception.field }),
      };
    }
    if (exception instanceof RequestValidationError) {
      const first = exception.errors[0];
      return {
        type: `${TYPE_BASE}RequestMustBeValid`,
        title: 'The request is not valid',
        status: 400,
        detail: exception.errors.map((e) => `${e.field}: ${e.detail}`).join('; '),
        rule: first?.rule,
        field: first?.field,
        errors: exception.errors,
      };
    }
    if (exception instanceof RuleProblem) {
      return {
        type: `${TYPE_BASE}${exception.rule}`,
        title: exception.title,
        status: exception.status,
        detail: exception.message,
        rule: exception.rule,
        ...(exception.field !== undefined && { field: exception.field }),
        ...exception.extensions,
        ...(exception.retryAfterSeconds !== undefined && { retryAfterSeconds: exception.retryAfterSeconds }),
      };
    }
    if (exception instanceof ReadModelsBehindError) {
      return {
        type: `${TYPE_BASE}ReadModelsMustReachTheSeq`,
        title: 'The read models have not caught up with that seq yet',
        status: 503,
        detail: exception.message,
        rule: 'ReadModelsMustReachTheSeq',
        field: 'seq',
        retryAfterSeconds: 1,
      };
    }
    if (exception instanceof ActorRequiredError) {
      return {
        type: `${TYPE_BASE}${exception.rule}`,
        title: 'Who acts must be identified by a valid bearer token',
        status: 401,
        detail: exception.message,
        rule: exception.rule,
        field: 'Authorization',
      };
    }
    if (exception instanceof IdempotencyKeyReusedError) {
      return {
        type: `${TYPE_BASE}IdempotencyKeyIdentifiesOneRequest`,
        title: 'An Idempotency-Key identifies one request',
        status: 422,
        detail: exception.message,
        rule: 'IdempotencyKeyIdentifiesOneRequest',
        field: 'Idempotency-Key',
      };
    }
    if (exception instanceof BodyParseError) {
      const tooLarge = exception.cause.type === 'entity.too.large';
      const shape = exception.cause.type?.startsWith('BodyMust') ? exception.cause.type : undefined;
      const rule = tooLarge ? 'BodyMustFitTheLimit' : (shape ?? 'BodyMustBeJson');
      return {
        type: `${TYPE_BASE}${rule}`,
        title: tooLarge ? 'The body is too large' : 'The body must be a well-formed JSON object of reasonable depth',
        status: tooLarge ? 413 : (exception.cause.status ?? 400),
        detail: exception.message,
        rule,
        field: 'body',
      };
    }
    if (exception instanceof StaleVersionError) {
      return {
        type: `${TYPE_BASE}IfMatchMustNameTheCurrentVersion`,
        title: 'If-Match must name the current version',
        status: HttpStatus.PRECONDITION_FAILED,
        detail: exception.message,
        rule: 'IfMatchMustNameTheCurrentVersion',
        field: 'If-Match',
        actualVersion: exception.actualVersion,
      };
    }
    if (exception instanceof WrongExpectedVersionError) {
      return {
        type: `${TYPE_BASE}${exception.rule}`,
        title: 'Someone else changed this resource first; read it again and retry',
        status: HttpStatus.CONFLICT,
        detail: exception.message,
        rule: exception.rule,
        actualVersion: exception.actualVersion,
      };
    }
    if (exception instanceof EventIdConflictError || exception instanceof InvalidAppendError) {
      return {
        type: `${TYPE_BASE}${exception.rule}`,
        title: 'The request cannot be recorded',
        status: exception instanceof EventIdConflictError ? 409 : 422,
        detail: exception.message,
        rule: exception.rule,
        ...(exception instanceof InvalidAppendError && { field: exception.field }),
      };
    }
    if (exception instanceof HttpException && exception.getStatus() === 429) {
      return {
        type: `${TYPE_BASE}RequestsMustStayWithinTheRateLimit`,
        title: 'Too many requests',
        status: 429,
        detail: 'too many requests from this client to this route in the last minute; retry after the time Retry-After gives',
        rule: 'RequestsMustStayWithinTheRateLimit',
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const detail = typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? exception.message);
      // Express's own refusals: no route, or a path whose %-escapes are no UTF-8 (/commitments/%FF).
      const rule = status === 404 ? 'RouteMustExist' : status === 400 ? 'RequestMustBeWellFormed' : 'HttpError';
      return {
        type: `${TYPE_BASE}${rule}`,
        title: HttpStatus[status]?.toString().replace(/_/g, ' ').toLowerCase() ?? 'error',
        status,
        detail: Array.isArray(detail) ? detail.join('; ') : String(detail),
        rule,
      };
    }
    if (isDatabaseUnreachable(exception)) {
      return {
        type: `${TYPE_BASE}DatabaseMustBeReachable`,
        title: 'The ledger’s database cannot be reached right now',
        status: 503,
        detail: `the database is unavailable (restarting, or the connection was lost): retry after ${DATABASE_RETRY_AFTER_SECONDS} s; a command retried with the same Idempotency-Key is recorded once at most`,
        rule: 'DatabaseMustBeReachable',
        retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
      };
    }
    return { type: `${TYPE_BASE}InternalError`, title: 'Internal error', status: 500, detail: 'the ledger could not process this request' };
  }
}
