// A person who may not act at all is told so (403) whatever they send: a refusal for bad input
// (422) before it would tell someone without the right whether their input was valid, and send
// them to fix a body they may not send at all.
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { placeInGroup, proposeGroup } from '../../src/app/groups/groups.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { allRoutes, createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { openTestHub, person, type TestHub } from '../support/hub.ts';

describe.each(databases)(
  '403 before 422 over REST on $name (a newcomer in no group, Code of Conduct not yet accepted)',
  (database) => {
    let hub: TestHub;
    let app: ReturnType<typeof createHttpApp>;
    const tokens: Record<string, string> = {};
    const call = (method: string, path: string, who: string, body: unknown, extra: Record<string, string> = {}) =>
      app.request(path, {
        method,
        headers: { Authorization: `Bearer ${tokens[who]}`, 'Content-Type': 'application/json', ...extra },
        body: JSON.stringify(body),
      });
    /** Whoever may not act gets 403 for a good body and a bad one alike; one who may gets 422 for the bad one. */
    const refusedWhateverTheBody = async (
      method: string,
      path: string,
      good: unknown,
      bad: unknown,
      extra: Record<string, string> = {},
      mayAct = 'lead',
    ) => {
      const forbidden = await call(method, path, 'newcomer', bad, extra);
      expect(forbidden.status, `${path} with a bad body`).toBe(403);
      expect((await forbidden.json()).errors ?? []).toEqual([]);
      expect((await call(method, path, 'newcomer', good, extra)).status, `${path} with a good body`).toBe(403);
      expect((await call(method, path, mayAct, bad, extra)).status, `${path} from one who may`).toBe(422);
    };

    beforeAll(async () => {
      hub = await openTestHub(database, '2026-03-02T12:00:00Z');
      app = createHttpApp(hub);
      const lead = await person(hub, 'lead', { role: 'member', org: 'Acme' });
      await person(hub, 'bo', { org: 'Nebula' });
      await person(hub, 'newcomer', { org: 'Elsewhere', accepted: false });
      await proposeGroup(hub, lead, {
        slug: 'hosting',
        name: 'Hosting',
        kind: 'working',
        mission: 'Share practices for hosting MCP servers at scale.',
        scopeIn: ['Scaling'],
        leads: ['lead'],
      });
      await placeInGroup(hub, SYSTEM, 'hosting', 'bo', { level: 'member' });
      for (const h of ['lead', 'bo', 'newcomer']) tokens[h] = (await createToken(hub, SYSTEM, h)).token;
      expect(
        (
          await call('POST', '/api/proposals', 'lead', {
            title: 'Resumable calls',
            group: 'hosting',
            problem: 'Clients lose long-running tool calls on reconnect.',
            examples: ['lost export'],
            layer: 'specification',
          })
        ).status,
      ).toBe(201);
      expect(
        (
          await call('POST', '/api/decisions', 'lead', {
            group: 'hosting',
            subject: { type: 'process' },
            question: 'Meet fortnightly from April?',
            significance: 'minor',
          })
        ).status,
      ).toBe(201);
      expect(
        (
          await call('POST', '/api/meetings', 'lead', {
            group: 'hosting',
            kind: 'process',
            title: 'Hosting coordination',
            startsAt: '2026-03-05T16:00:00Z',
          })
        ).status,
      ).toBe(201);
    });
    afterAll(async () => hub?.close());

    it('editing a proposal that is not theirs', async () => {
      await refusedWhateverTheBody(
        'PATCH',
        '/api/proposals/P-1',
        { title: 'Resumable tool calls' },
        { title: '', examples: 'not a list' },
        { 'If-Match': '"v1"' },
      );
    });

    it('objecting to a decision before accepting the Code of Conduct', async () => {
      await refusedWhateverTheBody(
        'POST',
        '/api/decisions/D-1/responses',
        { kind: 'block', reason: 'Fortnightly is too rare for the release train.', alternative: 'Meet weekly.' },
        // an objection without its reason
        { kind: 'block' },
      );
    });

    it("adding to the agenda of a group's meeting they do not take part in", async () => {
      await refusedWhateverTheBody(
        'POST',
        '/api/meetings/M-1/agenda',
        { title: 'Load balancer health checks' },
        { title: '', kind: 'not-a-kind' },
      );
    });

    it("amending a group's charter they do not lead", async () => {
      await refusedWhateverTheBody(
        'PATCH',
        '/api/groups/hosting',
        { name: 'Hosting and scaling' },
        { name: '', sections: 'not a list' },
        { 'If-Match': '"v1"' },
      );
    });

    // fuzz round 9: these four read the body first, so one who may not act was told its mistakes
    it('changing a meeting of a group they do not lead (the change asked, edit or cancel, is in the body)', async () => {
      await refusedWhateverTheBody(
        'PATCH',
        '/api/meetings/M-1',
        { title: 'Hosting coordination, moved' },
        { title: 'x', startsAt: 'not a time' },
        { 'If-Match': '"v1"' },
      );
    });

    it('moderating a comment (hide, unhide, lock or unlock is in the body)', async () => {
      const proposal = await call('POST', '/api/proposals', 'lead', {
        title: 'Session affinity guide',
        problem: 'Hosts disagree on how to keep a session on one process.',
        examples: ['sticky cookie'],
        layer: 'supporting-resource',
        group: 'hosting',
      });
      const { ref } = await proposal.json();
      const posted = await call('POST', `/api/proposals/${ref}/comments`, 'lead', { body: 'How long do calls run?' });
      const { id } = await posted.json();
      await refusedWhateverTheBody(
        'POST',
        `/api/comments/${id}/moderation`,
        { action: 'hide', reason: 'Off topic' },
        { action: 'erase' },
      );
    });

    it('adding a chat webhook to a group they do not lead', async () => {
      await refusedWhateverTheBody(
        'POST',
        '/api/groups/hosting/webhooks',
        { format: 'slack', url: 'https://hooks.slack.com/services/T0/B0/x' },
        { format: 'telegraph', url: 42 },
      );
    });

    // a body sent to a write that takes none was refused (422, naming the route's shape) before the
    // use case asked who may act: it is told now only once they may, and nothing is stored then
    it('removing a member of a group they do not lead, with a body the route does not take', async () => {
      await refusedWhateverTheBody('DELETE', '/api/groups/hosting/members/bo', undefined, { reason: 'inactive' });
      const group = await (await call('GET', '/api/groups/hosting', 'lead', undefined)).json();
      expect(group.members.map((m: { handle: string }) => m.handle)).toContain('bo');
      // nor a body that is no JSON, nor one labelled as something else
      for (const extra of [{}, { 'Content-Type': 'text/plain' }]) {
        const r = await app.request('/api/groups/hosting/members/bo', {
          method: 'DELETE',
          headers: { Authorization: `Bearer ${tokens.newcomer}`, 'Content-Type': 'application/json', ...extra },
          body: 'not json',
        });
        expect(r.status).toBe(403);
      }
    });

    it('every write that takes no body answers one who sends it one as it would without it, unless it would act', async () => {
      const ids: Record<string, string> = { slug: 'hosting', handle: 'bo', id: 'x', item: 'x' };
      // some of these writes spend a small budget (verifying evidence): the limits are not what is tested
      const limits = hub.governance.rateLimits as { enabled: boolean };
      const enabled = limits.enabled;
      limits.enabled = false;
      onTestFinished(() => {
        limits.enabled = enabled;
      });
      const refOf = (p: string) =>
        p.startsWith('/api/decisions') ? 'D-1' : p.startsWith('/api/meetings') ? 'M-1' : 'P-1';
      for (const route of allRoutes.filter((r) => !r.body && r.method !== 'get')) {
        const p = route.path.replace(/\{(\w+)\}/g, (_, name: string) =>
          name === 'ref' ? refOf(route.path) : ids[name]!,
        );
        const method = route.method.toUpperCase();
        const withBody = await call(method, p, 'newcomer', { reason: 'because' });
        const without = await app.request(p, { method, headers: { Authorization: `Bearer ${tokens.newcomer}` } });
        const label = `${method} ${route.path}`;
        if (without.status < 300) expect(withBody.status, label).toBe(422);
        else expect(withBody.status, label).toBe(without.status);
      }
    });

    it('creating an API token for someone else', async () => {
      await refusedWhateverTheBody('POST', '/api/people/bo/tokens', { label: 'laptop' }, { label: ['a'] }, {}, 'bo');
    });
  },
);
