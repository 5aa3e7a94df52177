// The line reader of `wghub mcp` (src/mcp/stdio-wire.ts) on its own, the SDK's side played by hand:
// `wires()` in a describe gives a `wire()` that opens one on two in-memory pipes, closed after each test.
import { PassThrough } from 'node:stream';
import { afterEach } from 'vitest';
import { LenientStdioTransport } from '../../src/mcp/stdio-wire.ts';

// biome-ignore lint/suspicious/noExplicitAny: the tests read whatever went over the wire and assert its shape
export type Wire = any;

export function wires() {
  let open: LenientStdioTransport[] = [];
  afterEach(async () => {
    for (const t of open) await t.close();
    open = [];
  });
  return async function wire() {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const transport = new LenientStdioTransport(stdin, stdout);
    open.push(transport);
    const received: Wire[] = [];
    const sent: Wire[] = [];
    let out = '';
    stdout.on('data', (d: Buffer) => {
      out += d;
      for (let end = out.indexOf('\n'); end !== -1; end = out.indexOf('\n')) {
        sent.push(JSON.parse(out.slice(0, end)));
        out = out.slice(end + 1);
      }
    });
    transport.onmessage = (m) => received.push(m);
    await transport.start();
    const settle = () => new Promise((r) => setTimeout(r, 20));
    return { stdin, transport, received, sent, settle };
  };
}
