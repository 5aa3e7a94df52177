export * from './route.ts';
export * from './gates.ts';
export * from './layer-questionnaire.ts';
export * from './relations.ts';
export * from './authors-part.ts';
