// "Why not" under a refused action reads a moment in its reason in the viewer's zone on every page,
// as the decision page did alone (the others passed no zone and showed UTC): the zone now comes
// with the request the widget is given, so no page can leave it out.
import { describe, expect, it } from 'vitest';
import { alreadySo } from '../../src/domain/policies/verdict.ts';
import type { WebContext } from '../../src/http/web/context.ts';
import { unavailable, whyNot, whyNotWords } from '../../src/http/web/pages/widgets.ts';

const viewerIn = (zone: string | null) =>
  ({ var: { session: zone ? { person: { time_zone: zone } } : null } }) as unknown as WebContext;

const asked = alreadySo('You already asked for a vote, at 2026-11-02T09:00:00.000Z: it opens when enough have asked');

describe('why not, in the viewer zone', () => {
  it('every widget that says why not shows the moment in the signed-in viewer zone, named', async () => {
    const c = viewerIn('Asia/Tokyo');
    const rendered = [
      String(await whyNot(c, asked, '/groups/registry')),
      String(await whyNotWords(c, asked, '/proposals/SEP-1', 'vote')),
      String(await unavailable(c, asked, { id: 'vote', label: 'Ask for a vote', here: '/meetings/M-1' })),
    ];
    for (const html of rendered) {
      expect(html).toContain('Mon 2 Nov 2026, 18:00 (Asia/Tokyo)');
      expect(html).not.toContain('(UTC)');
      expect(html).not.toContain('2026-11-02T09:00');
    }
  });

  it('a visitor (no zone on record) reads UTC, named', async () => {
    const html = String(await whyNot(viewerIn(null), asked, '/groups/registry'));
    expect(html).toContain('Mon 2 Nov 2026, 09:00 (UTC)');
  });
});
