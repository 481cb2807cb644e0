import { type EntityManager, getMetadataArgsStorage } from 'typeorm';

/** A read-model entity class (a TypeORM @Entity with @PrimaryColumn keys). */
export type EntityClass<T> = new () => T;

interface TableShape {
  table: string;
  primary: string[];
  /** [property, column] for every column. */
  columns: [string, string][];
}

const shapes = new Map<Function, TableShape>();

/** The table name, key and columns of an entity, from its TypeORM decorators (independent of any schema). */
function shapeOf(entity: Function): TableShape {
  let shape = shapes.get(entity);
  if (shape) return shape;
  const storage = getMetadataArgsStorage();
  const table = storage.tables.find((t) => t.target === entity);
  if (!table) throw new Error(`${entity.name} is not a TypeORM entity`);
  const columns = storage.columns.filter((c) => c.target === entity);
  const primary = columns.filter((c) => c.options.primary).map((c) => c.propertyName);
  if (primary.length === 0) throw new Error(`${entity.name} has no primary key: a read-model row must be addressable`);
  shape = {
    table: table.name ?? entity.name,
    primary,
    columns: columns.map((c) => [c.propertyName, c.options.name ?? c.propertyName]),
  };
  shapes.set(entity, shape);
  return shape;
}

interface TableState {
  shape: TableShape;
  /** Rows known to exist (as they stand after what this unit of work applied), by key. */
  rows: Map<string, Record<string, unknown>>;
  /** The keys of `rows` by the value of the first key column (what deletions by part of the key name). */
  byFirst: Map<unknown, Set<string>>;
  /** Keys known to hold no row. */
  absent: Set<string>;
  /** Keys to write (insert or update) at the next flush. */
  dirty: Set<string>;
  /** Keys whose row must be deleted at the next flush. */
  deleted: Set<string>;
  /** Deletions by part of the key, pending for the next flush (run before the row deletions and writes). */
  deletedWhere: Record<string, unknown>[];
}

/**
 * The rows of a read model as a projection changes them: an identity map that the projection reads and
 * writes in memory while it applies a batch, then `flush` writes every changed row in one statement per
 * table (DESIGN §5: catch-up in batches). Rows stay known between batches, so a projector that built
 * its tables from seq 0 never reads them back; on any failure the runner throws this unit away.
 *
 * `complete` says that every row of the tables is in memory (tables built from empty by this unit
 * alone): a key not in memory holds no row. Otherwise a miss is read from the database (`loader`).
 */
export class Tables {
  private readonly states = new Map<Function, TableState>();
  private size = 0;

  constructor(
    private complete: boolean,
    /** Reads rows missing from memory; null for a unit that lives only in memory. */
    private loader: EntityManager | null = null,
    /** Above this many rows in memory, the unit forgets them after a flush (and reads misses again). */
    private readonly maxRows = 1_000_000,
  ) {}

  /** True while every row of the tables is in memory: a miss means no row, and nothing is read. */
  get isComplete(): boolean {
    return this.complete;
  }

  /** True when more rows are in memory than the unit keeps after a flush. */
  get isFull(): boolean {
    return this.size > this.maxRows;
  }

  /** The manager misses are read through (the transaction being applied). */
  useLoader(manager: EntityManager | null): void {
    this.loader = manager;
  }

  /** The row with this key, or undefined. The returned object may be changed, then passed to `put`. */
  async get<T>(entity: EntityClass<T>, key: Partial<T>): Promise<T | undefined> {
    const state = this.state(entity);
    const id = this.keyOf(state, key as Record<string, unknown>);
    const known = state.rows.get(id);
    if (known) return known as T;
    if (this.complete || state.absent.has(id) || this.deletedByPattern(state, key as Record<string, unknown>)) return undefined;
    if (!this.loader) return undefined;
    const where = Object.fromEntries(state.shape.primary.map((p) => [p, (key as Record<string, unknown>)[p]]));
    const loaded = (await this.loader.getRepository(entity).findOneBy(where as never)) as Record<string, unknown> | null;
    if (!loaded) {
      state.absent.add(id);
      return undefined;
    }
    this.remember(state, id, loaded);
    return loaded as T;
  }

  async getOrFail<T>(entity: EntityClass<T>, key: Partial<T>): Promise<T> {
    const row = await this.get(entity, key);
    if (!row) throw new Error(`${entity.name} ${JSON.stringify(key)} is not in the read model`);
    return row;
  }

  /** Writes `row` (whole) at the next flush. */
  put<T>(entity: EntityClass<T>, row: T): void {
    const state = this.state(entity);
    const id = this.keyOf(state, row as Record<string, unknown>);
    this.remember(state, id, row as Record<string, unknown>);
    state.dirty.add(id);
    state.deleted.delete(id);
  }

  /** Changes the row with this key; false (and nothing written) when there is none. */
  async update<T>(entity: EntityClass<T>, key: Partial<T>, changes: Partial<T>): Promise<boolean> {
    const row = await this.get(entity, key);
    if (!row) return false;
    this.put(entity, Object.assign(row as object, changes) as T);
    return true;
  }

  /** Merges `row` onto the row with the same key, or inserts it with `defaults` under it. */
  async upsert<T>(entity: EntityClass<T>, row: Partial<T>, defaults: Partial<T> = {}): Promise<void> {
    const existing = await this.get(entity, row);
    this.put(entity, (existing ? Object.assign(existing as object, row) : { ...defaults, ...row }) as T);
  }

