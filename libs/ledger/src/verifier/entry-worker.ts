import { parentPort } from 'node:worker_threads';
import { checkBatch } from './entry-batches';

/** The verifier's worker thread (entry-batches.ts): checks batches of entries and sends them back. */
parentPort!.on('message', ({ id, first, data, starts, ends }: { id: number; first: number; data: Uint8Array; starts: Uint32Array; ends: Uint32Array }) => {
  const { hashes, nodes, firstBad } = checkBatch(first, data, starts, ends);
  const transfer = [data.buffer, starts.buffer, ends.buffer, hashes.buffer, nodes.buffer] as ArrayBuffer[];
  parentPort!.postMessage({ id, first, data, starts, ends, hashes, nodes, firstBad }, transfer);
});
