import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * DESIGN §7.1: the domain imports nothing from Nest, TypeORM, pg or any I/O; time, actor and facts
 * arrive in the command. This test reads every source file of libs/domain and fails on a forbidden import.
 */
const FORBIDDEN = /^(@nestjs\/|typeorm|pg$|pg-|express|@mel\/(event-store|database|ledger)|node:|fs$|path$|crypto$|uuid$|@eventstore\/)/;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'testing' ? [] : sources(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

function forbiddenImports(text: string): string[] {
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g)]
    .map((m) => m[1] ?? m[2] ?? m[3])
    .filter((module) => FORBIDDEN.test(module));
}

describe('libs/domain purity', () => {
  const root = join(__dirname);
  const files = sources(root);

  it('has sources to check', () => {
    expect(files.length).toBeGreaterThan(3);
  });

  it('catches the imports it forbids', () => {
    const sample = `import { Injectable } from '@nestjs/common';\nimport type { Pool } from 'pg';\nconst fs = require('node:fs');\nimport { ensure } from '../shared/rules';`;
    expect(forbiddenImports(sample)).toEqual(['@nestjs/common', 'pg', 'node:fs']);
  });

  it.each(files.map((f) => [relative(root, f), f]))('%s imports no framework, driver or I/O module', (_name, file) => {
    expect(forbiddenImports(readFileSync(file, 'utf8'))).toEqual([]);
  });
});
