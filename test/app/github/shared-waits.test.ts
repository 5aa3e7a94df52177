// A rate limit GitHub answers one client is waited out by every client of the hub with the same
// credentials, in every process (two stores on one database stand for two processes; on SQLite a
// `wghub github sync` by hand beside `wghub serve`), through the shared `rate_limits` table.
// Octokit's throttling plugin alone waits only in the client that was told.
import { createServer } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { githubClient } from '../../../src/app/github/client.ts';
import { githubWaits, waitScope } from '../../../src/app/github/waits.ts';
import { openStore, type Store } from '../../../src/store/connect.ts';
import { databases } from '../../support/databases.ts';
import { standinConfig } from '../../support/github.ts';
import { type Fault, GithubStandin } from '../../support/github-standin.ts';

const REPO = 'modelcontextprotocol/modelcontextprotocol';

describe.each(databases)(
  'GitHub rate limits waited out by every client of the hub, on $name',
  { timeout: 60_000 },
  (database) => {
    let one: Store;
    let other: Store;
    let standin: GithubStandin;
    beforeEach(async () => {
      one = await database.open();
      // another process: connections of its own on the same database (on SQLite the same file)
      other = openStore(one.url);
      standin = await new GithubStandin(REPO).start();
    });
    afterEach(async () => {
      await standin?.stop();
      await other?.close();
      await one?.close();
    });

    const list = (c: Awaited<ReturnType<typeof githubClient>>) =>
      c.request('GET /repos/{owner}/{repo}/pulls', { owner: 'modelcontextprotocol', repo: 'modelcontextprotocol' });

    /**
     * Client A meets `fault` (waiting `expected` ms, as the plugin does); client B asks once A was
     * told: B's request reaches GitHub no sooner than A's retry would.
     */
    const bothWait = async (fault: Fault, retryAfterBaseValue: number, expected: number) => {
      const a = await githubClient(standinConfig(standin), REPO, { store: one, retryAfterBaseValue, retries: 0 });
      const b = await githubClient(standinConfig(standin), REPO, { store: other, retryAfterBaseValue, retries: 0 });
      standin.fail(fault, 1, /\/pulls$/);
      const started = Date.now();
      const first = list(a);
      while (!standin.requests.some((r) => r.status === 403 || r.status === 429))
        await new Promise((r) => setTimeout(r, 5));
      // the time is noted as the plugin is told (on PostgreSQL, once it is in the shared table)
      const scope = waitScope(standin.url, 'token ghs_test_token_for_standin');
      for (let i = 0; i < 100 && (await githubWaits(other).until(scope)) === 0; i++)
        await new Promise((r) => setTimeout(r, 5));
      const told = Date.now();
      const second = await list(b);
      const bTook = Date.now() - told;
      expect(second.status).toBe(200);
      expect((await first).status).toBe(200);
      // B waited (nearly) as long as A was asked to, from when A was told
      expect(bTook).toBeGreaterThan(expected - (told - started) - 150);
      expect(bTook).toBeGreaterThan(expected / 2);
      // and A's retry and B's request came after the wait, one each
      expect(standin.requests.map((r) => r.status)).toEqual([fault === 'secondary-rate-limit' ? 429 : 403, 200, 200]);
    };

    it('a 429 with Retry-After to one client holds up the other client, in another process', async () => {
      // retry-after: 1 (second), as GitHub says it
      await bothWait('secondary-rate-limit', 1000, 1000);
    });

    it('a 403 secondary rate limit without Retry-After ("wait at least a minute") holds up the other too', async () => {
      // the plugin's minute, at 20 ms a second
      await bothWait('secondary-rate-limit-403', 20, 1200);
    });

    it("writes with one token go one at a time at GitHub's spacing across processes, not one line per process", async () => {
      // GitHub: one write at a time per token, a second apart; here 300 ms apart, from two processes at once
      const arrived: number[] = [];
      const github = createServer((req, res) => {
        arrived.push(Date.now());
        req.resume();
        res.setHeader('content-type', 'application/json');
        res.end('[]');
      });
      await new Promise<void>((r) => github.listen(0, '127.0.0.1', r));
      try {
        const config = {
          ...standinConfig(standin),
          apiUrl: `http://127.0.0.1:${(github.address() as { port: number }).port}`,
          writeSpacingMs: 300,
        };
        const [a, b] = [
          await githubClient(config, REPO, { store: one }),
          await githubClient(config, REPO, { store: other }),
        ];
        const label = (c: typeof a, n: number) =>
          c.request('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', {
            owner: 'modelcontextprotocol',
            repo: 'modelcontextprotocol',
            issue_number: n,
            labels: ['in-review'],
          });
        await Promise.all([1, 2, 3].flatMap((n) => [label(a, n), label(b, n)]));
        expect(arrived).toHaveLength(6);
        const gaps = arrived
          .sort((x, y) => x - y)
          .slice(1)
          .map((t, i) => t - arrived[i]!);
        // each start is taken 300 ms after the last; what the event loop adds before a request leaves
        // varies by some tens of ms (both processes share this one here), so a gap may read shorter,
        // never near 0 as two lines of writes side by side give
        for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(150);
        expect(arrived.at(-1)! - arrived[0]!).toBeGreaterThanOrEqual(5 * 300 - 100);
      } finally {
        await new Promise((r) => github.close(r));
      }
    });

    it('more than ten writes queued at once across processes still go one spacing apart, not in a burst', async () => {
      // six writes asked at once in each of three processes: eighteen in the line, more than the ten
      // spacings a start may be taken ahead; before 2026-12-07 every one after the tenth took the
      // same start (ten spacings on) and they reached GitHub side by side, one from each process
      const third = openStore(one.url);
      const arrived: number[] = [];
      const github = createServer((req, res) => {
        arrived.push(Date.now());
        req.resume();
        res.setHeader('content-type', 'application/json');
        res.end('[]');
      });
      await new Promise<void>((r) => github.listen(0, '127.0.0.1', r));
      try {
        const config = {
          ...standinConfig(standin),
          apiUrl: `http://127.0.0.1:${(github.address() as { port: number }).port}`,
          writeSpacingMs: 200,
        };
        const [a, b, c] = [
          await githubClient(config, REPO, { store: one }),
          await githubClient(config, REPO, { store: other }),
          await githubClient(config, REPO, { store: third }),
        ];
        const label = (client: typeof a, n: number) =>
          client.request('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', {
            owner: 'modelcontextprotocol',
            repo: 'modelcontextprotocol',
            issue_number: n,
            labels: ['in-review'],
          });
        await Promise.all([1, 2, 3, 4, 5, 6].flatMap((n) => [label(a, n), label(b, n), label(c, n)]));
        expect(arrived).toHaveLength(18);
        arrived.sort((x, y) => x - y);
        const gaps = arrived.slice(1).map((t, i) => t - arrived[i]!);
        // each start is taken 200 ms after the last; a request can leave some tens of ms late (a
        // busy machine, a slow answer from the database), which shortens one gap, the next after it
        // (three such at a load of 10, in a clean-clone CI run). Side by side (the burst: six gaps or
        // more near a third of 200 ms) is what must not happen.
        expect(gaps.filter((gap) => gap < 100).length).toBeLessThanOrEqual(3);
        expect(arrived.at(-1)! - arrived[0]!).toBeGreaterThanOrEqual(17 * 200 - 200);
      } finally {
        await third.close();
        await new Promise((r) => github.close(r));
      }
    });

    it('the line itself: sixteen turns asked at once in two processes start one spacing apart each', async () => {
      const scope = waitScope('http://github.test', 'token queued');
      const started: number[] = [];
      const turn = (store: Store) =>
        githubWaits(store)
          .writeTurn(scope, 'write', 150)
          .then(() => started.push(Date.now()));
      await Promise.all(Array.from({ length: 8 }, () => [turn(one), turn(other)]).flat());
      started.sort((x, y) => x - y);
      const gaps = started.slice(1).map((t, i) => t - started[i]!);
      // before 2026-12-07 the six after the tenth started together, ten spacings on
      // each start is kept 150 ms after the last; a timer that fires late shortens one gap at most
      expect(gaps.filter((gap) => gap < 75).length).toBeLessThanOrEqual(1);
      expect(started.at(-1)! - started[0]!).toBeGreaterThanOrEqual(15 * 150 - 100);
      // and a process alone (no database to share the line through: its memory stands in) likewise
      const alone: number[] = [];
      await Promise.all(
        Array.from({ length: 16 }, () =>
          githubWaits()
            .writeTurn(waitScope('http://github.test', `token alone ${database.name}`), 'write', 80)
            .then(() => alone.push(Date.now())),
        ),
      );
      alone.sort((x, y) => x - y);
      expect(alone.slice(1).filter((t, i) => t - alone[i]! < 20).length).toBeLessThanOrEqual(1);
    });

    it('a start stored far ahead (a dead process, a clock off) holds a write up a few spacings at most, not an hour', async () => {
      const arrived: number[] = [];
      const github = createServer((req, res) => {
        arrived.push(Date.now());
        req.resume();
        res.setHeader('content-type', 'application/json');
        res.end('[]');
      });
      await new Promise<void>((r) => github.listen(0, '127.0.0.1', r));
      try {
        const config = {
          ...standinConfig(standin),
          apiUrl: `http://127.0.0.1:${(github.address() as { port: number }).port}`,
          writeSpacingMs: 50,
        };
        const [a, b] = [
          await githubClient(config, REPO, { store: one }),
          await githubClient(config, REPO, { store: other }),
        ];
        const label = (c: typeof a, n: number) =>
          c.request('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', {
            owner: 'modelcontextprotocol',
            repo: 'modelcontextprotocol',
            issue_number: n,
            labels: ['in-review'],
          });
        const within = <T>(p: Promise<T>, ms: number) =>
          Promise.race([
            p,
            new Promise<never>((_, no) => setTimeout(() => no(new Error(`still waiting after ${ms} ms`)), ms)),
          ]);
        await label(a, 1);
        const key = `github-write:${waitScope(config.apiUrl, 'token ghs_test_token_for_standin').slice('github-wait:'.length)}`;
        // the next free start an hour ahead, as slots a dead process took or a clock an hour fast leave it
        await one.db
          .updateTable('rate_limits')
          .set({ expire: Date.now() + 3_600_000 })
          .where('key', '=', key)
          .execute();
        // held ten spacings (500 ms) at most, not the hour: the bound is generous for a loaded machine
        // (a wall-clock budget near 500 ms failed there), the hour it guards against is far past it
        await within(label(b, 2), 10 * 50 + 2_500);
        // a process whose clock is an hour fast takes its start by the database's clock: the next
        // write in another process is not held up an hour behind it
        const real = Date.now;
        Date.now = () => real.call(Date) + 3_600_000;
        try {
          await within(githubWaits(one).writeTurn(waitScope(config.apiUrl, 'fast'), 'write', 50), 3_000);
        } finally {
          Date.now = real;
        }
        // not held the hour the fast clock took: each answers well within the bound (an hour away)
        await within(githubWaits(other).writeTurn(waitScope(config.apiUrl, 'fast'), 'write', 50), 3_000);
        await within(label(b, 3), 3_000);
        expect(arrived).toHaveLength(3);
      } finally {
        await new Promise((r) => github.close(r));
      }
    });

    it('the later of two times noted stands, and a time past holds nobody up', async () => {
      const scope = 'github-wait:test';
      const now = Date.now();
      await githubWaits(one).note(scope, now + 60_000);
      await githubWaits(other).note(scope, now + 1_000);
      expect(await githubWaits(other).until(scope)).toBe(now + 60_000);
      await githubWaits(one).note('github-wait:past', now - 1);
      // which comes first, not how fast: a time past goes ahead of a timer of a second (a database
      // read or two, however loaded the machine), where a minute ahead would still be held
      const past = githubWaits(other)
        .turn('github-wait:past')
        .then(() => 'went' as const);
      const second = new Promise<'held'>((r) => setTimeout(() => r('held'), 1_000));
      expect(await Promise.race([past, second])).toBe('went');
    });
  },
);
