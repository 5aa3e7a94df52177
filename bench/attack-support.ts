// What every scripted attack round against a running hub (`wghub serve`, rate limits off) needs: a call
// as one of its people (or none) that notes each 5xx and each refusal that is not problem+json, a race
// of requests sent at once and counted by answer, and an expected status that notes anything else.
// Each finding lands in `found`; `report` prints them and sets the exit code.
export type Answer = { status: number; json: any; text: string; ms: number; headers: Headers };

export function attacker<Who extends string>(base: string, tokens: Record<Who, string>) {
  const found: string[] = [];

  async function call(
    who: Who | null,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    const t0 = performance.now();
    const res = await fetch(base + path, {
      method,
      redirect: 'manual',
      headers: {
        ...(who ? { authorization: `Bearer ${tokens[who]}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const ms = performance.now() - t0;
    let json: any = null;
    try {
      json = JSON.parse(text);
    } catch {}
    const type = res.headers.get('content-type') ?? '';
    if (res.status >= 500) found.push(`${res.status} ${method} ${path}: ${text.slice(0, 300)}`);
    else if (res.status >= 400 && !type.includes('problem+json') && !type.includes('text/html'))
      found.push(`${res.status} not problem+json ${method} ${path}: ${type} ${text.slice(0, 200)}`);
    return { status: res.status, json, text, ms, headers: res.headers };
  }

  /** Sends the requests at once and prints how many ended each way. */
  async function race(name: string, answers: Promise<Answer>[]): Promise<Answer[]> {
    const done = await Promise.all(answers);
    const counts = new Map<string, number>();
    for (const a of done) {
      const k = `${a.status}${a.status >= 400 ? ` ${a.json?.rule ?? ''} ${String(a.json?.detail ?? '').slice(0, 100)}` : ''}`;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    console.log(`${name}: ${[...counts].map(([k, v]) => `${v}× ${k}`).join(', ')}`);
    return done;
  }

  /** Expects `status`; anything else is a finding. */
  async function expectStatus(name: string, status: number, p: Promise<Answer>): Promise<Answer> {
    const a = await p;
    const ok = a.status === status;
    if (!ok) found.push(`${name}: ${a.status} (expected ${status}) ${JSON.stringify(a.json).slice(0, 200)}`);
    console.log(`${ok ? 'held' : 'FOUND'} ${name}: ${a.status} ${String(a.json?.detail ?? '').slice(0, 120)}`);
    return a;
  }

  /** Prints what was found (or that all held) and sets the process's exit code. */
  function report(): void {
    console.log(found.length ? `\nFOUND ${found.length}:\n${found.join('\n')}` : '\nall held');
    process.exitCode = found.length ? 1 : 0;
  }

  return { found, call, race, expectStatus, report };
}

/** The value of `--name` on the command line (required), or `fallback` when it is absent. */
export function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0 && process.argv[i + 1] !== undefined) return process.argv[i + 1]!;
  if (fallback !== undefined) return fallback;
  throw new Error(`--${name} is needed`);
}
