// The GitHub stand-in for bench/github-backfill.ts, in a thread of its own so that building and
// checking its answers against GitHub's OpenAPI description does not share the hub's event loop:
// N SEP pull requests (each adding a SEP file made from a corpus SEP) with C comments each.
import { parentPort, workerData } from 'node:worker_threads';
import { GithubStandin } from '../test/support/github-standin.ts';

const { repo, pulls, comments, template } = workerData as {
  repo: string;
  pulls: number;
  comments: number;
  template: string;
};
const standin = new GithubStandin(repo);
const people = Array.from({ length: 200 }, (_, i) => `contributor-${i}`);
for (let i = 0; i < pulls; i++) {
  const number = 10_000 + i;
  const title = `Synthetic proposal ${number} on transport ${i % 37}`;
  const text = template
    .replaceAll('2207', String(number))
    .replace(/^# SEP-\d+: .*$/m, `# SEP-${number}: ${title}`)
    .replace('**Status**: Final', '**Status**: Draft');
  const at = new Date(Date.parse('2024-01-01T00:00:00Z') + i * 3_600_000).toISOString().replace('.000', '');
  standin.pulls.set(number, {
    number,
    title,
    body: `This PR adds SEP-${number}.`,
    login: people[i % people.length]!,
    state: 'open',
    labels: ['SEP', 'draft'],
    assignees: [],
    created_at: at,
    updated_at: at,
    files: [{ filename: `seps/${number}-synthetic-${number}.md`, status: 'added', content: text }],
    comments: Array.from({ length: comments }, (_, k) => ({
      id: number * 100 + k,
      login: people[(i + k + 1) % people.length]!,
      body: `Comment ${k} on SEP-${number}: how does this interact with session resumption on transport ${k % 7}?`,
      created_at: at,
      updated_at: at,
    })),
    reviews: [],
  });
}
standin.teams.set('modelcontextprotocol/core-maintainers', ['contributor-0', 'contributor-1']);
standin.teams.set('modelcontextprotocol/maintainers', ['contributor-2', 'contributor-3']);
await standin.start();
const cpu0 = process.threadCpuUsage();
parentPort!.postMessage({ url: standin.url });
parentPort!.on('message', async (m) => {
  if (m !== 'stop') return;
  const requests = standin.requests.length;
  const notModified = standin.requests.filter((r) => r.status === 304).length;
  const cpu = process.threadCpuUsage(cpu0);
  await standin.stop();
  parentPort!.postMessage({
    stopped: true,
    requests,
    notModified,
    drift: standin.drift.length,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  });
});
