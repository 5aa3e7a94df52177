// Every demo role × every action, through the use cases on both databases: the `can` a view gives
// a person is what the use case then does. Allowed: the use case does not refuse them. Refused: the
// use case refuses with the same reason, in words (never a permission id or a path). Each action
// is allowed to someone and refused to someone: a signed-in person, or, for what every person may
// do (`everyPersonMay`), a visitor, whom `can` asks to sign in (no edge lets a visitor reach a use case).
import { addWebhook } from '../../../src/app/notifications/chat.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM, type Actor } from '../../../src/app/core/hub.ts';
import {
  castVote,
  extendDecision,
  designateEscalation,
  getDecision,
  openDecision,
  recordGuidance,
  requestVote,
  respondToDecision,
  withdrawDecision,
  withdrawResponse,
} from '../../../src/app/decisions/decisions.ts';
import { verifyEvidence } from '../../../src/app/evidence/evidence-checks.ts';
import {
  getGroupFor,
  joinGroup,
  moveGroup,
  setMemberLevel,
  sponsorGroup,
  updateCharter,
} from '../../../src/app/groups/groups.ts';
import { createTopicArea, getTopicArea, updateTopicArea } from '../../../src/app/groups/topic-areas.ts';
import { addAgendaItem, publishAgenda, submitWrittenInput } from '../../../src/app/meetings/agenda.ts';
import { getMeeting, scheduleMeeting, updateMeeting } from '../../../src/app/meetings/meetings.ts';
import { completeActionItem, recordAttendance } from '../../../src/app/meetings/outcomes.ts';
import { removeAgendaItem } from '../../../src/app/meetings/agenda.ts';
import { githubCan, githubStatusFor, requestSync } from '../../../src/app/github/operate.ts';
import { moderateComment } from '../../../src/app/proposals/moderation.ts';
import { communityCan } from '../../../src/app/people/access.ts';
import {
  acceptAgreements,
  createPerson,
  getPerson,
  setPersonRole,
  updatePerson,
} from '../../../src/app/people/people.ts';
import { createToken, revokeToken } from '../../../src/app/people/tokens.ts';
import { issueClaim } from '../../../src/app/people/web-sessions.ts';
import { addComment, editComment, listComments } from '../../../src/app/proposals/comments.ts';
import { runDormancy } from '../../../src/app/proposals/dormancy.ts';
import { requestReview } from '../../../src/app/proposals/review-request.ts';
import {
  addEvidence,
  completeFollowUp,
  createProposal,
  endSponsorship,
  getProposal,
  moveProposal,
  promoteProposal,
  relateProposal,
  sponsorProposal,
  supportProposal,
  updateProposal,
  withdrawSupport,
} from '../../../src/app/proposals/proposals.ts';
import { proposeGroup } from '../../../src/app/groups/groups.ts';
import { checkPermission, type Verdict } from '../../../src/domain/policies/index.ts';
import { viewerOf } from '../../../src/app/core/gate.ts';
import { activeLevelIn } from '../../../src/app/groups/groups.ts';
import { proposalStanding } from '../../../src/app/proposals/access.ts';
import { proposalRow } from '../../../src/app/proposals/proposals.ts';
import { decisionRow } from '../../../src/app/decisions/decisions.ts';
import { ALL_PERMISSION_NAMES, type PermissionName } from '../../../src/domain/governance/index.ts';
import { mirrorRepo } from '../../support/github.ts';
import { databases } from '../../support/databases.ts';
import { asActor, openDemoHub, person, type TestHub } from '../../support/hub.ts';

/**
 * The demo community's people (each a role: observer, member, author, group lead, lead and core
 * maintainers), a newcomer who has not accepted the agreements, a moderator, and the operator at
 * the command line; those with least standing first, so a move is tried by them before it is made.
 */
