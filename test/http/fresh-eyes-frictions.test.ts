// Frictions a fresh-eyes walk of the hub found (test/web/fresh-eyes.browser.test.ts), held at the
// HTTP level on both databases: what a reader of the pages and the API would notice.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { respondToDecision } from '../../src/app/decisions/decisions.ts';
import { submitWrittenInput } from '../../src/app/meetings/agenda.ts';
import { notificationsReaction } from '../../src/app/notifications/notify.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { LIMITS } from '../../src/domain/limits.ts';
import { databases } from '../support/databases.ts';
import { asActor, openDemoHub, type TestHub } from '../support/hub.ts';
import { pageText, signInAs } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 * 60 };

describe.each(databases)('fresh-eyes frictions on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  const api = async (method: string, path: string, who: string, body?: unknown) => {
    const { token } = await createToken(hub, SYSTEM, who);
    const res = await app.request(`http://localhost${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, text, json: () => JSON.parse(text) };
  };

  beforeEach(async () => {
    hub = await openDemoHub(database, { work: true });
    hub.reactions.push(notificationsReaction({ mail: false }));
    app = createHttpApp(hub, undefined, { web: demo });
  });
  afterEach(async () => hub?.close());

  it('each row of a decision\'s "Who was told" says whose block it told of, so two blocks are two rows told apart', async () => {
    // D-1 (opened by Sam): Jonas blocks, then Priya does; Sam is told of each (it said "a block" twice)
    const block = (reason: string) => ({
      kind: 'block',
      reason,
      alternative: 'Wait for the stateless transport work.',
    });
    await respondToDecision(hub, await asActor(hub, 'jonas'), 'D-1', block('The examples name one gateway only.'));
    await respondToDecision(hub, await asActor(hub, 'priya'), 'D-1', block('The guide is not reviewed yet.'));
    const sam = await signInAs(app, 'sam-lead');
    const page = pageText((await sam.get('/decisions/D-1')).html);
    const told = page.slice(page.indexOf('Who was told'));
    expect(told).not.toMatch(/\ba block\b/);
    // Jonas is a participant: his block is shown as an advisory objection, Priya's counts
    expect(told).toMatch(/Sam Rivera \(@sam-lead\) Jonas Berg's objection \(advisory, not counted\)/);
    expect(told).toMatch(/Sam Rivera \(@sam-lead\) Priya Nair's block/);
    // the same over REST: each row carries the notice's title and whose block it was
    const view = (await api('GET', '/api/decisions/D-1', 'sam-lead')).json();
    const samsBlocks = view.notified.told.filter(
      (t: { handle: string; kind: string }) => t.handle === 'sam-lead' && t.kind === 'decision-blocked',
    );
    expect(samsBlocks.map((t: { by: { handle: string } }) => t.by.handle).sort()).toEqual(['jonas', 'priya']);
    expect(samsBlocks.map((t: { title: string }) => t.title).join(' | ')).toMatch(
      /D-1 blocked by Priya Nair \(@priya\)/,
    );
  });

  it('the welcome page says anyone signed in may answer decisions (advisory) and send written input, not participants only', async () => {
    const amara = await signInAs(app, 'amara');
    const page = pageText((await amara.get('/welcome')).html);
    expect(page).not.toContain('you may answer its decisions and send written input');
    expect(page).toContain(
      "Whatever your level, or none, once signed in you may answer any group's decisions and send written input to any of its meetings you cannot attend (its facilitators present it, a courtesy open to all).",
    );
    expect(page).toContain("others' answers are shown as advisory");
  });

  it('the welcome page says who may answer decisions and send written input as the governance file in force has it, agreements first', async () => {
    // a file that narrows written input to a group's members and leads: the page said anyone might send it
    hub.governance = {
      ...hub.governance,
      permissions: { ...hub.governance.permissions, 'meeting.writtenInput': { groupLevels: ['member', 'lead'] } },
    };
    const amara = await signInAs(app, 'amara');
    const page = pageText((await amara.get('/welcome')).html);
    expect(page).toContain("Whatever your level, or none, once signed in you may answer any group's decisions.");
    expect(page).not.toContain('a courtesy open to all');
    expect(page).toContain('Only a group member or lead may send written input.');
    expect(page).toContain(
      `Both need the ${hub.governance.agreements.codeOfConduct.title} and the contribution terms accepted first.`,
    );
    // narrowed answering is said of groups in general, not of "this decision" (no decision is in view)
    hub.governance = {
      ...hub.governance,
      permissions: { ...hub.governance.permissions, 'decision.respond': { groupLevels: ['member', 'lead'] } },
    };
    const narrowed = pageText((await amara.get('/welcome')).html);
    expect(narrowed).toContain("Only a group member or lead may answer a group's decisions.");
    expect(narrowed).not.toContain('this decision');
  });

  it('"What needs the group" shows on a content meeting too, as REST answers for it, adding items of its kind', async () => {
    const sam = await signInAs(app, 'sam-lead');
    // M-2 is a content meeting of Hosting; REST listed D-1 for it while the page showed nothing
    const rest = (await api('GET', '/api/meetings/M-2/agenda-suggestions', 'sam-lead')).json();
    expect(rest.items.map((i: { ref: string }) => i.ref)).toContain('D-1');
    const html = (await sam.get('/meetings/M-2')).html;
    expect(pageText(html)).toContain('What needs the group');
    expect(html).toMatch(
      /<input type="hidden" name="kind" value="content"><button type="submit" class="secondary">Add D-1 to the agenda/,
    );
  });

  it('"Add D-n to the agenda" adds a decision whose question has line breaks and runs long, as one line cut with an ellipsis', async () => {
    const question = `Adopt the session affinity guide?\n\nIt covers three gateways: ${'Envoy, HAProxy and NGINX. '.repeat(15)}`;
    await hub.store.db.updateTable('decisions').set({ question }).where('number', '=', 1).execute();
    const sam = await signInAs(app, 'sam-lead');
    const html = (await sam.get('/meetings/M-2')).html;
    const form =
      /name="title" value="([^"]*)"><input type="hidden" name="link" value="D-1"><input type="hidden" name="kind" value="([a-z]+)">/.exec(
        html,
      );
    expect(form).not.toBeNull();
    const title = form![1]!
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
    const added = await sam.post('/meetings/M-2/agenda', { title, link: 'D-1', kind: form![2]! });
    expect(added.status, pageText(added.html).slice(0, 400)).toBe(303);
    const item = await hub.store.db
      .selectFrom('meeting_agenda_items')
      .select('title')
      .where('link_ref', '=', 'D-1')
      .executeTakeFirstOrThrow();
    expect(item.title).toMatch(/^Adopt the session affinity guide\? It covers three gateways: Envoy.*…$/);
    expect([...item.title].length).toBeLessThanOrEqual(300);
  });

  it('publishing an agenda says how many were told, counted from the notices written, on the web and over REST', async () => {
    const priya = await signInAs(app, 'priya');
    await priya.get('/meetings/M-2');
    const published = await priya.post('/meetings/M-2/publish', {});
    expect(published.status).toBe(303);
    const told = await hub.store.db
      .selectFrom('notifications')
      .select('person_id')
      .where('subject_ref', '=', 'M-2')
      .where('kind', '=', 'agenda-published')
      .execute();
    expect(told.length).toBeGreaterThan(1);
    expect(pageText((await priya.get('/meetings/M-2')).html)).toContain(
      `The agenda is published; ${told.length} members and watchers were told.`,
    );
    // again over REST: the unread notices take the news, the same people told once more
    const again = await api('POST', '/api/meetings/M-2/agenda/publish', 'priya');
    expect(again.status, again.text).toBe(200);
    expect(again.json().told).toEqual({
      people: told.length,
      inBatches: false,
      message: `The agenda is published; ${told.length} members and watchers were told.`,
    });
  });

  it('the same written input sent again is the one already stored: 200, not a second copy nor a second notice', async () => {
    const body = { item: '1', body: 'I run envoy with consistent hashing; traces attached in the repo.' };
    const inputs = () =>
      hub.store.db
        .selectFrom('meeting_written_inputs as w')
        .innerJoin('people as p', 'p.id', 'w.author_id')
        .select('w.id')
        .where('p.handle', '=', 'amara')
        .where('w.body', '=', body.body)
        .execute();
    const notices = () =>
      hub.store.db.selectFrom('notifications').select('id').where('subject_ref', '=', 'M-2').execute();
    const first = await api('POST', '/api/meetings/M-2/written-input', 'amara', body);
    expect(first.status, first.text).toBe(201);
    const told = (await notices()).length;
    const again = await api('POST', '/api/meetings/M-2/written-input', 'amara', body);
    expect(again.status, again.text).toBe(200);
    expect(again.json().writtenInput).toEqual({ id: first.json().writtenInput.id, alreadySent: true });
    expect(await inputs()).toHaveLength(1);
    expect((await notices()).length).toBe(told);
    // on the web too: the flash says it was already sent, and the agenda holds it once
    const amara = await signInAs(app, 'amara');
    await amara.get('/meetings/M-2');
    expect((await amara.post('/meetings/M-2/written-input', body)).status).toBe(303);
    expect(pageText((await amara.get('/meetings/M-2')).html)).toContain('You had already sent this input on this item');
    expect(await inputs()).toHaveLength(1);
  });

  it('identical written input resent by one at the written-input limit is answered with the one stored; a new one is refused', async () => {
    const amara = await asActor(hub, 'amara');
    for (let i = 0; i < LIMITS.writtenInputsPerPerson; i++)
      await submitWrittenInput(hub, amara, 'M-2', { item: '1', body: `Point ${i + 1} from afar.` });
    const again = await api('POST', '/api/meetings/M-2/written-input', 'amara', {
      item: '1',
      body: 'Point 1 from afar.',
    });
    expect(again.status, again.text).toBe(200);
    expect(again.json().writtenInput.alreadySent).toBe(true);
    const more = await api('POST', '/api/meetings/M-2/written-input', 'amara', { item: '1', body: 'One point more.' });
    expect(more.status).toBe(403);
    expect(more.json().detail).toContain('as many as one person may');
  });

  if (database.name === 'postgres')
    it('identical written input sent in parallel is stored once', async () => {
      const body = { item: '1', body: 'Sent twice at once by a flaky connection, the same words.' };
      const answers = await Promise.all(
        [1, 2, 3].map(() => api('POST', '/api/meetings/M-2/written-input', 'amara', body)),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 201]);
      const rows = await hub.store.db
        .selectFrom('meeting_written_inputs')
        .select('id')
        .where('body', '=', body.body)
        .execute();
      expect(rows).toHaveLength(1);
    });
});
