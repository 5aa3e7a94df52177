// Sensorium (test/support/sensorium.ts) cites its documents as RFC-12, stored SEP-12: the event log
// as REST, MCP and the command line read it, the group's chat and weekly summary, an exported
// document (its heading and where its pull request goes, read back by the import) and the forms'
// hints say RFC; the stored rows, the chain and the route's id stay as they were.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { record, SYSTEM } from '../../src/app/core/hub.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { eventLogTail } from '../../src/app/log/log.ts';
import {
  addWebhook,
  CHAT_QUEUE,
  CHAT_SUMMARY_QUEUE,
  chatReaction,
  nextSummaryAt,
  postWeeklySummary,
} from '../../src/app/notifications/chat.ts';
import { Worker } from '../../src/app/core/worker.ts';
import { openDecision } from '../../src/app/decisions/decisions.ts';
import { readJson } from '../../src/store/schema.ts';
import { addComment } from '../../src/app/proposals/comments.ts';
import { createProposal } from '../../src/app/proposals/proposals.ts';
import { exportSep, importSepText } from '../../src/app/imports/seps.ts';
import { priorWork } from '../../src/app/search/search.ts';
import { indexProposal } from '../../src/app/search/indexing.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { httpClient, serveMcpOverHttp } from '../mcp/support.ts';
import { databases } from '../support/databases.ts';
import { openDemoHub, asActor, type TestHub } from '../support/hub.ts';
import { sensoriumGovernance } from '../support/sensorium.ts';
import { pageText, signInAs } from '../support/web-client.ts';

type LogItem = { kind: string; subject: { type: string; id: string }; after: Record<string, unknown> | null };

