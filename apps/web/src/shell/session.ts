import { useSyncExternalStore } from 'react';

/** The roles of DESIGN §6, as the API's tokens name them. */
export type Role = 'administrator' | 'body-secretary' | 'signatory-representative' | 'auditor' | 'public';
export const ROLES: readonly Role[] = ['administrator', 'body-secretary', 'signatory-representative', 'auditor', 'public'];

/** Who is signed in: what the bearer token says (the API checks it on every request; the front only reads it). */
export interface Session {
  token: string;
  role: Role;
  subject: string;
  /** A signatory representative's party. */
  partyId?: string;
  /** A body secretary's body. */
  mandate?: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/** Why a token was not taken; `reason` is a key of the login page's messages. */
export class SessionError extends Error {
  constructor(readonly reason: 'malformed' | 'expired' | 'role') {
    super(reason);
  }
}

const KEY = 'ledger.session';
const listeners = new Set<() => void>();
let current: Session | undefined | null = null; // null: not read yet

function base64UrlDecode(part: string): string {
  const padded = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** Reads a JWT's claims without verifying it (the API verifies; this only tells the page what to show). */
export function sessionFromToken(token: string, now = Date.now()): Session {
  const parts = token.trim().split('.');
  if (parts.length !== 3) throw new SessionError('malformed');
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(base64UrlDecode(parts[1])) as Record<string, unknown>;
  } catch {
    throw new SessionError('malformed');
  }
  if (typeof claims !== 'object' || claims === null) throw new SessionError('malformed');
  const role = claims.role as Role;
  if (!ROLES.includes(role)) throw new SessionError('role');
  const exp = typeof claims.exp === 'number' ? claims.exp * 1000 : NaN;
  if (!Number.isFinite(exp)) throw new SessionError('malformed');
  if (exp <= now) throw new SessionError('expired');
  return {
    token: token.trim(),
    role,
    subject: typeof claims.sub === 'string' ? claims.sub : '',
    ...(typeof claims.party_id === 'string' && { partyId: claims.party_id }),
    ...(typeof claims.mandate === 'string' && { mandate: claims.mandate }),
    expiresAt: exp,
  };
}

function notify(): void {
  for (const listener of listeners) listener();
}

/** The session, kept for the browser tab only (sessionStorage): closing the tab signs out. */
export function readSession(): Session | undefined {
  if (current === null) {
    const token = window.sessionStorage.getItem(KEY);
    try {
      current = token ? sessionFromToken(token) : undefined;
    } catch {
      current = undefined;
      window.sessionStorage.removeItem(KEY);
    }
  }
  if (current && current.expiresAt <= Date.now()) endSession();
  return current ?? undefined;
}

export function startSession(token: string): Session {
  const session = sessionFromToken(token);
  window.sessionStorage.setItem(KEY, session.token);
  current = session;
  notify();
  return session;
}

export function endSession(): void {
  window.sessionStorage.removeItem(KEY);
  current = undefined;
  notify();
}

export function useSession(): Session | undefined {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => readSession(),
  );
}

/** Roles that read beyond the open data (the API's MEMBERS). */
export const isMember = (session: Session | undefined): session is Session => session !== undefined && session.role !== 'public';
