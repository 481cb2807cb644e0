import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { eventStoreConfig } from '@mel/event-store';
import { APP_ROLE, MIGRATION_ROLE } from './migrations';
import { projectRoot } from './project-root';

/*
 * The deployment files say what the code reads: every environment variable that infra/compose.yaml
 * and infra/Dockerfile give to the ledger's own image, and every configuration name docs/operations.md
 * mentions, is one the sources read; every variable the sources read is documented there.
 */
// js-yaml comes with the toolchain (@nestjs/swagger, jest); the ledger itself does not read YAML.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { load } = require('js-yaml') as { load(text: string): unknown };

const root = projectRoot();
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/**
 * Every `env.NAME`, `process.env.NAME` and `env['NAME']` of apps/ and libs/, tests left out, and the web
 * front too: it runs in the browser and reads no environment; its one variable, VITE_API, is the
 * development server's (`npm run web:dev`), never a deployment's.
 */
function variablesReadByCode(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'testing' && path !== join(root, 'apps', 'web')) walk(path);
      } else if (entry.name.endsWith('.ts') && !/\.(e2e-)?spec\.ts$/.test(entry.name)) {
        const text = readFileSync(path, 'utf8');
        for (const match of text.matchAll(/\benv(?:\?)?\.([A-Z][A-Z0-9_]*)\b|\benv\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\]/g)) {
          const name = match[1] ?? match[2];
          found.set(name, [...(found.get(name) ?? []), relative(root, path)]);
        }
      }
    }
  };
  walk(join(root, 'apps'));
  walk(join(root, 'libs'));
  return found;
}

interface ComposeService {
  build?: unknown;
  image?: string;
  environment?: Record<string, unknown> | string[];
}

function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) return Object.fromEntries(env.map((line) => [line.split('=')[0], line.slice(line.indexOf('=') + 1)]));
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v ?? '')]));
}

describe('deployment files and the configuration the code reads', () => {
  const code = variablesReadByCode();
  const compose = load(read('infra/compose.yaml')) as { services: Record<string, ComposeService> };
  const ledgerImage = compose.services.api.image;
  /** The services that run this repository's code: built here, or from the image built here. */
  const ours = Object.entries(compose.services).filter(([, s]) => s.build !== undefined || s.image === ledgerImage);

  it('finds the variables in the sources (the search itself works)', () => {
    for (const name of ['DATABASE_URL', 'DATABASE_APP_URL', 'LEDGER_EVENT_STORE', 'EVENTSTORE_CONNECTION_STRING', 'LEDGER_SIGNING_KEY_FILE', 'LEDGER_CHECKPOINT_INTERVAL_SECONDS', 'PORT', 'HOST']) {
      expect([name, code.has(name)]).toEqual([name, true]);
    }
    expect(code.has('NOT_A_VARIABLE')).toBe(false);
  });

  it('gives the ledger image, in infra/compose.yaml, only variables the code reads', () => {
    expect(ours.map(([name]) => name).sort()).toEqual(['api', 'cli']);
    for (const [name, service] of ours) {
      const unknown = Object.keys(environmentOf(service)).filter((variable) => !code.has(variable));
      expect({ service: name, unknown }).toEqual({ service: name, unknown: [] });
    }
  });

  it('sets, in infra/Dockerfile, only variables the code reads', () => {
    const names = [...read('infra/Dockerfile').matchAll(/^ENV\s+(.+)$/gm)].flatMap((m) => [...m[1].matchAll(/([A-Z][A-Z0-9_]*)=/g)].map((n) => n[1]));
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((name) => !code.has(name))).toEqual([]);
  });

  it('points the API at the three EventStoreDB nodes with a connection string the code accepts', () => {
    const env = environmentOf(compose.services.api);
    const config = eventStoreConfig({ ...env, LEDGER_EVENT_STORE: 'eventstoredb' });
    expect(config).toMatchObject({ kind: 'eventstoredb', namespace: env.LEDGER_EVENTSTORE_NAMESPACE });
    const nodes = ['eventstore1', 'eventstore2', 'eventstore3'].map((n) => environmentOf(compose.services[n]));
    const ips = nodes.map((n) => n.EVENTSTORE_NODE_IP);
    expect((config as { connectionString: string }).connectionString).toContain(ips.map((ip) => `${ip}:2113`).join(','));
    for (const [i, node] of nodes.entries()) {
      expect(node.EVENTSTORE_CLUSTER_SIZE).toBe('3');
      // Each node's gossip seeds are the two others.
      expect(node.EVENTSTORE_GOSSIP_SEED.split(',').sort()).toEqual(ips.filter((_, j) => j !== i).map((ip) => `${ip}:2113`).sort());
    }
  });

  it('connects the ledger with the roles the migrations and hardening.sql create', () => {
    const env = environmentOf(compose.services.api);
    expect(new URL(env.DATABASE_APP_URL).username).toBe(APP_ROLE);
    expect(new URL(env.DATABASE_URL).username).toBe('ledger_admin');
    const hardening = read('infra/postgres/hardening.sql');
    for (const role of [MIGRATION_ROLE, APP_ROLE, 'ledger_admin']) expect(hardening).toMatch(new RegExp(`CREATE ROLE ${role}\\b`));
    expect(hardening).toMatch(new RegExp(`ALTER ROLE ${APP_ROLE} LOGIN NOSUPERUSER .*NOINHERIT`));
    expect(hardening).toMatch(/ALTER ROLE ledger_admin LOGIN NOSUPERUSER/);
    expect(hardening).toMatch(/GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO ledger_app/);
  });

  it('documents in docs/operations.md every variable the code reads, and names none it does not read', () => {
    const doc = read('docs/operations.md');
    const mentioned = new Set([...doc.matchAll(/\b(LEDGER_[A-Z0-9_]+|DATABASE_[A-Z0-9_]+|EVENTSTORE_CONNECTION_STRING)\b/g)].map((m) => m[1]));
    expect([...mentioned].filter((name) => !code.has(name))).toEqual([]);
    const words = new Set(doc.match(/\b[A-Z][A-Z0-9_]+\b/g));
    const undocumented = [...code.keys()].filter((name) => !words.has(name)).map((name) => `${name} (${code.get(name)![0]})`);
    expect(undocumented).toEqual([]);
  });
});
