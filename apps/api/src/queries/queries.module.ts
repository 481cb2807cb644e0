import { Module } from '@nestjs/common';
import { CommitmentQueriesController } from './commitments/commitment-queries.controller';

/** Reads: the read models, and the store for states as of a date. */
@Module({ controllers: [CommitmentQueriesController] })
export class QueriesModule {}
