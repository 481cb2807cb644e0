import { Module } from '@nestjs/common';
import { AuditTrailController } from './audit/audit-trail.controller';
import { CommitmentQueriesController } from './commitments/commitment-queries.controller';

/** Reads: the read models, and the store for states as of a date. */
@Module({ controllers: [CommitmentQueriesController, AuditTrailController] })
export class QueriesModule {}
