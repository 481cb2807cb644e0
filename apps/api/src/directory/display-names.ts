import { Injectable } from '@nestjs/common';
import { PersonalDirectory } from '@mel/application';
import type { Actor } from '@mel/domain';
import type { Request } from 'express';
import { actorFrom } from '../shared/actor';

/** Looks a member id up: the person's display name, or null (not a person of the directory, or erased). */
export type NameOf = (memberId: string | null | undefined) => string | null;

/**
 * Names where authenticated people read them (ADR 12): a query that lists members adds each one's
 * `displayName`, looked up in the personal directory at the time of the query — never stored in a read
 * model, never in the open data. Only for a reader identified by a token whose role is not `public`.
 */
@Injectable()
export class DisplayNames {
  constructor(private readonly directory: PersonalDirectory) {}

  /** The lookup for `ids` as this request's reader may see them; undefined when they may see no names. */
  async for(request: Request, ids: Iterable<string | null | undefined>): Promise<NameOf | undefined> {
    if (!mayReadNames(await readerOf(request))) return undefined;
    const names = await this.directory.displayNames(ids);
    return (id) => (id ? (names.get(id) ?? null) : null);
  }
}

/** The request's identified actor, or null on a route open to anyone and called without a token. */
export async function readerOf(request: Request): Promise<Actor | null> {
  try {
    return await actorFrom(request);
  } catch {
    return null;
  }
}

/** Names are for the people who work with the contract, never for the public. */
export function mayReadNames(reader: Actor | null): reader is Actor {
  return reader !== null && reader.role !== 'public';
}
