// The trained hints model shipped with wghub (`npm run train:hints` writes model.json).
import data from './model.json' with { type: 'json' };
import type { HintsModel } from './model.ts';

export const model = data as unknown as HintsModel;
