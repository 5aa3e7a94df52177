// A refused form speaks the form's words, not the API's: found by a new user who read
// "sections[0].markdown: …" on the charter editor, "must be one of: common-patterns,
// specification-change, both" under a topic area's radio buttons, and, for a meeting sent without a
// start, "must be an ISO date-time with a zone, e.g. Thu 3 Dec 2026, 08:00 (…)".
import { describe, expect, it } from 'vitest';
import { databases } from '../support/databases.ts';
import { pageText as text, signInAs } from '../support/web-client.ts';
import { webHubPerTest } from '../support/web-hub.ts';

describe.each(databases)('form errors in the words of the form on $name', (database) => {
  const web = webHubPerTest(database);

  it("a charter section's error is named by its label, beside the field and in the summary", async () => {
    const sam = await signInAs(web.app, 'sam-lead');
    const form = await sam.get('/groups/hosting/charter/edit');
    const version = /name="version" value="(\d+)"/.exec(form.html)![1]!;
    const heading = /name="heading" value="([^"]+)"/.exec(form.html)![1]!;
    const refused = await sam.post('/groups/hosting/charter', {
      version,
      heading,
      markdown: 'Hosting practices \u202e reversed',
      changelog: 'Tried a control character',
    });
    expect(refused.status).toBe(422);
    const shown = text(refused.html);
    expect(shown).not.toContain('sections[0]');
    expect(shown).toMatch(/There is a problem Text of “[^”]+” \(markdown\): must not contain control or invisible/);
    expect(refused.html).toMatch(/<p class="field-error" id="f-sections-0-markdown-error">must not contain/);
  });

  it('radio buttons left unchosen ask for a choice, not for the values they send', async () => {
    const sam = await signInAs(web.app, 'sam-lead');
    await sam.get('/groups/hosting/topics/new');
    const refused = await sam.post('/groups/hosting/topics/new', { slug: 'load-tests', name: 'Load tests' });
    expect(refused.status).toBe(422);
    const shown = text(refused.html);
    expect(shown).toContain('What will it produce: choose one of the options');
    expect(shown).toContain('choose one of the options below');
    expect(shown).not.toContain('common-patterns');
  });

  it('a meeting sent without a start is told the start is required', async () => {
    const sam = await signInAs(web.app, 'sam-lead');
    await sam.get('/meetings/new');
    const refused = await sam.post('/meetings/new', {
      group: 'hosting',
      kind: 'process',
      title: 'No start given',
      startsAt: '',
      timeZone: 'UTC',
      durationMinutes: '60',
      repeat: 'none',
    });
    expect(refused.status).toBe(422);
    const shown = text(refused.html);
    expect(shown).toContain('Starts at: is required: a date and time');
    expect(shown).not.toContain('ISO');
  });
});
