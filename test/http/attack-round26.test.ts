// What attack round 26 found over REST, in-process (`app.request`), on both databases: each test is
// what the attacker sent and what they are answered now.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { addEvidence } from '../../src/app/proposals/proposals.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { asActor, openDemoHub, type TestHub } from '../support/hub.ts';

describe.each(databases)('attack round 26 over REST on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  const tokens: Record<string, string> = {};
  beforeEach(async () => {
    hub = await openDemoHub(database);
    app = createHttpApp(hub);
    for (const who of ['sam-lead', 'amara', 'priya']) tokens[who] = (await createToken(hub, SYSTEM, who)).token;
  });
  afterEach(async () => hub?.close());

  const post = async (who: string, path: string, body: unknown) => {
    const res = await app.request(path, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens[who]}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { errors?: unknown; items?: unknown[] } };
  };

  it('a chat webhook is one address however its URL is written: case, default port, an escape, a fragment or a closing dot added another hook, each decision that many posts to it', async () => {
    const base = 'https://hooks.slack.com/services/T0/B0/XXXX';
    expect((await post('sam-lead', '/api/groups/hosting/webhooks', { format: 'slack', url: base })).status).toBe(201);
    for (const url of [
      'HTTPS://HOOKS.SLACK.COM/services/T0/B0/XXXX',
      'https://hooks.slack.com:443/services/T0/B0/XXXX',
      'https://hooks.slack.com./services/T0/B0/XXXX',
      'https://hooks.slack.com/services/T0/B0/%58XXX',
      'https://hooks.slack.com/services/T0/B0/XXXX#again',
    ]) {
      const again = await post('sam-lead', '/api/groups/hosting/webhooks', { format: 'discord', url });
      expect(again.status, url).toBe(422);
      expect(again.body.errors).toEqual([
        { field: 'url', rule: expect.stringContaining('hosting already posts to this address') },
      ]);
    }
    // another path, another query or another port is another address
    for (const url of [`${base}Y`, `${base}?thread=2`, 'https://hooks.slack.com:8443/services/T0/B0/XXXX'])
      expect((await post('sam-lead', '/api/groups/hosting/webhooks', { format: 'slack', url })).status, url).toBe(201);
    const list = await app.request('/api/groups/hosting/webhooks', {
      headers: { authorization: `Bearer ${tokens['sam-lead']}` },
    });
    expect(((await list.json()) as { items: unknown[] }).items).toHaveLength(4);
  });

  it('one piece of evidence is added once: the same words sent twice, or twenty times at once, or the same address by another, was a row each, and a gate counting implementations counted each', async () => {
    const created = await post('sam-lead', '/api/proposals', {
      title: 'Streaming resumption tokens',
      problem: 'Clients lose their place when a stream drops and need to resume it.',
      layer: 'specification',
      group: 'hosting',
    });
    const ref = (created.body as { ref: string }).ref;
    const evidence = {
      kind: 'implementation',
      url: 'https://github.com/example/resume',
      description: 'An implementation of resumption in a Go server',
      organisation: 'Nebula Tools',
    };
    const at = `/api/proposals/${ref}/evidence`;
    expect((await post('amara', at, evidence)).status).toBe(200);
    const again = await post('amara', at, evidence);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      rule: 'already-as-asked',
      detail: expect.stringContaining('already has this implementation evidence, added by @amara'),
    });
    // twenty at once (through the use case: the rate limits let two in at a time): none is added again
    const amara = await asActor(hub, 'amara');
    const fresh = { ...evidence, url: 'https://github.com/example/resume-rs', organisation: 'Orbit' };
    const twenty = await Promise.allSettled(Array.from({ length: 20 }, () => addEvidence(hub, amara, ref, fresh)));
    expect(twenty.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    // the same address written otherwise, for the same organisation spelt otherwise, by another person:
    // the same implementation
    const other = await post('sam-lead', at, {
      ...evidence,
      url: 'HTTPS://GitHub.com:443/example/%72esume',
      organisation: 'nebula  TOOLS',
    });
    expect(other.status).toBe(409);
    // another organisation linking the same resource, or another entry of one page (its fragment), is
    // other evidence (attack round 28: the first to name an address held it for good)
    expect((await post('sam-lead', at, { ...evidence, organisation: 'Orbit' })).status).toBe(200);
    expect((await post('sam-lead', at, { ...evidence, url: `${evidence.url}#zed` })).status).toBe(200);
    expect((await post('priya', at, { ...evidence, url: `${evidence.url}#cursor` })).status).toBe(200);
    expect((await post('priya', at, { ...evidence, url: `${evidence.url}#zed`, description: 'again' })).status).toBe(
      409,
    );
    // the same address as another kind of evidence, and words with no address, are each added once
    expect((await post('sam-lead', at, { ...evidence, kind: 'community-use' })).status).toBe(200);
    const words = { kind: 'other', description: 'Three teams asked for this at the summit' };
    expect((await post('amara', at, words)).status).toBe(200);
    expect((await post('amara', at, words)).status).toBe(409);
    expect((await post('sam-lead', at, words)).status).toBe(200);
    const stored = await hub.store.db.selectFrom('proposal_evidence').select(['kind']).orderBy('kind').execute();
    expect(stored.map((e) => e.kind)).toEqual([
      'community-use',
      ...Array<string>(5).fill('implementation'),
      'other',
      'other',
    ]);
  });
});
