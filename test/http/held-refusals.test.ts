// What a REST write that takes no body (or no such query, or no such If-Match) is sent beyond what it
// takes is refused only once the caller may act (request-context.ts `holdRefusal`), and then before
// the use case does anything: spends a budget, connects out, stores.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { latestEvidenceChecks } from '../../src/app/evidence/evidence-checks.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { addEvidence, createProposal, getProposal } from '../../src/app/proposals/proposals.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { asActor, openDemoHub, type TestHub } from '../support/hub.ts';
import { ROOT } from '../support/process.ts';

describe.each(databases)('refusals held until the caller may act, on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  let ref: string;
  let evidenceId: string;
  const tokens: Record<string, string> = {};
  const call = (method: string, url: string, who: string, body?: unknown) =>
    app.request(url, {
      method,
      headers: {
        Authorization: `Bearer ${tokens[who]}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  beforeEach(async () => {
    hub = await openDemoHub(database);
    hub.governance.evidence = {
      ...hub.governance.evidence,
      stdioCommands: {
        good: [path.join(ROOT, 'node_modules/.bin/node'), path.join(ROOT, 'test/fixtures/mcp/good-server.ts')],
      },
    };
    const amara = await asActor(hub, 'amara');
    ref = (
      await createProposal(hub, amara, {
        title: 'Resumable streams',
        problem: 'A stream cut by a deploy cannot be resumed on another server process.',
        examples: ['Rolling deploys'],
        layer: 'working-group-artifact',
        group: 'hosting',
      })
    ).ref;
    await addEvidence(hub, amara, ref, { kind: 'implementation', description: 'Our server', url: 'stdio:good' });
    evidenceId = (await getProposal(hub, ref)).evidence[0]!.id;
    for (const h of ['kai-core', 'jonas']) tokens[h] = (await createToken(hub, SYSTEM, h)).token;
    // a second token of the same person: the edge counts calls per token, the use case checks per person
    tokens.kai2 = (await createToken(hub, SYSTEM, 'kai-core')).token;
    app = createHttpApp(hub);
  });
  afterEach(async () => hub?.close());

  it('verifying evidence with a body it does not take is refused before the probe runs or its budget is spent', async () => {
    // one check an hour: a refused call that spent it would leave the maintainer none
    const limits = hub.governance.rateLimits;
    hub.governance.rateLimits = {
      ...limits,
      enabled: true,
      probes: 1,
      windowSeconds: 3600,
      perSecond: { ...limits.perSecond, probes: 10 },
    };
    const url = `/api/proposals/${ref}/evidence/${evidenceId}/verify`;
    const refused = await call('POST', url, 'kai-core', { x: 1 });
    expect(refused.status).toBe(422);
    expect((await latestEvidenceChecks(hub.store.db, ref, [evidenceId])).size).toBe(0);
    const checked = await call('POST', url, 'kai2');
    expect(checked.status, await checked.clone().text()).toBe(200);
    expect((await checked.json()).status).toBe('verified');
  }, 60_000);
});

describe.each(databases)('a write’s query and If-Match are refused after who may act, on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  const tokens: Record<string, string> = {};
  const call = (method: string, url: string, who: string, headers: Record<string, string> = {}) =>
    app.request(url, { method, headers: { Authorization: `Bearer ${tokens[who]}`, ...headers } });

  beforeEach(async () => {
    hub = await openDemoHub(database);
    for (const h of ['sam-lead', 'jonas']) tokens[h] = (await createToken(hub, SYSTEM, h)).token;
    app = createHttpApp(hub);
  });
  afterEach(async () => hub?.close());

  it('one who may not remove a member is told 403 whatever query or If-Match they send; one who may, 4xx naming it, and nothing is removed', async () => {
    const url = '/api/groups/hosting/members/amara';
    for (const [query, headers] of [
      ['?reason=x', {}],
      ['?reason=x&reason=y', {}],
      ['', { 'If-Match': '*' }],
    ] as const) {
      const refused = await call('DELETE', url + query, 'jonas', headers);
      expect(refused.status, `${query} ${JSON.stringify(headers)}`).toBe(403);
      const told = await call('DELETE', url + query, 'sam-lead', headers);
      expect([400, 422], `${query} ${JSON.stringify(headers)}`).toContain(told.status);
      expect(JSON.stringify(await told.json())).toMatch(/reason|If-Match/);
    }
    const group = await (await call('GET', '/api/groups/hosting', 'sam-lead')).json();
    expect(group.members.map((m: { handle: string }) => m.handle)).toContain('amara');
    // a read is refused at once, as before
    expect((await call('GET', '/api/groups/hosting?reason=x', 'jonas')).status).toBe(400);
  });
});
