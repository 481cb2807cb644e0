import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { Database } from '@mel/database';
import { Pool } from 'pg';
import { DATABASE } from '../database.token';

/** Is PostgreSQL reachable as the application role? One connection at most, kept for the next check. */
@Injectable()
export class DatabaseHealthIndicator implements OnApplicationShutdown {
  private readonly pool: Pool;

  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(DATABASE) private readonly database: Database,
  ) {
    this.pool = new Pool({ connectionString: database.appUrl, max: 1, connectionTimeoutMillis: 2000 });
    this.pool.on('error', () => undefined); // reported by the next check
  }

  async check(key: string) {
    const indicator = this.health.check(key);
    try {
      const { rows } = await this.pool.query("SELECT current_setting('server_version') AS version");
      return indicator.up({ version: rows[0].version, embedded: this.database.embedded });
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
