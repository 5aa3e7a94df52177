// The home of one in no group lists the soonest open decisions they may answer (advisory) and, when more
// are open, "Every open decision". That link counted escalated decisions, which the list leaves out:
// with only escalated ones open it stood alone under nothing, and under a full list it promised more
// than there were to answer. The link now says more only of those the list would list, and escalated
// ones are said apart in words.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDecision } from '../../src/app/decisions/decisions.ts';
import type { Actor } from '../../src/app/core/hub.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { person, type TestHub } from '../support/hub.ts';
import { hostingGroupWithMail } from '../support/notifications.ts';
import { pageText as text, signInAs } from '../support/web-client.ts';
import { demoSignIn } from '../support/web-hub.ts';

describe.each(databases)('the home of one in no group, on $name', (database) => {
  let hub: TestHub;
  let lead: Actor;
  beforeEach(async () => {
    ({ hub, lead } = await hostingGroupWithMail(database));
    await person(hub, 'newcomer');
  });
  afterEach(async () => hub?.close());

  const open = (question: string) =>
    openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question,
      significance: 'minor',
      deadline: '2026-03-20T12:00:00Z',
    });
  const home = async () => {
    const web = await signInAs(createHttpApp(hub, undefined, { web: demoSignIn }), 'newcomer');
    return (await web.get('/')).html;
  };

  it('shows no bare "Every open decision" when only escalated decisions are open', async () => {
    for (let i = 0; i < 2; i++) await open(`Escalated question number ${i}?`);
    await hub.store.db.updateTable('decisions').set({ recorded_state: 'escalated:pending' }).execute();
    const page = await home();
    expect(text(page)).toContain('None: no open decision is waiting for your voice.');
    expect(page).not.toContain('>Every open decision</a>');
    // the escalated ones said apart, in words, with the way to them
    expect(text(page)).toContain(
      'Decisions escalated to the core maintainers take no answers until they resolve them, so none is listed here: every open decision shows them.',
    );
  });

  it('links every open decision under the list only when more are open to answer than it lists', async () => {
    for (let i = 0; i < 2; i++) await open(`Escalated question number ${i}?`);
    await hub.store.db.updateTable('decisions').set({ recorded_state: 'escalated:pending' }).execute();
    for (let i = 0; i < 5; i++) await open(`Open question number ${i}?`);
    let page = await home();
    expect(page).toContain('id="open-elsewhere"');
    expect(page).toContain('Open question number 4?');
    // five listed, and no sixth to answer: no promise of more, and the escalated ones said apart
    expect(text(page)).toContain('so they are not listed here: every open decision shows them.');
    await open('Open question number 5?');
    page = await home();
    expect(text(page)).toContain('so they are not listed here: every open decision shows them and the rest.');
    await hub.store.db.deleteFrom('decisions').where('recorded_state', 'like', 'escalated:%').execute();
    expect(await home()).toContain('<a href="/decisions?open=true">Every open decision</a>');
  });
});
