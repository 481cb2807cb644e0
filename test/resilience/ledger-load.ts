import { createHash } from 'node:crypto';
import { Random } from '@mel/application';
import { Client, Pool } from 'pg';
import { buildProgram } from '../../apps/cli/src/program';
import { auditor, type TestActor, tokenFor } from '../support/tokens';

/**
 * The load of the resilience tests: commands that make sense on the seeded MEL contract, each sent
 * with its own Idempotency-Key and carrying a marker (a report id, an amount, a meeting id) by which its
 * events are found in the store whatever their ids, and every answer recorded.
 */

/** What one attempt of a request got. */
export type Outcome =
  | { kind: 'acked'; status: number; seq: number; streamId: string; events: { eventId: string; seq: number; streamVersion: number; type: string }[]; replayed: boolean }
  | { kind: 'refused'; status: number; rule?: string }
  | { kind: 'unavailable'; status: 503; retryAfter: string | null; rule?: string; problemJson: boolean }
  | { kind: 'error'; status: number; body: string }
  | { kind: 'none'; error: string };

export type CommandKind = 'report' | 'funding' | 'meeting' | 'refused-report';

export interface PlannedCommand {
  index: number;
  kind: CommandKind;
  key: string;
  path: string;
  body: Record<string, unknown>;
  actor: TestActor;
  /** How its events are recognised in the store (markerOf). */
  marker: string;
  /** Events it writes when it is recorded (0 for a command the domain refuses). */
  expectedEvents: number;
  /** Whether its client retries it, with the same key, when it got no answer. */
  retryUnanswered: boolean;
  attempts: Outcome[];
  final?: Outcome;
}

export interface SeededFacts {
  commitments: { commitmentId: string; ownerPartyId: string }[];
  bodies: string[];
}

const EFFECTIVE_AT = '2025-06-02T10:00:00+02:00';

/** The seeded commitments (and their owners) and bodies, read from the store's events. */
export async function seededFacts(appUrl: string): Promise<SeededFacts> {
  const client = new Client({ connectionString: appUrl });
  await client.connect();
  try {
    const { rows: commitments } = await client.query<{ commitment_id: string; owner: string }>(
      `SELECT data->>'commitmentId' AS commitment_id, data->>'ownerPartyId' AS owner FROM event_store.events WHERE type = 'CommitmentDrafted' ORDER BY seq`,
    );
    const { rows: bodies } = await client.query<{ stream_id: string }>(`SELECT stream_id FROM event_store.events WHERE type = 'GovernanceBodyCreated' ORDER BY seq`);
    return {
      commitments: commitments.map((r) => ({ commitmentId: r.commitment_id, ownerPartyId: r.owner })),
      bodies: bodies.map((r) => r.stream_id.replace(/^governance-body-/, '')),
    };
  } finally {
    await client.end();
  }
}

export const representative = (partyId: string): TestActor => ({ subject: `rep-${partyId}`, role: 'signatory-representative', partyId });
export const secretary = (bodyId: string): TestActor => ({ subject: `secretary-${bodyId}`, role: 'body-secretary', mandate: bodyId });

/**
 * The `index`-th command of run `run`: a progress report or a funding record on a seeded commitment by
 * its owner's representative, a meeting scheduled by a body's secretary, or (one in ten) a report by a
 * representative of another party, which the domain refuses (403 PartyActsOnlyForItself).
 */
export function planCommand(index: number, run: string, facts: SeededFacts, random: Random, retryShare: number): PlannedCommand {
  const kind = random.weighted<CommandKind>([['report', 40], ['funding', 35], ['meeting', 15], ['refused-report', 10]]);
  const common = { index, kind, key: `${run}-${index}`, retryUnanswered: random.chance(retryShare), attempts: [] as Outcome[] };
  const commitment = random.pick(facts.commitments);
  if (kind === 'report' || kind === 'refused-report') {
    const reportId = `${run}-r${index}`;
    const other = facts.commitments.find((c) => c.ownerPartyId !== commitment.ownerPartyId)!.ownerPartyId;
    return {
      ...common,
      path: `/commitments/${commitment.commitmentId}/reports`,
      body: {
        reportId,
        period: '2025-S1',
        summary: `Bilan du premier semestre 2025 (${index})`,
        evidence: [{ sha256: createHash('sha256').update(reportId).digest('hex'), title: 'Bilan semestriel' }],
        effectiveAt: EFFECTIVE_AT,
      },
      actor: representative(kind === 'report' ? commitment.ownerPartyId : other),
      marker: `report:${reportId}`,
      expectedEvents: kind === 'report' ? 1 : 0,
    };
  }
  if (kind === 'funding') {
    // The amount is the marker: unique in the run.
    const amountCents = 1_000_000_00 + index;
    return {
      ...common,
      path: `/commitments/${commitment.commitmentId}/funding`,
      body: { transaction: random.pick(['commitment', 'disbursement', 'expenditure'] as const), year: 2025, amountCents, partyId: commitment.ownerPartyId, effectiveAt: EFFECTIVE_AT },
      actor: representative(commitment.ownerPartyId),
      marker: `funding:${commitment.commitmentId}:${amountCents}`,
      expectedEvents: 1,
    };
  }
  const bodyId = random.pick(facts.bodies);
  const meetingId = `${run}-m${index}`;
  return {
    ...common,
    path: '/meetings',
    body: { meetingId, bodyId, title: `Séance ${index}`, date: `2025-${String(random.int(7, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`, effectiveAt: EFFECTIVE_AT },
    actor: secretary(bodyId),
    marker: `meeting:${meetingId}`,
    expectedEvents: 1,
  };
}

