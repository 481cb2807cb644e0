import { type DynamicModule, Module } from '@nestjs/common';
import type { Database } from '@mel/database';
import { LoggerModule } from 'nestjs-pino';
import { HealthModule } from './health/health.module';
import { InfrastructureModule } from './infrastructure.module';
import { loggerOptions } from './logger';

@Module({})
export class AppModule {
  static forRoot(database: Database): DynamicModule {
    return {
      module: AppModule,
      imports: [LoggerModule.forRoot({ pinoHttp: loggerOptions() }), InfrastructureModule.forRoot(database), HealthModule],
    };
  }
}