const ROLES = [
  'amara',
  'newcomer',
  'priya',
  'jonas',
  'sam-lead',
  'mo',
  'lena-core',
  'kai-core',
  'ines-core',
  'operator',
] as const;

/** `can` answers null when the action is not there to take any more (the move was made). */
type Case = {
  action: string;
  /** The governance file's permission this action checks (none: a rule of the policy's own, such as joining). */
  permission?: PermissionName;
  can: (a: Actor | null) => Promise<Verdict | null>;
  run: (a: Actor, i: number) => Promise<unknown>;
  /** Every signed-in person may, whatever their role or agreements: only a visitor is refused. */
  everyPersonMay?: true;
  /**
   * The permission check alone, for one told the thing is already as asked (409): the policy puts
   * `alreadySo` after the permission, so only one who may do it is told so. A case that can answer
   * already-as-asked says how its permission is checked.
   */
  permitted?: (a: Actor) => Promise<Verdict>;
};

// The cases run in the order written, each on what the ones before it left (the comment it edits,
// the sponsorship it ends, the vote it casts): one hub for them all, as a fresh one per case would
// cost the demo's loading ~60 times. So they are never shuffled, even under --sequence.shuffle.
describe('every permission, case after case', { shuffle: false }, () => {
  describe.each(databases)('role × action through the use cases on $name', (database) => {
    let hub: TestHub;
    let n = 0;
    let decision = '';
    let escalated = '';
    /** A decision opened by mistake, for withdrawing (which closes it). */
    let mistaken = '';
    /** A decision given more time (its deadline moves, it stays under lazy consensus). */
    let unhurried = '';
    let designee = '';
    let token = '';
    let followUp = '';
    const as = async (h: string): Promise<Actor> => (h === 'operator' ? SYSTEM : asActor(hub, h));
    beforeAll(async () => {
      hub = await openDemoHub(database, { start: '2026-12-02T09:00:00Z' });
      await person(hub, 'mo', { role: 'moderator' });
      await person(hub, 'newcomer', { accepted: false });
      await createProposal(hub, await as('jonas'), {
        title: 'Session affinity behind load balancers',
        problem: 'Hosted MCP servers lose the session when a request lands on another process.',
        examples: ['Two pods behind an ingress drop the Mcp-Session-Id'],
        layer: 'working-group-artifact',
        group: 'hosting',
      });
      await createProposal(hub, await as('priya'), {
        title: 'Tool description signing',
        problem: 'Clients cannot tell whether a tool description was changed after review.',
        layer: 'working-group-artifact',
        group: 'security',
      });
      // mo is a member of Security who has not taken part for longer than the inactivity period
      await joinGroup(hub, await as('mo'), 'security', { level: 'participant' });
      await setMemberLevel(hub, await as('priya'), 'security', 'mo', { level: 'member' });
      const days = hub.governance.membership.inactivityDays + 1;
      const away = new Date(hub.clock.now().getTime() - days * 86_400_000).toISOString();
      const moId = (
        await hub.store.db.selectFrom('people').select('id').where('handle', '=', 'mo').executeTakeFirstOrThrow()
      ).id;
      const security = (
        await hub.store.db.selectFrom('groups').select('id').where('slug', '=', 'security').executeTakeFirstOrThrow()
      ).id;
      await hub.store.db
        .updateTable('group_members')
        .set({ last_active_at: away })
        .where('person_id', '=', moId)
        .where('group_id', '=', security)
        .execute();
      expect((await getGroupFor(hub, 'security', null)).members.find((m) => m.handle === 'mo')?.emeritus).toBe(true);
      await addEvidence(hub, await as('jonas'), 'P-1', {
        kind: 'implementation',
        description: 'Our gateway',
        url: 'stdio:none',
      });
      mirrorRepo(hub, 'modelcontextprotocol/modelcontextprotocol', true);
      token = (await createToken(hub, await as('priya'), 'priya', { label: 'laptop' })).id;
      // a cascade follow-up on P-1 to mark done (written as the cascade would write it)
      followUp = hub.newId();
      await hub.store.db
        .insertInto('follow_ups')
        .values({
          id: followUp,
          proposal_id: (
            await hub.store.db.selectFrom('proposals').select('id').where('number', '=', 1).executeTakeFirstOrThrow()
          ).id,
          kind: 'sdk',
          target: 'typescript-sdk',
          status: 'open',
          created_at: hub.clock.now().toISOString(),
          done_at: null,
          done_by: null,
        })
        .execute();
      // agenda items jonas added to the coming meeting, one for each who may take one off
      for (const k of ROLES) await addAgendaItem(hub, await as('jonas'), 'M-2', { title: `Removable ${k}` });
      // a decision whose vote failed a week ago: now escalated, waiting for a core maintainer to be named
      const start = hub.clock.now();
      hub.clock.set(new Date(start.getTime() - 8 * 86_400_000).toISOString());
      escalated = (
        await openDecision(hub, await as('sam-lead'), {
          group: 'hosting',
          subject: { type: 'process' },
          question: 'Move the meeting to Wednesdays?',
          significance: 'minor',
        })
      ).ref;
      await requestVote(hub, await as('sam-lead'), escalated);
      for (const h of ROLES.slice(0, -1)) {
        const voter = await as(h);
        if ((await getDecision(hub, escalated, undefined, voter)).can.vote.allowed)
          await castVote(hub, voter, escalated, { choice: 'no' });
      }
      hub.clock.set(start.toISOString());
      const esc = await getDecision(hub, escalated);
      expect(esc.state.phase).toBe('escalated');
      designee = esc.escalation!.candidates[0]!;
      // decisions to respond to, withdraw and give more time, opened by the group lead
      decision = (
        await openDecision(hub, await as('sam-lead'), {
          group: 'hosting',
          subject: { type: 'process' },
          question: 'Meet fortnightly on Thursdays?',
          significance: 'minor',
        })
      ).ref;
      expect((await getDecision(hub, decision)).state.phase).toBe('lazy-consensus');
      mistaken = (
        await openDecision(hub, await as('sam-lead'), {
          group: 'hosting',
          subject: { type: 'process' },
          question: 'Meet weekly on Thursdays?',
          significance: 'minor',
        })
      ).ref;
      unhurried = (
        await openDecision(hub, await as('sam-lead'), {
          group: 'hosting',
          subject: { type: 'process' },
          question: 'Meet monthly on Thursdays?',
          significance: 'minor',
        })
      ).ref;
    }, 600_000);
    afterAll(async () => hub?.close());

    const proposalCan = (action: string) => async (a: Actor | null) =>
      ((await getProposal(hub, 'P-1', a)).can as Record<string, Verdict>)[action]!;
    const groupCan =
      (action: string, slug = 'hosting') =>
      async (a: Actor | null) =>
        ((await getGroupFor(hub, slug, a)).can as Record<string, Verdict>)[action]!;
    const personCan = (action: string, handle: string) => async (a: Actor | null) =>
      ((await getPerson(hub, handle, a)).can as Record<string, Verdict>)[action]!;
    const community = (action: string) => async (a: Actor | null) =>
      (communityCan(hub, a) as Record<string, Verdict>)[action]!;
    const proposalVersion = async () => (await getProposal(hub, 'P-1')).version;

    const cases: Case[] = [
      {
        action: 'community: make a proposal',
        permission: 'proposal.create',
        can: community('createProposal'),
        run: (a) =>
          createProposal(hub, a, {
            title: `Idea ${++n}`,
            problem: 'A problem stated at enough length to pass.',
            layer: 'working-group-artifact',
          }),
      },
      {
        action: 'community: propose a group',
        permission: 'group.propose',
        can: community('proposeGroup'),
        run: (a) =>
          proposeGroup(hub, a, {
            slug: `g-${++n}`,
            name: `Group ${n}`,
            kind: 'interest',
            mission: 'A mission of enough length to say what it is about.',
            scopeIn: ['**Everything** about it'],
            scopeOut: [],
            relatedGroups: [],
            leads: ['sam-lead'],
          }),
      },
      {
        action: 'community: add a person',
        permission: 'person.create',
        can: community('addPerson'),
        run: (a) => createPerson(hub, a, { handle: `p${++n}`, name: `P ${n}`, timeZone: 'UTC', role: 'contributor' }),
      },
      {
        action: 'community: run the dormancy check',
        permission: 'proposal.runDormancy',
        can: community('runDormancy'),
        run: (a) => runDormancy(hub, a),
      },
      {
        action: 'proposal: edit',
        permission: 'proposal.edit',
        can: proposalCan('edit'),
        run: async (a) => updateProposal(hub, a, 'P-1', await proposalVersion(), { interests: `Needs ${++n}` }),
      },
      {
        action: 'proposal: comment',
        permission: 'proposal.comment',
        can: proposalCan('comment'),
        run: (a) => addComment(hub, a, 'P-1', { body: `A comment ${++n}` }),
      },
      {
        action: 'proposal: support',
        permission: 'proposal.support',
        can: proposalCan('support'),
        run: (a) => supportProposal(hub, a, 'P-1'),
      },
      {
        action: 'proposal: withdraw support',
        can: proposalCan('withdrawSupport'),
        run: (a) => withdrawSupport(hub, a, 'P-1'),
      },
      {
        action: 'proposal: add evidence',
        permission: 'proposal.addEvidence',
        can: proposalCan('addEvidence'),
        run: (a) => addEvidence(hub, a, 'P-1', { kind: 'community-use', description: `Used ${++n}` }),
      },
      {
        action: 'proposal: relate',
        permission: 'proposal.relate',
        can: proposalCan('relate'),
        run: (a) => relateProposal(hub, a, 'P-1', { kind: 'related', to: 'P-2' }),
      },
      {
        action: 'proposal: verify evidence',
        permission: 'evidence.verify',
        can: proposalCan('verifyEvidence'),
        run: async (a) =>
          verifyEvidence(hub, a, 'P-1', (await getProposal(hub, 'P-1')).evidence[0]!.id, async () => {
            throw new Error('not reached');
          }),
      },
      { action: 'proposal: sponsor', can: proposalCan('sponsor'), run: (a) => sponsorProposal(hub, a, 'P-1') },
      {
        // P-1 has the sponsor the case above gave it; each time it ends, lena-core takes it on again
        action: 'proposal: end its sponsorship',
        permission: 'proposal.endSponsorship',
        can: proposalCan('endSponsorship'),
        run: async (a) => {
          await endSponsorship(hub, a, 'P-1', { reason: `Round ${++n}` });
          await sponsorProposal(hub, await as('lena-core'), 'P-1');
        },
      },
      {
        // jonas wrote P-1; lena-core sponsors it now: once asked, the next ask waits a day (tested in review-request.test.ts)
        action: 'proposal: ask its sponsor for review',
        permission: 'proposal.requestReview',
        can: proposalCan('requestReview'),
        run: (a) => requestReview(hub, a, 'P-1'),
      },
      {
        action: 'proposal: promote',
        permission: 'proposal.promote',
        can: proposalCan('promote'),
        run: (a) => promoteProposal(hub, a, 'P-1'),
        permitted: async (a) =>
          checkPermission(
            hub.governance,
            'proposal.promote',
            viewerOf(hub, a),
            await proposalStanding(hub.store.db, hub, await proposalRow(hub.store.db, 'P-1'), a),
          ),
      },
      {
        action: 'proposal: move',
        can: async (a) =>
          (await getProposal(hub, 'P-1', a)).allowedMoves.find((m) => m.to === 'prior-work-checked')?.can ?? null,
        run: (a) => moveProposal(hub, a, 'P-1', { to: 'prior-work-checked' }),
      },
      {
        action: 'proposal: open a decision on it',
        permission: 'decision.open',
        can: proposalCan('openDecision'),
        run: (a) =>
          openDecision(hub, a, {
            group: 'hosting',
            subject: { type: 'proposal', ref: 'P-1' },
            question: `Adopt P-1 (${++n})?`,
            significance: 'minor',
          }),
      },
      {
        action: 'comment: edit',
        permission: 'comment.edit',
        can: async (a) => (await listComments(hub, 'P-1', a))[0]!.can.edit,
        run: async (a) => {
          const c = (await listComments(hub, 'P-1'))[0]!;
          return editComment(hub, a, c.id, c.version, { body: `Edited ${++n}` });
        },
      },
      {
        action: 'decision: respond',
        permission: 'decision.respond',
        can: async (a) => (await getDecision(hub, decision, undefined, a)).can.respond,
        run: (a) => respondToDecision(hub, a, decision, { kind: 'consent' }),
      },
      {
        action: 'decision: withdraw a response',
        permission: 'decision.respond',
        can: async (a) => (await getDecision(hub, decision, undefined, a)).can.withdrawResponse,
        run: (a) => withdrawResponse(hub, a, decision),
      },
      {
        // whoever opened it (here the lead) or a lead of its group; once withdrawn, refused to all as closed
        action: 'decision: withdraw it',
        permission: 'decision.withdraw',
        can: async (a) => (await getDecision(hub, mistaken, undefined, a)).can.withdraw,
        run: (a) => withdrawDecision(hub, a, mistaken, { reason: 'Opened by mistake' }),
        permitted: async (a) => {
          const d = await decisionRow(hub.store.db, mistaken);
          const opened = a.kind === 'person' && d.opened_by.toLowerCase() === a.person.handle.toLowerCase();
          return checkPermission(hub.governance, 'decision.withdraw', viewerOf(hub, a), {
            groupLevel: await activeLevelIn(hub.store.db, hub, d.group_id, a),
            relations: opened ? ['author'] : [],
          });
        },
      },
      {
        // whoever opened it (here the lead) or a lead of its group; each extension an hour past the last,
        // from the version as it stands, so only the permission can refuse it
        action: 'decision: extend its deadline',
        permission: 'decision.extend',
        can: async (a) => (await getDecision(hub, unhurried, undefined, a)).can.extend,
        run: async (a) => {
          const d = await getDecision(hub, unhurried);
          return extendDecision(hub, a, unhurried, d.version, {
            deadline: new Date(Date.parse(d.deadline) + 3_600_000).toISOString(),
            reason: 'Members not reached yet',
          });
        },
      },
      {
        action: 'decision: ask for a vote',
        permission: 'decision.requestVote',
        can: async (a) => (await getDecision(hub, decision, undefined, a)).can.requestVote,
        run: (a) => requestVote(hub, a, decision),
      },
      {
        action: 'decision: vote',
        permission: 'decision.vote',
        can: async (a) => (await getDecision(hub, decision, undefined, a)).can.vote,
        run: (a) => castVote(hub, a, decision, { choice: 'yes' }),
      },
      {
        action: 'meeting: publish the agenda',
        permission: 'meeting.publishAgenda',
        can: async (a) => (await getMeeting(hub, 'M-2', a)).can.publishAgenda,
        run: (a) => publishAgenda(hub, a, 'M-2'),
      },
      {
        action: 'meeting: send written input',
        permission: 'meeting.writtenInput',
        can: async (a) => (await getMeeting(hub, 'M-2', a)).can.writtenInput,
        run: (a) => submitWrittenInput(hub, a, 'M-2', { item: 1, body: `Cannot attend; my view ${++n}` }),
      },
      {
        action: 'group: edit the charter',
        permission: 'group.editCharter',
        can: groupCan('editCharter'),
        run: async (a) =>
          updateCharter(hub, a, 'hosting', (await getGroupFor(hub, 'hosting', null)).version, {
            changelog: `Change ${++n}`,
          }),
      },
      {
        action: "group: manage the group's chat webhooks",
        permission: 'group.manageWebhooks',
        can: groupCan('manageWebhooks'),
        run: (a) =>
          addWebhook(hub, a, 'hosting', { format: 'slack', url: `https://hooks.slack.com/services/T/B/${++n}` }),
      },
      {
        action: 'group: set a member level',
        permission: 'group.setMemberLevel',
        can: groupCan('setMemberLevel'),
        run: (a) => setMemberLevel(hub, a, 'hosting', 'amara', { level: 'observer' }),
      },
      {
        action: 'group: sponsor',
        permission: 'group.sponsor',
        can: groupCan('sponsor', 'observability'),
        run: (a) => sponsorGroup(hub, a, 'observability'),
      },
      {
        action: 'group: join',
        // a lead is refused (already in the group, as a lead), emeritus mo comes back by joining again
        can: groupCan('join', 'security'),
        run: (a) => joinGroup(hub, a, 'security', { level: 'observer' }),
      },
      {
        action: 'group: add a topic area',
        permission: 'topicArea.create',
        can: groupCan('addTopicArea'),
        run: (a) =>
          createTopicArea(hub, a, 'hosting', {
            slug: `t-${++n}`,
            name: `Topic ${n}`,
            goal: 'common-patterns',
            facilitators: ['sam-lead'],
          }),
      },
      {
        action: 'group: open a decision',
        permission: 'decision.open',
        can: groupCan('openDecision'),
        run: (a) =>
          openDecision(hub, a, {
            group: 'hosting',
            subject: { type: 'process' },
            question: `How we work, item ${++n}?`,
            significance: 'minor',
          }),
      },
      {
        action: 'group: schedule a meeting',
        permission: 'meeting.schedule',
        can: groupCan('scheduleMeeting'),
        run: (a) =>
          scheduleMeeting(hub, a, {
            group: 'hosting',
            kind: 'process',
            title: `Meeting ${++n}`,
            startsAt: '2026-12-20T16:00:00Z',
          }),
      },
      {
        action: 'topic area: edit',
        permission: 'topicArea.edit',
        can: async (a) => (await getTopicArea(hub, 'hosting', 'horizontal-scaling', a)).can.edit,
        run: async (a) =>
          updateTopicArea(
            hub,
            a,
            'hosting',
            'horizontal-scaling',
            (await getTopicArea(hub, 'hosting', 'horizontal-scaling')).version,
            { cadence: `Every ${++n} weeks` },
          ),
      },
      {
        action: 'meeting: edit',
        permission: 'meeting.schedule',
        can: async (a) => (await getMeeting(hub, 'M-1', a)).can.edit,
        run: async (a) =>
          updateMeeting(hub, a, 'M-1', (await getMeeting(hub, 'M-1')).version, { location: `Room ${++n}` }),
      },
      {
        action: 'meeting: name its note-taker',
        permission: 'meeting.assignNoteTaker',
        can: async (a) => (await getMeeting(hub, 'M-2', a)).can.assignNoteTaker,
        run: async (a) => updateMeeting(hub, a, 'M-2', (await getMeeting(hub, 'M-2')).version, { noteTaker: 'priya' }),
      },
      {
        action: 'meeting: add an agenda item',
        permission: 'meeting.addAgendaItem',
        can: async (a) => (await getMeeting(hub, 'M-2', a)).can.addAgendaItem,
        run: (a) => addAgendaItem(hub, a, 'M-2', { title: `Item ${++n}` }),
      },
      {
        action: 'person: edit a profile',
        permission: 'person.edit',
        can: personCan('edit', 'priya'),
        run: async (a) =>
          updatePerson(hub, a, 'priya', (await getPerson(hub, 'priya')).version, { discord: `priya${++n}` }),
      },
      {
        action: 'person: change a role',
        permission: 'person.setRole',
        can: personCan('setRole', 'amara'),
        run: async (a) =>
          setPersonRole(hub, a, 'amara', (await getPerson(hub, 'amara')).version, { role: 'contributor' }),
      },
      {
        action: 'person: make an API token',
        permission: 'token.create',
        can: personCan('createToken', 'priya'),
        run: (a) => createToken(hub, a, 'priya', { label: `t${++n}` }),
      },
      {
        action: 'person: accept the agreements',
        can: personCan('acceptAgreements', 'newcomer'),
        run: (a) =>
          acceptAgreements(hub, a, 'newcomer', {
            codeOfConduct: hub.governance.agreements.codeOfConduct.version,
            contributionTerms: hub.governance.agreements.contributionTerms.version,
          }),
      },
      {
        action: 'person: issue a claim link',
        permission: 'person.issueClaim',
        can: personCan('issueClaim', 'amara'),
        run: (a) => issueClaim(hub, a, 'amara'),
      },
      {
        action: 'group: move',
        can: async (a) =>
          (await getGroupFor(hub, 'observability', null)).status === 'proposed'
            ? groupCan('move', 'observability')(a)
            : null,
        run: (a) => moveGroup(hub, a, 'observability', { to: 'active' }),
      },
      {
        action: 'proposal: complete a follow-up',
        permission: 'proposal.completeFollowUp',
        can: proposalCan('completeFollowUp'),
        run: (a) => completeFollowUp(hub, a, 'P-1', followUp),
      },
      {
        action: 'comment: hide or show again',
        permission: 'comment.moderate',
        can: async (a) => {
          const c = (await listComments(hub, 'P-1', a))[0]!;
          return c.can[c.hidden ? 'unhide' : 'hide'];
        },
        run: async (a) => {
          const c = (await listComments(hub, 'P-1'))[0]!;
          return moderateComment(hub, a, c.id, { action: c.hidden ? 'unhide' : 'hide', reason: 'Off topic' });
        },
      },
      {
        action: 'decision: name the core maintainer for an escalation',
        permission: 'decision.escalate',
        can: async (a) => (await getDecision(hub, escalated, undefined, a)).can.designate,
        run: (a) => designateEscalation(hub, a, escalated, { designee }),
      },
      {
        action: 'decision: give the guidance on an escalation',
        permission: 'decision.guide',
        can: async (a) => (await getDecision(hub, escalated, undefined, a)).can.guide,
        run: (a) => recordGuidance(hub, a, escalated, { kind: 'binding', guidance: 'Keep Thursdays' }),
      },
      {
        action: 'meeting: take an item off the agenda',
        permission: 'meeting.removeAgendaItem',
        can: async (a) =>
          (await getMeeting(hub, 'M-2', a)).agenda.items.find((i) => i.title.startsWith('Removable'))?.can.remove ??
          null,
        run: async (a) =>
          removeAgendaItem(
            hub,
            a,
            'M-2',
            (await getMeeting(hub, 'M-2')).agenda.items.find((i) => i.title.startsWith('Removable'))!.position,
          ),
      },
      {
        action: 'meeting: record outcomes',
        permission: 'meeting.recordOutcomes',
        can: async (a) => (await getMeeting(hub, 'M-3', a)).can.recordOutcomes,
        run: (a) => recordAttendance(hub, a, 'M-3', undefined, { attended: ['priya'] }),
      },
      {
        action: 'meeting: mark an action item done',
        permission: 'meeting.completeAction',
        can: async (a) => (await getMeeting(hub, 'M-1', a)).actions[0]!.can.complete,
        run: async (a) => completeActionItem(hub, a, 'M-1', (await getMeeting(hub, 'M-1')).actions[0]!.id),
      },
      {
        action: 'person: revoke an API token',
        permission: 'token.create',
        can: personCan('manageTokens', 'priya'),
        run: (a) => revokeToken(hub, a, token),
      },
      {
        action: 'github: see the bridge state',
        permission: 'github.viewStatus',
        can: async (a) => githubCan(hub, a).viewStatus,
        run: (a) => githubStatusFor(hub, a),
      },
      {
        action: 'github: sync now',
        permission: 'github.sync',
        can: async (a) => githubCan(hub, a).syncNow,
        run: (a) => requestSync(hub, a),
      },
      {
        // last: it changes affiliations, which other cases' parties and conflicts are read from
        action: 'community: add an organisation (by naming a new one in a profile)',
        permission: 'organisation.create',
        // moderators too: they add people, often naming an organisation nobody has named yet
        everyPersonMay: true,
        can: community('addOrganisation'),
        run: async (a) => {
          const handle = a.kind === 'person' ? a.person.handle : 'amara';
          return updatePerson(hub, a, handle, (await getPerson(hub, handle)).version, {
            affiliations: [{ organisation: `Org ${++n}` }],
          });
        },
      },
    ];

    it('every permission in the governance file is tried here, allowed to someone and refused to someone', () => {
      const tried = new Set(cases.flatMap((c) => (c.permission ? [c.permission] : [])));
      expect(ALL_PERMISSION_NAMES.filter((p) => !tried.has(p))).toEqual([]);
    });

    it.each(cases.map((c) => [c.action, c] as const))(
      '%s: what `can` says is what the use case does',
      async (_name, c) => {
        const seen = { allowed: [] as string[], refused: [] as string[] };
        for (const [i, handle] of ROLES.entries()) {
          const actor = await as(handle);
          const v = await c.can(actor);
          if (!v) continue;
          const outcome = await c.run(actor, i).then(
            () => null,
            (e: { kind?: string; message?: string; details?: { rule?: unknown } }) => e,
          );
          if (v.allowed) {
            // allowed: never refused (another rule of the thing, such as a conflict, may still answer)
            expect(outcome?.kind, `${handle} was told they may, then refused: ${outcome?.message}`).not.toBe(
              'forbidden',
            );
            seen.allowed.push(handle);
          } else {
            expect(outcome, `${handle} was told "${v.reason}", then let through`).not.toBeNull();
            // refused for who they are (403), or for the thing being already as asked, to one who may
            // do it (409 already-as-asked: nothing to do); in the verdict's words either way
            const already = outcome!.kind === 'conflict' && outcome!.details?.rule === 'already-as-asked';
            // told it is already so only if they may do it at all: an alreadySo placed before the
            // permission would tell one who may not the thing's state instead of 403
            if (already) {
              expect(
                c.permitted,
                `${c.action} answered already-as-asked: say how its permission is checked`,
              ).toBeDefined();
              expect(
                await c.permitted!(actor),
                `${handle} was told "${outcome!.message}" (409), yet may not ${c.action}`,
              ).toEqual({ allowed: true });
            }
            expect({ handle, kind: already ? 'forbidden' : outcome!.kind, message: outcome!.message }).toEqual({
              handle,
              kind: 'forbidden',
              message: v.reason,
            });
            expect(v.reason).not.toMatch(/\b[a-z]+\.[a-z][A-Za-z]+\b|\/api\/|POST /);
            seen.refused.push(handle);
          }
        }
        expect(seen.allowed.length, `nobody may ${c.action}`).toBeGreaterThan(0);
        if (c.everyPersonMay) {
          expect(seen.refused, `every signed-in person may ${c.action}`).toEqual([]);
          expect(await c.can(null)).toEqual({ allowed: false, reason: 'Sign in first', remedy: 'sign-in' });
        } else expect(seen.refused.length, `everybody may ${c.action}`).toBeGreaterThan(0);
      },
      120_000,
    );
  });
});
