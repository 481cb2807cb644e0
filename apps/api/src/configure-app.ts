import { type INestApplication, ValidationPipe } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json, type NextFunction, type Request, type Response } from 'express';
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

/**
 * What the HTTP service is around its modules, the same in main.ts and in the tests: JSON bodies up to
 * BODY_LIMIT, DTO validation that refuses unknown fields, RFC 9457 problem details for every refusal,
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
