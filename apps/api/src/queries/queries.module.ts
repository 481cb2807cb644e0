import { Module } from '@nestjs/common';
import { AmendmentQueriesController } from './amendments/amendment-queries.controller';
import { AuditTrailController } from './audit/audit-trail.controller';
import { CommitmentQueriesController } from './commitments/commitment-queries.controller';
import { GovernanceQueriesController } from './governance/governance-queries.controller';
import { HistoryController } from './history/history.controller';
import { IndicatorQueriesController } from './indicators/indicator-queries.controller';
import { OpenDataController } from './exports/open-data.controller';
import { OverviewQueriesController } from './overview/overview-queries.controller';
import { TerritoriesController } from './territories/territories.controller';

/** Reads: the read models, and the store for states as of a date and entities' histories. */
@Module({ controllers: [CommitmentQueriesController, GovernanceQueriesController, AmendmentQueriesController, AuditTrailController, OverviewQueriesController, IndicatorQueriesController, OpenDataController, HistoryController, TerritoriesController] })
export class QueriesModule {}
