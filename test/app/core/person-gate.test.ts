// The gate for what a person does as themself (a vote, a comment, a sponsorship, joining, their
// inbox): the policy decides, the use case is handed the person acting, and anyone else is refused
// in words (never a 500), even if a policy were ever to let them through. Through use cases on
// both databases: the operator asking to vote, comment, join or read an inbox is refused in the
// community's words and nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizeAsPerson, personActing } from '../../../src/app/core/gate.ts';
import { SYSTEM } from '../../../src/app/core/hub.ts';
import { openDecision, respondToDecision } from '../../../src/app/decisions/decisions.ts';
import { joinGroup, placeInGroup, proposeGroup } from '../../../src/app/groups/groups.ts';
import { listInbox } from '../../../src/app/notifications/inbox.ts';
import { addComment } from '../../../src/app/proposals/comments.ts';
import { createProposal, supportProposal } from '../../../src/app/proposals/proposals.ts';
import { Forbidden } from '../../../src/domain/errors.ts';
import { describeFailure } from '../../../src/domain/failure.ts';
import { ALLOWED, refused } from '../../../src/domain/policies/index.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, person, type TestHub } from '../../support/hub.ts';

const AS_PERSON = 'This is done by a person, as themself: act as one with --as HANDLE';

describe('authorizeAsPerson', () => {
  const priya = { kind: 'person' as const, person: { id: 'p1', handle: 'priya' } as never };

  it('hands the use case the person the policy allowed', () => {
    expect(authorizeAsPerson({ vote: ALLOWED }, 'vote', priya)).toBe(priya);
  });
  it("refuses with the policy's reason and remedy", () => {
    const why = refused('Accept the MCP Code of Conduct and the contribution terms first', 'accept-agreements');
    expect(() => authorizeAsPerson({ vote: why }, 'vote', priya)).toThrow(
      new Forbidden(why.reason, { action: 'vote', remedy: 'accept-agreements' }),
    );
  });
  it('refuses the operator in words, as a 403, should a policy ever let them through', () => {
    let thrown: unknown;
    try {
      authorizeAsPerson({ vote: ALLOWED }, 'vote', SYSTEM);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(Forbidden);
    expect(describeFailure(thrown as Forbidden)).toMatchObject({ status: 403, detail: AS_PERSON });
    expect(() => personActing(SYSTEM, 'join')).toThrow(AS_PERSON);
  });
});

describe.each(databases)('what a person does as themself, asked of the operator, on $name', (database) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    const sam = await person(hub, 'sam', { role: 'member' });
    const priya = await person(hub, 'priya');
    await proposeGroup(hub, sam, {
      slug: 'hosting',
      name: 'Hosting',
      kind: 'working',
      mission: 'Share practices for hosting MCP servers at scale.',
      scopeIn: ['Scaling'],
      leads: ['sam'],
    });
    await placeInGroup(hub, SYSTEM, 'hosting', 'priya', { level: 'member' });
    await createProposal(hub, priya, {
      title: 'Session affinity guide',
      problem: 'Operators cannot scale stateful MCP servers behind a load balancer.',
      examples: ['A gateway loses sessions on every deploy'],
      layer: 'working-group-artifact',
      group: 'hosting',
    });
    await openDecision(hub, sam, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Meet fortnightly from April?',
      significance: 'minor',
    });
  });
  afterAll(async () => {
    await hub?.close();
  });

  it('is refused in words naming what to do, and writes nothing', async () => {
    const before = await hub.store.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const attempts = [
      () => respondToDecision(hub, SYSTEM, 'D-1', { kind: 'consent' }),
      () => addComment(hub, SYSTEM, 'P-1', { body: 'A comment from nobody.' }),
      () => supportProposal(hub, SYSTEM, 'P-1'),
      () => joinGroup(hub, SYSTEM, 'hosting', { level: 'participant' }),
      () => listInbox(hub, SYSTEM, {}),
    ];
    for (const attempt of attempts) {
      const e = await attempt().then(
        () => null,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(Forbidden);
      expect((e as Forbidden).message).toMatch(/act as one with --as HANDLE$/);
      expect((e as Forbidden).message).not.toMatch(/unreachable|\b[a-z]+\.[a-z][A-Za-z]+\b/);
    }
    const after = await hub.store.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});
