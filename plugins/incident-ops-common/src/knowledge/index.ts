export * from './ranking';
export * from './tokenize';
