import { RuleProblem } from '../shared/problem-details';

/** A checkpoint of `size` is not in the ledger. */
export function noCheckpointOfSize(size: number): RuleProblem {
  return new RuleProblem(404, 'CheckpointMustExist', 'No checkpoint of that size', `the ledger has signed no checkpoint of size ${size} (GET /ledger/checkpoints lists them)`, 'size');
}
