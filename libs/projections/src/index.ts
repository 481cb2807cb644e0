export * from './commitments/commitment-row.entity';
export * from './commitments/commitments.projection';
export * from './projection';
export * from './projection-runner';
export * from './read-model-versions';
export * from './rebuild';
export * from './amendments/amendments.projection';
export * from './governance/governance.projection';
