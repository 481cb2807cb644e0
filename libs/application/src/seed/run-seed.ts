import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { EventStore } from '@mel/event-store';
import { CommandExecutor } from '../command-executor';
import { deterministicEventId } from '../deterministic-event-id';
import { melContractSeed, type SeedStep } from './mel-contract-seed';
import { parsePressKit } from './press-kit';
import { parseQpvCsv } from './qpv';

export const PRESS_KIT_FILE = 'seed/contrat-ville-solidarites-mel-2024-dossier-de-presse.txt';
export const QPV_FILE = 'reference/qpv-mel-2024.csv';

/**
 * The seed's sources, read in place: LEDGER_SEED_DIR, or the `shared` folder beside the project.
 * Throws, saying where it looked, when they are not there.
 */
export function loadMelSeed(projectRoot: string, env: NodeJS.ProcessEnv = process.env): SeedStep[] {
  const dir = resolve(env.LEDGER_SEED_DIR || join(projectRoot, '..', 'shared'));
  const pressKitPath = join(dir, PRESS_KIT_FILE);
  const qpvPath = join(dir, QPV_FILE);
  for (const path of [pressKitPath, qpvPath]) {
    if (!existsSync(path)) {
      throw new Error(`the seed reads ${path}, which is not there: set LEDGER_SEED_DIR to the folder holding ${PRESS_KIT_FILE} and ${QPV_FILE}`);
    }
  }
  const pressKit = readFileSync(pressKitPath);
  return melContractSeed(parsePressKit(pressKit.toString('utf8')), parseQpvCsv(readFileSync(qpvPath, 'utf8')), pressKit);
}

export interface SeedReport {
  steps: number;
  /** Steps whose events were written by this run (the others were already in the ledger). */
  written: number;
  events: number;
  head: number;
}

/**
 * Runs the seed's steps through the one command path. Each step's events have ids derived from its
 * key and date: a step already in the ledger answers from it and writes nothing, so running the seed
 * twice changes nothing, and a run interrupted half-way is completed by the next.
 */
export async function runSeed(store: EventStore, steps: SeedStep[], onStep?: (done: number, total: number) => void): Promise<SeedReport> {
  const executor = new CommandExecutor(store);
  let written = 0;
  let events = 0;
  for (const [i, step] of steps.entries()) {
    const answer = await executor.execute(step.decider, step.aggregateId, step.command, {
      firstEventId: deterministicEventId(`seed:${step.key}`, step.command.at),
    });
    if (!answer.replayed) {
      written++;
      events += answer.events.length;
    }
    onStep?.(i + 1, steps.length);
  }
  return { steps: steps.length, written, events, head: await store.head() };
}
