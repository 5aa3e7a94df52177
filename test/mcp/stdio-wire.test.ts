// The line reader of `wghub mcp` (stdio-wire.ts) on its own: what reaches the SDK from stdin and
// what goes back on stdout, with the SDK's side played by hand (onmessage and send).
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { LenientStdioTransport, MAX_LINE_BYTES } from '../../src/mcp/stdio-wire.ts';

// biome-ignore lint/suspicious/noExplicitAny: the test reads whatever went over the wire and asserts its shape
type Wire = any;

describe('the stdio line reader', () => {
  let open: LenientStdioTransport[] = [];
  afterEach(async () => {
    for (const t of open) await t.close();
    open = [];
  });

  async function wire() {
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
  }

  it('reads a character whose bytes arrive in two chunks as that character', async () => {
    const { stdin, received, settle } = await wire();
    const line = Buffer.from(
      `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { note: 'Zürich — ✓' } })}\n`,
    );
    const cut = line.indexOf(Buffer.from('ü')) + 1; // inside the two bytes of ü
    stdin.write(line.subarray(0, cut));
    await settle();
    stdin.write(line.subarray(cut));
    await settle();
    expect(received).toEqual([{ jsonrpc: '2.0', id: 1, method: 'ping', params: { note: 'Zürich — ✓' } }]);
  });

  it('refuses a line longer than an HTTP body may be, naming the limit, and reads the next line', async () => {
    const { stdin, received, sent, settle } = await wire();
    const long = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(MAX_LINE_BYTES) } });
    // written in pieces with no newline yet: refused as soon as it is too long, not held until it ends
    for (let at = 0; at < long.length; at += 1 << 20) stdin.write(long.slice(at, at + (1 << 20)));
    await settle();
    expect(sent).toEqual([
      {
        jsonrpc: '2.0',
        id: null,
        error: {
          code: -32000,
          message: `Payload Too Large: a line (one JSON-RPC message or batch) must not exceed ${MAX_LINE_BYTES} bytes`,
        },
      },
    ]);
    stdin.write('"the rest of the long line is dropped"}\n{"jsonrpc":"2.0","id":2,"method":"ping"}\n');
    await settle();
    expect(received).toEqual([{ jsonrpc: '2.0', id: 2, method: 'ping' }]);
    expect(sent).toHaveLength(1);
  });
});
