// The line reader of `wghub mcp` (stdio-wire.ts) on its own: what reaches the SDK from stdin and
// what goes back on stdout, with the SDK's side played by hand (onmessage and send).
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/domain/limits.ts';
import { MAX_BATCH, MAX_LINE_BYTES } from '../../src/mcp/stdio-wire.ts';

import { type Wire, wires } from '../support/stdio-wire.ts';

describe('the stdio line reader', () => {
  const wire = wires();

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

  it('refuses a line naming a key twice in one object, as HTTP does, answering each request on it by its id, and reads the next line (round 14)', async () => {
    const { stdin, received, sent, settle } = await wire();
    stdin.write(
      '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_person","arguments":{"handle":"amara","handle":"priya"}}}\n',
    );
    // in a batch, each request is answered (a client waits for each of its ids)
    stdin.write(
      '[{"jsonrpc":"2.0","id":3,"method":"ping"},{"jsonrpc":"2.0","id":4,"method":"ping","params":{"a":1,"a":2}}]\n',
    );
    stdin.write('{"jsonrpc":"2.0","id":2,"method":"ping"}\n');
    await settle();
    const refused = (id: number, field: string) => ({
      jsonrpc: '2.0',
      id,
      error: {
        code: -32600,
        message: `Invalid Request: the line names ${field} twice in one object; each key is given once`,
      },
    });
    expect(sent).toEqual([
      refused(1, 'params.arguments.handle'),
      // a batch is answered as a batch
      [refused(3, '[1].params.a'), refused(4, '[1].params.a')],
    ]);
    expect(received).toEqual([{ jsonrpc: '2.0', id: 2, method: 'ping' }]);
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

  const line = (m: unknown) => `${JSON.stringify(m)}\n`;
  const ping = (id: number | string) => ({ jsonrpc: '2.0', id, method: 'ping' });
  const pong = (id: number | string) => ({ jsonrpc: '2.0' as const, id, result: {} });

  it('answers a batch whose request was cancelled with the other responses, instead of waiting for ever', async () => {
    const { stdin, transport, received, sent, settle } = await wire();
    const cancel = (requestId: number) => ({
      jsonrpc: '2.0',
      method: 'notifications/cancelled',
      params: { requestId },
    });
    // cancelled in the same batch: the SDK never answers 1, so the batch is complete with 2
    stdin.write(line([ping(1), ping(2), cancel(1)]));
    await settle();
    expect(received).toHaveLength(3);
    await transport.send(pong(2));
    await settle();
    expect(sent).toEqual([[pong(2)]]);
    // cancelled later, on a line of its own, after the batch's other response was in
    stdin.write(line([ping(3), ping(4)]));
    await settle();
    await transport.send(pong(4));
    await settle();
    expect(sent).toHaveLength(1);
    stdin.write(line(cancel(3)));
    await settle();
    expect(sent).toEqual([[pong(2)], [pong(4)]]);
  });

  it('refuses a message the SDK would drop unread (positional params, a fractional id), alone or in a batch', async () => {
    const { stdin, transport, received, sent, settle } = await wire();
    // each part named, as over HTTP (attack round 19: one sentence listed every rule MCP has)
    const rule =
      'Invalid Request: id: must be a string or a whole number from -9007199254740991 to 9007199254740991 (send a larger one as a string; MCP takes no null id)';
    stdin.write(line({ jsonrpc: '2.0', id: 7, method: 'ping', params: [1] }));
    await settle();
    expect(sent).toEqual([
      { jsonrpc: '2.0', id: 7, error: { code: -32600, message: 'Invalid Request: params: must be an object' } },
    ]);
    stdin.write(line([{ jsonrpc: '2.0', id: 1.5, method: 'ping' }, ping(2)]));
    await settle();
    expect(received).toEqual([ping(2)]);
    await transport.send(pong(2));
    await settle();
    expect(sent[1]).toEqual([{ jsonrpc: '2.0', id: 1.5, error: { code: -32600, message: rule } }, pong(2)]);
  });

  it('refuses a progress token past 256 characters as HTTP does, naming it, and reads the next line (attack round 29)', async () => {
    const { stdin, received, sent, settle } = await wire();
    const token = 't'.repeat(LIMITS.mcpIdChars + 1);
    stdin.write(line({ jsonrpc: '2.0', id: 5, method: 'ping', params: { _meta: { progressToken: token } } }));
    stdin.write(line({ jsonrpc: '2.0', id: 6, method: 'ping', params: { _meta: { progressToken: 'ok' } } }));
    await settle();
    expect(sent).toEqual([
      {
        jsonrpc: '2.0',
        id: 5,
        error: {
          code: -32600,
          message: `Invalid Request: params._meta.progressToken: must be at most ${LIMITS.mcpIdChars} characters when a string (each progress notification echoes it)`,
        },
      },
    ]);
    expect(received).toEqual([{ jsonrpc: '2.0', id: 6, method: 'ping', params: { _meta: { progressToken: 'ok' } } }]);
  });

  it('refuses a batch of more than 100 messages whole, as /mcp over HTTP does, and answers one of 100', async () => {
    const { stdin, transport, received, sent, settle } = await wire();
    const pings = (n: number) => Array.from({ length: n }, (_, i) => ping(i));
    stdin.write(line(pings(MAX_BATCH + 1)));
    await settle();
    expect(received).toEqual([]);
    expect(sent).toEqual([
      {
        jsonrpc: '2.0',
        id: null,
        error: { code: -32600, message: 'Invalid Request: Batch must not exceed 100 messages' },
      },
    ]);
    stdin.write(line(pings(MAX_BATCH)));
    await settle();
    expect(received).toHaveLength(100);
    for (let i = 0; i < MAX_BATCH; i++) await transport.send(pong(i));
    await settle();
    expect(sent[1]).toHaveLength(100);
  });

  it('refuses a batch holding initialize or a 2026-07-28 request whole, in the words /mcp over HTTP uses', async () => {
    const { stdin, received, sent, settle } = await wire();
    const initialize = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'hand-written', version: '1' } },
    };
    const modern = {
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/list',
      params: { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' } },
    };
    stdin.write(line([initialize, { jsonrpc: '2.0', method: 'notifications/initialized' }]));
    stdin.write(line([ping(3), modern]));
    await settle();
    expect(received).toEqual([]);
    expect(sent.map((m: Wire) => [m.id, m.error.code, m.error.message])).toEqual([
      [
        null,
        -32600,
        'Invalid Request: initialize must be sent on its own, not in a JSON-RPC batch (MCP 2025-03-26, lifecycle)',
      ],
      [
        null,
        -32600,
        'Bad Request: JSON-RPC batches may not contain requests for protocol revision 2026-07-28 or later',
      ],
    ]);
  });

  it.each([
    ['2025-03-26', true],
    ['2024-11-05', true],
    ['2025-06-18', false],
    ['2025-11-25', false],
  ])('after initialize agrees %s, reads a JSON-RPC batch: %s (2025-06-18 removed them)', async (version, read) => {
    const { stdin, transport, received, sent, settle } = await wire();
    const init = {
      jsonrpc: '2.0',
      id: 'init',
      method: 'initialize',
      params: { protocolVersion: version, capabilities: {}, clientInfo: { name: 'hand-written', version: '1' } },
    };
    stdin.write(line(init));
    await settle();
    await transport.send({
      jsonrpc: '2.0',
      id: 'init',
      result: { protocolVersion: version, capabilities: {}, serverInfo: { name: 'wghub', version: '0' } },
    });
    stdin.write(line([ping(1), ping(2)]));
    await settle();
    if (read) {
      expect(received).toEqual([init, ping(1), ping(2)]);
      return;
    }
    expect(received).toEqual([init]);
    // each request of it answered by its id, as a batch is answered, so the client waits for none
    const message = `Invalid Request: JSON-RPC batches were removed in MCP 2025-06-18, and this connection speaks ${version}: send each message on a line of its own (a batch is read at 2025-03-26 and older)`;
    expect(sent[1]).toEqual([1, 2].map((id) => ({ jsonrpc: '2.0', id, error: { code: -32600, message } })));
    // a response in a batch (its id is the server's own request's) and a notification are answered nothing
    stdin.write(
      line([{ jsonrpc: '2.0', id: 7, result: {} }, { jsonrpc: '2.0', method: 'notifications/initialized' }, ping(8)]),
    );
    await settle();
    expect(sent[2]).toEqual([{ jsonrpc: '2.0', id: 8, error: { code: -32600, message } }]);
    // a message alone is read as ever
    stdin.write(line(ping(3)));
    await settle();
    expect(received).toEqual([init, ping(3)]);
  });

  it('when stdin ends, answers what is still being worked on before the SDK closes, the last line without a newline too', async () => {
    const { stdin, transport, received, sent, settle } = await wire();
    let closed = false;
    transport.onclose = () => (closed = true);
    let answered = false;
    void transport.answered.then(() => (answered = true));
    stdin.end(`${line(ping(1))}${line([ping(2), ping(3)])}${JSON.stringify(ping(4))}`);
    await settle();
    expect(received).toEqual([ping(1), ping(2), ping(3), ping(4)]);
    expect([answered, closed]).toEqual([false, false]);
    for (const id of [4, 2, 1]) await transport.send(pong(id));
    await settle();
    expect([answered, closed]).toEqual([false, false]);
    await transport.send(pong(3));
    await settle();
    expect(sent).toEqual([pong(4), pong(1), [pong(2), pong(3)]]);
    expect([answered, closed]).toEqual([true, true]);
  });

  it('refuses a request reusing the id of one not yet answered, so its answer is neither taken nor lost at the end', async () => {
    const { stdin, transport, received, sent, settle } = await wire();
    let answered = false;
    void transport.answered.then(() => (answered = true));
    stdin.end(
      `${line(ping(7))}${line(ping(7))}${line({ jsonrpc: '2.0', id: 8, method: 'subscriptions/listen', params: {} })}`,
    );
    await settle();
    expect(received.map((m) => m.id)).toEqual([7, 8]);
    expect(sent).toEqual([
      {
        jsonrpc: '2.0',
        id: 7,
        error: {
          code: -32600,
          message: 'Invalid Request: id 7 is that of a request not yet answered; an id is used once at a time',
        },
      },
    ]);
    expect(answered).toBe(false);
    // a subscription stream, answered only when the connection closes, is not waited for
    await transport.send(pong(7));
    await settle();
    expect(answered).toBe(true);
  });

  it('refuses a request reusing the id of a batched request not yet answered, so no batch waits for ever', async () => {
    const { stdin, transport, received, sent, settle } = await wire();
    const busy = (id: number) => ({
      jsonrpc: '2.0',
      id,
      error: {
        code: -32600,
        message: `Invalid Request: id ${id} is that of a request not yet answered; an id is used once at a time`,
      },
    });
    stdin.write(line([ping(1), ping(2), ping(1)]));
    stdin.write(line([ping(2), ping(3)]));
    stdin.write(line(ping(1)));
    await settle();
    expect(received).toEqual([ping(1), ping(2), ping(3)]);
    expect(sent).toEqual([busy(1)]);
    for (const id of [1, 2, 3]) await transport.send(pong(id));
    await settle();
    expect(sent.slice(1)).toEqual([
      [busy(1), pong(1), pong(2)],
      [busy(2), pong(3)],
    ]);
  });
});
