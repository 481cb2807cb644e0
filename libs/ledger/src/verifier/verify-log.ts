import { parseCheckpoint, verifyCheckpoint } from '../checkpoint';
import {
  assembleConsistency,
  type ConsistencyPlan,
  consistencyPlan,
  isNodeComplete,
  type NodeRef,
  nodeLeaves,
  refKey,
} from '../merkle-plans';
import type { CompletedNode } from '../merkle-tree-builder';
import { ProofError, sameBytes, verifyConsistency } from '../merkle-verify';
import { parseVerifierKey } from '../note-keys';
import { parseNote } from '../signed-note';
import { VerificationError } from '../verification-error';
import { batchNodeOffset, checkedBatches } from './entry-batches';
import { type LogEnvelope, parseCanonicalEntry, parseLogEntry } from './log-entry';
import { type LogFailureCode, LogVerificationError, ReplayRejection } from './log-failure';
import { type KnownNodes, StreamedTree } from './streamed-tree';

/** A checkpoint to check against the log: its signed note, and where it came from (for messages). */
export interface CheckpointInput {
  note: string | Uint8Array;
  /** E.g. `export checkpoints/157.checkpoint` or `auditor /home/me/kept/157.checkpoint`. */
  source: string;
}

/**
 * Folds each event as the domain does (the CLI gives one that upcasts and applies the aggregate's
 * `evolve`, chosen by the stream's type). Called once per entry in log order, after the entry's own
 * checks; throws (a ReplayRejection, or any error) to refuse the event.
 */
export type ReplayHook = (envelope: LogEnvelope, index: number) => void;

/** The stored tree's perfect nodes (level ≥ 1), in the order asked; undefined for one not stored. */
export type FetchStoredNodes = (refs: readonly NodeRef[]) => Promise<readonly (Uint8Array | undefined)[]>;

export interface VerifyLogOptions {
  /** The entries' canonical bytes in leaf order (entry i has seq i + 1). Read once, streaming. */
  entries: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  /** Every checkpoint to hold the log to: the export's, and those an auditor kept. */
  checkpoints: readonly CheckpointInput[];
  /** The log's vkeys the auditor trusts; each checkpoint must be signed by one of them. */
  trustedKeys: readonly string[];
  /** The checkpoints' origin line; the trusted key's name by default. */
  origin?: string;
  /** Witness vkeys (cosignature/v1) and how many of them must have cosigned each checkpoint (0). */
  witnesses?: readonly string[];
  quorum?: number;
  replay?: ReplayHook;
  /**
   * The tree as a database stores it (`ledger verify --live`): every node it holds for leaves below
   * `size` must equal the recomputed one. Untrusted, but a mismatch pins the entries that changed.
   */
  storedTree?: { size: number; fetch: FetchStoredNodes };
  /**
   * Worker threads for the entries' own checks (UTF-8, canonical form, leaf hash): 0 (the default)
   * does them on the calling thread; 1 checks the next entries while the caller's thread replays and
   * builds the tree (worth it from some ten thousand entries; a worker takes a moment to start).
   */
  workers?: number;
  /** Told the number of entries read, every `progressEvery` (10,000) entries and at the end. */
  onProgress?: (entries: number) => void;
  progressEvery?: number;
}

export interface VerifiedCheckpointSummary {
  size: number;
  root: Buffer;
  /** Where a checkpoint of this size came from (several when the export and the auditor both hold it). */
  sources: string[];
  /** Valid cosignatures of the given witnesses (the most any note of this size had). */
  cosignatures: number;
}

export interface LogFailure {
  /** The first entry the evidence no longer vouches for; every check before it held. */
  index: number;
  code: LogFailureCode;
  message: string;
}

export interface LogVerificationReport {
  ok: boolean;
  /** Entries read (up to the failure, when there is one). */
  entries: number;
  streams: number;
  /** The root recomputed from the entries read. */
  root: Buffer;
  /** The checkpoints verified: signature, root at their size, consistency with the previous one. */
  checkpoints: VerifiedCheckpointSummary[];
  consistencyProofs: number;
  /** Stored tree nodes found equal to the recomputed ones. */
  storedNodesChecked: number;
  /** Entries after the largest verified checkpoint: checked one by one, not covered by a signature. */
  uncovered: number;
  failure?: LogFailure;
}

