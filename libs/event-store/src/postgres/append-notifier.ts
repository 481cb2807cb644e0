import { Client } from 'pg';

export const APPEND_CHANNEL = 'event_store_appended';

/**
 * Wakes subscribers when a batch commits (LISTEN event_store_appended, notified by append_batch).
 * Notifications are a hint, never the source of truth: subscribers re-read the table, and poll
 * anyway when no notification comes, so a lost connection only slows them down until it is back.
 */
export class AppendNotifier {
  private client?: Client;
  private starting?: Promise<void>;
  private generation = 0;
  private readonly waiters = new Set<() => void>();
  private closed = false;
  private retryTimer?: NodeJS.Timeout;

  constructor(
    private readonly connectionString: string,
    private readonly onError: (error: Error) => void,
  ) {}

  /** A token to pass to wait(): a notification after it was taken makes wait() return at once. */
  mark(): number {
    if (!this.client && !this.starting && !this.closed) this.starting = this.listen();
    return this.generation;
  }

  /** Resolves on a notification after `mark`, after `timeoutMs`, or when `signal` aborts. */
  wait(mark: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.generation !== mark || this.closed || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal?.addEventListener('abort', done);
      this.waiters.add(done);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.wake();
    await this.starting?.catch(() => undefined);
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }

  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.connectionString });
    client.on('notification', () => this.wake());
    client.on('error', (error) => this.lost(client, error));
    try {
      await client.connect();
      await client.query(`LISTEN ${APPEND_CHANNEL}`);
      if (this.closed) {
        await client.end();
        return;
      }
      this.client = client;
      this.wake(); // anything committed while we were not listening
    } catch (error) {
      this.lost(client, error as Error);
    } finally {
      this.starting = undefined;
    }
  }

  private lost(client: Client, error: Error): void {
    if (this.client === client) this.client = undefined;
    client.end().catch(() => undefined);
    if (this.closed) return;
    this.onError(error);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.mark(), 1000);
    this.retryTimer.unref();
  }

  private wake(): void {
    this.generation++;
    for (const waiter of [...this.waiters]) waiter();
  }
}