describe.each(databases)('a community’s document references in what the hub writes, on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  let draft: string;
  beforeEach(async () => {
    hub = await openDemoHub(database, { rules: { name: 'sensoriumGovernance', make: sensoriumGovernance } });
    const priya = await asActor(hub, 'priya');
    const numbered = await createProposal(hub, priya, {
      title: 'Unit suffixes in metric names',
      problem: 'Metric names mix unit suffixes, so dashboards break across vendors.',
      layer: 'specification',
      route: 'sep',
      group: 'hosting',
    });
    await hub.store.db
      .updateTable('proposals')
      .set({ sep_number: 12 })
      .where('number', '=', Number(numbered.ref.slice(2)))
      .execute();
    // as a number given on GitHub is indexed: the search finds it by its reference
    const { id } = await hub.store.db
      .selectFrom('proposals')
      .select('id')
      .where('sep_number', '=', 12)
      .executeTakeFirstOrThrow();
    await hub.store.db.transaction().execute((trx) => indexProposal(trx, id));
    draft = (
      await createProposal(hub, priya, {
        title: 'Histogram bucket names',
        problem: 'Bucket boundaries are named differently by every exporter.',
        layer: 'specification',
        route: 'sep',
        group: 'hosting',
      })
    ).ref;
    await addComment(hub, priya, 'RFC-12', { body: 'The table of suffixes is in the appendix.' });
    await hub.store.db.transaction().execute(async (trx) => {
      // a relation recorded to the document: its facts name it as stored
      await record(trx, hub, SYSTEM, 'proposal.related', { type: 'proposal', id: draft }, null, {
        type: 'builds-on',
        to: 'SEP-12',
      });
    });
    app = createHttpApp(hub, undefined, {
      web: { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 },
    });
  });
  afterEach(async () => hub?.close());

  it('the event log cites RFC-12 on REST and MCP (and to the command line); the stored events and their chain keep SEP-12', async () => {
    const rest = (await (await app.request('/api/events?limit=20')).json()) as { items: LogItem[] };
    const commented = rest.items.find((e) => e.kind === 'proposal.commented')!;
    expect(commented.subject).toEqual({ type: 'proposal', id: 'RFC-12' });
    expect(rest.items.find((e) => e.kind === 'proposal.related')!.after).toMatchObject({ to: 'RFC-12' });
    expect(JSON.stringify(rest.items)).not.toMatch(/SEP-12\b/);

    const served = await serveMcpOverHttp(hub);
    try {
      const client = await httpClient(served.url, 'modern', (await createToken(hub, SYSTEM, 'priya')).token);
      const read = await client.readResource({ uri: 'wghub://log/tail' });
      const text = (read.contents[0] as { text: string }).text;
      expect(text).toContain('"id": "RFC-12"');
      expect(text).not.toMatch(/SEP-12\b/);
      await client.close();
    } finally {
      served.server.close();
    }

    // what is stored is what was recorded, and the chain over it holds
    const stored = await hub.store.db
      .selectFrom('events')
      .select(['subject_id', 'after'])
      .where('kind', 'in', ['proposal.commented', 'proposal.related'])
      .execute();
    expect(stored.map((e) => e.subject_id)).toContain('SEP-12');
    expect(stored.map((e) => e.after).join('\n')).toContain('"to":"SEP-12"');
    expect(((await (await app.request('/api/events/verify')).json()) as { ok: boolean }).ok).toBe(true);
    expect((await eventLogTail(hub, { limit: 5 })).items.map((e) => e.subject.id)).not.toContain('SEP-12');
  });

  it('the group’s chat cites RFC-12: its weekly summary, where it said P-n, and a question naming SEP-12', async () => {
    hub.reactions.push(chatReaction('https://hub.sensorium.example'));
    await addWebhook(hub, await asActor(hub, 'sam-lead'), 'hosting', {
      format: 'discord',
      url: 'https://chat.sensorium.example/hook',
    });
    await hub.store.db
      .updateTable('proposals')
      .set({ stage: 'awaiting-sponsor' })
      .where('sep_number', '=', 12)
      .execute();
    await openDecision(hub, await asActor(hub, 'sam-lead'), {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Adopt the unit suffixes of SEP-12 for our dashboards?',
      significance: 'minor',
    });
    // the week's summary goes on Monday morning
    hub.clock.set(nextSummaryAt(hub.clock.now()).toISOString());
    await new Worker(hub, {
      [CHAT_SUMMARY_QUEUE]: (h, j) => postWeeklySummary(h, j, 'https://hub.sensorium.example'),
    }).drain();
    const posts = (
      await hub.store.db.selectFrom('jobs').select('payload').where('queue', '=', CHAT_QUEUE).execute()
    ).map((p) => (readJson(p.payload) as { message: { title: string; lines: string[] } }).message);
    const said = posts.flatMap((m) => [m.title, ...m.lines]);
    expect(said).toContain('- RFC-12 needs a sponsor: Unit suffixes in metric names');
    expect(said.some((l) => l.endsWith('opened: Adopt the unit suffixes of RFC-12 for our dashboards?'))).toBe(true);
    expect(said.join('\n')).not.toMatch(/SEP-12|\bP-\d+ needs a sponsor: Unit suffixes/);
  });

  it('an exported document is headed RFC-12 with the community’s pull-request address, and reads back as the same document', async () => {
    const md = await exportSep(hub, 'RFC-12');
    expect(md.split('\n')[0]).toBe('# RFC-12: Unit suffixes in metric names');
    expect(md).toContain('/pull/{NUMBER}');
    // the specification layer's repository of the governance file (the MCP community's in the default)
    const repo = hub.governance.proposals.layers.find((l) => l.id === 'specification')!.pullRequests!;
    expect(md).toContain(`- **PR**: ${repo}/pull/{NUMBER}`);
    hub.governance = {
      ...hub.governance,
      proposals: {
        ...hub.governance.proposals,
        layers: hub.governance.proposals.layers.map((l) =>
          l.id === 'specification' ? { ...l, pullRequests: 'https://github.com/sensorium/spec' } : l,
        ),
      },
    };
    expect(await exportSep(hub, 'RFC-12')).toContain('- **PR**: https://github.com/sensorium/spec/pull/{NUMBER}');

    // read back (an edited copy sent to the importer) as SEP-12, the same document
    const warnings: string[] = [];
    const back = await importSepText(
      hub,
      SYSTEM,
      md.replace('metric names', 'metric names, revised'),
      '0012-units.md',
      (w) => warnings.push(w),
    );
    expect(back).toMatchObject({ ref: 'SEP-12' });
    const row = await hub.store.db.selectFrom('proposals').select('title').where('sep_number', '=', 12).execute();
    expect(row.map((r) => r.title)).toEqual(['Unit suffixes in metric names, revised']);

    // a contribution is refused in the community's words
    const contribution = await createProposal(hub, await asActor(hub, 'priya'), {
      title: 'A guide to sticky sessions',
      problem: 'Operators keep asking how to pin sessions behind a load balancer.',
      layer: 'working-group-artifact',
      route: 'contribution',
      group: 'hosting',
    });
    await expect(exportSep(hub, contribution.ref)).rejects.toMatchObject({
      issues: [
        {
          field: 'ref',
          rule: `${contribution.ref} follows the contribution route, not the RFC process; only RFCs export as RFC files`,
        },
      ],
    });
  });

  it('prior work says a relation an imported document’s header records is its RFC header’s', async () => {
    const ids = await hub.store.db.selectFrom('proposals').select(['id', 'number', 'sep_number']).execute();
    const of = (ref: string) => ids.find((p) => (p.sep_number ? `SEP-${p.sep_number}` : `P-${p.number}`) === ref)!.id;
    await hub.store.db
      .insertInto('proposal_relations')
      .values({
        id: hub.newId(),
        from_id: of(draft),
        kind: 'related',
        to_id: of('SEP-12'),
        status: 'confirmed',
        created_by: null,
        created_at: hub.clock.now().toISOString(),
        confirmed_by: 'import',
      })
      .execute();
    const found = await priorWork(hub, { title: 'Histogram bucket names', text: '', exclude: draft, limit: 10 });
    expect(found.find((m) => m.ref === 'RFC-12')?.reasons).toContain(
      `recorded: ${draft} is related to RFC-12 (its RFC header says so)`,
    );
  });

  it('the forms’ hints give an RFC reference as the example', async () => {
    const sam = await signInAs(app, 'sam-lead');
    const decisionForm = pageText((await sam.get('/decisions/new?group=hosting')).html);
    expect(decisionForm).toContain('A reference such as RFC-2575 or P-12.');
    const proposal = pageText((await sam.get(`/proposals/${draft}`)).html);
    expect(proposal).toContain('@handle, RFC-n, P-n or #n, D-n and M-n link');
    expect(proposal).not.toMatch(/\bSEP-(?:n|\d)/);
    const meeting = pageText((await sam.get('/meetings/M-2')).html);
    expect(meeting).toContain('A reference such as P-12, RFC-2575 or D-3.');
  });
});
