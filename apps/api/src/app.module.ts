import { type DynamicModule, Module } from '@nestjs/common';
import type { Database } from '@mel/database';
import { LoggerModule } from 'nestjs-pino';
import { AuthModule } from './auth/auth.module';
import { AmendmentsModule } from './amendments/amendments.module';
import { CommitmentsModule } from './commitments/commitments.module';
import { ContractsModule } from './contracts/contracts.module';
import { DocumentsModule } from './documents/documents.module';
import { DirectoryModule } from './directory/directory.module';
import { EvaluationCyclesModule } from './evaluation-cycles/evaluation-cycles.module';
import { GovernanceBodiesModule } from './governance-bodies/governance-bodies.module';
import { HealthModule } from './health/health.module';
import { IndicatorsModule } from './indicators/indicators.module';
import { InfrastructureModule } from './infrastructure.module';
import { LedgerModule } from './ledger/ledger.module';
import { loggerOptions, logsEachRequest } from './logger';
import { MeetingsModule } from './meetings/meetings.module';
import { PartiesModule } from './parties/parties.module';
import { AnswerCacheModule } from './queries/answer-cache';
import { QueriesModule } from './queries/queries.module';
import { ReadModelsModule } from './read-models.module';
import { CommandsModule } from './shared/commands.module';

@Module({})
export class AppModule {
  static forRoot(database: Database): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // Per-request logging (pino-http) only where requests are logged (see logsEachRequest).
        LoggerModule.forRoot({ pinoHttp: loggerOptions(), ...(logsEachRequest() ? {} : { forRoutes: [] }) }),
        InfrastructureModule.forRoot(database),
        AuthModule,
        CommandsModule,
        ReadModelsModule,
        AnswerCacheModule,
        HealthModule,
        PartiesModule,
        ContractsModule,
        CommitmentsModule,
        GovernanceBodiesModule,
        MeetingsModule,
        AmendmentsModule,
        IndicatorsModule,
        EvaluationCyclesModule,
        DocumentsModule,
        DirectoryModule,
        QueriesModule,
        LedgerModule,
      ],
    };
  }
}
