import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type ArgumentMetadata, type INestApplication, ValidationPipe } from '@nestjs/common';
import type { CorsOptions, CorsOptionsDelegate } from '@nestjs/common/interfaces/external/cors-options.interface';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { serveWebFront } from './web/serve-web-front';
import { answerFromCache } from './queries/answer-cache';
import { openToAnyOrigin } from './shared/open-paths';
import { carriesBody } from './shared/request-body';
import { cacheValidationMetadata } from './shared/validation-metadata-cache';
import { BodyParseError, ProblemDetailsFilter, RequestFieldError, RequestValidationError, TYPE_BASE } from './shared/problem-details';

/** Request bodies larger than this are refused with 413 before any work. */
export const BODY_LIMIT = '256kb';
/** Deeper bodies are refused before validation walks them (no DTO of the ledger nests beyond 4). */
export const MAX_BODY_DEPTH = 32;

/**
 * The names of Object.prototype (__proto__, constructor, toString…) and `prototype`: class-transformer
 * skips __proto__, constructor and any key that names a function of the object it builds, and drops
 * `prototype`, so forbidNonWhitelisted would not see them — they would be dropped silently. They are
 * refused instead, as any unknown field or parameter is.
 */
const PROTOTYPE_NAMES = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/**
 * A command body is a JSON object no deeper than MAX_BODY_DEPTH, none of whose keys is a name of
 * Object.prototype (the refusal then names the field); measured without recursion.
 */
export function bodyShapeRefusal(body: unknown): { rule: string; message: string; field?: string } | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { rule: 'BodyMustBeJsonObject', message: 'the body must be a JSON object' };
  }
  const stack: [unknown, number, string][] = [[body, 1, '']];
  while (stack.length > 0) {
    const [value, depth, path] = stack.pop()!;
    if (depth > MAX_BODY_DEPTH) return { rule: 'BodyMustNotNestTooDeeply', message: `the body must not nest deeper than ${MAX_BODY_DEPTH} levels` };
    if (value === null || typeof value !== 'object') continue;
    for (const [key, child] of Object.entries(value)) {
      const field = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      if (!Array.isArray(value) && PROTOTYPE_NAMES.has(key)) return { rule: 'whitelistValidation', message: `property ${key} should not exist`, field };
      stack.push([child, depth + 1, field]);
    }
  }
  return undefined;
}

/** The global validation pipe, which also refuses query parameters named as Object.prototype's (see PROTOTYPE_NAMES). */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'query' && value !== null && typeof value === 'object') {
      const name = Object.keys(value).find((key) => PROTOTYPE_NAMES.has(key));
      if (name !== undefined) throw new RequestFieldError(name, 'whitelistValidation', `property ${name} should not exist`);
    }
    return super.transform(value, metadata);
  }
}

/** The one route whose body may be other than JSON: a witness's cosigned note, as text (its controller reads it). */
const TEXT_BODY_ROUTE = /^\/ledger\/checkpoints\/[^/]+\/cosignatures$/;

/**
 * What Node's HTTP parser refuses before any route is reached (a request line or headers over its
 * limit, malformed HTTP, a request too slow to arrive): problem details too, as Node's own answer
 * would have been but with a body, then the connection is closed.
 */
function answerClientErrors(server: Server): void {
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex & { bytesWritten?: number; answered?: boolean }) => {
    if (socket.answered) return;
    if (socket.writable && !socket.bytesWritten && error.code !== 'ECONNRESET') {
      socket.answered = true;
      const [status, rule, title] =
        error.code === 'HPE_HEADER_OVERFLOW'
          ? [431, 'RequestHeadMustFitTheLimit', 'The request line and headers are too large']
          : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
            ? [408, 'RequestMustArriveInTime', 'The request did not arrive in time']
            : [400, 'RequestMustBeWellFormed', 'The request is not well-formed HTTP'];
      const body = JSON.stringify({ type: `${TYPE_BASE}${rule}`, title, status, detail: `the HTTP request could not be read (${error.code ?? 'malformed'})`, rule });
      // Ended, not destroyed: what the client still sends is read and dropped, so that closing does not
      // reset the connection before it has read the answer; it is closed within a second regardless.
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_CODES[status as number]}\r\nContent-Type: application/problem+json; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      socket.resume();
      setTimeout(() => socket.destroy(), 1000).unref();
      return;
    }
    socket.destroy();
  });
}

