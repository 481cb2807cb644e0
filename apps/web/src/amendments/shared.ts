import { defineMessages } from '../shell/i18n';

/** The answers of GET /amendments and GET /amendments/:id (apps/api/src/queries/amendments). */
export type AmendmentStatus = 'proposed' | 'approved' | 'rejected' | 'withdrawn' | 'in_force';
export const AMENDMENT_STATUSES: readonly AmendmentStatus[] = ['proposed', 'approved', 'rejected', 'withdrawn', 'in_force'];

export interface AmendmentSummary {
  amendmentId: string;
  status: AmendmentStatus;
  rationale: string;
  description: string;
  contractId: string | null;
  commitmentIds: string[];
  affectedPartyIds: string[];
  proposedOn: string;
  proposedByPartyId: string | null;
  decision: { outcome: 'approved' | 'rejected' | null; decisionId: string; meetingId: string | null; bodyId: string | null; decidedOn: string | null } | null;
  withdrawal: { withdrawnOn: string; reason: string | null } | null;
  inForceOn: string | null;
  streamVersion: number;
  lastSeq: number;
}

export interface AmendmentDetail extends AmendmentSummary {
  signatures: { partyId: string; signedOn: string; seq: number; signerRole: string | null; onBehalf: boolean | null; mandate: string | null }[];
  missingSignatures: string[];
  targets: {
    kind: 'contract' | 'commitment';
    id: string;
    change: Record<string, unknown>;
    applied: boolean;
    appliedSeq: number | null;
    appliedOn: string | null;
    superseded: boolean;
    supersededSeq: number | null;
  }[];
}

export const amendmentLabels = defineMessages({
  fr: {
    status: { proposed: 'Proposé', approved: 'Approuvé, en signature', rejected: 'Rejeté', withdrawn: 'Retiré', in_force: 'En vigueur' } as Record<string, string>,
    title: (id: string) => `Avenant ${id}`,
    signerRole: { 'signatory-representative': 'représentant·e de la partie', administrator: 'administration (signature papier sous mandat)' } as Record<string, string>,
  },
  en: {
    status: { proposed: 'Proposed', approved: 'Approved, being signed', rejected: 'Rejected', withdrawn: 'Withdrawn', in_force: 'In force' } as Record<string, string>,
    title: (id: string) => `Amendment ${id}`,
    signerRole: { 'signatory-representative': "the party's representative", administrator: 'administration (paper signature under a mandate)' } as Record<string, string>,
  },
});
