import type { ReadModels } from '../read-models.module';
import { ReadModelsBehindError } from '../shared/problem-details';

/** How long a query waits for the read models to reach the seq it names, before answering 503. */
export const READ_YOUR_WRITES_TIMEOUT_MS = 2000;

/**
 * Read-your-writes (DESIGN §5): a query that names the `seq` a command answered waits, within a bounded
 * time, until the read models have applied it; otherwise 503 with Retry-After.
 */
export async function awaitSeq(readModels: ReadModels, seq: number | undefined): Promise<void> {
  if (seq === undefined) return;
  if (await readModels.waitFor(seq, READ_YOUR_WRITES_TIMEOUT_MS)) return;
  throw new ReadModelsBehindError(seq);
}
