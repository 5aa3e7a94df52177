export * from './document.ts';
export * from './facts.ts';
export * from './drift.ts';
