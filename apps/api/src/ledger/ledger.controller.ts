import { Controller, Get, Header, Param, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { NoQueryPipe } from '../shared/dto';
import { RequestFieldError, RuleProblem } from '../shared/problem-details';
import { noCheckpointOfSize } from './ledger-problem';
import { type CheckpointView, LedgerReader } from './ledger-reader';
import { CheckpointsQuery, ConsistencyQuery, InclusionQuery, SeqParam, SizeParam } from './ledger.dto';
import { LedgerService } from './ledger.service';
import { Allow, MEMBERS, Public } from '../auth/access.decorators';

const TEXT = 'text/plain; charset=utf-8';

/**
 * The verifiable ledger, public and read-only (DESIGN §4, ADR 9): the signed checkpoints (C2SP
 * tlog-checkpoint notes, with the witnesses' cosignatures), the key that verifies them, inclusion and
 * consistency proofs (RFC 9162) at any size up to the tree's, open to anyone; and receipts for one
 * event, to members only (a receipt carries the whole entry). Hashes are base64, as in the notes.
 */
@ApiTags('ledger')
@Public()
@Controller('ledger')
export class LedgerController {
  constructor(
    private readonly ledger: LedgerService,
    private readonly reader: LedgerReader,
  ) {}

  @Get('key')
  @ApiOperation({ summary: 'The key that verifies the checkpoints (C2SP vkey), the log’s origin, and the witnesses whose cosignatures are accepted' })
  @ApiOkResponse({ description: '{ origin, verifierKey, keyId, algorithm: "Ed25519", witnesses: [vkey…] }' })
  @ApiServiceUnavailableResponse({ description: 'The signing key could not be loaded (the log says why)' })
  key(@Query(NoQueryPipe) _query: unknown) {
    const key = this.ledger.signingKey;
    if (!key) {
      throw new RuleProblem(503, 'SigningKeyMustBeLoaded', 'The checkpoint signing key is not loaded', 'the API could not load its checkpoint signing key; its log says why', undefined, {}, 60);
    }
    return { origin: key.name, verifierKey: key.vkey, keyId: this.ledger.keyId, algorithm: 'Ed25519', witnesses: this.ledger.config.witnesses };
  }

  @Get('checkpoint')
  @Header('Cache-Control', 'no-cache')
  @ApiProduces('text/plain')
  @ApiOperation({ summary: 'The latest checkpoint as a transparency-log client fetches it: the raw C2SP signed note (text/plain), cosignatures included' })
  @ApiOkResponse({ description: 'origin\\nsize\\nbase64 root\\n\\n— <origin> <signature>\\n[— <witness> <cosignature>\\n…]' })
  @ApiNotFoundResponse({ description: 'No checkpoint signed yet (problem details)' })
  async checkpointText(@Res({ passthrough: true }) res: Response, @Query(NoQueryPipe) _query: unknown): Promise<string> {
    const latest = await this.latestOr404();
    res.type(TEXT);
    return latest.note;
  }

  @Get('checkpoints/latest')
  @Header('Cache-Control', 'no-cache')
  @ApiProduces('application/json', 'text/plain')
  @ApiOperation({ summary: 'The latest checkpoint; with Accept: text/plain, its raw signed note (as GET /ledger/checkpoint)' })
  @ApiOkResponse({ description: '{ size, rootHash, note, keyId, reason, signedAt, origin, verifierKey, cosignatures: [{ witness, keyId, time, receivedAt }] }' })
  @ApiNotFoundResponse({ description: 'No checkpoint signed yet (problem details)' })
  async latest(@Req() req: Request, @Res({ passthrough: true }) res: Response, @Query(NoQueryPipe) _query: unknown): Promise<CheckpointView | string> {
    const latest = await this.latestOr404();
    res.vary('Accept');
    if (req.accepts(['application/json', 'text/plain']) === 'text/plain') {
      res.type(TEXT);
      return latest.note;
    }
    return latest;
  }

  @Get('checkpoints')
  @ApiOperation({ summary: 'Every checkpoint, latest first, paginated by size (before = the previous page’s nextCursor)' })
  @ApiOkResponse({ description: '{ items: [checkpoint…], nextCursor }' })
  @ApiBadRequestResponse({ description: 'A bad before or limit' })
  checkpoints(@Query() query: CheckpointsQuery) {
    return this.reader.list(query.before, query.limit ?? 100);
  }

  @Get('checkpoints/:size')
  @ApiOperation({ summary: 'The checkpoint of one tree size, cosignatures included' })
  @ApiOkResponse({ description: '{ size, rootHash, note, keyId, reason, signedAt, origin, verifierKey, cosignatures }' })
  @ApiNotFoundResponse({ description: 'No checkpoint of that size' })
  async checkpoint(@Param() params: SizeParam, @Query(NoQueryPipe) _query: unknown): Promise<CheckpointView> {
    const checkpoint = await this.reader.bySize(params.size);
    if (!checkpoint) throw noCheckpointOfSize(params.size);
    return checkpoint;
  }

  @Get('proofs/inclusion')
  @ApiOperation({
    summary: 'RFC 9162 inclusion proof of one event (seq, or leaf index = seq − 1) in the tree of `size` leaves (the latest checkpoint’s by default)',
  })
  @ApiOkResponse({ description: '{ seq, leafIndex, treeSize, leafHash, proof: [base64…], rootHash }: verify with the root of a checkpoint of treeSize' })
  @ApiBadRequestResponse({ description: 'Neither or both of seq and index, a leaf not in that tree, or a size beyond the tree' })
  @ApiNotFoundResponse({ description: 'No size given and no checkpoint signed yet' })
  async inclusion(@Query() query: InclusionQuery) {
    if ((query.seq === undefined) === (query.index === undefined)) {
      throw new RequestFieldError('seq', 'SeqOrIndexMustBeGiven', 'give the event’s seq or its leaf index (seq − 1), one of them');
    }
    const field = query.seq !== undefined ? 'seq' : 'index';
    const value = query.seq ?? query.index!;
    const index = query.seq !== undefined ? query.seq - 1 : query.index!;
    const size = query.size ?? (await this.latestOr404('size')).size;
    await this.checkWithinTree('size', size);
    if (index >= size) {
      throw new RequestFieldError(field, 'LeafMustBeInTheTree', `${field} ${value} is not in the tree of size ${size} (leaf indexes 0 to ${size - 1}, seqs 1 to ${size})`);
    }
    return this.reader.inclusion(index, size);
  }

  @Get('proofs/consistency')
  @ApiOperation({ summary: 'RFC 9162 consistency proof: the tree of `from` leaves is a prefix of the tree of `to` leaves (the latest checkpoint’s by default)' })
  @ApiOkResponse({ description: '{ size1, size2, proof: [base64…], root1, root2 }' })
  @ApiBadRequestResponse({ description: 'from > to, or to beyond the tree' })
  @ApiNotFoundResponse({ description: 'No `to` given and no checkpoint signed yet' })
  async consistency(@Query() query: ConsistencyQuery) {
    const to = query.to ?? (await this.latestOr404('to')).size;
    await this.checkWithinTree('to', to);
    if (query.from > to) throw new RequestFieldError('from', 'FromMustNotExceedTo', `from (${query.from}) must not exceed to (${to})`);
    return this.reader.consistency(query.from, to);
  }

  @Allow(...MEMBERS) // a receipt carries the whole entry: its actor, and drafts not yet public
  @Get('receipts/:seq')
  @ApiOperation({
    summary:
      'A receipt for one event: its canonical bytes, leaf hash, the latest checkpoint covering it and the inclusion proof against that checkpoint. ' +
      'An event no checkpoint covers yet is answered 409 with when the next one is due (a meeting closure, or the schedule: nextCheckpointAt, Retry-After)',
  })
  @ApiOkResponse({ description: '{ seq, leafIndex, canonical (base64), leafHash, checkpoint: { size, rootHash, note, keyId, reason, signedAt }, inclusionProof: [base64…] }' })
  @ApiNotFoundResponse({ description: 'No event of that seq' })
  @ApiConflictResponse({ description: 'No checkpoint covers the event yet (CheckpointMustCoverTheEvent, with nextCheckpointAt and Retry-After)' })
  async receipt(@Param() params: SeqParam, @Query(NoQueryPipe) _query: unknown) {
    const entry = await this.reader.entry(params.seq);
    if (!entry) throw new RuleProblem(404, 'EventMustExist', 'No event of that seq', `the ledger has no event of seq ${params.seq}`, 'seq');
    const checkpoint = await this.reader.covering(params.seq);
    if (!checkpoint) {
      const latest = await this.reader.latest();
      const next = this.ledger.nextScheduledCheckpoint;
      const seconds = Math.max(1, Math.ceil((next.getTime() - Date.now()) / 1000));
      throw new RuleProblem(
        409,
        'CheckpointMustCoverTheEvent',
        'No checkpoint covers this event yet',
        `no checkpoint covers seq ${params.seq} yet (${latest ? `the latest, of size ${latest.size}, covers seqs 1 to ${latest.size}` : 'none is signed yet'}); ` +
          `the next is signed when a meeting is closed, or at ${next.toISOString()} on the schedule: ask again then`,
        'seq',
        { nextCheckpointAt: next.toISOString(), latestCheckpointSize: latest?.size ?? null },
        seconds,
      );
    }
    const proof = await this.reader.inclusion(params.seq - 1, checkpoint.size);
    if (proof.rootHash !== checkpoint.rootHash) {
      // The stored tree no longer gives the signed root: never serve a receipt that cannot verify.
      throw new Error(`the stored tree's root at size ${checkpoint.size} differs from its checkpoint's: run \`ledger verify --live\``);
    }
    return {
      seq: params.seq,
      leafIndex: params.seq - 1,
      canonical: entry.canonical.toString('base64'),
      leafHash: entry.leafHash.toString('base64'),
      checkpoint: {
        size: checkpoint.size,
        rootHash: checkpoint.rootHash,
        note: checkpoint.note,
        keyId: checkpoint.keyId,
        reason: checkpoint.reason,
        signedAt: checkpoint.signedAt,
      },
      inclusionProof: proof.proof,
    };
  }

  private async latestOr404(field?: string): Promise<CheckpointView> {
    const latest = await this.reader.latest();
    if (latest) return latest;
    const hint = field ? `; give ${field} to prove against the tree as it is` : '';
    throw new RuleProblem(404, 'CheckpointMustExist', 'No checkpoint signed yet', `the ledger has signed no checkpoint yet${hint}`, field);
  }

  private async checkWithinTree(field: string, size: number): Promise<void> {
    const treeSize = await this.reader.treeSize();
    if (size > treeSize) {
      throw new RequestFieldError(field, 'SizeMustNotExceedTheTree', `${field} ${size} is beyond the tree, which has ${treeSize} leaves`);
    }
  }
}