/**
 * CORS (ADR 13): the open data and the ledger's public proofs to any origin (GET, no credentials); the
 * rest of the API only to the origins of LEDGER_CORS_ORIGINS (comma-separated, e.g. the web front's),
 * none by default — a browser on another origin is then refused by its own same-origin rule.
 */
export function corsOptions(env: NodeJS.ProcessEnv = process.env): CorsOptionsDelegate<Request> {
  const origins = (env.LEDGER_CORS_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of origins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) throw new Error(`LEDGER_CORS_ORIGINS: ${JSON.stringify(origin)} is not an origin such as https://contrat-de-ville.lillemetropole.fr`);
  }
  return (req: Request, callback: (error: Error | null, options: CorsOptions) => void) => {
    if (openToAnyOrigin(req.method, req.path)) return callback(null, { origin: '*', methods: ['GET', 'HEAD'] });
    callback(null, { origin: origins.length > 0 ? origins : false, credentials: false, methods: ['GET', 'HEAD', 'POST'], allowedHeaders: ['Authorization', 'Content-Type', 'If-Match', 'Idempotency-Key'], exposedHeaders: ['ETag', 'Location', 'Retry-After'], maxAge: 600 });
  };
}

/**
 * What the HTTP service is around its modules, the same in main.ts and in the tests: security headers (helmet), CORS (corsOptions),
 * JSON bodies up to BODY_LIMIT (any other body type refused 415), DTO validation that refuses unknown fields and parameters,
 * RFC 9457 problem details for every refusal — those of Node's HTTP parser included —, and OpenAPI at /docs and /openapi.json.
 */
export function configureApp(app: INestApplication): void {
  const express = app as NestExpressApplication;
  // body-parser's own errors are wrapped, so that the problem details filter sees what they were.
  const parseJson = json({ limit: BODY_LIMIT, strict: true });
  express.use((req: Request, res: Response, next: NextFunction) =>
    parseJson(req, res, (error?: unknown) => {
      if (error) return next(new BodyParseError(error as never));
      if (req.body === undefined && req.method === 'POST' && carriesBody(req) && !TEXT_BODY_ROUTE.test(req.path)) {
        // A body of another type than JSON is not parsed: a command would read it as {}, so it is refused.
        return next(new BodyParseError({ status: 415, type: 'BodyMustBeJson', message: 'the body must be JSON, sent with Content-Type: application/json' }));
      }
      const refusal = req.body === undefined ? undefined : bodyShapeRefusal(req.body);
      if (refusal?.field !== undefined) return next(new RequestFieldError(refusal.field, refusal.rule, refusal.message));
      next(refusal ? new BodyParseError({ status: 400, type: refusal.rule, message: refusal.message }) : undefined);
    }),
  );
  answerClientErrors(app.getHttpServer() as Server);
  express.disable('x-powered-by');
  express.use(helmet());
  express.enableCors(corsOptions());
  // Kept answers of reads (ADR 15), before anything else looks at the path.
  express.use(answerFromCache(app));
  serveWebFront(express);
  cacheValidationMetadata();
  app.useGlobalPipes(
    new RequestValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      forbidUnknownValues: true,
      stopAtFirstError: false,
      exceptionFactory: (errors) => RequestValidationError.fromValidationErrors(errors),
    }),
  );
  app.useGlobalFilters(new ProblemDetailsFilter());
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Ledger of the Contrat de ville et des solidarités — MEL')
      .setDescription(
        'Commands record commitments, governance decisions and amendments as immutable events. Every refusal is RFC 9457 ' +
          'problem details naming the rule and the field. ETag is the stream version; If-Match applies a change to that ' +
          'version only (412 otherwise); Idempotency-Key makes a retry return the first answer and write nothing.',
      )
      .setVersion('0.1.0')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json' });
}
