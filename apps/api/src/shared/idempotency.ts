import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Database } from '@mel/database';
import { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { DATABASE } from '../database.token';

export interface IdempotencyRecord {
  firstEventId: string;
  streamId: string;
  /** Set once the first request was answered. */
  answer?: { status: number; body: unknown };
}

export class IdempotencyKeyReusedError extends Error {
  constructor(readonly key: string) {
    super(`Idempotency-Key ${key} was first used with another request`);
  }
}

/** The Idempotency-Key ledger of the command API (table api.idempotency_keys). */
@Injectable()
export class IdempotencyKeys implements OnApplicationShutdown {
  private readonly pool: Pool;

  constructor(@Inject(DATABASE) database: Database) {
    this.pool = new Pool({ connectionString: database.appUrl, max: 4 });
    this.pool.on('error', () => undefined);
  }

  /** Claims `key` for this request, or returns the record of the first request that used it. */
  async claim(subject: string, key: string, requestSha256: string, streamId: string): Promise<IdempotencyRecord> {
    const firstEventId = uuidv7();
    await this.pool.query(
      `INSERT INTO api.idempotency_keys (subject, key, request_sha256, first_event_id, stream_id)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (subject, key) DO NOTHING`,
      [subject, key, requestSha256, firstEventId, streamId],
    );
    const { rows } = await this.pool.query(
      'SELECT request_sha256, first_event_id, stream_id, status, response FROM api.idempotency_keys WHERE subject = $1 AND key = $2',
      [subject, key],
    );
    const row = rows[0];
    if (row.request_sha256 !== requestSha256) throw new IdempotencyKeyReusedError(key);
    return {
      firstEventId: row.first_event_id,
      streamId: row.stream_id,
      ...(row.status !== null && { answer: { status: row.status, body: row.response } }),
    };
  }

  async answer(subject: string, key: string, status: number, body: unknown): Promise<void> {
    await this.pool.query('UPDATE api.idempotency_keys SET status = $3, response = $4 WHERE subject = $1 AND key = $2', [
      subject,
      key,
      status,
      JSON.stringify(body),
    ]);
  }

  /** A refused request frees its key: the client may fix the cause and retry with it. */
  async release(subject: string, key: string): Promise<void> {
    await this.pool.query('DELETE FROM api.idempotency_keys WHERE subject = $1 AND key = $2 AND status IS NULL', [subject, key]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
