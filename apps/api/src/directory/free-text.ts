/**
 * The warning on every free-text field of a command (ADR 12): what is typed there is recorded in the
 * immutable log, hashed into the Merkle tree and often published, so it can never be erased. People
 * are named by their personId of the personal directory, never by name.
 */
export const NO_PERSONAL_DATA =
  'Free text kept for good in the immutable log (and often in the open data): it can never be erased, so it must hold no personal data — ' +
  'no one’s name, email or phone. Name a person by their personId (POST /directory/people).';

/** `description` followed by the warning. */
export function freeText(description?: string): string {
  return description ? `${description}. ${NO_PERSONAL_DATA}` : NO_PERSONAL_DATA;
}
