import { hash } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { type CanActivate, type ExecutionContext, Global, type INestApplication, Injectable, Module, UseGuards } from '@nestjs/common';
import { getStorageToken, type ThrottlerStorage } from '@nestjs/throttler';
import { normalizeIp } from '@nestjs/throttler/dist/ip';
import { TokenVerifier } from '@mel/application';
import type { Request, RequestHandler, Response } from 'express';
import { LRUCache } from 'lru-cache';
import pino from 'pino';
import { pinoHttp } from 'pino-http';
import { rateLimitPerMinute } from '../auth/auth.module';
import { loggerOptions } from '../logger';
import { ReadModels } from '../read-models.module';
import { actorFrom } from '../shared/actor';
import { openToAnyOrigin } from '../shared/open-paths';
import { carriesBody } from '../shared/request-body';

/**
 * Answers of reads kept as the bytes sent (ADR 15). A read model answer changes only when the projector
 * applies events (or a rebuild switches versions), or, for a read whose date defaults to today, when the
 * day changes: an answer computed at read-model stamp S and day D is the answer to the same request as
 * long as the stamp is S and the day D. So a cacheable route's 200 answer is kept per
 * (URL with its query, the reader's access class) with the stamp and day it was computed at, and served
 * as is — with a strong ETag, and 304 to an If-None-Match that names it — until either moves.
 *
 * Only routes marked `@CachedAnswer()` are kept: reads of the read models whose answer depends on the
 * reader through their role alone (the role the AccessGuard allows or refuses). Answers that hold
 * personal data (display names, contacts: ADR 12) are never marked: names are looked up at each request,
 * so an erasure is effective at once whichever process made it. The mark puts KeepsAnswers on those
 * routes alone: the others (commands first) pay nothing for it.
 */
export const CachedAnswer = () => UseGuards(KeepsAnswers);

/** The bytes kept at most (LEDGER_ANSWER_CACHE_MB, 64 by default; 0 turns the cache off). */
export function answerCacheBytes(env: NodeJS.ProcessEnv = process.env): number {
  const mb = Number(env.LEDGER_ANSWER_CACHE_MB ?? 64);
  if (!Number.isFinite(mb) || mb < 0) throw new Error(`LEDGER_ANSWER_CACHE_MB must be a number of megabytes ≥ 0, not ${JSON.stringify(env.LEDGER_ANSWER_CACHE_MB)}`);
  return Math.floor(mb * 2 ** 20);
}

interface Entry {
  key: string;
  body: Buffer;
  etag: string;
  /** The read models' stamp and the UTC day (days since the epoch) the answer was computed at. */
  stamp: number;
  day: number;
  /** The rate limiter's key prefix of the route (its controller and handler, as the ThrottlerGuard names them). */
  route: string;
}

const today = () => Math.floor(Date.now() / 86_400_000);
/** Weights of an entry beyond its body: the key, the object, the map's slot. */
const OVERHEAD = 200;

@Injectable()
export class AnswerCache {
  /**
   * In least recently used order, by lru-cache: a hit moves its entry to the end in the cache's own
   * index lists. A Map kept in that order (delete and set again at each hit) slowed down with its size:
   * V8 leaves a deleted entry in its bucket's chain until the table is rehashed, so a URL read again
   * and again walked a chain of its own past hits — 0.08 ms a hit with 30,000 answers kept (stop 17).
   */
  private readonly entries?: LRUCache<string, Entry>;
  readonly maxBytes = answerCacheBytes();
  hits = 0;
  misses = 0;

  constructor(private readonly readModels: ReadModels) {
    if (this.maxBytes > 0) {
      this.entries = new LRUCache<string, Entry>({
        maxSize: this.maxBytes,
        // An answer over a quarter of the cache is not kept: it would push out many others.
        maxEntrySize: Math.floor(this.maxBytes / 4),
        sizeCalculation: sizeOf,
      });
    }
  }

