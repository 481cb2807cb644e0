import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { upcast } from '@mel/domain';
import { ReadModels } from '../../read-models.module';
import { AuditTrailQuery } from './audit-trail.dto';
import { Allow, MEMBERS } from '../../auth/access.decorators';

/** Fields of an event's data that say why it happened, in the order they are looked for. */
const WHY = ['reason', 'rationale', 'conclusion', 'summary', 'text'];
/** Fields of an event's data that name the decision or amendment it happened under. */
const UNDER = ['decisionId', 'amendmentId'];

/**
 * The audit trail, read from the log itself (every line is an event, in seq order): per entity or for
 * the whole ledger, filterable by who, when (either clock), what and under which decision; as of a date
 * on either clock, it is the trail the ledger held then (recorded) or the lines in effect by then (effective).
 */
@ApiTags('queries')
@Allow(...MEMBERS)
@Controller('audit-trail')
export class AuditTrailController {
  constructor(private readonly readModels: ReadModels) {}

  @Get()
  @ApiOperation({ summary: 'Who did what, when (both clocks), why and under which decision, optionally as of a date; paginated by seq' })
  @ApiOkResponse({ description: '{ items: [{ seq, streamId, streamVersion, type, occurredAt, recordedAt, actor, changed, why, under }], nextCursor }' })
  async trail(@Query() query: AuditTrailQuery) {
    const limit = query.limit ?? 100;
    const params: unknown[] = [query.after ?? 0];
    const where: string[] = ['seq > $1'];
    /** Adds a condition on one parameter, written `$` where the parameter goes. */
    const add = (condition: string, value: unknown) => {
      params.push(value);
      where.push(condition.replaceAll('$', () => `$${params.length}`));
    };
    if (query.streamId) add('stream_id = $', query.streamId);
    if (query.actor) add(`actor->>'subject' = $`, query.actor);
    if (query.partyId) add(`actor->>'partyId' = $`, query.partyId);
    if (query.type) add('type = $', query.type);
    const column = (query.clock ?? 'recorded') === 'recorded' ? 'recorded_at' : 'occurred_at';
    // In UTC: PostgreSQL reads no offset beyond ±15:59, which ISO 8601 (and the DTO) allow.
    if (query.from) add(`${column} >= $`, new Date(query.from).toISOString());
    if (query.to) add(`${column} <= $`, new Date(query.to).toISOString());
    // As the store reads a stream as of a date: to the millisecond, the precision it keeps instants in.
    if (query.asOf) add(`${column} <= $`, new Date(query.asOf).toISOString());
    if (query.decision) add(`(data->>'decisionId' = $ OR data->>'amendmentId' = $ OR actor->>'mandate' = $)`, query.decision);
    const rows: { envelope: string }[] = await this.readModels.dataSource.query(
      `SELECT convert_from(canonical, 'UTF8') AS envelope FROM event_store.events WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ${limit + 1}`,
      params,
    );
    const items = rows.slice(0, limit).map((row) => line(JSON.parse(row.envelope)));
    return { items, nextCursor: rows.length > limit ? items[items.length - 1].seq : null };
  }
}

interface Envelope {
  seq: number;
  streamId: string;
  streamVersion: number;
  type: string;
  schemaVersion: number;
  occurredAt: string;
  recordedAt: string;
  actor: { subject: string; role: string; partyId?: string; mandate?: string };
  data: Record<string, unknown>;
}

function line(stored: Envelope) {
  const event = upcast(stored);
  const why = WHY.map((key) => event.data[key]).find((value) => typeof value === 'string') ?? null;
  const under = UNDER.map((key) => event.data[key]).find((value) => typeof value === 'string') ?? event.actor.mandate ?? null;
  return {
    seq: event.seq,
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    type: event.type,
    occurredAt: event.occurredAt,
    recordedAt: event.recordedAt,
    actor: event.actor,
    changed: event.data,
    why,
    under,
  };
}
