// Found by fuzzing the GitHub bridge: a comment on a pull request holding a NUL failed its whole
// delivery on PostgreSQL ('invalid byte sequence for encoding "UTF8": 0x00'; the comment was never
// mirrored), and a reconcile of that pull request failed the same way; on SQLite the NUL, an
// escape sequence and a bidirectional override were stored. Anyone may comment on a pull request,
// and the hub cannot refuse what GitHub holds: each such character now arrives as U+FFFD.
import { Webhooks } from '@octokit/webhooks';
import examples from '@octokit/webhooks-examples';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Worker } from '../../../src/app/core/worker.ts';
import { syncRepository } from '../../../src/app/github/sync.ts';
import { listComments } from '../../../src/app/proposals/comments.ts';
import { githubJobHandlers } from '../../../src/cli/job-handlers.ts';
import { createHttpApp } from '../../../src/http/server.ts';
import { databases } from '../../support/databases.ts';
import { mirrorRepo, standinClient, standinConfig, TEST_WEBHOOK_SECRET } from '../../support/github.ts';
import { commentOnGithub, GithubStandin, mcpRepository } from '../../support/github-standin.ts';
import { openTestHub, type TestHub } from '../../support/hub.ts';

// The examples are payloads GitHub really sent, from its Hello-World repository.
const REPO = 'Codertocat/Hello-World';
const example = (event: string, action: string) =>
  structuredClone(
    (examples as unknown as { name: string; examples: { action?: string }[] }[])
      .find((e) => e.name === event)!
      .examples.find((x) => x.action === action)!,
  ) as any;

const signer = new Webhooks({ secret: TEST_WEBHOOK_SECRET });

describe.each(databases)('GitHub webhooks on $name', { timeout: 180_000 }, (database) => {
  let hub: TestHub;
  let standin: GithubStandin;
  let app: ReturnType<typeof createHttpApp>;
  let worker: Worker;
  beforeEach(async () => {
    hub = await openTestHub(database);
    mirrorRepo(hub, REPO);
    // Hello-World's PR #1 carries SEP-2207; #2 (SEP-2575) is opened after the backfill ran
    const mcp = mcpRepository();
    standin = await new GithubStandin(REPO).start();
    standin.pulls.set(1, {
      ...mcp.pulls.get(2207)!,
      number: 1,
      reviewComments: [
        {
          id: 7001,
          login: 'pcarleton',
          path: 'seps/2207-oidc-refresh-token-guidance.md',
          line: 12,
          body: 'Say which grant types this covers.',
          created_at: '2026-02-06T10:00:00Z',
          updated_at: '2026-02-06T10:00:00Z',
        },
      ],
    });
    app = createHttpApp(hub, undefined, { githubWebhookSecret: standinConfig(standin).webhookSecret });
    worker = new Worker(hub, githubJobHandlers(standinConfig(standin)), { onError: () => {} });
    await syncRepository(hub, await standinClient(standin), REPO);
    standin.pulls.set(2, { ...mcp.pulls.get(2575)!, number: 2 });
  });
  afterEach(async () => {
    await hub?.close();
    await standin?.stop();
  });

  // the example comment is from 2019, so it sorts first in the thread: find it by its author
  const mine = (t: { author: string }[]) => t.find((c) => c.author === 'Codertocat') as any;
  const post = async (event: string, delivery: string, body: string, signature?: string) =>
    app.request('/github/webhooks', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': event,
        'x-github-delivery': delivery,
        'x-hub-signature-256': signature ?? (await signer.sign(body)),
      },
      body,
    });
  const deliveries = async () =>
    hub.store.db
      .selectFrom('github_deliveries')
      .select(['id', 'outcome'])
      .orderBy('received_at')
      .orderBy('id')
      .execute();

  const HOSTILE = 'Nul \u0000 here, \u001b[31mred\u001b[0m, \u202eoverride,\r\nand a\ttab.';
  const STORED = 'Nul \ufffd here, \ufffd[31mred\ufffd[0m, \ufffdoverride,\r\nand a\ttab.';

  it('a comment delivered by webhook is mirrored with each such character as U+FFFD, line breaks and tabs kept', async () => {
    const created = example('issue_comment', 'created');
    created.issue.pull_request = { url: `${standin.url}/repos/${REPO}/pulls/1` };
    created.comment.body = HOSTILE;
    expect((await post('issue_comment', 'd-nul', JSON.stringify(created))).status).toBe(202);
    await worker.drain();
    expect(await deliveries()).toEqual([{ id: 'd-nul', outcome: 'applied' }]);
    expect(mine(await listComments(hub, 'SEP-2207'))?.body).toBe(STORED);
  });

  it('a reconcile reading such a comment from the API mirrors it the same way, and the comments after it', async () => {
    commentOnGithub(standin, 1, 'dsp-ant', HOSTILE);
    commentOnGithub(standin, 1, 'dsp-ant', 'The one after it.');
    await syncRepository(hub, await standinClient(standin), REPO);
    expect((await listComments(hub, 'SEP-2207')).slice(-2).map((c) => c.body)).toEqual([STORED, 'The one after it.']);
  });
});
