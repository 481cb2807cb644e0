import type { ReadModels } from '../read-models.module';
import { ReadModelsBehindError, RequestFieldError } from '../shared/problem-details';

/** How long a query waits for the read models to reach the seq it names, before answering 503. */
export const READ_YOUR_WRITES_TIMEOUT_MS = 2000;

/**
 * Read-your-writes (DESIGN §5): a query that names the `seq` a command answered waits, within a bounded
 * time, until the read models have applied it; otherwise 503 with Retry-After. A seq beyond the store's
 * head was answered by no command: it is refused at once (400), not waited for.
 */
export async function awaitSeq(readModels: ReadModels, seq: number | undefined): Promise<void> {
  if (seq === undefined) return;
  if (seq > readModels.applied) {
    const head = await readModels.head();
    if (seq > head) throw seqBeyondHead(seq, head);
  }
  if (await readModels.waitFor(seq, READ_YOUR_WRITES_TIMEOUT_MS)) return;
  throw new ReadModelsBehindError(seq);
}

/** A query named a seq that no command has answered yet. */
export function seqBeyondHead(seq: number, head: number): RequestFieldError {
  return new RequestFieldError('seq', 'SeqMustNotExceedTheHead', `seq ${seq} is beyond the ledger's head (seq ${head}): give a seq that a command answered`);
}
