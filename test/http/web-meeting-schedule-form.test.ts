// The schedule form as a new user met it, on both databases, over the demo community (Hosting has the
// topic area horizontal-scaling, Security has tool-poisoning, Observability has none; kai-core may
// schedule in all three). The topic list offered every group's areas whatever group was chosen, and a
// count of meetings with "Does not repeat" was dropped without a word.
import { describe, expect, it } from 'vitest';
import { createTopicArea } from '../../src/app/groups/topic-areas.ts';
import { listMeetings } from '../../src/app/meetings/meetings.ts';
import { TOPIC_SCRIPT } from '../../src/http/web/pages/meetings.ts';
import { databases } from '../support/databases.ts';
import { asActor } from '../support/hub.ts';
import { pageText as text, signInAs, WebClient } from '../support/web-client.ts';
import { webHubPerTest } from '../support/web-hub.ts';

const schedule = {
  group: 'hosting',
  kind: 'process',
  title: 'Hosting planning',
  startsAt: '2026-12-08T09:00',
  timeZone: 'UTC',
  durationMinutes: '60',
};

describe.each(databases)('the schedule form on $name', (database) => {
  const web = webHubPerTest(database);

  it("lists each topic area under its group's name, with the script that keeps only the chosen group's", async () => {
    const kai = await signInAs(web.app, 'kai-core');
    const form = (await kai.get('/meetings/new')).html;
    // each heading and option names its group, for the script: two groups' areas may share a short name
    expect(form).toContain(
      '<optgroup label="Hosting" data-group="hosting"><option value="horizontal-scaling" data-group="hosting">Horizontal scaling</option></optgroup>',
    );
    expect(form).toContain(
      '<optgroup label="Security" data-group="security"><option value="tool-poisoning" data-group="security">Tool poisoning</option></optgroup>',
    );
    expect(form).not.toContain('<optgroup label="Observability"');
    expect(form).toContain('<div data-topic-groups>');
    expect(form).toContain(`<script src="${TOPIC_SCRIPT.path}" defer></script>`);
    expect(form).not.toMatch(/<script>/);

    const script = await web.app.request(TOPIC_SCRIPT.path);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toContain('immutable');
    expect(await script.text()).toBe(TOPIC_SCRIPT.body);
  });

  it("still refuses another group's topic area, keeping the choices", async () => {
    const kai = await signInAs(web.app, 'kai-core');
    await kai.get('/meetings/new');
    const refused = await kai.post('/meetings/new', {
      ...schedule,
      group: 'observability',
      topic: 'horizontal-scaling',
    });
    expect(refused.status).toBe(422);
    expect(text(refused.html)).toContain("no topic area 'horizontal-scaling' in observability");
    expect(refused.html).toContain('<option value="observability" selected>Observability</option>');
    expect(refused.html).toContain(
      '<option value="horizontal-scaling" data-group="hosting" selected>Horizontal scaling</option>',
    );
  });

  it("marks only the chosen group's area selected when another group has an area with the same short name", async () => {
    const kai = await signInAs(web.app, 'kai-core');
    await createTopicArea(web.hub, await asActor(web.hub, 'kai-core'), 'security', {
      slug: 'horizontal-scaling',
      name: 'Scaling scanners',
      goal: 'common-patterns',
      facilitators: ['kai-core'],
    });
    await kai.get('/meetings/new');
    // a browser selects the last option marked selected: Security's, which the script then cleared
    for (const group of ['hosting', 'security']) {
      const refused = await kai.post('/meetings/new', { ...schedule, group, topic: 'horizontal-scaling', title: 'Go' });
      expect(refused.status).toBe(422);
      // both areas are offered, each under its group, and only the chosen group's is selected
      expect(refused.html.match(/<option value="horizontal-scaling"[^>]*>[^<]*<\/option>/g)).toEqual(
        [
          ['hosting', 'Horizontal scaling'],
          ['security', 'Scaling scanners'],
        ].map(
          ([g, n]) =>
            `<option value="horizontal-scaling" data-group="${g}"${g === group ? ' selected' : ''}>${n}</option>`,
        ),
      );
    }
  });

  it('tells a facilitator refused a meeting of the whole group which topic area is theirs to schedule', async () => {
    // Priya facilitates Horizontal scaling: refused a meeting of all of Hosting, she read only that
    // leads schedule for the group, though a meeting of her topic area was hers to schedule
    const priya = await signInAs(web.app, 'priya');
    await priya.get('/meetings/new');
    const refused = await priya.post('/meetings/new', { ...schedule, kind: 'content' });
    expect(refused.status).toBe(403);
    expect(text(refused.html)).toContain(
      'You facilitate “Horizontal scaling”: choose it under “Topic area” to schedule its meeting.',
    );
    expect(refused.html).toMatch(/<input[^>]*name="title"[^>]*value="Hosting planning"/);
    const made = await priya.post('/meetings/new', { ...schedule, kind: 'content', topic: 'horizontal-scaling' });
    expect(made.status).toBe(303);
    // someone who facilitates nothing reads no such line
    const jonas = await signInAs(web.app, 'jonas');
    await jonas.get('/meetings/new');
    expect(text((await jonas.post('/meetings/new', schedule)).html)).not.toContain('You facilitate');
  });

  it('refuses a count of meetings with "Does not repeat", naming the field and keeping the input', async () => {
    const sam = await signInAs(web.app, 'sam-lead');
    await sam.get('/meetings/new');
    const before = (await listMeetings(web.hub, { limit: 200 })).items.length;
    const refused = await sam.post('/meetings/new', { ...schedule, repeat: 'none', times: '5' });
    expect(refused.status).toBe(422);
    const page = text(refused.html);
    expect(page).toContain(
      'How many times in all (optional): only a repeating meeting can be held more than once; choose how it repeats, or leave this empty',
    );
    expect(refused.html).toContain('href="#f-times"');
    expect(refused.html).toMatch(/<input[^>]*name="times"[^>]*value="5"/);
    expect(refused.html).toContain('<option value="none" selected>Does not repeat</option>');
    expect((await listMeetings(web.hub, { limit: 200 })).items.length).toBe(before);

    // once, or left empty, is a one-off meeting as before
    const once = await sam.post('/meetings/new', { ...schedule, repeat: 'none', times: '1' });
    expect(once.status).toBe(303);
    const empty = await sam.post('/meetings/new', {
      ...schedule,
      title: 'Hosting planning, again',
      repeat: 'none',
      times: '',
    });
    expect(empty.status).toBe(303);
    const made = (await listMeetings(web.hub, { limit: 200 })).items.filter((m) =>
      m.title.startsWith('Hosting planning'),
    );
    expect(made.map((m) => m.rrule)).toEqual([null, null]);

    // a repeating meeting takes the count
    const series = await sam.post('/meetings/new', {
      ...schedule,
      title: 'Hosting series',
      repeat: 'weekly',
      times: '5',
    });
    expect(series.status).toBe(303);
    const page2 = text((await new WebClient(web.app).get(series.location!)).html);
    expect(page2).toContain('Repeats every week, 5 times');
  });
});
