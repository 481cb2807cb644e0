/**
 * The business rules of the contract, named as sentences. A refused command raises DomainRuleError
 * with one of these names; the API turns it into RFC 9457 problem details (type, title, status) in one
 * exception filter. The set is closed: a new rule is added here, with its status and title.
 */
export const RULES = {
  // Generic lifecycle and identity
  AggregateMustExist: { status: 404, title: 'The thing acted on must exist' },
  AggregateMustNotExistYet: { status: 409, title: 'The thing created must not exist yet' },
  TransitionMustFollowLifecycle: { status: 409, title: 'A change of status must follow the lifecycle' },
  ValueMustBeValid: { status: 422, title: 'A value must be valid' },
  // Parties and who acts
  PartyActsOnlyForItself: { status: 403, title: 'A party records and reports only on its own commitments' },
  OnlyAnAdministratorMayDoThis: { status: 403, title: 'Only an administrator may do this' },
  // Contract
  ContractIsSignedByItsParties: { status: 422, title: 'Only a party of the contract signs it, once' },
  LocalAnnexBelongsToAContractCommune: { status: 422, title: 'A local annex is for a commune of the contract' },
  // Commitments
  CommitmentEndsWithinItsComponent: { status: 422, title: 'No commitment beyond its component’s end date' },
  ClosedCommitmentTakesNoReport: { status: 409, title: 'A completed or withdrawn commitment takes no more reports' },
  CorrectionNamesWhatItCorrects: { status: 422, title: 'A correction names the event it corrects' },
  MoneyIsInWholeCents: { status: 422, title: 'Money is a whole, non-negative number of cents' },
  // Governance
  SteeringBodyHasCitizenSeats: { status: 422, title: 'A steering body has conseil citoyen seats' },
  DecisionNeedsQuorateMeeting: { status: 409, title: 'A decision needs a quorate meeting' },
  OnlyVotingMembersVote: { status: 403, title: 'Only members with a voting right vote' },
  OneVotePerMemberPerMotion: { status: 409, title: 'A member votes once per motion' },
  VoteCountsEqualIndividualVotes: { status: 422, title: 'Vote counts equal the individual votes' },
  AttendanceIsOfMembers: { status: 422, title: 'Attendance is recorded for members of the body' },
  ProxyIsAPresentMember: { status: 422, title: 'A member is represented by a present member with a voting right' },
  MotionIsDecidedOnce: { status: 409, title: 'A motion is put to the vote and decided once' },
  // Indicators and evaluation
  IndicatorValueMatchesItsMeasure: { status: 422, title: 'An indicator value matches its measure and unit' },
  PeriodIsWithinTheContract: { status: 422, title: 'A period lies within the contract (2024–2030)' },
  // Amendments
  AmendmentNeedsApprovingDecision: {
    status: 409,
    title: 'An amendment is approved or rejected only by a decision of a steering body whose quorum was reached',
  },
  AmendmentTakesEffectOnlyWhenSignedByAll: {
    status: 409,
    title: 'An amendment takes effect only after approval and every affected party’s signature',
  },
  AmendmentIsSignedByAffectedParties: { status: 403, title: 'Only an affected party signs an amendment, once' },
  // Personal data (ADR 12)
  PersonDataIsErasedOnce: { status: 409, title: 'A person’s data is erased once' },
} as const satisfies Record<string, { status: 403 | 404 | 409 | 422; title: string }>;

export type RuleName = keyof typeof RULES;

export class DomainRuleError extends Error {
  readonly status: number;
  readonly title: string;

  constructor(
    readonly rule: RuleName,
    detail: string,
    /** The command field at fault, when there is one (a JSON path such as `budget[2].amountCents`). */
    readonly field?: string,
  ) {
    super(detail);
    this.name = 'DomainRuleError';
    this.status = RULES[rule].status;
    this.title = RULES[rule].title;
  }
}

/** Throws `rule` unless `condition` holds. */
export function ensure(condition: unknown, rule: RuleName, detail: string, field?: string): asserts condition {
  if (!condition) throw new DomainRuleError(rule, detail, field);
}