/** Stored nodes compared per fetch. */
const NODE_BATCH = 8192;

/**
 * The offline verifier (DESIGN §4, ADR 10): streams the log's entries once, in O(log n) memory for
 * the tree, and checks
 * - each entry: UTF-8 JSON in canonical form (re-canonicalising gives its bytes), an event envelope with
 *   seq = index + 1, its stream's next version, recordedAt not before the previous entry's; then the
 *   replay hook;
 * - the tree: each leaf hash re-derived from the bytes into a compact range (StreamedTree); at every
 *   checkpoint's size, the recomputed root equals the checkpoint's; between successive checkpoints, the
 *   consistency proof computed from the recomputed tree verifies against both checkpoints' roots;
 * - the checkpoints: each is a C2SP signed note from a trusted key for the log's origin (with a quorum
 *   of witnesses if asked); none is larger than the log; two of one size have one root;
 * - with `storedTree`, every stored node equals the recomputed one.
 * It stops at the first failure and names the first entry index the evidence no longer vouches for:
 * the entry itself for an entry's checks; for a checkpoint, the size of the last checkpoint verified
 * before it (some entry from there on is not what was signed); for a stored node, the first of its
 * leaves. Success needs every check to hold and at least one valid checkpoint.
 *
 * Errors of the input itself (a stream that cannot be read, an unusable trusted key) are thrown; a
 * log that does not verify is reported.
 */
export async function verifyLog(options: VerifyLogOptions): Promise<LogVerificationReport> {
  const verification = new Verification(options);
  try {
    verification.prepareCheckpoints();
    await verification.run();
    return verification.report();
  } catch (error) {
    if (!(error instanceof LogVerificationError)) throw error;
    const deferred = verification.deferred;
    return verification.report(deferred !== undefined && deferred.index < error.index ? deferred : error);
  }
}

interface PreparedCheckpoint {
  size: number;
  root: Buffer;
  source: string;
  cosignatures: number;
  /** Why it does not verify with any trusted key; undefined when it does. */
  invalid?: string;
}

/** The consistency proof to the next checkpoint, gathered from the nodes as the tree grows. */
interface PendingProof {
  plan: ConsistencyPlan;
  hashes: (Buffer | undefined)[];
  /** Refs not complete yet, in the order they complete: the leaf that completes them, then level. */
  queue: { level: number; position: number; leaf: number }[];
  next: number;
}

class Verification {
  private readonly tree = new StreamedTree();
  private count = 0;
  private readonly versions = new Map<string, number>();
  private lastRecordedAt = '';
  private readonly valid = new Map<number, PreparedCheckpoint[]>();
  private readonly invalid = new Map<number, PreparedCheckpoint[]>();
  /** Every size some checkpoint has, ascending, and the next one not reached yet. */
  private sizes: number[] = [];
  private nextSize = 0;
  /** The sizes of valid checkpoints, ascending. */
  private validSizes: number[] = [];
  /** How many entries the last verified checkpoint vouches for (0 before any). */
  private vouched = 0;
  private last?: { size: number; root: Buffer };
  private proof?: PendingProof;
  private readonly verified: VerifiedCheckpointSummary[] = [];
  private consistencyProofs = 0;
  private pendingNodes: CompletedNode[] = [];
  private storedNodesChecked = 0;
  private readonly progressEvery: number;
  /** A checkpoint that does not verify, reported unless the entries fail at the same index or before. */
  deferred?: LogVerificationError;

  constructor(private readonly options: VerifyLogOptions) {
    this.progressEvery = options.progressEvery ?? 10_000;
    if (options.trustedKeys.length === 0) throw new RangeError('the verifier needs at least one trusted log key');
    for (const vkey of options.trustedKeys) parseVerifierKey(vkey); // an unusable key is the caller's error, thrown
  }

