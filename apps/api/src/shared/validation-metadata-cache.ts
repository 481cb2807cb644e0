import { getMetadataStorage } from 'class-validator';

type Storage = ReturnType<typeof getMetadataStorage>;
type Lookup = Storage['getTargetValidationMetadatas'];

/** The storages already wrapped (class-validator has one per process; tests may pass another). */
const wrapped = new WeakSet<Storage>();

/**
 * class-validator looks up a DTO class's rules at every validation by testing the class against every
 * class that has rules (`prototype instanceof`, for inherited rules): with the ledger's hundred-odd
 * DTOs, a few percent of a cheap request's CPU, for an answer that does not change once the classes are
 * loaded. This keeps the answer per class (and per schema and options; a lookup by validation groups is
 * not kept, the ledger uses none), and forgets every kept answer when a rule is added, as a class loaded
 * later would. The arrays are class-validator's own answer, which it only reads.
 */
export function cacheValidationMetadata(storage: Storage = getMetadataStorage()): void {
  if (wrapped.has(storage)) return;
  wrapped.add(storage);
  const lookup: Lookup = storage.getTargetValidationMetadatas.bind(storage);
  const add = storage.addValidationMetadata.bind(storage);
  const kept = new Map<unknown, Map<string, ReturnType<Lookup>>>();
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    if (groups !== undefined && groups.length > 0) return lookup(target, schema, always, strictGroups, groups);
    const key = `${schema}\u0000${always}\u0000${strictGroups}`;
    let byOptions = kept.get(target);
    if (!byOptions) kept.set(target, (byOptions = new Map()));
    let answer = byOptions.get(key);
    if (!answer) byOptions.set(key, (answer = lookup(target, schema, always, strictGroups, groups)));
    return answer;
  };
  storage.addValidationMetadata = (metadata) => {
    kept.clear();
    add(metadata);
  };
}
