// Saving a charter section as it was shown changes nothing, on both databases: no new version (so
// nobody else's edit is refused for it), no changelog line, no event; and its text, directional marks
// (U+200E, U+200F, U+061C) and all, is stored as it stood. A proposal saved unchanged already kept
// its version; it is held here too, marks included.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getCharterPage } from '../../src/app/groups/charter-history.ts';
import { changelogChars, sectionMarkdown } from '../../src/domain/charter-edit.ts';
import { LIMITS } from '../../src/domain/limits.ts';
import { updateCharter } from '../../src/app/groups/groups.ts';
import { createProposal, getProposal, updateProposal } from '../../src/app/proposals/proposals.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { asActor, openDemoHub, type TestHub } from '../support/hub.ts';
import { pageText, signInAs } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 };
// right-to-left words with Latin ones beside them, held in place by the marks, in prose, a list and a table
const MARKED =
  '\u200fהקבוצה מתחזקת את SEP-1686\u200e.\n\n- \u200fסעיף א\u200e: streams\n- \u061cبند ب\u200e\n\n| מי | \u200fמה |\n| --- | --- |\n| \u200fsam | lead\u200e |';

describe.each(databases)('a charter or proposal saved unchanged on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  beforeEach(async () => {
    hub = await openDemoHub(database);
    app = createHttpApp(hub, undefined, { web: demo });
  });
  afterEach(async () => hub?.close());

  const amendments = async () =>
    (
      await hub.store.db
        .selectFrom('events')
        .select('seq')
        .where('kind', '=', 'group.charter-amended')
        .where('subject_id', '=', 'hosting')
        .execute()
    ).length;

  it('every section of the charter, saved as shown, leaves the version, the changelog and the log as they were', async () => {
    const sam = await asActor(hub, 'sam-lead');
    const before = await getCharterPage(hub, 'hosting');
    const events = await amendments();
    // a section with subsections shows them in its text, as saving it replaces them
    expect(sectionMarkdown(before.document, 'Scope')).toMatch(/^### /m);
    for (const s of before.document.sections.filter((x) => x.level === 2 && x.heading !== 'Changelog')) {
      const after = await updateCharter(hub, sam, 'hosting', before.version, {
        sections: [{ heading: s.heading, markdown: sectionMarkdown(before.document, s.heading)! }],
        changelog: 'Saved again',
      });
      expect([s.heading, after.version]).toEqual([s.heading, before.version]);
    }
    // the same name is no rename either
    expect((await updateCharter(hub, sam, 'hosting', before.version, { name: before.name })).version).toBe(
      before.version,
    );
    const now = await getCharterPage(hub, 'hosting');
    expect(now.document).toEqual(before.document);
    expect(await amendments()).toBe(events);
    // a real change still is one, with its changelog line
    const heading = before.document.sections.find((x) => x.level === 2 && x.heading !== 'Changelog')!.heading;
    const changed = await updateCharter(hub, sam, 'hosting', before.version, {
      sections: [{ heading, markdown: MARKED }],
      changelog: 'In both scripts',
    });
    expect(changed.version).toBe(before.version + 1);
    expect(await amendments()).toBe(events + 1);
  });

  it('a section holding directional marks, saved from the web form as shown, keeps them and the version', async () => {
    const sam = await asActor(hub, 'sam-lead');
    const start = await getCharterPage(hub, 'hosting');
    const heading = start.document.sections.find((x) => x.level === 2 && x.heading !== 'Changelog')!.heading;
    await updateCharter(hub, sam, 'hosting', start.version, {
      sections: [{ heading, markdown: MARKED }],
      changelog: 'In both scripts',
    });
    const stored = await getCharterPage(hub, 'hosting');
    const shown = sectionMarkdown(stored.document, heading)!;
    for (const mark of ['\u200e', '\u200f', '\u061c']) expect(shown).toContain(mark);
    const events = await amendments();
    const w = await signInAs(app, 'sam-lead');
    const form = await w.get(`/groups/hosting/charter/edit?section=${encodeURIComponent(heading)}`);
    expect(form.status).toBe(200);
    // the textarea holds the text as stored, marks and all (a browser sends its lines back as CRLF)
    const area = /<textarea[^>]*name="markdown"[^>]*>([\s\S]*?)<\/textarea>/.exec(form.html)![1]!;
    const unescaped = area
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>')
      .replaceAll('&quot;', '"')
      .replaceAll('&#39;', "'")
      .replaceAll('&amp;', '&')
      .replace(/^\n/, '');
    expect(unescaped).toBe(shown);
    const saved = await w.post('/groups/hosting/charter', {
      version: String(stored.version),
      heading,
      markdown: unescaped.replace(/\n/g, '\r\n'),
      changelog: 'Saved again',
    });
    expect(saved.status).toBe(303);
    // the lead is told that nothing changed, so the changelog line they typed is not dropped unseen
    expect(pageText((await w.get('/groups/hosting')).html)).toContain(
      `Nothing changed: the charter section “${heading}” was saved as it stood, so no new version and no changelog line were added.`,
    );
    const after = await getCharterPage(hub, 'hosting');
    expect(after.version).toBe(stored.version);
    expect(after.document).toEqual(stored.document);
    expect(sectionMarkdown(after.document, heading)).toBe(shown);
    expect(await amendments()).toBe(events);
  });

  it("the Changelog's editor counts it as the server measures it, and saves it as shown", async () => {
    const sam = await asActor(hub, 'sam-lead');
    let g = await getCharterPage(hub, 'hosting');
    // one long line, then short ones: padded to the long line's width the table is past a section's
    // bound, while its lines as written are far within it
    let version = (await updateCharter(hub, sam, 'hosting', g.version, { changelog: 'x'.repeat(1_000) })).version;
    for (let i = 0; i < 55; i++)
      version = (await updateCharter(hub, sam, 'hosting', version, { changelog: `Short change ${i}` })).version;
    g = await getCharterPage(hub, 'hosting');
    const measured = changelogChars(g.document);
    expect(measured).toBeLessThan(LIMITS.document);
    expect(sectionMarkdown(g.document, 'Changelog')!.length).toBeGreaterThan(LIMITS.document);
    const w = await signInAs(app, 'sam-lead');
    const form = await w.get('/groups/hosting/charter/edit?section=Changelog');
    const area = /<textarea[^>]*name="markdown"[^>]*>([\s\S]*?)<\/textarea>/.exec(form.html)![1]!.replace(/^\n/, '');
    // the text area holds what the server counts, and the hint says that count against the bound
    expect(area.length).toBe(measured);
    expect(pageText(form.html)).toContain(
      `${measured.toLocaleString('en')} of the ${LIMITS.document.toLocaleString('en')} characters the Changelog holds`,
    );
    // saved as shown, with one line taken out, it is taken (padded, it was refused as too long)
    const lines = area.split('\n');
    const saved = await w.post('/groups/hosting/charter', {
      version: String(g.version),
      heading: 'Changelog',
      markdown: [...lines.slice(0, 2), ...lines.slice(3)].join('\r\n'),
      changelog: 'Dropped one line',
    });
    expect(saved.status).toBe(303);
    expect((await getCharterPage(hub, 'hosting')).version).toBe(g.version + 1);
  });

  it('a proposal whose problem holds directional marks, saved unchanged, keeps them and its version', async () => {
    const amara = await asActor(hub, 'amara');
    const problem = '\u200fזרם שנקטע בפריסה\u200e cannot be resumed on another server.\n\nשנייה\u061c: second\u200f';
    const p = await createProposal(hub, amara, {
      title: 'Resumable streams behind load balancers',
      problem,
      examples: ['A rolling deploy drops every open stream'],
      layer: 'working-group-artifact',
      group: 'hosting',
    });
    expect(p.problem).toBe(problem);
    const again = await updateProposal(hub, amara, p.ref, p.version, {
      title: p.title,
      problem: problem.replace(/\n/g, '\r\n'),
      examples: p.examples,
    });
    expect(again.version).toBe(p.version);
    expect((await getProposal(hub, p.ref)).problem).toBe(problem);
  });
});
