import type { AmendmentEvent, CommitmentEvent, ContractEvent } from '@mel/domain';
import type { StoredEvent } from '@mel/event-store';
import type { EntityManager } from 'typeorm';
import type { Projection } from '../projection';
import { AmendmentRow, AmendmentSignatureRow, AmendmentTargetRow } from './amendment-rows.entity';

export * from './amendment-rows.entity';

type EffectEvent = Extract<CommitmentEvent, { type: 'CommitmentAmended' | 'CommitmentSuperseded' }> | Extract<ContractEvent, { type: 'ContractAmended' }>;

/**
 * The amendments register: each amendment with its approving (or rejecting) decision, its signatures,
 * and, per target, the change it proposed and the effect event that applied it. Fed by the amendment's
 * own stream, and by CommitmentAmended / CommitmentSuperseded / ContractAmended on the targets' streams.
 */
export const amendmentsProjection: Projection = {
  name: 'amendments',
  entities: [AmendmentRow, AmendmentTargetRow, AmendmentSignatureRow],

  async apply(stored: StoredEvent, manager: EntityManager): Promise<void> {
    if (stored.streamId.startsWith('amendment-')) return applyAmendmentEvent(stored, manager);
    if (stored.streamId.startsWith('commitment-') || stored.streamId.startsWith('contract-')) {
      if (stored.type === 'CommitmentAmended' || stored.type === 'CommitmentSuperseded' || stored.type === 'ContractAmended') {
        return applyEffect(stored, { type: stored.type, data: stored.data } as EffectEvent, manager);
      }
    }
  },
};

async function applyAmendmentEvent(stored: StoredEvent, manager: EntityManager): Promise<void> {
  const event = { type: stored.type, data: stored.data } as AmendmentEvent;
  const amendments = manager.getRepository(AmendmentRow);
  const on = new Date(stored.occurredAt);
  const stamp = { streamVersion: stored.streamVersion, lastSeq: String(stored.seq) };
  if (event.type === 'AmendmentProposed') {
    const data = event.data;
    await amendments.insert({
      amendmentId: data.amendmentId,
      status: 'proposed',
      rationale: data.rationale,
      description: data.description,
      contractId: data.contractId ?? null,
      commitmentIds: data.commitmentIds ?? [],
      affectedPartyIds: data.affectedPartyIds,
      proposedOn: on,
      proposedByPartyId: data.proposedByPartyId ?? null,
      decisionOutcome: null,
      decisionId: null,
      decisionMeetingId: null,
      decisionBodyId: null,
      decidedOn: null,
      withdrawnOn: null,
      withdrawalReason: null,
      inForceOn: null,
      ...stamp,
    });
    if (data.changes.length > 0) {
      const targets = manager.getRepository(AmendmentTargetRow);
      // create (DeepPartial) rather than insert (QueryDeepPartialEntity), which cannot type a free jsonb object.
      await targets.save(
        data.changes.map(({ target, change }) =>
          targets.create({ amendmentId: data.amendmentId, kind: target.kind, targetId: target.id, change, appliedSeq: null, appliedOn: null, supersededSeq: null }),
        ),
      );
    }
    return;
  }
  const row = await amendments.findOneByOrFail({ amendmentId: event.data.amendmentId });
  switch (event.type) {
    case 'AmendmentApproved':
    case 'AmendmentRejected':
      row.status = event.type === 'AmendmentApproved' ? 'approved' : 'rejected';
      row.decisionOutcome = row.status;
      row.decisionId = event.data.decisionId;
      row.decisionMeetingId = event.data.meetingId;
      row.decisionBodyId = event.data.bodyId;
      row.decidedOn = on;
      break;
    case 'AmendmentWithdrawn':
      row.status = 'withdrawn';
      row.withdrawnOn = on;
      row.withdrawalReason = event.data.reason;
      break;
    case 'AmendmentSigned':
      await manager.getRepository(AmendmentSignatureRow).insert({
        amendmentId: row.amendmentId,
        partyId: event.data.partyId,
        signedOn: on,
        seq: String(stored.seq),
        signerRole: stored.actor.role,
        onBehalf: stored.actor.partyId !== event.data.partyId,
        mandate: stored.actor.mandate ?? null,
      });
      break;
    case 'AmendmentEnteredIntoForce':
      row.status = 'in_force';
      row.inForceOn = on;
      break;
    default:
      break;
  }
  Object.assign(row, stamp);
  await amendments.save(row);
}

/** An effect of an amendment on one of its targets: marks the target applied (or superseded). */
async function applyEffect(stored: StoredEvent, event: EffectEvent, manager: EntityManager): Promise<void> {
  const { amendmentId } = event.data;
  const key =
    event.type === 'ContractAmended'
      ? { amendmentId, kind: 'contract', targetId: event.data.contractId }
      : { amendmentId, kind: 'commitment', targetId: event.data.commitmentId };
  const seq = String(stored.seq);
  const changed =
    event.type === 'CommitmentSuperseded'
      ? await manager.getRepository(AmendmentTargetRow).update(key, { supersededSeq: seq })
      : await manager.getRepository(AmendmentTargetRow).update(key, { appliedSeq: seq, appliedOn: new Date(stored.occurredAt) });
  // An effect whose amendment or target the register does not know changes nothing.
  if (!changed.affected) return;
  await manager.getRepository(AmendmentRow).update({ amendmentId }, { lastSeq: seq });
}
