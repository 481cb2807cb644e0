/**
 * Days, months and instants of the generated history. A day is a whole number of days since
 * 1970-01-01 (UTC); an instant is written as the MEL writes it, in Lille's local time with its offset
 * (`2026-03-12T14:30:00+01:00`, `2026-06-04T09:00:00+02:00`), whose calendar date is the legal date.
 *
 * The history is recorded month by month: an epoch is a month, numbered from May 2024 (0) on.
 */
const DAY_MS = 86_400_000;

export const HISTORY_START = dayOf('2024-05-07'); // signature of the contract
export const HISTORY_END = dayOf('2030-12-31'); // end of the contrat de ville

export function dayOf(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

/** Last Sunday of a month (the EU switches to and from summer time on the last Sunday of March and October). */
function lastSunday(year: number, month: number): number {
  const last = dayFromParts(year, month + 1, 0);
  return last - weekdayOf(last);
}

const summer = new Map<number, [number, number]>();
/** Whether Lille is on summer time (UTC+2) on `day`, for times of day after 03:00. */
function isSummerTime(day: number): boolean {
  const year = new Date(day * DAY_MS).getUTCFullYear();
  let range = summer.get(year);
  if (!range) summer.set(year, (range = [lastSunday(year, 3), lastSunday(year, 10)]));
  return day >= range[0] && day < range[1];
}

/** Days from 2020 to 2035 are looked up rather than computed: the generator asks millions of times. */
const TABLE_FROM = 18_262; // 2020-01-01
const TABLE_SIZE = 5_844; // to 2035-12-31
const dates: string[] = [];
const epochs: number[] = [];
const years: number[] = [];
const offsets: string[] = [];

function fill(day: number): boolean {
  const i = day - TABLE_FROM;
  if (i < 0 || i >= TABLE_SIZE) return false;
  if (dates[i] === undefined) {
    const date = new Date(day * DAY_MS);
    dates[i] = date.toISOString().slice(0, 10);
    years[i] = date.getUTCFullYear();
    epochs[i] = (years[i] - 2024) * 12 + date.getUTCMonth() - 4;
    offsets[i] = isSummerTime(day) ? '+02:00' : '+01:00';
  }
  return true;
}

export function dateOf(day: number): string {
  return fill(day) ? dates[day - TABLE_FROM] : new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function dayFromParts(year: number, month: number, dayOfMonth: number): number {
  return Math.floor(Date.UTC(year, month - 1, dayOfMonth) / DAY_MS);
}

export function yearOf(day: number): number {
  return fill(day) ? years[day - TABLE_FROM] : new Date(day * DAY_MS).getUTCFullYear();
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(day: number): number {
  return (day + 4) % 7; // 1970-01-01 was a Thursday
}

/** The same day if it is a weekday, else the next Monday. */
export function workday(day: number): number {
  const weekday = weekdayOf(day);
  return weekday === 6 ? day + 2 : weekday === 0 ? day + 1 : day;
}

/** The month (epoch) of a day: May 2024 is 0. */
export function epochOf(day: number): number {
  if (fill(day)) return epochs[day - TABLE_FROM];
  const date = new Date(day * DAY_MS);
  return (date.getUTCFullYear() - 2024) * 12 + date.getUTCMonth() - 4;
}

export function firstDayOfEpoch(epoch: number): number {
  const months = epoch + 4;
  return dayFromParts(2024 + Math.floor(months / 12), (months % 12) + 1, 1);
}

export function lastDayOfEpoch(epoch: number): number {
  return firstDayOfEpoch(epoch + 1) - 1;
}

export const LAST_EPOCH = epochOf(HISTORY_END);

/** The instant at `minute` (minutes after midnight, ≥ 03:00) of `day`, in Lille's local time with its offset. */
export function instant(day: number, minute: number): string {
  const hh = String(Math.floor(minute / 60)).padStart(2, '0');
  const mm = String(minute % 60).padStart(2, '0');
  const offset = fill(day) ? offsets[day - TABLE_FROM] : isSummerTime(day) ? '+02:00' : '+01:00';
  return `${dateOf(day)}T${hh}:${mm}:00${offset}`;
}

/** The same instant as `instant(day, minute)`, in milliseconds since 1970. */
export function instantMs(day: number, minute: number): number {
  const summerTime = fill(day) ? offsets[day - TABLE_FROM] === '+02:00' : isSummerTime(day);
  return day * DAY_MS + (minute - (summerTime ? 120 : 60)) * 60_000;
}

/** Minutes after midnight. */
export const at = (hours: number, minutes = 0) => hours * 60 + minutes;
