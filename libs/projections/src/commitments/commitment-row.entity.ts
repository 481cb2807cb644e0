import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** The current state of a commitment, as committees and signatories read it. */
@Entity({ name: 'commitments' })
@Index(['ownerPartyId'])
@Index(['priority', 'status'])
export class CommitmentRow {
  @PrimaryColumn({ name: 'commitment_id', type: 'text' })
  commitmentId!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ name: 'owner_party_id', type: 'text' })
  ownerPartyId!: string;

  @Column({ name: 'co_funder_party_ids', type: 'text', array: true })
  coFunderPartyIds!: string[];

  @Column({ type: 'smallint' })
  priority!: number;

  @Column({ type: 'text' })
  ambition!: string;

  @Column({ type: 'text' })
  component!: string;

  @Column({ type: 'smallint' })
  horizon!: number;

  @Column({ type: 'text' })
  status!: string;

  @Column({ type: 'text', nullable: true })
  outcome!: string | null;

  @Column({ type: 'text', array: true })
  qpv!: string[];

  @Column({ type: 'text', array: true })
  communes!: string[];

  @Column({ name: 'droit_commun_cents', type: 'bigint' })
  droitCommunCents!: string;

  @Column({ name: 'credits_specifiques_cents', type: 'bigint' })
  creditsSpecifiquesCents!: string;

  /** Yearly budget lines, as the last amendment or draft set them. */
  @Column({ type: 'jsonb' })
  budget!: { year: number; amountCents: number; status: string }[];

  @Column({ name: 'committed_cents', type: 'bigint', default: 0 })
  committedCents!: string;

  @Column({ name: 'disbursed_cents', type: 'bigint', default: 0 })
  disbursedCents!: string;

  @Column({ name: 'spent_cents', type: 'bigint', default: 0 })
  spentCents!: string;

  @Column({ name: 'reports', type: 'integer', default: 0 })
  reports!: number;

  @Column({ name: 'amendment_ids', type: 'text', array: true, default: () => "'{}'" })
  amendmentIds!: string[];

  /** Stream version of the last event applied: the ETag a writer would send as If-Match. */
  @Column({ name: 'stream_version', type: 'integer' })
  streamVersion!: number;

  @Column({ name: 'last_seq', type: 'bigint' })
  lastSeq!: string;

  /** Effective date of the last change. */
  @Column({ name: 'updated_on', type: 'timestamptz' })
  updatedOn!: Date;
}
