import { useSyncExternalStore } from 'react';

/** French by default (the contract's language), English available; the choice is kept in localStorage. */
export type Lang = 'fr' | 'en';
export const LANGS: readonly Lang[] = ['fr', 'en'];

const KEY = 'ledger.lang';
const listeners = new Set<() => void>();

function stored(): Lang {
  const value = window.localStorage.getItem(KEY);
  return value === 'en' ? 'en' : 'fr';
}

let lang: Lang | undefined;

export function currentLang(): Lang {
  lang ??= stored();
  return lang;
}

export function setLang(next: Lang): void {
  lang = next;
  window.localStorage.setItem(KEY, next);
  document.documentElement.lang = next;
  for (const listener of listeners) listener();
}

export function useLang(): Lang {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    currentLang,
  );
}

/**
 * A feature's messages in both languages: English must have every key French has, with the same
 * shape (a string, or a function of the same arguments), so a missing translation fails the typecheck.
 */
export function defineMessages<T extends Record<string, unknown>>(messages: { fr: T; en: T }): { fr: T; en: T } {
  return messages;
}

/** The messages of the current language. */
export function useMessages<T>(messages: { fr: T; en: T }): T {
  return messages[useLang()];
}

const locale = (l: Lang) => (l === 'fr' ? 'fr-FR' : 'en-GB');

/** Integer cents as euros: 123456 → « 1 234,56 € ». */
export function formatCents(cents: number | null | undefined, l: Lang = currentLang()): string {
  if (cents === null || cents === undefined) return '—';
  return new Intl.NumberFormat(locale(l), { style: 'currency', currency: 'EUR' }).format(cents / 100);
}

export function formatNumber(value: number | null | undefined, l: Lang = currentLang()): string {
  if (value === null || value === undefined) return '—';
  return new Intl.NumberFormat(locale(l)).format(value);
}

/** A calendar date (YYYY-MM-DD) or an instant, as a date in words: « 7 mai 2024 ». */
export function formatDate(value: string | null | undefined, l: Lang = currentLang()): string {
  if (!value) return '—';
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(locale(l), { dateStyle: 'long', timeZone: /^\d{4}-\d{2}-\d{2}$/.test(value) ? 'UTC' : 'Europe/Paris' }).format(date);
}

/** An instant with its time, in Paris time: « 7 mai 2024 à 11:00 ». */
export function formatDateTime(value: string | null | undefined, l: Lang = currentLang()): string {
  if (!value) return '—';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(locale(l), { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' }).format(date);
}
