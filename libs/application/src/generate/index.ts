export { generateHistory, type GenerateHistoryOptions, type HistoryReport } from './generate-history';
export { Random, hash32 } from './random';
