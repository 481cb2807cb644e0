import { Client } from 'pg';

export const APPEND_CHANNEL = 'event_store_appended';

/**
 * Wakes subscribers when a batch commits (LISTEN event_store_appended, notified by append_batch with
 * the new head), and when this process committed one itself (`advance`). Notifications are a hint,
 * never the source of truth: subscribers read the table when a notified head is beyond them, after
 * each (re)connection of the listener (`epoch`), and when no notification came for a while, so a lost
 * connection only slows them down until it is back.
 */
export class AppendNotifier {
  private client?: Client;
  private starting?: Promise<void>;
  private generation = 0;
  private notifiedHead = 0;
  private listens = 0;
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

  /** The highest head notified (or committed by this process): every seq up to it is committed. */
  get head(): number {
    return this.notifiedHead;
  }

  /**
   * How many times the listener connected. Notifications sent while it was not listening are lost, so
   * a subscriber that sees this change reads the table.
   */
  get epoch(): number {
    return this.listens;
  }

  /** This process committed up to `head`: its subscribers are woken without waiting for the notification. */
  advance(head: number): void {
    this.notifiedHead = Math.max(this.notifiedHead, head);
    this.wake();
  }

  /**
   * Resolves on a notification after `mark` (true), or false after `timeoutMs` or when `signal` aborts:
   * a subscriber that was not woken reads the table (a notification may have been lost).
   */
  wait(mark: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (this.generation !== mark) return Promise.resolve(true);
    if (this.closed || signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (woken: boolean) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', aborted);
        this.waiters.delete(notified);
        resolve(woken);
      };
      const notified = () => done(true);
      const aborted = () => done(false);
      const timer = setTimeout(aborted, timeoutMs);
      signal?.addEventListener('abort', aborted);
      this.waiters.add(notified);
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
    client.on('notification', (message) => {
      const head = Number(message.payload);
      if (Number.isSafeInteger(head)) this.notifiedHead = Math.max(this.notifiedHead, head);
      this.wake();
    });
    client.on('error', (error) => this.lost(client, error));
    try {
      await client.connect();
      await client.query(`LISTEN ${APPEND_CHANNEL}`);
      if (this.closed) {
        await client.end();
        return;
      }
      this.client = client;
      this.listens++;
      this.wake(); // anything committed while we were not listening: subscribers see the new epoch and read
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
