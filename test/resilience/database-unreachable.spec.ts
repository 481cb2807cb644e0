import type { ArgumentsHost } from '@nestjs/common';
import { DomainRuleError } from '@mel/domain';
import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { isDatabaseUnreachable, ProblemDetailsFilter, ReadModelsBehindError } from '../../apps/api/src/shared/problem-details';

/** An error as Node gives it for a socket (code set, as on net's errors). */
const socketError = (code: string, message = `connect ${code} 127.0.0.1:5432`) => Object.assign(new Error(message), { code, errno: -111, syscall: 'connect' });
/** An error as pg gives it for an ErrorResponse of the server. */
const serverError = (code: string, message: string) => Object.assign(new DatabaseError(message, message.length, 'error'), { code, severity: 'FATAL' });

describe('the errors that say the database cannot be reached right now (→ 503 DatabaseMustBeReachable)', () => {
  it.each([
    ['connection refused (the server is stopped)', socketError('ECONNREFUSED')],
    ['connection reset', socketError('ECONNRESET', 'read ECONNRESET')],
    ['a connect that timed out', socketError('ETIMEDOUT')],
    ['both addresses refused (AggregateError, code on the aggregate)', Object.assign(new AggregateError([socketError('ECONNREFUSED'), socketError('ECONNREFUSED')]), { code: 'ECONNREFUSED' })],
    ['both addresses refused (AggregateError, codes inside only)', new AggregateError([socketError('ECONNREFUSED'), socketError('ECONNREFUSED')])],
    ['57P01 admin_shutdown (fast shutdown)', serverError('57P01', 'terminating connection due to administrator command')],
    ['57P02 crash_shutdown', serverError('57P02', 'terminating connection because of crash of another server process')],
    ['57P03 cannot_connect_now (starting up)', serverError('57P03', 'the database system is starting up')],
    ['08006 connection_failure', serverError('08006', 'connection failure')],
    ['08001 unable to connect', serverError('08001', 'could not connect')],
    ['pg: Connection terminated unexpectedly', new Error('Connection terminated unexpectedly')],
    ['pg: Connection terminated due to connection timeout', new Error('Connection terminated due to connection timeout')],
    ['pg-pool: timeout exceeded when trying to connect', new Error('timeout exceeded when trying to connect')],
    ['pg: a client whose connection failed', new Error('Client has encountered a connection error and is not queryable')],
    ['TypeORM QueryFailedError around 57P01', new QueryFailedError('SELECT 1', [], serverError('57P01', 'terminating connection due to administrator command'))],
    ['TypeORM QueryFailedError around a lost connection', new QueryFailedError('SELECT 1', [], new Error('Connection terminated unexpectedly'))],
    ['an error whose cause is a refused connection', new Error('could not read the stream', { cause: socketError('ECONNREFUSED') })],
  ])('%s', (_label, error) => {
    expect(isDatabaseUnreachable(error)).toBe(true);
    expect(new ProblemDetailsFilter().toProblem(error)).toEqual({
      type: 'https://ledger.lillemetropole.example/problems/DatabaseMustBeReachable',
      title: expect.any(String),
      status: 503,
      detail: expect.stringContaining('Idempotency-Key'),
      rule: 'DatabaseMustBeReachable',
      retryAfterSeconds: expect.any(Number),
    });
  });

  it.each([
    ['a domain refusal', new DomainRuleError('PartyActsOnlyForItself', 'not yours')],
    ['a unique violation', serverError('23505', 'duplicate key value violates unique constraint')],
    ['bad input to the database', serverError('22P02', 'invalid input syntax for type uuid')],
    ['a permission refused', serverError('42501', 'permission denied for table events')],
    ['a TypeORM error around a unique violation', new QueryFailedError('INSERT', [], serverError('23505', 'duplicate key'))],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'seq')")],
    ['nothing at all', undefined],
    ['a string', 'ECONNREFUSED'],
  ])('not %s', (_label, error) => {
    expect(isDatabaseUnreachable(error)).toBe(false);
    expect(new ProblemDetailsFilter().toProblem(error).rule).not.toBe('DatabaseMustBeReachable');
  });

  it('does not loop on an error that is its own cause', () => {
    const error = new Error('strange') as Error & { cause?: unknown };
    error.cause = error;
    expect(isDatabaseUnreachable(error)).toBe(false);
  });

  it('answers 503, application/problem+json, with Retry-After, and leaves the other 503 as it was', () => {
    const answer = (exception: unknown) => {
      const headers: Record<string, string> = {};
      const sent: { status?: number; type?: string; body?: unknown } = {};
      const response = {
        setHeader: (name: string, value: string) => void (headers[name] = value),
        status(code: number) {
          sent.status = code;
          return this;
        },
        type(type: string) {
          sent.type = type;
          return this;
        },
        json: (body: unknown) => void (sent.body = body),
      };
      const host = { switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
      new ProblemDetailsFilter().catch(exception, host);
      return { headers, ...sent };
    };
    const down = answer(socketError('ECONNREFUSED'));
    expect(down).toMatchObject({ status: 503, type: 'application/problem+json', headers: { 'Retry-After': expect.stringMatching(/^[1-5]$/) }, body: { rule: 'DatabaseMustBeReachable' } });
    expect(answer(new ReadModelsBehindError(12))).toMatchObject({ status: 503, headers: { 'Retry-After': '1' }, body: { rule: 'ReadModelsMustReachTheSeq' } });
  });
});