  prepareCheckpoints(): void {
    for (const input of this.options.checkpoints) {
      let size: number;
      let root: Buffer;
      try {
        const checkpoint = parseCheckpoint(parseNote(input.note).text);
        size = checkpoint.size;
        root = checkpoint.rootHash;
      } catch (error) {
        if (!(error instanceof VerificationError)) throw error;
        throw new LogVerificationError('checkpoint-malformed', 0, `${input.source} is not a signed checkpoint: ${error.message}`);
      }
      const prepared: PreparedCheckpoint = { size, root, source: input.source, cosignatures: 0 };
      const reasons: string[] = [];
      for (const vkey of this.options.trustedKeys) {
        try {
          const verified = verifyCheckpoint(input.note, vkey, {
            origin: this.options.origin,
            witnesses: this.options.witnesses,
            quorum: this.options.quorum,
          });
          prepared.cosignatures = verified.cosignatures.length;
          reasons.length = 0;
          break;
        } catch (error) {
          if (!(error instanceof VerificationError)) throw error;
          reasons.push(error.message);
        }
      }
      if (reasons.length > 0) prepared.invalid = [...new Set(reasons)].join('; ');
      const into = prepared.invalid === undefined ? this.valid : this.invalid;
      into.set(size, [...(into.get(size) ?? []), prepared]);
    }
    this.sizes = [...new Set([...this.valid.keys(), ...this.invalid.keys()])].sort((a, b) => a - b);
    this.validSizes = [...this.valid.keys()].sort((a, b) => a - b);
  }

  async run(): Promise<void> {
    try {
      if (this.sizes[0] === 0) await this.atCheckpointSize(0);
      for await (const batch of checkedBatches(this.options.entries, this.options.workers ?? 0)) {
        const { first, data, starts, ends, hashes, nodes, firstBad } = batch;
        const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
        const known: KnownNodes = (level, index) => {
          const at = batchNodeOffset(first, starts.length, level, index);
          return at < 0 ? undefined : nodes.subarray(at, at + 32);
        };
        for (let j = 0; j < starts.length; j++) {
          const index = this.count;
          // The entry the batch's checks refused is checked again in full, to say why.
          const envelope =
            j === firstBad ? parseLogEntry(data.subarray(starts[j], ends[j]), index) : parseCanonicalEntry(text.toString('utf8', starts[j], ends[j]), index);
          this.checkEntry(envelope, index);
          this.tree.append(hashes.subarray(32 * j, 32 * j + 32), known, this.wantsNodes(index) ? this.gather : undefined);
          this.count = index + 1;
          if (this.sizes[this.nextSize] === this.count) await this.atCheckpointSize(this.count);
          else if (this.pendingNodes.length >= NODE_BATCH) await this.compareStoredNodes();
          if (this.count % this.progressEvery === 0) this.options.onProgress?.(this.count);
        }
      }
    } catch (error) {
      // Nodes completed before the failing entry come first: they name an earlier index.
      if (error instanceof LogVerificationError) await this.compareStoredNodes();
      throw error;
    }
    this.options.onProgress?.(this.count);
    await this.finish();
  }

  report(failure?: LogVerificationError): LogVerificationReport {
    const largest = this.verified.length ? this.verified[this.verified.length - 1].size : 0;
    return {
      ok: failure === undefined,
      entries: this.count,
      streams: this.versions.size,
      root: this.tree.root(),
      checkpoints: this.verified,
      consistencyProofs: this.consistencyProofs,
      storedNodesChecked: this.storedNodesChecked,
      uncovered: this.count - largest,
      ...(failure && { failure: { index: failure.index, code: failure.code, message: failure.message } }),
    };
  }

  private checkEntry(e: LogEnvelope, index: number): void {
    if (e.seq !== index + 1) {
      throw new LogVerificationError(
        'seq-mismatch',
        index,
        `entry ${index} has seq ${e.seq}, not ${index + 1}: an entry was removed, inserted or moved at this place`,
      );
    }
    const previous = this.versions.get(e.streamId) ?? 0;
    if (e.streamVersion !== previous + 1) {
      throw new LogVerificationError(
        'stream-version-gap',
        index,
        `entry ${index} is version ${e.streamVersion} of stream ${e.streamId}, whose previous entry is version ${previous}`,
      );
    }
    if (this.recordedBefore(e.recordedAt)) {
      throw new LogVerificationError(
        'recorded-at-decreased',
        index,
        `entry ${index} was recorded at ${e.recordedAt}, before entry ${index - 1} (${this.lastRecordedAt}): the log's clock goes back`,
      );
    }
    if (this.options.replay) {
      try {
        this.options.replay(e, index);
      } catch (error) {
        if (error instanceof LogVerificationError) throw error;
        const code = error instanceof ReplayRejection ? error.code : 'replay-rejected';
        const event = `${e.type} (version ${e.streamVersion} of ${e.streamId})`;
        throw new LogVerificationError(code, index, `entry ${index}, ${event}, does not replay: ${(error as Error).message}`);
      }
    }
    this.versions.set(e.streamId, e.streamVersion);
    this.lastRecordedAt = e.recordedAt;
  }

