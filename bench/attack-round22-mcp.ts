// Attack round 22 over MCP, against a running hub: every tool is called with arguments its listed
// schema accepts, each string filled to its bound with an edge of Unicode (emoji, so a bound counted
// in UTF-16 units would cut one in half; a ZWJ family; four combining marks; Hebrew with its marks;
// lines in a one-line field's neighbour). It prints every internal error, every refusal naming a
// field the tool does not have (a use case checking text it composed from what was sent, as
// recordPriorWork did), and every call slower than a second.
//   node bench/attack-round22-mcp.ts --url http://127.0.0.1:9571 --token TOKEN
const arg = (name: string) => process.argv[process.argv.indexOf(`--${name}`) + 1]!;
const url = `${arg('url')}/mcp`;
const token = arg('token');
let id = 0;

async function rpc(method: string, params: object): Promise<any> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-06-18',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }),
  });
  const text = await res.text();
  const data = text.split('\n').find((l) => l.startsWith('data: '));
  return JSON.parse(data ? data.slice(6) : text);
}

const FILLS = [
  (n: number) => '😀'.repeat(n),
  (n: number) => `${'a'.repeat(Math.max(0, n - 1))}😀`,
  (n: number) => '👨‍👩‍👧'.repeat(Math.floor(n / 5)) || 'abc',
  (n: number) => `e${'\u0301\u0302\u0303\u0304'}`.repeat(Math.floor(n / 5)) || 'abc',
  (n: number) => 'שָׁלוֹם '.repeat(Math.floor(n / 7)) || 'abc',
];
const KNOWN: Record<string, string> = {
  group: 'hosting',
  slug: 'hosting',
  topic: 'horizontal-scaling',
  topicArea: 'horizontal-scaling',
  handle: 'priya',
  owner: 'priya',
  designee: 'priya',
  noteTaker: 'priya',
  for: 'priya',
  repo: 'modelcontextprotocol/modelcontextprotocol',
  seriesOf: 'M-1',
  decision: 'D-1',
};

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  anyOf?: Schema[];
  maxLength?: number;
  minLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  pattern?: string;
  format?: string;
  default?: unknown;
};

function value(name: string, s: Schema, fill: (n: number) => string, tool: string): unknown {
  if (s.anyOf) return value(name, s.anyOf.find((x) => x.type !== 'null') ?? s.anyOf[0]!, fill, tool);
  if (s.enum) return s.enum[0];
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  if (type === 'boolean') return false;
  if (type === 'integer' || type === 'number') return s.minimum ?? (typeof s.default === 'number' ? s.default : 1);
  if (type === 'array') return [value(name, s.items ?? {}, fill, tool)];
  if (type === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(s.properties ?? {})) out[k] = value(k, v, fill, tool);
    return out;
  }
  if (name in KNOWN) return KNOWN[name];
  if (name === 'ref')
    return tool.includes('meeting') || tool.includes('agenda') || tool.includes('written') || tool.includes('action')
      ? 'M-1'
      : tool.includes('decision') || tool.includes('vote')
        ? 'D-1'
        : 'P-1';
  if (s.format === 'date-time' || name === 'startsAt' || name === 'deadline')
    return new Date(Date.now() + 9 * 86_400_000).toISOString();
  if (name === 'due' || name === 'from') return '2030-01-01';
  if (name === 'timeZone') return 'Europe/Berlin';
  if (s.format === 'uri' || name === 'url') return 'https://example.org/x';
  if (s.format === 'email' || name === 'email') return 'x@example.org';
  if (s.pattern) return null; // left out: a value the pattern holds is not guessed
  const max = Math.min(s.maxLength ?? 300, 5_000);
  const text = fill(max);
  return text.length < (s.minLength ?? 0) ? text.padEnd(s.minLength ?? 0, 'x') : text;
}

const listed = await rpc('tools/list', {});
const tools = listed.result.tools as { name: string; inputSchema: Schema; annotations?: { readOnlyHint?: boolean } }[];
const found: string[] = [];
for (const fill of FILLS)
  for (const t of tools) {
    const args = value('', t.inputSchema, fill, t.name) as Record<string, unknown>;
    for (const [k, v] of Object.entries(args)) if (v === null) delete args[k];
    const fields = new Set(Object.keys(t.inputSchema.properties ?? {}));
    const at = performance.now();
    const r = await rpc('tools/call', { name: t.name, arguments: args });
    const ms = performance.now() - at;
    if (ms > 1000) found.push(`slow ${Math.round(ms)} ms: ${t.name}`);
    if (r.error && r.error.code !== -32602)
      found.push(`${t.name}: JSON-RPC ${r.error.code} ${r.error.message.slice(0, 200)}`);
    const text: string = r.result?.isError ? (r.result.content?.[0]?.text ?? '') : '';
    if (/internal|unexpected/i.test(text)) found.push(`${t.name}: ${text.slice(0, 200)}`);
    // a refusal naming a field: is it one of the tool's?
    for (const m of text.matchAll(/(?:^|; |\n)([A-Za-z_][\w]*)(?:\[\d+\])?(?:\.[\w[\]]+)*: /g))
      if (
        !fields.has(m[1]!) &&
        !['Error', 'If', 'Note', 'Tip', 'version', 'forbidden', 'conflict', 'input', 'found', 'affiliations'].includes(
          m[1]!,
        )
      )
        found.push(`${t.name}: names '${m[1]}', not an argument: ${text.slice(0, 200)}`);
  }
console.log(found.length ? found.join('\n') : 'nothing found');
