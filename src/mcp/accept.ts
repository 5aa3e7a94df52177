// Clients that do not list both media types in Accept. The 2025 transports say a client MUST list
// application/json and text/event-stream, and the SDK's 2025-era fallback answers anything else 406,
// while its 2026-07-28 path answers whatever the client accepts. Hand-written clients often send
// `Accept: application/json` alone, `*/*`, or nothing (which in HTTP means anything is acceptable),
// and the hub has nothing to stream to them: each answer is one message. So such a client is
// answered in JSON (a batch with an array), and one that accepts only SSE gets SSE; a client that
// accepts neither (say `text/html` alone) still gets the 406 that says what to send.

export type AcceptPlan = 'as-is' | 'sse' | 'json';

const BOTH = 'application/json, text/event-stream';

/** What a POST's Accept header lets the hub answer with. */
export function acceptPlan(accept: string | null): AcceptPlan {
  const types = (accept ?? '')
    .split(',')
    .map((part) => part.split(';')[0]!.trim().toLowerCase())
    .filter(Boolean);
  const json = types.includes('application/json');
  const sse = types.includes('text/event-stream');
  if (json && sse) return 'as-is';
  if (sse) return 'sse';
  if (json || types.length === 0 || types.includes('*/*') || types.includes('application/*')) return 'json';
  return 'as-is';
}

/** The request again with these headers and, where it was read already, this body. */
export function rebuilt(req: Request, headers: Headers, body?: string): Request {
  if (body === undefined) return new Request(req, { headers });
  return new Request(req.url, { method: req.method, headers, body, signal: req.signal });
}

/** The request as the SDK's 2025 transport wants it: both media types in Accept. */
export function withBothAccepted(req: Request, body?: string): Request {
  const headers = new Headers(req.headers);
  headers.set('accept', BOTH);
  return rebuilt(req, headers, body);
}

/** The JSON-RPC responses an SSE answer carried (notifications between them are left out). */
export function responsesInStream(text: string): unknown[] {
  const out: unknown[] = [];
  for (const event of text.split(/\r?\n\r?\n/)) {
    const data = event
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).replace(/^ /, ''))
      .join('\n');
    if (!data) continue;
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      continue;
    }
    for (const m of Array.isArray(message) ? message : [message])
      if (m && typeof m === 'object' && 'id' in m && ('result' in m || 'error' in m)) out.push(m);
  }
  return out;
}

/** An SSE answer to a JSON-only client, as one JSON body: the response, or for a batch the array of them. */
export async function asJson(res: Response, batch: boolean): Promise<Response> {
  if (!res.headers.get('content-type')?.toLowerCase().startsWith('text/event-stream')) return res;
  const responses = responsesInStream(await res.text());
  const headers = { 'Content-Type': 'application/json' };
  if (batch) return new Response(JSON.stringify(responses), { status: res.status, headers });
  if (responses.length === 0)
    return new Response(
      JSON.stringify({
        jsonrpc: '2.0',
        id: null,
        error: { code: -32603, message: 'the answer ended before a response' },
      }),
      { status: 500, headers },
    );
  return new Response(JSON.stringify(responses[0]), { status: res.status, headers });
}
