// The flooder of bench/flood.ts, in a process of its own so its work never delays the measured
// reader's event loop: token A sends searches and comment writes from many connections, at a fixed
// overall rate or as fast as the hub answers (rate 0), and prints autocannon's result as JSON.
// Usage: node bench/flood-client.ts URL TOKEN PROPOSAL-REF RATE SECONDS CONNECTIONS
import autocannon from 'autocannon';

const [url, token, ref, rate, seconds, connections] = process.argv.slice(2);
const result = await autocannon({
  url: url!,
  connections: Number(connections),
  duration: Number(seconds),
  ...(Number(rate) > 0 ? { overallRate: Number(rate) } : {}),
  headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  requests: [
    { method: 'GET', path: '/api/search?q=session%20affinity' },
    { method: 'POST', path: `/api/proposals/${ref}/comments`, body: JSON.stringify({ body: 'flood '.repeat(200) }) },
  ],
});
process.stdout.write(
  JSON.stringify({
    total: result.requests.total,
    ok: result['2xx'],
    refused: result.statusCodeStats?.['429']?.count ?? 0,
    other: result.non2xx - (result.statusCodeStats?.['429']?.count ?? 0),
    errors: result.errors + result.timeouts,
    seconds: result.duration,
  }),
);