  /** The answer kept for this key, if it still is the answer now. */
  get(key: string): Entry | undefined {
    const entry = this.entries?.get(key);
    if (!entry) return undefined;
    if (entry.stamp !== this.readModels.stamp || entry.day !== today()) {
      this.entries!.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Keeps `body` as the answer to `key` computed at `stamp` (the read models' stamp before the work began). */
  set(key: string, body: Buffer, stamp: number, route: string): Entry {
    const entry: Entry = { key, body, etag: `"${hash('sha256', body, 'base64url').slice(0, 32)}"`, stamp, day: today(), route };
    if (stamp === this.readModels.stamp) this.entries?.set(key, entry);
    return entry;
  }

  /** Forgets every answer (a change that the stamp does not show). */
  clear(): void {
    this.entries?.clear();
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries?.size ?? 0, bytes: this.entries?.calculatedSize ?? 0 };
  }
}

/** What an entry weighs: its body, its key, and the object and the cache's slot. */
const sizeOf = (entry: Entry) => entry.body.length + entry.key.length + OVERHEAD;

/** The key of a request's answer: its access class (the role of its token) and its URL, query included. */
function keyOf(role: string, url: string): string {
  return `${role} ${url}`;
}

const BEARER = /^Bearer ([A-Za-z0-9_\-.~+/]+=*)$/;

/** Whether If-None-Match names this ETag (weak comparison, RFC 9110 §13.1.2). */
function notModified(request: IncomingMessage, etag: string): boolean {
  const header = request.headers['if-none-match'];
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** A header list as `writeHead` takes it: names and values in turn. */
type RawHeaders = (string | number | string[])[];

/** The headers a response holds so far, as `writeHead` takes them (names as they were set). */
function headersOf(response: ServerResponse): RawHeaders {
  // getRawHeaderNames (Node ≥ 15.13) keeps the names as set; @types/node does not declare it.
  const names = (response as unknown as { getRawHeaderNames(): string[] }).getRawHeaderNames();
  return names.flatMap((name) => [name, response.getHeader(name) as string | number | string[]]);
}

/**
 * Kept answers, served before the router (configureApp mounts `middleware` after the security headers
 * and CORS, and `install` puts `first` before Express itself): a GET whose answer is kept for its URL
 * and its token's role is answered from the cache — once its token is verified (the same verifier, the
 * same rules) and the same rate limit counted (the same storage, the same key as the ThrottlerGuard's)
 * — and logged as the router's answers are when the level logs requests. Anything else (no kept
 * answer, no token or a token refused, the limit reached) goes on to the router, which answers as
 * always.
 *
 * Before Express: a GET without body and without Origin header, once the middleware has seen one like
 * it. Its headers are those the security headers and CORS gave the first such request in the middleware
 * — what they give depends on whether the path is open to any origin and on the Origin header alone
 * (openToAnyOrigin), so one list for each kind of path —, then the answer's own. It spares Express's
 * routing and a dozen middleware calls to every kept answer; a request with an Origin header takes the
 * middleware, where CORS looks at it.
 */
class KeptAnswers {
  private readonly requestLog?: (request: IncomingMessage, response: ServerResponse) => void;
  private readonly limit = rateLimitPerMinute();
  /** The headers of the security middleware and CORS for a GET without Origin: open paths, others. */
  private readonly before = new Map<boolean, RawHeaders>();

  constructor(
    private readonly cache: AnswerCache,
    private readonly verifier: TokenVerifier,
    private readonly throttler: ThrottlerStorage,
  ) {
    const options = loggerOptions();
    this.requestLog = pino(options).isLevelEnabled('info') ? pinoHttp(options) : undefined;
  }

  /** In Express, after the security headers and CORS. */
  readonly middleware: RequestHandler = (request, response, next) => {
    if (request.method === 'GET' && request.headers.origin === undefined && !carriesBody(request)) {
      const open = openToAnyOrigin(request.method, request.originalUrl);
      if (!this.before.has(open)) this.before.set(open, headersOf(response));
    }
    this.serve(request, response, request.ip ?? '', [], next);
  };

  /** Puts `first` before Express on the server's requests. */
  install(server: Server): void {
    const listeners = server.listeners('request') as ((request: IncomingMessage, response: ServerResponse) => void)[];
    if (listeners.length !== 1) return; // not the server Nest made: left as it is
    const [express] = listeners;
    server.removeListener('request', express);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => this.first(request, response, () => express(request, response)));
  }

  private first(request: IncomingMessage, response: ServerResponse, next: () => void): void {
    const before = request.method === 'GET' && request.headers.origin === undefined && !carriesBody(request) ? this.before.get(openToAnyOrigin('GET', request.url ?? '')) : undefined;
    if (!before) return next();
    // Express's request.ip, without a trusted proxy: the peer's address.
    this.serve(request, response, request.socket.remoteAddress ?? '', before, next);
  }

  private serve(request: IncomingMessage, response: ServerResponse, ip: string, before: RawHeaders, next: (error?: unknown) => void): void {
    if (request.method !== 'GET' || this.cache.maxBytes === 0) return next();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? BEARER.exec(header.trim()) : null;
    if (!match) return next();
    const url = (request as { originalUrl?: string }).originalUrl ?? request.url ?? '';
    this.verifier
      .verify(match[1])
      .then(
        async (actor) => {
          const entry = this.cache.get(keyOf(actor.role, url));
          if (!entry) return next();
          const key = hash('sha256', `${entry.route}-default-${normalizeIp(ip)}`, 'hex');
          const { totalHits, timeToExpire, isBlocked } = await this.throttler.increment(key, 60_000, this.limit, 0, 'default');
          if (isBlocked) return next(); // the guard counts it again and answers 429
          this.requestLog?.(request, response);
          this.cache.hits++;
          const headers: RawHeaders = [...before, 'X-RateLimit-Limit', this.limit, 'X-RateLimit-Remaining', Math.max(0, this.limit - totalHits), 'X-RateLimit-Reset', timeToExpire, 'ETag', entry.etag];
          if (notModified(request, entry.etag)) {
            response.writeHead(304, headers).end();
            return;
          }
          headers.push('Content-Type', 'application/json; charset=utf-8', 'Content-Length', entry.body.length);
          response.writeHead(200, headers).end(entry.body);
        },
        () => next(),
      )
      .catch(next);
  }
}

/** The kept answers' middleware for Express, and the listener put before Express on the server (see KeptAnswers). */
export function answerFromCache(app: INestApplication): RequestHandler {
  let cache: AnswerCache;
  try {
    cache = app.get(AnswerCache);
  } catch {
    return (_request, _response, next) => next(); // an application without the cache (some tests)
  }
  const kept = new KeptAnswers(cache, app.get(TokenVerifier), app.get<ThrottlerStorage>(getStorageToken()));
  kept.install(app.getHttpServer() as Server);
  return kept.middleware;
}

/**
 * Keeps the answers of the routes marked `@CachedAnswer()`, and sends them as the cache will: the JSON
 * bytes once serialized, with their strong ETag (304 when If-None-Match names it).
 *
 * A guard that lets every request through: the hook Nest runs before a route's handler, after the
 * access and rate-limit guards (so the actor is known). It notes what the answer is kept under (the
 * reader's role and the URL, the read models' stamp before the work, the route) and has the response's
 * `json` keep a 200 answer as it sends it; refusals (4xx problem details) go out as they are. An
 * interceptor did this until stop 16: Nest binds two AsyncResources per interceptor per request, and
 * Node 20 wraps each bound function's deprecated `asyncResource` property in two `deprecate()` calls —
 * about 5 % of a first read's CPU, with the RxJS pipe around it.
 */
@Injectable()
export class KeepsAnswers implements CanActivate {
  constructor(
    private readonly cache: AnswerCache,
    private readonly readModels: ReadModels,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    if (request.method !== 'GET') return true;
    const stamp = this.readModels.stamp;
    const key = keyOf(actorFrom(request).role, request.originalUrl);
    const route = `${context.getClass().name}-${context.getHandler().name}`;
    const send = response.json.bind(response);
    response.json = (value: unknown) => {
      if (response.statusCode !== 200) return send(value);
      this.cache.misses++;
      const json = JSON.stringify(value);
      const entry = this.cache.set(key, Buffer.from(json, 'utf8'), stamp, route);
      // Sent as the string it is, with its ETag: Express answers 304 itself when If-None-Match names it.
      response.setHeader('ETag', entry.etag);
      response.setHeader('Content-Type', 'application/json; charset=utf-8');
      return response.send(json);
    };
    return true;
  }
}

/**
 * The answer cache: its store and what fills it, put on the marked routes by `@CachedAnswer()`
 * (configureApp answers from it: answerFromCache). Global: the marked routes are in several modules.
 */
@Global()
@Module({
  providers: [AnswerCache, KeepsAnswers],
  exports: [AnswerCache, KeepsAnswers],
})
export class AnswerCacheModule {}