  /** Whether `recordedAt` is before the previous entry's (as text when both are toISOString's 24 characters). */
  private recordedBefore(recordedAt: string): boolean {
    const last = this.lastRecordedAt;
    if (last === '') return false;
    if (recordedAt.length === 24 && last.length === 24 && recordedAt.endsWith('Z') && last.endsWith('Z')) return recordedAt < last;
    return Date.parse(recordedAt) < Date.parse(last);
  }

  /** Whether appending leaf `leaf` completes nodes the next consistency proof or the stored-tree comparison needs. */
  private wantsNodes(leaf: number): boolean {
    const proof = this.proof;
    const stored = this.options.storedTree;
    return (proof !== undefined && proof.next < proof.queue.length && proof.queue[proof.next].leaf === leaf) || (stored !== undefined && leaf < stored.size);
  }

  /** Keeps what the next consistency proof and the stored-tree comparison need of a node just completed. */
  private readonly gather = (level: number, index: number, hash: Uint8Array): void => {
    const proof = this.proof;
    if (proof) {
      const wanted = proof.queue[proof.next];
      if (wanted !== undefined && wanted.leaf === this.count && wanted.level === level) {
        proof.hashes[wanted.position] = Buffer.from(hash);
        proof.next++;
      }
    }
    if (level > 0 && this.options.storedTree) this.pendingNodes.push({ level, index, hash: Buffer.from(hash) });
  };

  /** The checkpoints of size `size`, the first `size` entries having been read. */
  private async atCheckpointSize(size: number): Promise<void> {
    this.nextSize++;
    await this.compareStoredNodes();
    const valid = this.valid.get(size);
    if (valid) {
      const sources = valid.map((c) => c.source);
      const signed = valid[0].root;
      const other = valid.find((c) => !c.root.equals(signed));
      if (other) {
        throw new LogVerificationError(
          'checkpoint-conflict',
          this.vouched,
          `two validly signed checkpoints give two roots for size ${size} (${valid[0].source}: ${b64(signed)}; ${other.source}: ${b64(other.root)}): the log forked`,
        );
      }
      const recomputed = this.tree.root();
      if (!recomputed.equals(signed)) {
        throw new LogVerificationError(
          'root-mismatch',
          this.vouched,
          `the first ${size} entries do not have the root signed for size ${size} in ${sources.join(' and ')} ` +
            `(signed ${b64(signed)}, recomputed ${b64(recomputed)}): ${range(this.vouched, size)} was changed, removed, inserted or moved`,
        );
      }
      this.checkConsistency(size, signed);
      this.verified.push({ size, root: signed, sources, cosignatures: Math.max(...valid.map((c) => c.cosignatures)) });
      this.vouched = size;
      this.last = { size, root: signed };
      this.prepareProof(size);
    }
    const invalid = this.invalid.get(size);
    if (invalid && this.deferred === undefined) {
      this.deferred = new LogVerificationError('checkpoint-signature', this.vouched, `the checkpoint of size ${size} in ${invalid[0].source} does not verify: ${invalid[0].invalid}`);
    }
    // Anything found from here on names a later index than the checkpoint that does not verify.
    if (this.deferred && this.vouched > this.deferred.index) throw this.deferred;
  }

