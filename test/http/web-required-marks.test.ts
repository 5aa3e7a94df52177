// Required fields were not marked on the web forms. They are now, read from the schema that
// validates the use case's input (so a mark and a refusal never disagree), each form explaining the
// mark once, and assistive technology told by aria-required (not the browser's own check, which
// would stop the form at its first empty field before the hub could name every mistake).
import { describe, expect, it } from 'vitest';
import { OpenDecisionInput } from '../../src/app/decisions/schemas.ts';
import { AgendaItemInput, ScheduleMeetingInput } from '../../src/app/meetings/schemas.ts';
import { CreateProposalInput } from '../../src/app/proposals/schemas.ts';
import { requiredFields, withFieldLabels } from '../../src/http/web/forms.ts';
import { databases } from '../support/databases.ts';
import { signInAs } from '../support/web-client.ts';
import { webHubPerTest } from '../support/web-hub.ts';

const LEGEND = 'Fields marked with an asterisk (<span class="required-mark">*</span>) are required.';

/** The names of a form's fields marked required, and whether any carries the browser's own check. */
function marked(page: string, action: string) {
  const start = page.indexOf(`action="${action}"`);
  const form = page.slice(start, page.indexOf('</form>', start));
  const names = [
    ...form.matchAll(/<(?:input|textarea|select)[^>]*name="([^"]+)"[^>]*(?:aria-required="true"|\srequired[\s>])/g),
    ...form.matchAll(/<fieldset[^>]*aria-required="true"[^>]*>[\s\S]*?name="([^"]+)"/g),
  ].map((m) => m[1]!);
  return { names: [...new Set(names)].sort(), legend: form.includes(LEGEND), native: /\srequired[\s>]/.test(form) };
}

describe('what the schemas require', () => {
  it('is each field whose rule refuses it missing; one with a default or marked optional is not', () => {
    expect([...requiredFields(ScheduleMeetingInput)].sort()).toEqual(['group', 'kind', 'startsAt', 'title']);
    expect([...requiredFields(OpenDecisionInput)].sort()).toEqual([
      'group',
      'question',
      'significance',
      'subject',
      'subject.type',
    ]);
    expect([...requiredFields(CreateProposalInput)].sort()).toEqual(['layer', 'problem', 'title']);
    expect([...requiredFields(AgendaItemInput)]).toEqual(['title']);
  });

  it('names an error by its label without the mark', () => {
    const page =
      '<div class="error-summary"><ul><li><a href="#f-title">title: must not be empty</a></li></ul></div>' +
      '<label for="f-title" class="required">Title</label><input id="f-title">';
    expect(withFieldLabels(page)).toContain('<a href="#f-title">Title: must not be empty</a>');
  });
});

describe.each(databases)('required marks on the forms, on $name', (database) => {
  const web = webHubPerTest(database);

  it('the schedule, new decision, new proposal, agenda item, charter, topic area, new group and meeting outcome forms mark what they require', async () => {
    const sam = await signInAs(web.app, 'sam-lead');
    expect(marked((await sam.get('/meetings/new')).html, '/meetings/new')).toEqual({
      names: ['group', 'kind', 'startsAt', 'title'],
      legend: true,
      native: false,
    });
    expect(marked((await sam.get('/decisions/new')).html, '/decisions/new')).toEqual({
      names: ['group', 'question', 'significance', 'subject.type'],
      legend: true,
      native: false,
    });
    expect(marked((await sam.get('/proposals/new')).html, '/proposals/new')).toEqual({
      names: ['layer', 'problem', 'title'],
      legend: true,
      native: false,
    });
    expect(marked((await sam.get('/meetings/M-2')).html, '/meetings/M-2/agenda')).toEqual({
      names: ['title'],
      legend: true,
      native: false,
    });
    // the charter form sends its changelog always, and the use case refuses it empty: the one field
    // it needs, checked by the browser too
    expect(marked((await sam.get('/groups/hosting/charter/edit')).html, '/groups/hosting/charter')).toEqual({
      names: ['changelog'],
      legend: true,
      native: true,
    });
    // the topic area, new group, meeting decision and action item forms had no mark at all, though
    // each refuses its required fields empty
    expect(marked((await sam.get('/groups/hosting/topics/new')).html, '/groups/hosting/topics/new')).toEqual({
      names: ['facilitators', 'goal', 'name', 'slug'],
      legend: true,
      native: false,
    });
    expect(
      marked(
        (await sam.get('/groups/hosting/topics/horizontal-scaling/edit')).html,
        '/groups/hosting/topics/horizontal-scaling/edit',
      ),
    ).toEqual({ names: ['facilitators', 'goal', 'name'], legend: true, native: false });
    expect(marked((await sam.get('/groups/new')).html, '/groups/new')).toEqual({
      names: ['kind', 'leads', 'mission', 'name', 'scopeIn', 'slug'],
      legend: true,
      native: false,
    });
    // editing a proposal marked its title alone, with the browser's own check, which stopped the form
    // at an empty title before the hub could name a too-short problem too; the problem was unmarked
    await sam.get('/proposals/new');
    const filed = await sam.post('/proposals/new', {
      title: 'Retry budgets for gateways',
      problem: 'Gateways retry without a shared budget, so one slow server takes many retries at once.',
      layer: 'working-group-artifact',
      route: 'contribution',
    });
    const edit = `${filed.location}/edit`;
    expect(marked((await sam.get(edit)).html, edit)).toEqual({
      names: ['layer', 'problem', 'title'],
      legend: true,
      native: false,
    });
    const past = (await sam.get('/meetings/M-1')).html;
    expect(marked(past, '/meetings/M-1/actions')).toEqual({
      names: ['description', 'due', 'owner'],
      legend: true,
      native: false,
    });
    expect(marked(past, '/meetings/M-1/decisions')).toEqual({ names: ['summary'], legend: true, native: false });
    // a label carries the mark as a class the stylesheet draws, so the label's words stay its name
    expect((await sam.get('/meetings/new')).html).toContain('<label for="f-title" class="required">Title</label>');
  });
});
