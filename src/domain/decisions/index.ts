export * from './outcome.ts';
export * from './weighting.ts';
