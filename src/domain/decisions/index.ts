export * from './outcome.ts';
export * from './weighting.ts';
export * from './extension.ts';
export * from './on-record.ts';
