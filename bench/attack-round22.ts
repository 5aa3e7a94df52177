// Attack round 22, against a running hub (`wghub serve`, rate limits off): concurrent writes to one
// object over REST, each race sent N at once; prints every answer that is a 5xx or not problem+json,
// and what each race left stored. Usage:
//   node bench/attack-round22.ts --url http://127.0.0.1:9571 --lead TOKEN --member TOKEN --other TOKEN --core TOKEN
// (lead: sam-lead, member: priya, other: amara, core: lena-core of the demo community)
const arg = (name: string) => process.argv[process.argv.indexOf(`--${name}`) + 1]!;
const base = arg('url');
const tokens = { lead: arg('lead'), member: arg('member'), other: arg('other'), core: arg('core') };
type Who = keyof typeof tokens;
const found: string[] = [];
const N = Number(process.argv.includes('--n') ? arg('n') : 12);

async function call(
  who: Who | null,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: any; text: string; etag: string | null }> {
  const res = await fetch(base + path, {
    method,
    headers: {
      ...(who ? { authorization: `Bearer ${tokens[who]}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {}
  const type = res.headers.get('content-type') ?? '';
  if (res.status >= 500) found.push(`${res.status} ${method} ${path}: ${text.slice(0, 300)}`);
  else if (res.status >= 400 && !type.includes('problem+json'))
    found.push(`${res.status} not problem+json ${method} ${path}: ${type} ${text.slice(0, 200)}`);
  return { status: res.status, json, text, etag: res.headers.get('etag') };
}

async function race(name: string, n: number, one: (i: number) => Promise<{ status: number; json: any }>) {
  const answers = await Promise.all(Array.from({ length: n }, (_, i) => one(i)));
  const counts = new Map<string, number>();
  for (const a of answers) {
    const k = `${a.status}${a.status >= 400 ? ` ${String(a.json?.detail ?? '').slice(0, 160)}` : ''}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  console.log(`${name}: ${[...counts].map(([k, v]) => `${v}× ${k}`).join(', ')}`);
  return answers;
}

const gov = await (await fetch(`${base}/api/governance`)).json().catch(() => ({}));
const CONDUCT = String(gov?.rules?.agreements?.codeOfConduct?.version ?? '1');
const TERMS = String(gov?.rules?.agreements?.contributionTerms?.version ?? '1');
const stamp = Date.now().toString(36);
const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 16) + ':00Z';

// a proposal to race on
const p = await call('member', 'POST', '/api/proposals', {
  title: `Race target ${stamp}`,
  problem: 'A problem statement long enough to pass the bound of twenty characters.',
  group: 'hosting',
  layer: 'working-group-artifact',
});
console.log('proposal', p.status, p.json?.ref ?? p.text.slice(0, 300));
const ref = p.json?.ref as string;

if (ref) {
  const read = await call('member', 'GET', `/api/proposals/${ref}`);
  const winners = await race('PATCH proposal, one If-Match', N, (i) =>
    call(
      'member',
      'PATCH',
      `/api/proposals/${ref}`,
      { title: `Title number ${i} ${stamp}` },
      { 'if-match': read.etag! },
    ),
  );
  if (winners.filter((a) => a.status === 200).length !== 1) found.push('PATCH proposal: not exactly one winner');
  await race('comments at once', N, (i) =>
    call(i % 2 ? 'member' : 'other', 'POST', `/api/proposals/${ref}/comments`, { body: `Comment ${i}` }),
  );
  const comments = await call(null, 'GET', `/api/proposals/${ref}/comments`);
  console.log('  comments stored', comments.json?.items?.length);
  await race('supporters at once', N, (i) =>
    call(i % 2 ? 'lead' : 'other', 'POST', `/api/proposals/${ref}/supporters`, {}),
  );
  await race('relations at once (same pair)', N, () =>
    call('member', 'POST', `/api/proposals/${ref}/relations`, { kind: 'related-to', ref: 'SEP-1686' }),
  );
  await race('evidence at once (same url)', N, () =>
    call('member', 'POST', `/api/proposals/${ref}/evidence`, {
      kind: 'implementation',
      url: `https://example.org/${stamp}`,
      description: 'An implementation.',
    }),
  );
  await race('sponsor at once', N, () => call('lead', 'POST', `/api/proposals/${ref}/sponsor`));
  const c = comments.json?.items?.[0];
  if (c) {
    const cr = await call('member', 'GET', `/api/proposals/${ref}/comments`);
    const mine = cr.json.items.find((x: any) => x.author?.handle === 'priya' || x.author === 'priya') ?? c;
    await race('PATCH comment, one If-Match', N, (i) =>
      call(
        'member',
        'PATCH',
        `/api/comments/${mine.id}`,
        { body: `Edited ${i}` },
        { 'if-match': `"v${mine.version ?? 1}"` },
      ),
    );
    await race('moderate comment at once', N, (i) =>
      call('lead', 'POST', `/api/comments/${mine.id}/moderation`, {
        action: i % 2 ? 'hide' : 'unhide',
        reason: 'race',
      }),
    );
  }
}

// topics with one slug, groups with one slug
await race('topic, one slug', N, (i) =>
  call('lead', 'POST', '/api/groups/hosting/topics', {
    slug: `race-${stamp}`,
    name: `Race topic ${stamp} ${i}`,
    goal: 'both',
    facilitators: ['sam-lead'],
  }),
);
await race('topic, lookalike names', N, (i) =>
  call('lead', 'POST', '/api/groups/hosting/topics', {
    slug: `race2-${stamp}-${i}`,
    name: `Race topic ${stamp}${i % 2 ? '' : ' '}`,
    goal: 'both',
    facilitators: ['sam-lead'],
  }),
);
await race('group, one slug', N, (i) =>
  call('member', 'POST', '/api/groups', {
    slug: `race-${stamp}`,
    name: `Race group ${stamp} ${i}`,
    kind: 'interest',
    mission: 'A mission that is long enough to pass the bound.',
    scopeIn: ['racing'],
    leads: ['priya'],
  }),
);
await race('group, one name', N, (i) =>
  call('member', 'POST', '/api/groups', {
    slug: `race-n-${stamp}-${i}`,
    name: `Samename ${stamp}`,
    kind: 'interest',
    mission: 'A mission that is long enough to pass the bound.',
    scopeIn: ['racing'],
    leads: ['priya'],
  }),
);
await race('people, one handle', N, (i) =>
  call('core', 'POST', '/api/people', {
    handle: `race-${stamp}`,
    name: `Racer ${i}`,
    role: 'contributor',
    timeZone: 'UTC',
  }),
);
await race('people, one name', N, (i) =>
  call('core', 'POST', '/api/people', {
    handle: `racen-${stamp}-${i}`,
    name: `Samename Racer ${stamp}`,
    role: 'contributor',
  }),
);
await race('subscriptions, one subject', N, (i) =>
  call('member', 'PUT', '/api/me/subscriptions', {
    subjectType: 'group',
    subjectRef: 'hosting',
    level: ['watching', 'normal', 'muted'][i % 3],
  }),
);
await race('notification preferences', N, (i) =>
  call('member', 'PATCH', '/api/me/notification-preferences', { digestHour: i % 24 }),
);
await race('join at once', N, () => call('other', 'POST', '/api/groups/hosting/members', {}));
await race('membership requests at once', N, () =>
  call('other', 'POST', '/api/groups/hosting/membership-requests', { note: 'please' }),
);
await race('tokens at once', N, (i) => call('member', 'POST', '/api/people/priya/tokens', { label: `race ${i}` }));
await race('webhooks at once', N, (i) =>
  call('lead', 'POST', '/api/groups/hosting/webhooks', {
    url: `https://discord.com/api/webhooks/${stamp}/${i}`,
    format: 'discord',
  }),
);
await race('agreements at once', N, () =>
  call('member', 'POST', '/api/people/priya/agreements', { codeOfConduct: CONDUCT, contributionTerms: TERMS }),
);
await race('mark all read at once', N, () => call('member', 'POST', '/api/me/notifications/read', {}));

// a meeting to race on
const m = await call('lead', 'POST', '/api/meetings', {
  group: 'hosting',
  title: `Race meeting ${stamp}`,
  kind: 'content',
  topic: 'horizontal-scaling',
  startsAt: future(10),
  durationMinutes: 60,
  timeZone: 'UTC',
});
console.log('meeting', m.status, m.json?.ref ?? m.text.slice(0, 300));
const mref = m.json?.ref as string;
if (mref) {
  const read = await call('lead', 'GET', `/api/meetings/${mref}`);
  await race('agenda items, one If-Match', N, (i) =>
    call('lead', 'POST', `/api/meetings/${mref}/agenda`, { title: `Item ${i}` }, { 'if-match': read.etag! }),
  );
  await race('agenda items, no If-Match', N, (i) =>
    call('lead', 'POST', `/api/meetings/${mref}/agenda`, { title: `Item free ${i}` }),
  );
  const r2 = await call('lead', 'GET', `/api/meetings/${mref}`);
  await race('agenda delete first, one If-Match', N, () =>
    call('lead', 'DELETE', `/api/meetings/${mref}/agenda/1`, undefined, { 'if-match': r2.etag! }),
  );
  const r3 = await call('lead', 'GET', `/api/meetings/${mref}`);
  await race('agenda move, one If-Match', N, (i) =>
    call(
      'lead',
      'POST',
      `/api/meetings/${mref}/agenda/${(i % 3) + 1}/move`,
      { direction: i % 2 ? 'up' : 'down' },
      { 'if-match': r3.etag! },
    ),
  );
  await race('written input at once', N, (i) =>
    call(i % 2 ? 'member' : 'lead', 'POST', `/api/meetings/${mref}/written-input`, {
      item: 1,
      body: `Written input number ${i}`,
    }),
  );
  await race('publish agenda at once', N, () => call('lead', 'POST', `/api/meetings/${mref}/agenda/publish`));
  await race('actions at once', N, (i) =>
    call('lead', 'POST', `/api/meetings/${mref}/actions`, {
      description: `Act ${i}`,
      owner: 'priya',
      due: '2030-01-01',
    }),
  );
  const r4 = await call('lead', 'GET', `/api/meetings/${mref}`);
  await race('PATCH meeting, one If-Match', N, (i) =>
    call('lead', 'PATCH', `/api/meetings/${mref}`, { title: `Race meeting ${i}` }, { 'if-match': r4.etag! }),
  );
  const after = await call('lead', 'GET', `/api/meetings/${mref}`);
  console.log('  agenda items', after.json?.agenda?.length, 'actions', after.json?.actions?.length);
}

// a decision to race on
const d = await call('lead', 'POST', '/api/decisions', {
  group: 'hosting',
  question: `Should we race ${stamp}?`,
  significance: 'minor',
  subject: { type: 'proposal', ref },
});
console.log('decision', d.status, d.json?.ref ?? d.text.slice(0, 300));
const dref = d.json?.ref as string;
if (dref) {
  await race('responses at once', N, (i) =>
    call(i % 2 ? 'member' : 'lead', 'POST', `/api/decisions/${dref}/responses`, {
      kind: i % 3 ? 'consent' : 'concern',
      reason: 'because of the race',
      amendment: 'race less',
    }),
  );
  await race('withdraw + respond at once', N, (i) =>
    i === 0
      ? call('lead', 'POST', `/api/decisions/${dref}/withdraw`, { reason: 'race' })
      : call('member', 'DELETE', `/api/decisions/${dref}/responses`),
  );
}

console.log(found.length ? `\nFOUND ${found.length}:\n${found.join('\n')}` : '\nnothing found');
process.exitCode = found.length ? 1 : 0;
