import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/*
 * Table names start with `contract_` (amendments are avenants to the contract): the digest of a version
 * lists tables in name order, and rebuild.spec expects `commitments` first.
 */

/**
 * One amendment (avenant) of the register, as it stands now. Dates are the events' effective dates
 * (occurredAt): the read model holds no wall-clock column, so that a rebuild digests to the same rows.
 */
@Entity({ name: 'contract_amendments' })
@Index(['status'])
export class AmendmentRow {
  @PrimaryColumn({ name: 'amendment_id', type: 'text' })
  amendmentId!: string;

  /** proposed | approved | rejected | withdrawn | in_force */
  @Column({ type: 'text' })
  status!: string;

  @Column({ type: 'text' })
  rationale!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ name: 'contract_id', type: 'text', nullable: true })
  contractId!: string | null;

  @Column({ name: 'commitment_ids', type: 'text', array: true })
  commitmentIds!: string[];

  /** The parties that must sign it (the parties it affects). */
  @Column({ name: 'affected_party_ids', type: 'text', array: true })
  affectedPartyIds!: string[];

  @Column({ name: 'proposed_on', type: 'timestamptz' })
  proposedOn!: Date;

  @Column({ name: 'proposed_by_party_id', type: 'text', nullable: true })
  proposedByPartyId!: string | null;

  /** approved | rejected, when a decision was recorded. */
  @Column({ name: 'decision_outcome', type: 'text', nullable: true })
  decisionOutcome!: string | null;

  @Column({ name: 'decision_id', type: 'text', nullable: true })
  decisionId!: string | null;

  @Column({ name: 'decision_meeting_id', type: 'text', nullable: true })
  decisionMeetingId!: string | null;

  @Column({ name: 'decision_body_id', type: 'text', nullable: true })
  decisionBodyId!: string | null;

  @Column({ name: 'decided_on', type: 'timestamptz', nullable: true })
  decidedOn!: Date | null;

  @Column({ name: 'withdrawn_on', type: 'timestamptz', nullable: true })
  withdrawnOn!: Date | null;

  @Column({ name: 'withdrawal_reason', type: 'text', nullable: true })
  withdrawalReason!: string | null;

  @Column({ name: 'in_force_on', type: 'timestamptz', nullable: true })
  inForceOn!: Date | null;

  /** Stream version of the amendment's last event: the ETag a writer would send as If-Match. */
  @Column({ name: 'stream_version', type: 'integer' })
  streamVersion!: number;

  /** Seq of the last event that changed this amendment or one of its targets. */
  @Column({ name: 'last_seq', type: 'bigint' })
  lastSeq!: string;
}

/** One target of an amendment (the contract or a commitment), its proposed change, and its effect. */
@Entity({ name: 'contract_amendment_targets' })
@Index(['kind', 'targetId'])
export class AmendmentTargetRow {
  @PrimaryColumn({ name: 'amendment_id', type: 'text' })
  amendmentId!: string;

  /** contract | commitment */
  @PrimaryColumn({ type: 'text' })
  kind!: string;

  @PrimaryColumn({ name: 'target_id', type: 'text' })
  targetId!: string;

  /** The change proposed to the target, as the proposal stated it. */
  @Column({ type: 'jsonb' })
  change!: Record<string, unknown>;

  /** Seq of the effect event (CommitmentAmended / ContractAmended) that applied the change; null until then. */
  @Column({ name: 'applied_seq', type: 'bigint', nullable: true })
  appliedSeq!: string | null;

  /** Effective date of that effect event. */
  @Column({ name: 'applied_on', type: 'timestamptz', nullable: true })
  appliedOn!: Date | null;

  /** Seq of CommitmentSuperseded, when the amendment superseded the commitment. */
  @Column({ name: 'superseded_seq', type: 'bigint', nullable: true })
  supersededSeq!: string | null;
}

/** One affected party's signature of an amendment. */
@Entity({ name: 'contract_amendment_signatures' })
export class AmendmentSignatureRow {
  @PrimaryColumn({ name: 'amendment_id', type: 'text' })
  amendmentId!: string;

  @PrimaryColumn({ name: 'party_id', type: 'text' })
  partyId!: string;

  @Column({ name: 'signed_on', type: 'timestamptz' })
  signedOn!: Date;

  /** Seq of the AmendmentSigned event (orders the signatures as they were recorded). */
  @Column({ type: 'bigint' })
  seq!: string;

  /** Role of whoever signed (a representative of the party, or an administrator for it). */
  @Column({ name: 'signer_role', type: 'text' })
  signerRole!: string;

  /** True when the signer did not act as the party's own representative (an administrator on its behalf). */
  @Column({ name: 'on_behalf', type: 'boolean' })
  onBehalf!: boolean;

  /** The mandate (delegation, decision) under which the signer acted, when there is one. */
  @Column({ type: 'text', nullable: true })
  mandate!: string | null;
}
