import { useSyncExternalStore } from 'react';

/**
 * The verifier key an auditor pinned (published out of band: the contract's site, the deliberation, a
 * paper copy), kept in localStorage for this browser. Without one, the pages verify against the key the
 * server publishes (GET /ledger/key), which only shows the server is consistent with itself.
 */
const KEY = 'ledger.trustedVerifierKey';
const listeners = new Set<() => void>();

function read(): string | undefined {
  try {
    return window.localStorage.getItem(KEY)?.trim() || undefined;
  } catch {
    return undefined;
  }
}

export function setPinnedKey(vkey: string | undefined): void {
  try {
    if (vkey && vkey.trim()) window.localStorage.setItem(KEY, vkey.trim());
    else window.localStorage.removeItem(KEY);
  } catch {
    // storage refused (private mode): the key holds for this page only
  }
  for (const listener of listeners) listener();
}

export function usePinnedKey(): string | undefined {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      const onStorage = (event: StorageEvent) => event.key === KEY && listener();
      window.addEventListener('storage', onStorage);
      return () => {
        listeners.delete(listener);
        window.removeEventListener('storage', onStorage);
      };
    },
    read,
  );
}

/** What GET /ledger/key answers. */
export interface LedgerKey {
  origin: string;
  verifierKey: string;
  keyId: string;
  algorithm: string;
  witnesses: string[];
}
