import type { AmendmentEvent, CommitmentEvent, ContractEvent } from '@mel/domain';
import type { StoredEvent } from '@mel/event-store';
import type { Projection } from '../projection';
import type { Tables } from '../tables';
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

  async apply(stored: StoredEvent, tables: Tables): Promise<void> {
    if (stored.streamId.startsWith('amendment-')) return applyAmendmentEvent(stored, tables);
    if (stored.streamId.startsWith('commitment-') || stored.streamId.startsWith('contract-')) {
      if (stored.type === 'CommitmentAmended' || stored.type === 'CommitmentSuperseded' || stored.type === 'ContractAmended') {
        return applyEffect(stored, { type: stored.type, data: stored.data } as EffectEvent, tables);
      }
    }
  },
};

async function applyAmendmentEvent(stored: StoredEvent, tables: Tables): Promise<void> {
  const event = { type: stored.type, data: stored.data } as AmendmentEvent;
  const on = new Date(stored.occurredAt);
  const stamp = { streamVersion: stored.streamVersion, lastSeq: String(stored.seq) };
  if (event.type === 'AmendmentProposed') {
    const data = event.data;
    tables.put(AmendmentRow, {
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
    for (const { target, change } of data.changes) {
      tables.put(AmendmentTargetRow, { amendmentId: data.amendmentId, kind: target.kind, targetId: target.id, change, appliedSeq: null, appliedOn: null, supersededSeq: null });
    }
    return;
  }
  const row = await tables.getOrFail(AmendmentRow, { amendmentId: event.data.amendmentId });
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
      tables.put(AmendmentSignatureRow, {
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
  tables.put(AmendmentRow, row);
}

/** An effect of an amendment on one of its targets: marks the target applied (or superseded). */
async function applyEffect(stored: StoredEvent, event: EffectEvent, tables: Tables): Promise<void> {
  const { amendmentId } = event.data;
  const key =
    event.type === 'ContractAmended'
      ? { amendmentId, kind: 'contract', targetId: event.data.contractId }
      : { amendmentId, kind: 'commitment', targetId: event.data.commitmentId };
  const seq = String(stored.seq);
  const changed =
    event.type === 'CommitmentSuperseded'
      ? await tables.update(AmendmentTargetRow, key, { supersededSeq: seq })
      : await tables.update(AmendmentTargetRow, key, { appliedSeq: seq, appliedOn: new Date(stored.occurredAt) });
  // An effect whose amendment or target the register does not know changes nothing.
  if (!changed) return;
  await tables.update(AmendmentRow, { amendmentId }, { lastSeq: seq });
}
