// update_proposal: an assistant edits a proposal as the web's edit form does, from the version it
// read; one who may not edit it is told why, and an edit from an older read is refused, not written over.
import type { ServerType } from '@hono/node-server';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { createProposal } from '../../src/app/proposals/proposals.ts';
import { databases } from '../support/databases.ts';
import { openTestHub, person, type TestHub } from '../support/hub.ts';
import { httpClient, serveMcpOverHttp, text } from './support.ts';

type Loose = Record<string, unknown>;
const call = async (c: Client, name: string, args: Record<string, unknown>) =>
  (await c.callTool({ name, arguments: args })) as { isError?: boolean; structuredContent?: Loose; content: unknown };

describe.each(databases)('update_proposal on $name', (database) => {
  let hub: TestHub;
  let main: { url: string; server: ServerType };
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    hub = await openTestHub(database);
    const ada = await person(hub, 'ada', { org: 'Acme' });
    await person(hub, 'bo', { org: 'Bolt' });
    await createProposal(hub, ada, {
      title: 'Backoff headers for gateways',
      problem: 'Clients cannot tell how long to wait when a gateway sheds load.',
      layer: 'supporting-resource',
    });
    for (const h of ['ada', 'bo']) tokens[h] = (await createToken(hub, SYSTEM, h)).token;
    main = await serveMcpOverHttp(hub);
  });
  afterAll(async () => {
    main?.server.close();
    await hub?.close();
  });

  it('its author edits it from the version read; another may not, an older read is refused, and nothing named is refused', async () => {
    const ada = await httpClient(main.url, 'modern', tokens.ada);
    const bo = await httpClient(main.url, 'modern', tokens.bo);
    const notBo = await call(bo, 'update_proposal', {
      ref: 'P-1',
      version: 1,
      examples: ['A 503 with no Retry-After'],
    });
    expect(notBo.isError).toBe(true);
    expect(text(notBo)).toMatch(/^forbidden: /);
    const nothing = await call(ada, 'update_proposal', { ref: 'P-1', version: 1 });
    expect(nothing.isError).toBe(true);
    expect(text(nothing)).toContain('names nothing to change');
    const done = await call(ada, 'update_proposal', {
      ref: 'P-1',
      version: 1,
      examples: ['A 503 with no Retry-After'],
    });
    expect(done.isError).toBeFalsy();
    expect(done.structuredContent).toMatchObject({ examples: ['A 503 with no Retry-After'], version: 2 });
    const stale = await call(ada, 'update_proposal', { ref: 'P-1', version: 1, title: 'Backoff headers, take two' });
    expect(stale.isError).toBe(true);
    expect(text(stale)).toMatch(/^conflict: /);
  });
});
