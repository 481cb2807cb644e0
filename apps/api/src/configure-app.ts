import { type INestApplication, ValidationPipe } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json, type NextFunction, type Request, type Response } from 'express';
import { BodyParseError, ProblemDetailsFilter, RequestValidationError } from './shared/problem-details';

/** Request bodies larger than this are refused with 413 before any work. */
export const BODY_LIMIT = '256kb';

/**
 * What the HTTP service is around its modules, the same in main.ts and in the tests: JSON bodies up to
 * BODY_LIMIT, DTO validation that refuses unknown fields, RFC 9457 problem details for every refusal,
 * and OpenAPI at /docs and /openapi.json.
 */
export function configureApp(app: INestApplication): void {
  const express = app as NestExpressApplication;
  // body-parser's own errors are wrapped, so that the problem details filter sees what they were.
  const parseJson = json({ limit: BODY_LIMIT, strict: true });
  express.use((req: Request, res: Response, next: NextFunction) => parseJson(req, res, (error?: unknown) => next(error ? new BodyParseError(error as never) : undefined)));
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