  private checkConsistency(size: number, root: Buffer): void {
    const last = this.last;
    const proof = this.proof;
    if (!last || last.size === size) return;
    if (!proof || proof.plan.size2 !== size || proof.hashes.some((h) => h === undefined)) {
      throw new Error(`internal: the consistency proof from size ${last.size} to ${size} was not gathered`);
    }
    try {
      verifyConsistency(last.size, size, assembleConsistency(proof.plan, proof.hashes as Buffer[]), last.root, root);
    } catch (error) {
      if (!(error instanceof ProofError)) throw error;
      throw new LogVerificationError(
        'inconsistent-checkpoints',
        this.vouched,
        `the checkpoint of size ${size} is not consistent with the checkpoint of size ${last.size}: ${error.message}`,
      );
    }
    this.consistencyProofs++;
  }

  /** Plans the consistency proof from `size` to the next valid checkpoint: its nodes complete at `size` now, the others as they complete. */
  private prepareProof(size: number): void {
    this.proof = undefined;
    const next = this.validSizes.find((s) => s > size);
    if (next === undefined) return;
    const plan = consistencyPlan(size, next);
    const frontier = new Map(this.tree.frontier().map((node) => [refKey(node), node.hash]));
    const hashes: (Buffer | undefined)[] = [];
    const queue: PendingProof['queue'] = [];
    plan.refs.forEach((ref, position) => {
      if (isNodeComplete(ref, size)) {
        const hash = frontier.get(refKey(ref));
        if (!hash) throw new Error(`internal: node ${refKey(ref)} of the consistency proof is not on the frontier at size ${size}`);
        hashes.push(hash);
      } else {
        hashes.push(undefined);
        const { start, count } = nodeLeaves(ref);
        queue.push({ level: ref.level, position, leaf: start + count - 1 });
      }
    });
    queue.sort((a, b) => a.leaf - b.leaf || a.level - b.level);
    this.proof = { plan, hashes, queue, next: 0 };
  }

  private async compareStoredNodes(): Promise<void> {
    const stored = this.options.storedTree;
    if (!stored || this.pendingNodes.length === 0) return;
    const nodes = this.pendingNodes;
    this.pendingNodes = [];
    const hashes = await stored.fetch(nodes);
    nodes.forEach((node, i) => {
      const hash = hashes[i];
      if (hash !== undefined && sameBytes(hash, node.hash)) return;
      const { start, count } = nodeLeaves(node);
      const what = hash === undefined ? 'is missing' : `is ${b64(hash)}, the entries give ${b64(node.hash)}`;
      throw new LogVerificationError(
        'tree-node-mismatch',
        Math.max(start, this.vouched),
        `the stored tree node ${refKey(node)} over entries ${start}..${start + count - 1} ${what}: ` +
          `${range(Math.max(start, this.vouched), start + count)} changed after the tree was built (or the stored tree did)`,
      );
    });
    this.storedNodesChecked += nodes.length;
  }

  private async finish(): Promise<void> {
    await this.compareStoredNodes();
    for (const size of this.sizes.slice(this.nextSize)) {
      const valid = this.valid.get(size);
      if (valid) {
        throw new LogVerificationError(
          'checkpoint-beyond-log',
          this.vouched,
          `the checkpoint of size ${size} in ${valid[0].source} is signed for more entries than the log's ${this.count}: ` +
            `entries were removed (${range(this.vouched, size)} is not what was signed)`,
        );
      }
      const invalid = this.invalid.get(size)!;
      this.deferred ??= new LogVerificationError(
        'checkpoint-signature',
        this.vouched,
        `the checkpoint of size ${size} in ${invalid[0].source} does not verify: ${invalid[0].invalid}`,
      );
    }
    const stored = this.options.storedTree;
    if (stored && stored.size > this.count) {
      throw new LogVerificationError(
        'tree-beyond-log',
        this.count,
        `the stored tree has ${stored.size} leaves, the log ${this.count} entries: entries from index ${this.count} on were removed`,
      );
    }
    if (this.deferred) throw this.deferred;
    if (this.verified.length === 0) {
      throw new LogVerificationError('no-checkpoint', 0, 'no checkpoint signed by the trusted key: nothing vouches for the entries');
    }
  }
}

function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

/** "entry 5" or "an entry among 5..9". */
function range(from: number, to: number): string {
  return to - from <= 1 ? `entry ${from}` : `an entry among ${from}..${to - 1}`;
}