  /** Deletes every row whose columns equal `where` (a part of the key, or the whole key). */
  deleteWhere<T>(entity: EntityClass<T>, where: Partial<T>): void {
    const state = this.state(entity);
    const pattern = where as Record<string, unknown>;
    const first = state.shape.primary[0];
    const candidates = first in pattern ? [...(state.byFirst.get(pattern[first]) ?? [])] : [...state.rows.keys()];
    for (const id of candidates) {
      const row = state.rows.get(id);
      if (!row || !matches(row, pattern)) continue;
      this.forget(state, id, row);
      state.dirty.delete(id);
      state.absent.add(id);
    }
    if (state.shape.primary.every((p) => p in pattern)) state.deleted.add(this.keyOf(state, pattern));
    else state.deletedWhere.push({ ...pattern });
  }

  /** Every row in memory of an entity (all of them when the unit is complete). */
  *rowsOf<T>(entity: EntityClass<T>): Iterable<T> {
    yield* this.state(entity).rows.values() as Iterable<T>;
  }

  /** Writes what changed since the last flush into the tables `manager` sees (its DataSource's schema). */
  async flush(manager: EntityManager, schema: string): Promise<void> {
    for (const state of this.states.values()) {
      const { table, primary, columns } = state.shape;
      const target = `"${schema}"."${table}"`;
      const column = (property: string) => columns.find(([p]) => p === property)![1];
      for (const pattern of state.deletedWhere) {
        const keys = Object.keys(pattern);
        await manager.query(`DELETE FROM ${target} WHERE ${keys.map((k, i) => `"${column(k)}" = $${i + 1}`).join(' AND ')}`, keys.map((k) => pattern[k]));
      }
      const pk = primary.map((p) => `"${column(p)}"`).join(', ');
      if (state.deleted.size > 0) {
        const keys = [...state.deleted].map((id) => JSON.parse(id) as unknown[]);
        const rows = keys.map((values) => Object.fromEntries(primary.map((p, i) => [column(p), values[i]])));
        for (const chunk of jsonChunks(rows)) {
          await manager.query(`DELETE FROM ${target} WHERE (${pk}) IN (SELECT ${pk} FROM jsonb_populate_recordset(NULL::${target}, $1::jsonb))`, [chunk]);
        }
      }
      if (state.dirty.size > 0) {
        const rows = [...state.dirty].map((id) => {
          const row = state.rows.get(id)!;
          return Object.fromEntries(columns.map(([property, name]) => [name, row[property] ?? null]));
        });
        const names = columns.map(([, name]) => `"${name}"`).join(', ');
        const others = columns.filter(([p]) => !primary.includes(p)).map(([, name]) => `"${name}" = EXCLUDED."${name}"`);
        for (const chunk of jsonChunks(rows)) {
          await manager.query(
            `INSERT INTO ${target} (${names}) SELECT ${names} FROM jsonb_populate_recordset(NULL::${target}, $1::jsonb) ` +
              `ON CONFLICT (${pk}) DO ${others.length ? `UPDATE SET ${others.join(', ')}` : 'NOTHING'}`,
            [chunk],
          );
        }
      }
    }
  }

  /** Forgets what was pending after a flush was committed; forgets every row when memory is too full. */
  committed(): void {
    for (const state of this.states.values()) {
      state.dirty.clear();
      state.deleted.clear();
      state.deletedWhere = [];
    }
    if (this.size > this.maxRows) {
      this.states.clear();
      this.size = 0;
      this.complete = false;
    }
  }

  private state(entity: Function): TableState {
    let state = this.states.get(entity);
    if (!state) {
      state = { shape: shapeOf(entity), rows: new Map(), byFirst: new Map(), absent: new Set(), dirty: new Set(), deleted: new Set(), deletedWhere: [] };
      this.states.set(entity, state);
    }
    return state;
  }

  private remember(state: TableState, id: string, row: Record<string, unknown>): void {
    if (!state.rows.has(id)) {
      this.size++;
      const first = row[state.shape.primary[0]];
      let ids = state.byFirst.get(first);
      if (!ids) state.byFirst.set(first, (ids = new Set()));
      ids.add(id);
    }
    state.rows.set(id, row);
    state.absent.delete(id);
  }

  private forget(state: TableState, id: string, row: Record<string, unknown>): void {
    state.rows.delete(id);
    const first = row[state.shape.primary[0]];
    const ids = state.byFirst.get(first);
    ids?.delete(id);
    if (ids?.size === 0) state.byFirst.delete(first);
    this.size--;
  }

  private keyOf(state: TableState, row: Record<string, unknown>): string {
    return JSON.stringify(
      state.shape.primary.map((p) => {
        const value = row[p];
        if (value === undefined) throw new Error(`a key of ${state.shape.table} lacks ${p}`);
        return value;
      }),
    );
  }

  private deletedByPattern(state: TableState, key: Record<string, unknown>): boolean {
    return state.deletedWhere.some((pattern) => matches(key, pattern));
  }
}

/** Rows as JSON arrays of at most about CHUNK_CHARS characters: one statement's parameter stays small. */
function* jsonChunks(rows: Record<string, unknown>[]): Iterable<string> {
  let parts: string[] = [];
  let length = 0;
  for (const row of rows) {
    const json = JSON.stringify(row);
    parts.push(json);
    length += json.length + 1;
    if (length >= CHUNK_CHARS) {
      yield `[${parts.join(',')}]`;
      parts = [];
      length = 0;
    }
  }
  if (parts.length > 0) yield `[${parts.join(',')}]`;
}

const CHUNK_CHARS = 16 * 1024 * 1024;

function matches(row: Record<string, unknown>, pattern: Record<string, unknown>): boolean {
  return Object.entries(pattern).every(([k, v]) => row[k] === v);
}
