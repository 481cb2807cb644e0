import { type INestApplication, ValidationPipe } from '@nestjs/common';
import type { CorsOptions, CorsOptionsDelegate } from '@nestjs/common/interfaces/external/cors-options.interface';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { BodyParseError, ProblemDetailsFilter, RequestValidationError } from './shared/problem-details';

/** Request bodies larger than this are refused with 413 before any work. */
export const BODY_LIMIT = '256kb';
/** Deeper bodies are refused before validation walks them (no DTO of the ledger nests beyond 4). */
export const MAX_BODY_DEPTH = 32;

/** A command body is a JSON object no deeper than MAX_BODY_DEPTH; measured without recursion. */
export function bodyShapeRefusal(body: unknown): { rule: string; message: string } | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { rule: 'BodyMustBeJsonObject', message: 'the body must be a JSON object' };
  }
  const stack: [unknown, number][] = [[body, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (depth > MAX_BODY_DEPTH) return { rule: 'BodyMustNotNestTooDeeply', message: `the body must not nest deeper than ${MAX_BODY_DEPTH} levels` };
    if (value !== null && typeof value === 'object') for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return undefined;
}

/** Paths any web page may read (open data; the public verification of the ledger): CORS for any origin, without credentials. */
const OPEN_TO_ANY_ORIGIN = /^\/(open-data|ledger)\//;

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
    if (req.method !== 'POST' && OPEN_TO_ANY_ORIGIN.test(req.path)) return callback(null, { origin: '*', methods: ['GET', 'HEAD'] });
    callback(null, { origin: origins.length > 0 ? origins : false, credentials: false, methods: ['GET', 'HEAD', 'POST'], allowedHeaders: ['Authorization', 'Content-Type', 'If-Match', 'Idempotency-Key'], exposedHeaders: ['ETag', 'Location', 'Retry-After'], maxAge: 600 });
  };
}

/**
 * What the HTTP service is around its modules, the same in main.ts and in the tests: security headers (helmet), CORS (corsOptions),
 * JSON bodies up to BODY_LIMIT, DTO validation that refuses unknown fields, RFC 9457 problem details for every refusal,
 * and OpenAPI at /docs and /openapi.json.
 */
export function configureApp(app: INestApplication): void {
  const express = app as NestExpressApplication;
  // body-parser's own errors are wrapped, so that the problem details filter sees what they were.
  const parseJson = json({ limit: BODY_LIMIT, strict: true });
  express.use((req: Request, res: Response, next: NextFunction) =>
    parseJson(req, res, (error?: unknown) => {
      if (error) return next(new BodyParseError(error as never));
      const refusal = req.body === undefined ? undefined : bodyShapeRefusal(req.body);
      next(refusal ? new BodyParseError({ status: 400, type: refusal.rule, message: refusal.message }) : undefined);
    }),
  );
  express.disable('x-powered-by');
  express.use(helmet());
  express.enableCors(corsOptions());
  app.useGlobalPipes(
    new ValidationPipe({
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
