export * from './schema.ts';
export * from './validate.ts';
export * from './permissions.ts';
export * from './describe.ts';
export * from './github.ts';
export * from './words.ts';
