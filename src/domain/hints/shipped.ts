// The trained hints model shipped with wghub (model.json, `npm run train:hints`), loaded on first
// use rather than by every process: parsed, it is about 7 MB of heap and 60 ms of a start, and a
// `serve` may answer for hours (a group read, the probes) without judging any text. The judgement
// itself stays synchronous (domain/interests.ts): a use case that judges text awaits
// `loadShippedModel()` first; requests at once share the one load, and a load that failed is tried
// again by the next.
import { onFirstUse } from '../first-use.ts';
import type { HintsModel } from './model.ts';

/** Loads the shipped model once (the same promise for every caller until it is loaded). */
export const loadShippedModel = onFirstUse(
  async () => (await import('./model.json', { with: { type: 'json' } })).default as unknown as HintsModel,
);

/** The shipped model, once `loadShippedModel()` has loaded it. */
export function shippedModel(): HintsModel {
  const model = loadShippedModel.made();
  if (!model)
    throw new Error('the hints model is not loaded: await loadShippedModel() (src/domain/hints/shipped.ts) first');
  return model;
}
