// Verifying evidence from the proposal page, on both databases: a maintainer presses "Verify now"
// and the check's result shows in the table; a contributor is offered no button and is refused in words.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addEvidence, createProposal, getProposal } from '../../src/app/proposals/proposals.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { asActor, openDemoHub, type TestHub } from '../support/hub.ts';
import { ROOT } from '../support/process.ts';
import { pageText, signInAs } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 };

describe.each(databases)('verifying evidence in the browser on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  let ref: string;
  let evidenceId: string;
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
    app = createHttpApp(hub, undefined, { web: demo });
  });
  afterEach(async () => hub?.close());

  it('a maintainer verifies; a contributor gets no button and a refusal in words', async () => {
    const jonas = await signInAs(app, 'jonas');
    expect((await jonas.get(`/proposals/${ref}`)).html).not.toContain(`/evidence/${evidenceId}/verify"`);
    const refused = await jonas.post(`/proposals/${ref}/evidence/${evidenceId}/verify`, {});
    expect(refused.status).toBe(403);
    expect(pageText(refused.html)).toMatch(/Only .* may verify evidence/);

    const kai = await signInAs(app, 'kai-core');
    expect((await kai.get(`/proposals/${ref}`)).html).toContain(
      `action="/proposals/${ref}/evidence/${evidenceId}/verify"`,
    );
    expect((await kai.post(`/proposals/${ref}/evidence/${evidenceId}/verify`, {})).status).toBe(303);
    const after = pageText((await kai.get(`/proposals/${ref}`)).html);
    expect(after).toContain('✓ verified');
    expect(after).toContain('Verify again');
  }, 60_000);
});
