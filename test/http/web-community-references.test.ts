// A community whose documents are RFCs (`proposals.routes.sep.shortName: RFC` in its copy of
// governance/default.yaml) cites them as RFC-12: pages, REST answers, MCP results and the links a
// comment's mention makes all say so, and the addresses and references of before (SEP-12) still
// lead to the same document. The route's id stays `sep`. A hub of the MCP community behaves as before.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_GOVERNANCE_PATH, parseGovernance } from '../../src/app/core/governance-file.ts';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { addComment } from '../../src/app/proposals/comments.ts';
import { createProposal, getProposal } from '../../src/app/proposals/proposals.ts';
import { requestReview } from '../../src/app/proposals/review-request.ts';
import { subscriptionOf } from '../../src/app/notifications/subscriptions.ts';
import { priorWork, recordPriorWork } from '../../src/app/search/search.ts';
import { indexProposal } from '../../src/app/search/indexing.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { httpClient, serveMcpOverHttp } from '../mcp/support.ts';
import { databases } from '../support/databases.ts';
import { openDemoHub, asActor, type TestHub } from '../support/hub.ts';
import { pageText, signInAs } from '../support/web-client.ts';
import { Worker } from '../../src/app/core/worker.ts';
import { getDecision, openDecision } from '../../src/app/decisions/decisions.ts';
import { listInbox } from '../../src/app/notifications/inbox.ts';
import { createMailer, sendDigest, sendNotificationMail } from '../../src/app/notifications/mail.ts';
import { DIGEST_QUEUE, MAIL_QUEUE, notificationsReaction } from '../../src/app/notifications/notify.ts';
import { listSubscriptions, setSubscription } from '../../src/app/notifications/subscriptions.ts';
import { startSmtp } from '../support/smtp.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 };

/** Sensorium's copy of the default file: its documents are RFCs. */
const sensorium = () =>
  parseGovernance(
    readFileSync(DEFAULT_GOVERNANCE_PATH, 'utf8')
      .replace('name: MCP Community', 'name: Sensorium')
      .replace('shortName: SEP', 'shortName: RFC'),
    'sensorium.yaml',
  );

