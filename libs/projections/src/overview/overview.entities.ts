import type { IndicatorValue } from '@mel/domain';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/*
 * The overview's tables (contract-wide reads: money, commitments, milestones, indicators per enjeu).
 * No wall-clock column and primary keys made of the domain's ids, so that `ledger rebuild --check`
 * digests equal rows (ADR 6).
 */

/** What the overview needs of each commitment: its enjeu, its component, its owner and its status. */
@Entity({ name: 'overview_commitments' })
@Index(['ownerPartyId'])
@Index(['priority'])
export class OverviewCommitmentRow {
  @PrimaryColumn({ name: 'commitment_id', type: 'text' })
  commitmentId!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ name: 'owner_party_id', type: 'text' })
  ownerPartyId!: string;

  @Column({ type: 'smallint' })
  priority!: number;

  @Column({ type: 'text' })
  component!: string;

  @Column({ type: 'text' })
  status!: string;
}

/** Money recorded on commitments, per component, year and IATI transaction type. */
@Entity({ name: 'overview_funding' })
export class OverviewFundingRow {
  @PrimaryColumn({ type: 'text' })
  component!: string;

  @PrimaryColumn({ type: 'smallint' })
  year!: number;

  @PrimaryColumn({ type: 'text' })
  transaction!: string;

  @Column({ type: 'bigint' })
  cents!: string;
}

/** Money each funder recorded (its own FundingRecorded), per year and transaction type. */
@Entity({ name: 'overview_party_funding' })
export class OverviewPartyFundingRow {
  @PrimaryColumn({ name: 'party_id', type: 'text' })
  partyId!: string;

  @PrimaryColumn({ type: 'smallint' })
  year!: number;

  @PrimaryColumn({ type: 'text' })
  transaction!: string;

  @Column({ type: 'bigint' })
  cents!: string;
}

/** A commitment's milestone as it stands now. */
@Entity({ name: 'overview_milestones' })
@Index(['dueDate'])
export class OverviewMilestoneRow {
  @PrimaryColumn({ name: 'commitment_id', type: 'text' })
  commitmentId!: string;

  @PrimaryColumn({ name: 'milestone_id', type: 'text' })
  milestoneId!: string;

  @Column({ type: 'text' })
  title!: string;

  /** YYYY-MM-DD. */
  @Column({ name: 'due_date', type: 'text' })
  dueDate!: string;

  @Column({ type: 'text' })
  status!: string;
}

/** An indicator: its enjeu and commitment, if any. */
@Entity({ name: 'overview_indicators' })
@Index(['priority'])
export class OverviewIndicatorRow {
  @PrimaryColumn({ name: 'indicator_id', type: 'text' })
  indicatorId!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'smallint', nullable: true })
  priority!: number | null;

  @Column({ name: 'commitment_id', type: 'text', nullable: true })
  commitmentId!: string | null;

  @Column({ type: 'text', nullable: true })
  unit!: string | null;
}

/** One period of an indicator: its current target and actual (after corrections). */
@Entity({ name: 'overview_indicator_periods' })
export class OverviewIndicatorPeriodRow {
  @PrimaryColumn({ name: 'indicator_id', type: 'text' })
  indicatorId!: string;

  @PrimaryColumn({ name: 'period_start', type: 'text' })
  periodStart!: string;

  @PrimaryColumn({ name: 'period_end', type: 'text' })
  periodEnd!: string;

  @Column({ name: 'target_value', type: 'jsonb', nullable: true })
  targetValue!: IndicatorValue | null;

  @Column({ name: 'target_upper_value', type: 'double precision', nullable: true })
  targetUpperValue!: number | null;

  @Column({ name: 'actual_value', type: 'jsonb', nullable: true })
  actualValue!: IndicatorValue | null;
}

/** A component of the contract and its indicative annual envelope. */
@Entity({ name: 'overview_components' })
export class OverviewComponentRow {
  @PrimaryColumn({ type: 'text' })
  component!: string;

  @Column({ name: 'indicative_annual_budget_cents', type: 'bigint' })
  indicativeAnnualBudgetCents!: string;

  /** YYYY-MM-DD. */
  @Column({ name: 'start_date', type: 'text' })
  startDate!: string;

  /** YYYY-MM-DD. */
  @Column({ name: 'end_date', type: 'text' })
  endDate!: string;
}

/** The contract's enjeux (priorities 1–6) and their titles. */
@Entity({ name: 'overview_priorities' })
export class OverviewPriorityRow {
  @PrimaryColumn({ type: 'smallint' })
  priority!: number;

  @Column({ type: 'text' })
  title!: string;
}

export const OVERVIEW_ENTITIES: Function[] = [
  OverviewCommitmentRow,
  OverviewFundingRow,
  OverviewPartyFundingRow,
  OverviewMilestoneRow,
  OverviewIndicatorRow,
  OverviewIndicatorPeriodRow,
  OverviewComponentRow,
  OverviewPriorityRow,
];
