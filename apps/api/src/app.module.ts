import { type DynamicModule, Module } from '@nestjs/common';
import type { Database } from '@mel/database';
import { LoggerModule } from 'nestjs-pino';
import { CommitmentsModule } from './commitments/commitments.module';
import { HealthModule } from './health/health.module';
import { InfrastructureModule } from './infrastructure.module';
import { loggerOptions } from './logger';
import { CommandsModule } from './shared/commands.module';

@Module({})
export class AppModule {
  static forRoot(database: Database): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot({ pinoHttp: loggerOptions() }),
        InfrastructureModule.forRoot(database),
        CommandsModule,
        HealthModule,
        CommitmentsModule,
      ],
    };
  }
}
