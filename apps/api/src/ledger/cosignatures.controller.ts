import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { toCheckpoint } from '@mel/application';
import { CheckpointError, NoteError, parseNote, verifyCheckpoint, VerificationError } from '@mel/ledger';
import type { Request, Response } from 'express';
import { BodyParseError, RequestFieldError, RuleProblem } from '../shared/problem-details';
import { noCheckpointOfSize } from './ledger-problem';
import { LedgerReader } from './ledger-reader';
import { SizeParam } from './ledger.dto';
import { LedgerService } from './ledger.service';
import { Public } from '../auth/access.decorators';

/** A cosigned checkpoint is a few hundred bytes a signature; a note has at most 100 of them. */
const NOTE_BODY_LIMIT = 64 * 1024;
/** How far in the future (seconds) a witness's clock may be from ours. */
const CLOCK_SKEW_SECONDS = 60;

/**
 * Witnesses (c2sp.org/tlog-witness, tlog-cosignature) send back the checkpoint they cosigned. A
 * cosignature is kept only if it verifies, under a witness key of LEDGER_WITNESS_KEYS, over exactly the
 * stored checkpoint's body, in a note that carries the log's own signature. The stored checkpoint row
 * is never changed: its served note carries the cosignature lines stored beside it (ledger.cosignatures).
 */
@ApiTags('ledger')
@Public()
@Controller('ledger')
export class CosignaturesController {
  constructor(
    private readonly ledger: LedgerService,
    private readonly reader: LedgerReader,
  ) {}

  @Post('checkpoints/:size/cosignatures')
  @ApiOperation({
    summary:
      'A witness submits its cosigned checkpoint note (text/plain, or JSON { note }). Accepted if a witness of LEDGER_WITNESS_KEYS cosigned (c2sp.org/tlog-cosignature) ' +
      'exactly the stored checkpoint of that size; the checkpoint is then served with the cosignature line. Other witnesses’ lines are ignored.',
  })
  @ApiConsumes('text/plain', 'application/json')
  @ApiBody({
    description: 'The cosigned note, as text or as { note }',
    schema: { oneOf: [{ type: 'string' }, { type: 'object', required: ['note'], properties: { note: { type: 'string' } }, additionalProperties: false }] },
  })
  @ApiCreatedResponse({ description: 'Stored: { size, accepted: [{ witness, keyId, time, alreadyStored }], ignored: [name…], note }' })
  @ApiOkResponse({ description: 'Every cosignature in the note was stored already (the first one received is kept)' })
  @ApiBadRequestResponse({ description: 'No note, or a note that is not a C2SP signed note (field note or body)' })
  @ApiNotFoundResponse({ description: 'No checkpoint of that size' })
  @ApiUnprocessableEntityResponse({
    description:
      'CosignatureMustCoverTheStoredCheckpoint (another body), NoteMustCarryTheLogSignature, CosignatureMustVerify (a known witness’s signature fails), ' +
      'CosignatureMustBeOfAKnownWitness (no configured witness cosigned), CosignatureMustNotBeDatedInTheFuture',
  })
  async cosign(@Param() params: SizeParam, @Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const note = await noteOf(req, body);
    const { rows } = await this.ledger.pool.query('SELECT * FROM ledger.checkpoints WHERE size = $1', [params.size]);
    if (rows.length === 0) throw noCheckpointOfSize(params.size);
    const stored = toCheckpoint(rows[0]);

    let text: string;
    try {
      text = parseNote(note).text;
    } catch (error) {
      if (error instanceof NoteError) throw new RequestFieldError('note', 'NoteMustBeASignedNote', `the note is not a C2SP signed note: ${error.message}`);
      throw error;
    }
    if (text !== parseNote(stored.note).text) {
      throw new RuleProblem(
        422,
        'CosignatureMustCoverTheStoredCheckpoint',
        'The note is not the stored checkpoint',
        `the note's body differs from the checkpoint of size ${params.size} as signed (GET /ledger/checkpoints/${params.size}): a witness cosigns exactly that body`,
        'note',
      );
    }
    const witnesses = this.ledger.config.witnesses;
    if (witnesses.length === 0) {
      throw knownWitnessProblem('this ledger accepts cosignatures from the witnesses of LEDGER_WITNESS_KEYS, and none is configured');
    }
    const key = this.ledger.signingKey;
    if (!key) throw new RuleProblem(503, 'SigningKeyMustBeLoaded', 'The checkpoint signing key is not loaded', 'the API could not load its checkpoint signing key; its log says why', undefined, {}, 60);

    let verified: ReturnType<typeof verifyCheckpoint>;
    try {
      verified = verifyCheckpoint(note, key.vkey, { witnesses, quorum: 1, now: Math.floor(Date.now() / 1000) + CLOCK_SKEW_SECONDS });
    } catch (error) {
      throw refusal(error);
    }

    const cosignatures = verified.cosignatures.map((c) => ({ witness: c.name, keyId: c.keyId.toString(16).padStart(8, '0'), line: c.line, time: c.timestamp! }));
    const { rows: inserted } = await this.ledger.pool.query<{ witness: string; key_id: string }>(
      `INSERT INTO ledger.cosignatures (size, witness, key_id, line, signed_time)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[])
       ON CONFLICT (size, witness, key_id) DO NOTHING RETURNING witness, key_id`,
      [params.size, cosignatures.map((c) => c.witness), cosignatures.map((c) => c.keyId), cosignatures.map((c) => c.line), cosignatures.map((c) => String(c.time))],
    );
    const isNew = new Set(inserted.map((row) => `${row.witness}+${row.key_id}`));
    res.status(isNew.size > 0 ? 201 : 200);
    const served = await this.reader.bySize(params.size);
    return {
      size: params.size,
      accepted: cosignatures.map(({ witness, keyId, time }) => ({ witness, keyId, time, alreadyStored: !isNew.has(`${witness}+${keyId}`) })),
      ignored: verified.note.unknown.map((s) => s.name),
      note: served!.note,
    };
  }
}

