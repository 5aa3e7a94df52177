// Attack round 23, against a running hub (`wghub serve`, rate limits off): invitations to a group,
// each race sent N at once, every refusal and odd input; prints each answer that is a 5xx or not
// problem+json, how each race ended and what was stored. Usage:
//   node bench/attack-round23.ts --url http://127.0.0.1:9623 --lead TOKEN --member TOKEN --other TOKEN --core TOKEN
// (lead: sam-lead, member: priya, other: jonas, core: lena-core of the demo community). Each run proposes
// a group of its own (sam-lead leads it), so the bounds on invitations to one person from one group
// start afresh; one person invites another at most 10 times in 30 days whatever the group, and has at
// most 10 groups proposed at once (attack round 24), so seed a
// fresh hub after ten runs.
import { arg, attacker } from './attack-support.ts';

const base = arg('url');
const tokens = { lead: arg('lead'), member: arg('member'), other: arg('other'), core: arg('core') };
type Who = keyof typeof tokens;
const N = Number(arg('n', '12'));
const { found, call, race, expectStatus, report } = attacker<Who>(base, tokens);

const slug = `r23-${Date.now().toString(36)}`;
const g = await call('lead', 'POST', '/api/groups', {
  slug,
  name: `Round 23 ${slug}`,
  kind: 'working',
  mission: 'A group to race invitations in.',
  scopeIn: ['Invitations'],
  leads: ['sam-lead'],
});
console.log('group', g.status, g.json?.slug ?? g.text.slice(0, 300));
const invite = (who: Who, body: object) => call(who, 'POST', `/api/groups/${slug}/invitations`, body);

// who may invite, and what an invitation holds
await expectStatus('a visitor invites', 401, call(null, 'POST', `/api/groups/${slug}/invitations`, {}));
await expectStatus('one who may not set levels invites', 403, invite('member', { handle: 'jonas', level: 'member' }));
for (const [what, message] of [
  ['a bidi override', 'hi \u202e evil'],
  ['NUL', 'a\u0000b'],
  ['a lone surrogate', 'a\ud800b'],
  ['a tag character', 'a\u{e0041}b'],
]) {
  const a = await expectStatus(
    `a message holding ${what}`,
    422,
    invite('lead', { handle: 'jonas', level: 'member', message }),
  );
  if (a.json?.errors?.[0]?.field !== 'message') found.push(`${what}: refusal names ${a.json?.errors?.[0]?.field}`);
}
for (const days of [-1, 0, 61, 1.5, 1e308, '7', null])
  await expectStatus(
    `expiresInDays ${JSON.stringify(days)}`,
    422,
    invite('lead', { handle: 'jonas', level: 'member', expiresInDays: days }),
  );
await expectStatus('an unknown level', 422, invite('lead', { handle: 'jonas', level: 'owner' }));
await expectStatus('a handle nobody has', 404, invite('lead', { handle: 'nobody-here', level: 'member' }));

// the same person invited N times at once: one invitation
await race(
  `invite one person ×${N}`,
  Array.from({ length: N }, () => invite('lead', { handle: 'jonas', level: 'member' })),
);
const open = await call('lead', 'GET', `/api/groups/${slug}/invitations`);
const jonas = (open.json?.items ?? []).filter((i: any) => i.handle === 'jonas');
if (jonas.length !== 1) found.push(`invite ×${N}: ${jonas.length} open invitations stored`);
// the same level set N times at once through PUT: all answered with that one invitation
const puts = await race(
  `PUT the same level ×${N}`,
  Array.from({ length: N }, () => call('lead', 'PUT', `/api/groups/${slug}/members/jonas`, { level: 'member' })),
);
const ids = new Set(puts.map((p) => p.json?.invitation?.id).filter(Boolean));
if (ids.size !== 1 || !ids.has(jonas[0]?.id)) found.push(`PUT ×${N}: answered with ${ids.size} invitations`);
const id = jonas[0]?.id as string;

// nobody acts on another's invitation
await expectStatus(
  "another accepts jonas's invitation",
  403,
  call('member', 'POST', `/api/me/invitations/${id}/accept`),
);
await expectStatus(
  "another declines jonas's invitation",
  403,
  call('core', 'POST', `/api/me/invitations/${id}/decline`),
);
await expectStatus('another reads it', 404, call('member', 'GET', `/api/invitations/${id}`));
await expectStatus(
  "another group's lead withdraws it through their group",
  404,
  call('member', 'POST', `/api/groups/security/invitations/${id}/withdraw`),
);
await expectStatus(
  'the person invited withdraws it',
  403,
  call('other', 'POST', `/api/groups/${slug}/invitations/${id}/withdraw`),
);

// accepting, declining and withdrawing at once: one answer wins, the rest 409 or 410
const answers = await race('accept, decline and withdraw at once', [
  ...Array.from({ length: N }, (_, i) =>
    call('other', 'POST', `/api/me/invitations/${id}/${i % 2 ? 'accept' : 'decline'}`),
  ),
  ...Array.from({ length: N }, () => call('lead', 'POST', `/api/groups/${slug}/invitations/${id}/withdraw`)),
]);
if (answers.filter((a) => a.status === 200).length !== 1) found.push('answers at once: not exactly one winner');
const members = await call(null, 'GET', `/api/groups/${slug}`);
console.log(
  '  members now',
  (members.json?.members ?? []).map((m: any) => `${m.handle}:${m.level}`).join(' '),
  '; the invitation',
  (await call('lead', 'GET', `/api/invitations/${id}`)).json?.state,
);

// joining and accepting at once, by the person invited (a 500 on PostgreSQL before round 23)
const core = await invite('lead', { handle: 'lena-core', level: 'member' });
if (core.json?.id) {
  await race('join and accept at once', [
    call('core', 'POST', `/api/groups/${slug}/members`, { level: 'observer' }),
    call('core', 'POST', `/api/me/invitations/${core.json.id}/accept`),
  ]);
  const level = (await call(null, 'GET', `/api/groups/${slug}`)).json?.members?.find(
    (m: any) => m.handle === 'lena-core',
  )?.level;
  if (level !== 'member') found.push(`join and accept at once: lena-core is ${level}, not member`);
}

report();