describe.each(databases)("a community's own document references on $name", (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  let other: string;

  /** The demo community with one document numbered 12 (as a pull request numbers it) and a proposal citing it. */
  async function open(rfcs: boolean) {
    hub = await openDemoHub(
      database,
      rfcs ? { rules: { name: 'sensorium (web-community-references)', make: sensorium } } : {},
    );
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
    other = (
      await createProposal(hub, priya, {
        title: 'Histogram bucket names',
        problem: 'Bucket boundaries are named differently by every exporter.',
        layer: 'specification',
        route: 'sep',
        group: 'hosting',
      })
    ).ref;
    await addComment(hub, priya, other, { body: 'This follows RFC-12 and SEP-12 closely.' });
    app = createHttpApp(hub, undefined, { web: demo });
  }
  afterEach(async () => hub?.close());

  describe('where the documents are RFCs', () => {
    beforeEach(() => open(true));

    it('pages and REST answers cite RFC-12, a mention RFC-12 links to it, and SEP-12 still leads there', async () => {
      const priya = await signInAs(app, 'priya');
      const page = await priya.get('/proposals/RFC-12');
      expect(page.status).toBe(200);
      expect(pageText(page.html)).toContain('RFC-12');
      expect(pageText(page.html)).not.toContain('SEP-12');
      // the address of before still answers
      expect((await priya.get('/proposals/SEP-12')).status).toBe(200);
      expect((await priya.get('/proposals/rfc-12')).status).toBe(200);

      const rest = await app.request('/api/proposals/RFC-12');
      expect(rest.status).toBe(200);
      expect(await rest.json()).toMatchObject({ ref: 'RFC-12', route: 'sep', sepNumber: 12 });
      expect(((await (await app.request('/api/proposals/SEP-12')).json()) as { ref: string }).ref).toBe('RFC-12');
      const list = (await (await app.request('/api/proposals?limit=100')).json()) as { items: { ref: string }[] };
      expect(list.items.map((i) => i.ref)).toContain('RFC-12');
      expect(list.items.map((i) => i.ref)).not.toContain('SEP-12');

      // a comment's mention, in the community's words or the old ones, links to the document
      const citing = (await priya.get(`/proposals/${other}`)).html;
      expect(citing).toContain('<a href="/proposals/RFC-12">RFC-12</a>');
      expect(citing).toContain('<a href="/proposals/SEP-12">SEP-12</a>');
    });

    it("an assistant reads RFC-12, and the route argument is explained in the community's words", async () => {
      const served = await serveMcpOverHttp(hub);
      try {
        const client = await httpClient(served.url, 'modern', (await createToken(hub, SYSTEM, 'priya')).token);
        const create = (await client.listTools()).tools.find((t) => t.name === 'create_draft_proposal')!;
        const route = (create.inputSchema.properties as Record<string, { description?: string }>).route!;
        expect(route.description).toMatch(/sep: an? RFC\b/);
        expect(JSON.stringify(create.inputSchema)).not.toMatch(/Specification Enhancement Proposal|\bSEP/);
        for (const ref of ['RFC-12', 'SEP-12']) {
          const got = await client.callTool({ name: 'get_proposal', arguments: { ref } });
          expect(got.structuredContent).toMatchObject({ ref: 'RFC-12', route: 'sep' });
        }
        // the ref get_proposal gave is one relate_proposal takes as `to` (its pattern knew SEP-, P- and # alone)
        const relate = (await client.listTools()).tools.find((t) => t.name === 'relate_proposal')!;
        const to = (relate.inputSchema.properties as Record<string, { pattern?: string }>).to!;
        expect(new RegExp(to.pattern!).test('RFC-12')).toBe(true);
        const related = await client.callTool({
          name: 'relate_proposal',
          arguments: { ref: other, kind: 'builds-on', to: 'RFC-12' },
        });
        expect(related.isError, JSON.stringify(related.content)).toBeFalsy();
        expect(JSON.stringify(related.structuredContent)).toContain('RFC-12');
        await client.close();
      } finally {
        served.server.close();
      }
    });
    it('search results, agenda links and the search filters speak of RFCs, and offer no GitHub the hub has not', async () => {
      const sam = await signInAs(app, 'sam-lead');
      const found = await sam.get('/search?q=unit+suffixes');
      expect(pageText(found.html)).toContain('RFC-12: Unit suffixes in metric names');
      // no repositories named and nothing mirrored: nothing GitHub's to narrow a search to
      expect(found.html).toContain('<option value="sep">RFCs</option>');
      expect(found.html).not.toContain('value="github-issue"');
      expect(found.html).not.toContain('value="github-discussion"');
      // an agenda item linked as the community cites it is linked to the document, not read as a path
      const jonas = await signInAs(app, 'jonas');
      await jonas.get('/meetings/M-2');
      const added = await jonas.post('/meetings/M-2/agenda', {
        title: 'Unit suffixes',
        description: '',
        link: 'RFC-12',
      });
      expect(added.status).toBe(303);
      expect((await jonas.get('/meetings/M-2')).html).toMatch(/href="\/proposals\/(RFC|SEP)-12"/);
    });
  });

  describe('where the documents are RFCs, texts built from what is stored', () => {
    beforeEach(() => open(true));

    it('notices, their mail, a decision, a subscription, the event log and a refusal cite RFC-12; SEP-12 stays stored', async () => {
      const smtp = await startSmtp();
      try {
        hub.reactions.push(notificationsReaction({ mail: true }));
        await hub.store.db
          .updateTable('people')
          .set({ email: 'priya@example.org', confirmed_email: 'priya@example.org' })
          .where('handle', '=', 'priya')
          .execute();
        const priya = await asActor(hub, 'priya');
        const sam = await asActor(hub, 'sam-lead');
        await addComment(hub, sam, 'RFC-12', { body: 'Does this cover histograms too?' });
        const decision = await openDecision(hub, sam, {
          group: 'hosting',
          subject: { type: 'proposal', ref: 'RFC-12' },
          question: 'Adopt the unit suffixes of RFC-12?',
          significance: 'minor',
          deadline: new Date(hub.clock.now().getTime() + 10 * 86_400_000).toISOString(),
        });
        expect(decision.subject).toEqual({ type: 'proposal', ref: 'RFC-12' });
        expect((await getDecision(hub, decision.ref)).subject.ref).toBe('RFC-12');
        // stored as before
        const stored = await hub.store.db.selectFrom('decisions').select('subject_ref').executeTakeFirstOrThrow();
        expect(stored.subject_ref).toBe('SEP-12');

        const inbox = await listInbox(hub, priya);
        const notices = inbox.items.map((n) => `${n.subject.ref} ${n.title} ${n.detail}`);
        expect(notices.join('\n')).toContain('RFC-12');
        expect(notices.join('\n')).not.toMatch(/SEP-12\b/);

        expect(
          (await setSubscription(hub, priya, { subjectType: 'proposal', subjectRef: 'RFC-12', level: 'watching' }))
            .subjectRef,
        ).toBe('RFC-12');
        expect((await listSubscriptions(hub, priya)).items.map((i) => i.subjectRef)).toContain('RFC-12');

        // what was mailed to priya, the notices at once and the digest a day later
        const mailer = createMailer({
          smtpUrl: smtp.url,
          from: 'hub@wg.example.org',
          publicUrl: 'https://wg.example.org',
          replyDomain: null,
        });
        hub.clock.set(new Date(hub.clock.now().getTime() + 2 * 86_400_000).toISOString());
        await new Worker(
          hub,
          {
            [MAIL_QUEUE]: (h, j) => sendNotificationMail(h, mailer, j),
            [DIGEST_QUEUE]: (h, j) => sendDigest(h, mailer, j),
          },
          { onError: () => {} },
        ).drain();
        const mails = smtp.received.filter((r) => r.to.includes('priya@example.org'));
        expect(mails.length).toBeGreaterThan(0);
        const mailed = mails.map((m) => `${m.mail.subject}\n${m.mail.text}`).join('\n');
        expect(mailed).toContain('RFC-12');
        expect(mailed).not.toMatch(/SEP-12\b/);

        // the event log names the document as the community does
        const log = pageText((await (await signInAs(app, 'priya')).get('/log')).html);
        expect(log).toContain('proposal RFC-12');
        expect(log).not.toMatch(/SEP-12\b/);

        // a refusal naming the document
        const token = (await createToken(hub, SYSTEM, 'priya')).token;
        const refused = await app.request('/api/proposals/RFC-12/follow-ups/nope/done', {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: '{}',
        });
        expect(refused.status).toBe(404);
        const problem = await refused.text();
        expect(problem).toContain('RFC-12');
        expect(problem).not.toMatch(/SEP-12\b/);
      } finally {
        await smtp.close();
      }
    });
    it("a refusal's examples cite RFC-2575 on REST, MCP and the web; what was typed stays as typed", async () => {
      const token = (await createToken(hub, SYSTEM, 'priya')).token;
      const bad = { kind: 'builds-on', to: 'SEP 2575' };
      const rest = await app.request(`/api/proposals/${other}/relations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(bad),
      });
      expect(rest.status).toBe(422);
      const problem = (await rest.json()) as { errors: { field: string; rule: string }[] };
      expect(problem.errors).toEqual([{ field: 'to', rule: 'must be a reference such as RFC-2575, P-12 or #12' }]);
      // a reference the person typed, quoted back, is not reworded: it is what they sent
      const missing = await app.request(`/api/proposals/SEP-9999/relations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'builds-on', to: 'RFC-12' }),
      });
      expect(missing.status).toBe(404);
      expect((await missing.json()).detail).toBe("proposal 'SEP-9999' does not exist");

      const served = await serveMcpOverHttp(hub);
      try {
        const client = await httpClient(served.url, 'modern', token);
        const refused = await client.callTool({ name: 'relate_proposal', arguments: { ref: other, ...bad } });
        expect(refused.isError).toBe(true);
        const said = JSON.stringify(refused.content);
        expect(said).toContain('such as RFC-2575');
        expect(said).not.toContain('SEP-2575');
        await client.close();
      } finally {
        served.server.close();
      }

      const priya = await signInAs(app, 'priya');
      await priya.get(`/proposals/${other}`);
      const page = await priya.post(`/proposals/${other}/relations`, bad);
      expect(page.status).toBe(422);
      expect(pageText(page.html)).toContain('such as RFC-2575');
      expect(pageText(page.html)).not.toContain('SEP-2575');
    });

    it('reads and writes naming RFC-12 reach what is stored as SEP-12: the cached page, a watch level, prior work', async () => {
      const priya = await asActor(hub, 'priya');
      // read once, so the page is cached; a write on it must show at once
      expect((await getProposal(hub, 'RFC-12')).reviewRequest).toBeNull();
      await requestReview(hub, priya, 'RFC-12');
      expect((await getProposal(hub, 'RFC-12')).reviewRequest).not.toBeNull();
      // muted as the page names it, read back as the page names it
      await setSubscription(hub, priya, { subjectType: 'proposal', subjectRef: 'RFC-12', level: 'muted' });
      expect(await subscriptionOf(hub, priya, 'proposal', 'RFC-12')).toBe('muted');
      // a draft excluded as RFC-12 is not its own prior work
      const own = await priorWork(hub, {
        title: 'Unit suffixes in metric names',
        text: 'Metric names mix unit suffixes, so dashboards break across vendors.',
        exclude: 'RFC-12',
      });
      expect(own.map((m) => m.ref)).not.toContain('RFC-12');
      // a new draft's check is stored as references are (SEP-12) and shown as the community cites them
      const draft = await createProposal(hub, priya, {
        title: 'Unit suffixes in metric names, again',
        problem: 'Metric names mix unit suffixes, so dashboards break across vendors.',
        layer: 'specification',
        route: 'sep',
        group: 'hosting',
      });
      const row = await hub.store.db
        .selectFrom('proposals')
        .select(['id', 'prior_work'])
        .where('number', '=', Number(draft.ref.slice(2)))
        .executeTakeFirstOrThrow();
      await recordPriorWork(hub, row.id);
      const stored = (
        await hub.store.db
          .selectFrom('proposals')
          .select('prior_work')
          .where('id', '=', row.id)
          .executeTakeFirstOrThrow()
      ).prior_work;
      expect(stored).toContain('"SEP-12"');
      expect(stored).not.toContain('RFC-12');
      const shown = (await getProposal(hub, draft.ref)).priorWork!.matches.map((m) => m.ref);
      expect(shown).toContain('RFC-12');
      expect(shown).not.toContain('SEP-12');
    });
  });

  describe('where the documents are SEPs (the MCP community)', () => {
    beforeEach(() => open(false));

    it('SEP-12 answers as before, and RFC-12 names nothing', async () => {
      const priya = await signInAs(app, 'priya');
      expect(pageText((await priya.get('/proposals/SEP-12')).html)).toContain('SEP-12');
      expect((await app.request('/api/proposals/RFC-12')).status).toBe(404);
      expect(((await (await app.request('/api/proposals/SEP-12')).json()) as { ref: string }).ref).toBe('SEP-12');
      const citing = (await priya.get(`/proposals/${other}`)).html;
      expect(citing).toContain('<a href="/proposals/SEP-12">SEP-12</a>');
      expect(citing).not.toContain('href="/proposals/RFC-12"');
    });

    it('offers the GitHub search filters once a repository is named', async () => {
      const priya = await signInAs(app, 'priya');
      expect((await priya.get('/search?q=unit')).html).not.toContain('value="github-issue"');
      hub.governance = parseGovernance(
        readFileSync(DEFAULT_GOVERNANCE_PATH, 'utf8').replace(
          /^ {2}repositories: \[\]$/m,
          '  repositories: [modelcontextprotocol/modelcontextprotocol]',
        ),
        'with-github.yaml',
      );
      const page = (await priya.get('/search?q=unit')).html;
      expect(page).toContain('<option value="github-issue">GitHub issues</option>');
      expect(page).toContain('<option value="github-discussion">GitHub Discussions</option>');
    });
  });
});
