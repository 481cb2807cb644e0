import { getMetadataStorage, IsInt, IsString, MaxLength, MetadataStorage, validate } from 'class-validator';
import { cacheValidationMetadata } from './validation-metadata-cache';

class Query {
  @IsString()
  @MaxLength(3)
  code!: unknown;
}
class Wider extends Query {
  @IsInt()
  limit!: unknown;
}

describe('cacheValidationMetadata', () => {
  it("looks a class's rules up once, and again after a rule is added", () => {
    // A storage of its own holding the rules the decorators gave the global one, its lookups counted.
    const storage = new MetadataStorage();
    const rules = getMetadataStorage().getTargetValidationMetadatas(Wider, '', false, false);
    rules.forEach((rule) => storage.addValidationMetadata(rule));
    let lookups = 0;
    const lookup = storage.getTargetValidationMetadatas.bind(storage);
    storage.getTargetValidationMetadatas = (...args) => (lookups++, lookup(...args));
    cacheValidationMetadata(storage);

    const first = storage.getTargetValidationMetadatas(Wider, '', false, false);
    const second = storage.getTargetValidationMetadatas(Wider, '', false, false);
    expect(first.map((r) => `${r.propertyName}:${r.name ?? r.type}`).sort()).toEqual(rules.map((r) => `${r.propertyName}:${r.name ?? r.type}`).sort());
    expect(second).toBe(first);
    expect(lookups).toBe(1);
    // Other options are another answer; groups are never kept.
    storage.getTargetValidationMetadatas(Wider, '', true, false);
    storage.getTargetValidationMetadatas(Wider, '', false, false, ['g']);
    storage.getTargetValidationMetadatas(Wider, '', false, false, ['g']);
    expect(lookups).toBe(4);

    storage.addValidationMetadata(getMetadataStorage().getTargetValidationMetadatas(Query, '', false, false)[0]);
    storage.getTargetValidationMetadatas(Wider, '', false, false);
    expect(lookups).toBe(5);
  });
});

describe('validation through the global storage, cached', () => {
  const errorsOf = async (value: object) => (await validate(Object.assign(new Wider(), value))).map((e) => [e.property, Object.keys(e.constraints ?? {}).sort()]);

  it('refuses and accepts the same values as without the cache, inherited rules included', async () => {
    const uncached = [await errorsOf({ code: 'toolong', limit: 'x' }), await errorsOf({ code: 'ok', limit: 3 })];
    cacheValidationMetadata();
    const cached = [await errorsOf({ code: 'toolong', limit: 'x' }), await errorsOf({ code: 'ok', limit: 3 }), await errorsOf({ code: 'toolong', limit: 'x' })];
    expect(uncached).toEqual([
      [
        ['limit', ['isInt']],
        ['code', ['maxLength']],
      ],
      [],
    ]);
    expect(cached).toEqual([...uncached, uncached[0]]);
  });

  it('applies a rule added after a validation (a class loaded later)', async () => {
    cacheValidationMetadata();
    class Late {
      @IsString()
      title!: unknown;
      note!: unknown;
    }
    expect(await validate(Object.assign(new Late(), { title: 'x', note: 'five' }))).toEqual([]);
    IsInt()(Late.prototype, 'note');
    const errors = await validate(Object.assign(new Late(), { title: 'x', note: 'five' }));
    expect(errors.map((e) => e.property)).toEqual(['note']);
  });
});
