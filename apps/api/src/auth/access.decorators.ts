import { SetMetadata } from '@nestjs/common';
import type { Role } from '@mel/domain';

/** Metadata key of the roles allowed on a route (read by the one AccessGuard). */
export const ALLOWED_ROLES = 'ledger:allowed-roles';

/** Every role that may hold a token (DESIGN §6). */
export const ALL_ROLES: readonly Role[] = ['administrator', 'body-secretary', 'signatory-representative', 'auditor', 'public'];

/** Every role but `public`: the people who work with the contract (reads beyond the open data). */
export const MEMBERS: readonly Role[] = ['administrator', 'body-secretary', 'signatory-representative', 'auditor'];

/**
 * The roles that may call this route (or every route of this controller), with a valid bearer token.
 * A route with neither `@Allow` nor `@Public` is refused to everyone: access is denied by default.
 * Finer rules (a party acts only for itself, a secretary only for their body) are the domain's.
 */
export const Allow = (...roles: Role[]) => SetMetadata(ALLOWED_ROLES, roles);

/** Open to anyone, without a token: open data, the ledger's public key, checkpoints and proofs, health. */
export const Public = () => SetMetadata(ALLOWED_ROLES, 'anyone');