/** The note of a text/plain body, or of a JSON body { note }. */
async function noteOf(req: Request, body: unknown): Promise<Buffer | string> {
  let note: Buffer | string;
  if (req.is('text/plain')) {
    note = await readBody(req);
  } else if (req.is('application/json')) {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new RequestFieldError('body', 'BodyMustBeJsonObject', 'the body must be a JSON object { note }');
    const extra = Object.keys(body).filter((name) => name !== 'note');
    if (extra.length > 0) throw new RequestFieldError(extra[0], 'whitelistValidation', `property ${extra[0]} should not exist`);
    const value = (body as { note?: unknown }).note;
    if (typeof value !== 'string') throw new RequestFieldError('note', 'isString', 'note must be a string: the cosigned checkpoint note');
    note = value;
  } else {
    throw new RuleProblem(415, 'BodyMustBeTextOrJson', 'The body must be text/plain or application/json', 'send the cosigned note as text/plain, or as JSON { note }', 'Content-Type');
  }
  if (note.length === 0) throw new RequestFieldError('note', 'NoteMustBeGiven', 'the body carries no note: send the cosigned checkpoint note');
  return note;
}

async function readBody(req: Request): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  // Read to the end even past the limit, as body-parser does: leaving the loop early would destroy the
  // request's socket, and the client's next request on that kept-alive connection would be reset.
  for await (const chunk of req as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length <= NOTE_BODY_LIMIT) chunks.push(chunk);
  }
  if (length > NOTE_BODY_LIMIT) throw new BodyParseError({ status: 413, type: 'entity.too.large', message: `a cosigned note is at most ${NOTE_BODY_LIMIT} bytes` });
  return Buffer.concat(chunks);
}

function knownWitnessProblem(detail: string): RuleProblem {
  return new RuleProblem(422, 'CosignatureMustBeOfAKnownWitness', 'No known witness cosigned the checkpoint', detail, 'note');
}

/** A verification failure as problem details naming the rule; anything else is left to the 500. */
function refusal(error: unknown): unknown {
  if (!(error instanceof VerificationError)) return error;
  const problem = (rule: string, title: string) => new RuleProblem(422, rule, title, error.message, 'note');
  if (error instanceof NoteError) {
    if (error.code === 'bad-signature') return problem('CosignatureMustVerify', 'A signature of the note does not verify');
    if (error.code === 'cosignature-in-future') return problem('CosignatureMustNotBeDatedInTheFuture', 'The cosignature is dated in the future');
    if (error.code === 'no-known-signature') return problem('NoteMustCarryTheLogSignature', 'The note does not carry the log’s signature');
    return new RequestFieldError('note', 'NoteMustBeASignedNote', `the note is not a C2SP signed note: ${error.message}`);
  }
  if (error instanceof CheckpointError) {
    if (error.code === 'missing-log-signature') return problem('NoteMustCarryTheLogSignature', 'The note does not carry the log’s signature');
    if (error.code === 'too-few-cosignatures') return knownWitnessProblem('no witness of LEDGER_WITNESS_KEYS cosigned the note (GET /ledger/key lists them)');
    return problem('CosignatureMustCoverTheStoredCheckpoint', 'The note is not the stored checkpoint');
  }
  return error;
}
