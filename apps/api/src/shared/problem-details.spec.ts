import { type ArgumentsHost, Logger } from '@nestjs/common';
import { DomainRuleError } from '@mel/domain';
import { logsEachRequest } from '../logger';
import { ProblemDetailsFilter } from './problem-details';

/** The host of one HTTP request, and what the filter answered on it. */
function httpHost(method: string, path: string) {
  const answer: { status?: number; body?: unknown; headers: Record<string, string> } = { headers: {} };
  const response = {
    setHeader: (name: string, value: string) => void (answer.headers[name] = value),
    status(status: number) {
      answer.status = status;
      return this;
    },
    type() {
      return this;
    },
    json: (body: unknown) => void (answer.body = body),
  };
  const host = { switchToHttp: () => ({ getResponse: () => response, getRequest: () => ({ method, path }) }) } as unknown as ArgumentsHost;
  return { host, answer };
}

describe('ProblemDetailsFilter', () => {
  afterEach(() => jest.restoreAllMocks());

  it('logs an unexpected error with the method and path of its request (not its query), and answers 500 without its internals', () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { host, answer } = httpHost('GET', '/commitments/mobilimel');
    new ProblemDetailsFilter().catch(new TypeError("Cannot read properties of undefined (reading 'seq')"), host);
    expect(answer.status).toBe(500);
    expect(JSON.stringify(answer.body)).not.toContain('seq');
    expect(logged).toHaveBeenCalledTimes(1);
    expect(logged.mock.calls[0][0]).toMatch(/^GET \/commitments\/mobilimel: TypeError: Cannot read properties of undefined \(reading 'seq'\)/);
  });

  it('does not log a refusal', () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { host, answer } = httpHost('POST', '/commitments');
    new ProblemDetailsFilter().catch(new DomainRuleError('PartyActsOnlyForItself', 'not yours'), host);
    expect(answer.status).toBe(403);
    expect(logged).not.toHaveBeenCalled();
  });
});

describe('logsEachRequest', () => {
  it('is true at the levels that write a line per request (info and below), false above and for silent', () => {
    expect(['trace', 'debug', 'info'].map((level) => logsEachRequest(level))).toEqual([true, true, true]);
    expect(['warn', 'error', 'fatal', 'silent'].map((level) => logsEachRequest(level))).toEqual([false, false, false, false]);
  });
});
