// Every main page as a group lead reads it, at a desktop's width (1280 px) and a phone's (360 px),
// on a hub with the demo community and the real corpus imported (test/support/widths.ts: no page
// scrolls sideways, no script error, axe-core finds nothing serious). The lead's own and a
// facilitator's pages, and a maintainer's, are in widths-member.browser.test.ts.
// WGHUB_DOCS_SCREENSHOTS=1 writes the screenshots into docs/screenshots.
import { afterAll, beforeAll, test } from 'vitest';
import { signInAs } from '../support/browser.ts';
import { checkPages, openWidthsHub, PUBLIC, type WidthsHub } from '../support/widths.ts';

let w: WidthsHub;
beforeAll(async () => {
  w = await openWidthsHub();
}, 180_000);
afterAll(async () => {
  await w?.close();
});

test('every main page, signed in as a group lead, at 1280 and 360 px', async () => {
  await signInAs(w.browser.page, w.hub.base, 'Sam Rivera');
  await checkPages(w, PUBLIC, 'Sam Rivera', { docShots: true });
}, 600_000);
