/**
 * Event schema evolution (DESIGN §2): stored events are never rewritten; an old schema version is
 * upcast to the current one when read, by every reader (the command path's fold, the projectors, the
 * queries as of a date). Writers always write the current version.
 *
 * - FundingRecorded v2 carries the currency of its amount (DESIGN §1: money is integer cents with a
 *   currency); v1 had none, and every v1 amount was in euros.
 */
export const CURRENT_SCHEMA_VERSIONS: Readonly<Record<string, number>> = {
  FundingRecorded: 2,
};

type Upcaster = (data: Record<string, unknown>) => Record<string, unknown>;

/** `UPCASTERS[type][v]` turns data of version v into data of version v + 1. */
const UPCASTERS: Record<string, Record<number, Upcaster>> = {
  FundingRecorded: {
    1: (data) => ({ ...data, currency: 'EUR' }),
  },
};

/** The schema version a writer gives an event of `type` today. */
export function currentSchemaVersion(type: string): number {
  return CURRENT_SCHEMA_VERSIONS[type] ?? 1;
}

/** An event as read, brought to the current schema version of its type. */
export function upcast<E extends { type: string; schemaVersion: number; data: unknown }>(event: E): E {
  const target = currentSchemaVersion(event.type);
  if (event.schemaVersion >= target) return event;
  let data = event.data as Record<string, unknown>;
  for (let version = event.schemaVersion; version < target; version++) {
    const step = UPCASTERS[event.type]?.[version];
    if (!step) throw new Error(`no upcaster for ${event.type} from schema version ${version}`);
    data = step(data);
  }
  return { ...event, schemaVersion: target, data };
}