/** The marker of a stored event written by one of the planned commands (undefined for any other event). */
export function markerOf(event: { type: string; data: Record<string, unknown> }): string | undefined {
  if (event.type === 'ProgressReported') return `report:${event.data.reportId}`;
  if (event.type === 'FundingRecorded') return `funding:${event.data.commitmentId}:${event.data.amountCents}`;
  if (event.type === 'MeetingScheduled') return `meeting:${event.data.meetingId}`;
  return undefined;
}

/** Sends `command` once, with its key; answers what came back, or that nothing did. */
export async function send(url: string, command: PlannedCommand, timeoutMs = 20_000): Promise<Outcome> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(`${url}${command.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(command.actor)}`, 'idempotency-key': command.key },
      body: JSON.stringify(command.body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { kind: 'none', error: cause?.code ?? cause?.message ?? (error as Error).message };
  }
  return outcomeOf(response, text);
}

/** A GET as an auditor: its status, and whether a 503 carried Retry-After and problem details; undefined when nothing answered. */
export async function read(url: string, path: string, timeoutMs = 20_000): Promise<Outcome> {
  try {
    const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${await tokenFor(auditor)}` }, signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    if (response.status < 300) return { kind: 'acked', status: response.status, seq: 0, streamId: '', events: [], replayed: false };
    return outcomeOf(response, text);
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { kind: 'none', error: cause?.code ?? cause?.message ?? (error as Error).message };
  }
}

function outcomeOf(response: Response, text: string): Outcome {
  let body: Record<string, unknown> | undefined;
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  } catch {
    body = undefined;
  }
  const status = response.status;
  if (status >= 200 && status < 300) {
    return {
      kind: 'acked',
      status,
      seq: Number(body?.seq),
      streamId: String(body?.streamId),
      events: (body?.events as Extract<Outcome, { kind: 'acked' }>['events']) ?? [],
      replayed: response.headers.get('idempotent-replayed') === 'true',
    };
  }
  if (status === 503) {
    return {
      kind: 'unavailable',
      status,
      retryAfter: response.headers.get('retry-after'),
      rule: typeof body?.rule === 'string' ? body.rule : undefined,
      problemJson: (response.headers.get('content-type') ?? '').includes('application/problem+json'),
    };
  }
  if (status >= 500) return { kind: 'error', status, body: text.slice(0, 500) };
  return { kind: 'refused', status, rule: typeof body?.rule === 'string' ? body.rule : undefined };
}

/** Where each marker's events are, among the events after `afterSeq`; and the events that carry none. */
export async function eventsByMarker(appUrl: string, afterSeq: number): Promise<{ byMarker: Map<string, { eventId: string; seq: number; streamId: string }[]>; strays: { seq: number; type: string }[]; head: number }> {
  const client = new Client({ connectionString: appUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ event_id: string; seq: string; stream_id: string; type: string; data: Record<string, unknown> }>(
      'SELECT event_id, seq, stream_id, type, data FROM event_store.events WHERE seq > $1 ORDER BY seq',
      [afterSeq],
    );
    const byMarker = new Map<string, { eventId: string; seq: number; streamId: string }[]>();
    const strays: { seq: number; type: string }[] = [];
    for (const row of rows) {
      const marker = markerOf(row);
      if (marker === undefined) {
        strays.push({ seq: Number(row.seq), type: row.type });
        continue;
      }
      const list = byMarker.get(marker) ?? [];
      list.push({ eventId: row.event_id, seq: Number(row.seq), streamId: row.stream_id });
      byMarker.set(marker, list);
    }
    const { rows: head } = await client.query<{ head: string }>('SELECT coalesce(max(seq), 0) AS head FROM event_store.events');
    return { byMarker, strays, head: Number(head[0].head) };
  } finally {
    await client.end();
  }
}

/** The Idempotency-Key rows of the command API, by `${subject} ${key}`. */
export async function idempotencyRows(appUrl: string): Promise<Map<string, { firstEventId: string; status: number | null }>> {
  const client = new Client({ connectionString: appUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ subject: string; key: string; first_event_id: string; status: number | null }>('SELECT subject, key, first_event_id, status FROM api.idempotency_keys');
    return new Map(rows.map((r) => [`${r.subject} ${r.key}`, { firstEventId: r.first_event_id, status: r.status }]));
  } finally {
    await client.end();
  }
}

/**
 * Waits until the API has caught up with the store: the live read models and the Merkle tree at the
 * head, and (with `checkpoint`) a checkpoint of that size. Answers what it saw last.
 */
export async function waitForConvergence(appUrl: string, timeoutMs: number, checkpoint = true): Promise<{ head: number; readModels: number; tree: number; checkpoint: number; ms: number }> {
  const client = new Client({ connectionString: appUrl });
  await client.connect();
  const started = performance.now();
  try {
    for (;;) {
      const { rows } = await client.query<{ head: string; read_models: string | null; tree: string | null; checkpoint: string | null }>(
        `SELECT (SELECT coalesce(max(seq), 0) FROM event_store.events) AS head,
                (SELECT min(c.seq) FROM projections.checkpoints c JOIN projections.versions v ON v.version = c.version AND v.status = 'live') AS read_models,
                (SELECT size FROM ledger.tree_head) AS tree,
                (SELECT max(size) FROM ledger.checkpoints) AS checkpoint`,
      );
      const seen = {
        head: Number(rows[0].head),
        readModels: Number(rows[0].read_models ?? 0),
        tree: Number(rows[0].tree ?? 0),
        checkpoint: Number(rows[0].checkpoint ?? 0),
        ms: Math.round(performance.now() - started),
      };
      if (seen.readModels === seen.head && seen.tree === seen.head && (!checkpoint || seen.checkpoint === seen.head)) return seen;
      if (seen.ms > timeoutMs) return seen;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await client.end();
  }
}

/**
 * How long, from now, until the live read models and the Merkle tree have reached the head the store
 * has now (each its own figure, in ms; undefined when not within `timeoutMs`): how soon the API's
 * background loops are back after an outage.
 */
export async function backgroundCatchUp(appUrl: string, timeoutMs: number, alive: () => boolean = () => true): Promise<{ head: number; readModelsMs?: number; treeMs?: number }> {
  const started = performance.now();
  // A pool, whose errors are heard: the next outage may come while this still watches.
  const pool = new Pool({ connectionString: appUrl, max: 1 });
  pool.on('error', () => undefined);
  try {
    let head = -1;
    while (head < 0 && performance.now() - started < timeoutMs && alive()) {
      head = await pool.query<{ head: string }>('SELECT coalesce(max(seq), 0) AS head FROM event_store.events').then((r) => Number(r.rows[0].head), () => -1);
      if (head < 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const result: { head: number; readModelsMs?: number; treeMs?: number } = { head };
    while (performance.now() - started < timeoutMs && alive() && (result.readModelsMs === undefined || result.treeMs === undefined)) {
      const rows = await pool
        .query<{ read_models: string | null; tree: string | null }>(
          `SELECT (SELECT min(c.seq) FROM projections.checkpoints c JOIN projections.versions v ON v.version = c.version AND v.status = 'live') AS read_models,
                  (SELECT size FROM ledger.tree_head) AS tree`,
        )
        .then((r) => r.rows, () => undefined);
      const ms = Math.round(performance.now() - started);
      if (rows && result.readModelsMs === undefined && Number(rows[0].read_models ?? 0) >= head) result.readModelsMs = ms;
      if (rows && result.treeMs === undefined && Number(rows[0].tree ?? 0) >= head) result.treeMs = ms;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return result;
  } finally {
    await pool.end();
  }
}

/** A gate the clients wait at while the API is down (it is being restarted). */
export class Gate {
  private opened = true;
  private waiters: (() => void)[] = [];

  get isOpen(): boolean {
    return this.opened;
  }

  close(): void {
    this.opened = false;
  }

  open(): void {
    this.opened = true;
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  pass(): Promise<void> {
    return this.opened ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}

/** A seed for the run: RESILIENCE_SEED when set (to replay a failure), else a random one; printed by the tests. */
export function runSeed(): number {
  return process.env.RESILIENCE_SEED ? Number(process.env.RESILIENCE_SEED) : Math.floor(Math.random() * 2 ** 31);
}

/** Runs the ledger CLI in this process on `db`; answers what it printed, and the error it ended with. */
export async function ledgerCli(db: { adminUrl: string; appUrl: string }, args: string[]): Promise<{ stdout: string; error?: Error }> {
  const names = ['DATABASE_URL', 'DATABASE_APP_URL', 'LEDGER_EVENT_STORE'] as const;
  const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
  let stdout = '';
  const log = jest.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void (stdout += `${parts.join(' ')}\n`));
  const err = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  process.env.DATABASE_URL = db.adminUrl;
  process.env.DATABASE_APP_URL = db.appUrl;
  delete process.env.LEDGER_EVENT_STORE;
  try {
    await buildProgram().exitOverride().parseAsync(['node', 'ledger', ...args]);
    return { stdout };
  } catch (error) {
    return { stdout, error: error as Error };
  } finally {
    log.mockRestore();
    err.mockRestore();
    write.mockRestore();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

export { Random };
