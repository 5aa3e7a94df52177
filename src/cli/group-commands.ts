// Running a group and moderating from the command line: the same use cases as the web, REST and
// MCP, acting as --as HANDLE (the operator when it is left out).
import { MODERATION_TOLD } from '../domain/notifications/moderation-told.ts';
import { collect, type CommandTools } from './command-tools.ts';
import type { Command } from 'commander';
import { nameWithHandle } from '../domain/people.ts';
import { localTime } from '../domain/meetings/recurrence.ts';
import type { Actor } from '../app/core/hub.ts';

const zoneOf = (actor: Actor) => (actor.kind === 'person' ? actor.person.time_zone : 'UTC');
import type { MemberView } from '../app/groups/groups.ts';
import type { InvitationView } from '../app/groups/invitations.ts';
import type { OpenDecisionOnJoining } from '../app/decisions/decisions.ts';
import { voiceOnOpenInWords } from '../domain/decisions/informed.ts';
import type { MembershipRequestView, YourMembershipRequest } from '../app/groups/membership-requests.ts';

// each command loads its use cases when it runs (main.ts)
const groups = () => import('../app/groups/groups.ts');
const decisions = () => import('../app/decisions/decisions.ts');

const day = (iso: string) => iso.slice(0, 10);

/** The asker's own request in words: open, or how it was answered (and when they may ask again). */
export function requestState(r: YourMembershipRequest): string {
  const by = r.answeredBy
    ? nameWithHandle(r.answeredBy, r.answeredByName ?? undefined, '@handle')
    : "the hub's operator";
  switch (r.answer) {
    case null:
      return r.whoAnswers.byLeads
        ? `asked on ${day(r.requestedAt)}; the group's leads have not answered yet`
        : `asked on ${day(r.requestedAt)}; nobody has answered yet (the group has no active lead, so ${r.whoAnswers.who} answers)`;
    case 'accepted':
      return `accepted by ${by} on ${day(r.answeredAt!)}`;
    case 'declined':
      return `declined by ${by} on ${day(r.answeredAt!)}: "${r.answerReason}"${r.askAgainFrom ? `; you may ask again from ${r.askAgainFrom}` : ''}`;
    case 'withdrawn':
      return `withdrawn on ${day(r.answeredAt!)}`;
  }
}

const members = (items: MemberView[]) => items.map((m) => `  ${m.handle.padEnd(24)} ${m.level}`).join('\n');

/**
 * The decisions open in a group one just joined (or accepted an invitation to), each with when it closes
 * in their zone and what their silence or answer does on it; nothing when none is open.
 */
export function openDecisionLines(items: readonly OpenDecisionOnJoining[], zone: string): string[] {
  if (!items.length) return [];
  return [
    'Open decisions you can now weigh in on:',
    ...items.map((d) => `  ${d.ref}  ${d.question}  closes ${localTime(d.closesAt, zone)}: ${voiceOnOpenInWords(d)}`),
  ];
}

export function registerGroupCommands(
  program: Command,
  group: Command,
  { withHub, print, report }: CommandTools,
): void {
  group
    .command('join <slug>')
    .description('join a group (observer or participant; needs --as)')
    .option('--level <level>', 'observer or participant', 'participant')
    .action((slug: string, o: { level: string }) =>
      withHub(async (hub, actor) => {
        const items = await (await groups()).joinGroup(hub, actor, slug, { level: o.level });
        const openDecisions = await (await decisions()).openDecisionsOnJoining(hub, actor, slug);
        print({ items, openDecisions }, () =>
          [members(items), ...openDecisionLines(openDecisions, zoneOf(actor))].join('\n'),
        );
      }),
    );
  const requests = () => import('../app/groups/membership-requests.ts');
  const requestLine = (r: MembershipRequestView) =>
    `${r.id}  ${r.handle.padEnd(24)} ${r.answer ?? 'waiting'}${r.note ? `  "${r.note}"` : ''}${r.answerReason ? `  (${r.answerReason})` : ''}`;
  group
    .command('ask <slug>')
    .description(
      "ask to become a member (needs --as): the group's leads answer, or, in a group with no active lead, whom the governance file names; observers and participants join without asking",
    )
    .option('--note <text>', 'what you would like the leads to know')
    .action((slug: string, o: { note?: string }) =>
      withHub(async (hub, actor) => {
        const r = await (await requests()).askToBeMember(hub, actor, slug, o.note ? { note: o.note } : {});
        print(r, () => `asked to become a member of ${slug}\n${requestLine(r)}\n${requestState(r)}`);
      }),
    );
  group
    .command('withdraw <slug>')
    .description('withdraw your open request to become a member (needs --as); you may ask again at once')
    .action((slug: string) =>
      withHub(async (hub, actor) => {
        const r = await (await requests()).withdrawMembershipRequest(hub, actor, slug);
        print(r, () => `your request to become a member of ${slug}: ${requestState(r)}`);
      }),
    );
  group
    .command('requests <slug>')
    .description('the open requests to become a member (for those who may answer them), and your own request')
    .action((slug: string) =>
      withHub(async (hub, actor) => {
        const list = await (await requests()).listMembershipRequests(hub, actor, slug);
        print(list, () =>
          [
            list.can.answer.allowed
              ? list.items.map(requestLine).join('\n') || 'no open requests'
              : `not shown: ${list.can.answer.reason}`,
            ...(list.yourRequest ? [`your request: ${requestState(list.yourRequest)}`] : []),
          ].join('\n'),
        );
      }),
    );
  group
    .command('answer <slug> <id> <answer>')
    .description('accept or decline a request to become a member (answer: accepted or declined)')
    .option('--reason <text>', 'why (needed to decline): the person reads it')
    .action((slug: string, id: string, answer: string, o: { reason?: string }) =>
      withHub(async (hub, actor) => {
        const r = await (await requests()).answerMembershipRequest(hub, actor, slug, id, {
          answer,
          ...(o.reason ? { reason: o.reason } : {}),
        });
        print(r, () => requestLine(r));
      }),
    );
  group
    .command('leave <slug>')
    .description('leave a group (needs --as); the only lead must make someone else lead first')
    .action((slug: string) =>
      withHub(async (hub, actor) => {
        const items = await (await import('../app/groups/leave-group.ts')).leaveGroup(hub, actor, slug);
        print(
          { items },
          () =>
            `left ${slug}: you no longer watch it or its topic areas (its news stops, except what is about you)\n${members(items)}`,
        );
      }),
    );
  group
    .command('remove <slug> <handle>')
    .description(
      'remove someone from a group (needs --as; leads, and who may set levels): their facilitating and subscriptions end, and they are told who removed them; the only active lead cannot be removed',
    )
    .action((slug: string, handle: string) =>
      withHub(async (hub, actor) => {
        const items = await (await import('../app/groups/leave-group.ts')).removeMember(hub, actor, slug, handle);
        print({ items }, () => `removed ${handle} from ${slug}\n${members(items)}`);
      }),
    );
  group
    .command('level <slug> <handle> <level>')
    .description(
      "set a member's level: observer, participant, member or lead; for someone not in the group it is an invitation they accept or decline",
    )
    .option('--message <text>', 'with an invitation: what you would like the person to know')
    .option('--days <n>', 'with an invitation: how many days it stays open')
    .action((slug: string, handle: string, level: string, o: { message?: string; days?: string }) =>
      withHub(async (hub, actor) => {
        const r = await (await groups()).setMemberLevel(hub, actor, slug, handle, {
          level,
          ...(o.message !== undefined ? { message: o.message } : {}),
          ...(o.days !== undefined ? { expiresInDays: o.days } : {}),
        });
        print(r, () =>
          r.invitation
            ? `${handle} is not in ${slug}: invited as ${level} (${r.invitation.id}), open until ${localTime(r.invitation.expiresAt, zoneOf(actor))}; they are in the group once they accept`
            : members(r.items),
        );
      }),
    );
  const invitations = () => import('../app/groups/invitations.ts');
  // an invitation runs out at a time of day: said in the caller's time zone, named (UTC for the operator)
  const invitationLine = (actor: Actor) => (i: InvitationView) =>
    `${i.id}  ${i.group.padEnd(16)} ${i.handle.padEnd(24)} ${i.level.padEnd(12)} ${i.state}${i.state === 'open' ? ` until ${localTime(i.expiresAt, zoneOf(actor))}` : ''}  from ${i.invitedBy ? nameWithHandle(i.invitedBy, i.invitedByName ?? undefined, '@handle') : "the hub's operator"}${i.message ? `  "${i.message}"` : ''}${
      i.inviteAgain
        ? i.inviteAgain.allowed
          ? '  (you may invite them again)'
          : `  (${i.inviteAgain.from ? `you may invite them again from ${localTime(i.inviteAgain.from, zoneOf(actor))}: ` : ''}${i.inviteAgain.reason})`
        : ''
    }`;
  group
    .command('invite <slug> <handle> <level>')
    .description(
      'invite someone not in the group at a level (who may set levels): they are in the group only once they accept',
    )
    .option('--message <text>', 'what you would like the person to know')
    .option('--days <n>', 'how many days the invitation stays open')
    .action((slug: string, handle: string, level: string, o: { message?: string; days?: string }) =>
      withHub(async (hub, actor) => {
        const i = await (await invitations()).inviteToGroup(hub, actor, slug, {
          handle,
          level,
          ...(o.message !== undefined ? { message: o.message } : {}),
          ...(o.days !== undefined ? { expiresInDays: o.days } : {}),
        });
        print(i, () => `invited ${handle} to ${slug}\n${invitationLine(actor)(i)}`);
      }),
    );
  group
    .command('invitations <slug>')
    .description(
      "the group's open invitations and those declined in the last 30 days (for who may set its levels), and your own",
    )
    .action((slug: string) =>
      withHub(async (hub, actor) => {
        const list = await (await invitations()).listGroupInvitations(hub, actor, slug);
        print(list, () =>
          [
            list.can.invite.allowed || list.items.length
              ? list.items.map(invitationLine(actor)).join('\n') || 'no open invitations'
              : `invitations: ${list.can.invite.allowed ? '' : list.can.invite.reason}`,
            ...(list.yourInvitation ? [`you are invited: ${invitationLine(actor)(list.yourInvitation)}`] : []),
            ...list.recentlyDeclined.map(
              (i) =>
                `declined ${i.answeredAt ? localTime(i.answeredAt, zoneOf(actor)) : ''}: ${invitationLine(actor)(i)}`,
            ),
          ].join('\n'),
        );
      }),
    );
  group
    .command('withdraw-invitation <slug> <id>')
    .description("withdraw an open invitation (who may set the group's levels); the person is told")
    .action((slug: string, id: string) =>
      withHub(async (hub, actor) => {
        const i = await (await invitations()).withdrawInvitation(hub, actor, slug, id);
        print(i, () => invitationLine(actor)(i));
      }),
    );
  const invitation = program
    .command('invitation')
    .description('your invitations to groups (needs --as): list, accept or decline them');
  invitation
    .command('list')
    .description('your open invitations to groups')
    .action(() =>
      withHub(async (hub, actor) => {
        const list = await (await invitations()).listMyInvitations(hub, actor);
        print(list, () => list.items.map(invitationLine(actor)).join('\n') || 'no open invitations');
      }),
    );
  for (const [verb, done] of [
    ['accept', 'accepted: you are in the group at the level offered'],
    ['decline', 'declined: nothing changed in the group'],
  ] as const)
    invitation
      .command(`${verb} <id>`)
      .description(
        verb === 'accept'
          ? 'accept an invitation: you are in the group at the level offered'
          : 'decline an invitation: whoever invited you is told',
      )
      .action((id: string) =>
        withHub(async (hub, actor) => {
          const rooms = await invitations();
          if (verb === 'decline') {
            const i = await rooms.declineInvitation(hub, actor, id);
            print(i, () => `${done}\n${invitationLine(actor)(i)}`);
            return;
          }
          const i = await rooms.acceptInvitation(hub, actor, id);
          // in the group now: told what their silence or answer does on each decision open there
          const openDecisions = await (await decisions()).openDecisionsOnJoining(hub, actor, i.group);
          print({ ...i, openDecisions }, () =>
            [done, invitationLine(actor)(i), ...openDecisionLines(openDecisions, zoneOf(actor))].join('\n'),
          );
        }),
      );
  group
    .command('propose <slug>')
    .description(
      'propose a working or interest group with its charter (needs --as, or the operator); sponsors then bring it to active',
    )
    .requiredOption('--name <name>', "the group's name, e.g. Payments Interop")
    .requiredOption('--kind <kind>', 'working (produces deliverables) or interest (surfaces problems)')
    .requiredOption('--mission <text>', 'what problem space it addresses, a sentence or more')
    .option('--scope-in <item>', 'something it works on (repeat)', collect, [])
    .option('--scope-out <item>', 'something it leaves to others (repeat)', collect, [])
    .option('--related <group>', 'a group it works with (repeat)', collect, [])
    .option('--lead <handle>', 'a lead or facilitator (repeat)', collect, [])
    .action(
      (
        slug: string,
        o: {
          name: string;
          kind: string;
          mission: string;
          scopeIn: string[];
          scopeOut: string[];
          related: string[];
          lead: string[];
        },
      ) =>
        report(
          async (hub, actor) =>
            (await groups()).proposeGroup(hub, actor, {
              slug,
              name: o.name,
              kind: o.kind,
              mission: o.mission,
              scopeIn: o.scopeIn,
              scopeOut: o.scopeOut,
              relatedGroups: o.related,
              leads: o.lead,
            }),
          (g) =>
            `${g.slug} (${g.name}) is ${g.status}; sponsorship: ${g.sponsorship.met ? 'met' : `not met (${g.sponsorship.rule}; ${g.sponsorship.have})`}${invitedLeadsLine(g)}`,
        ),
    );
  group
    .command('sponsor <slug>')
    .description('sponsor a group and its leadership (core or lead maintainers; needs --as)')
    .action((slug: string) =>
      report(
        async (hub, actor) => (await groups()).sponsorGroup(hub, actor, slug),
        (g) => `sponsorship: ${g.sponsorship.met ? 'met' : 'not met'} (${g.sponsorship.have})${invitedLeadsLine(g)}`,
      ),
    );
  group
    .command('move <slug> <status>')
    .description('move a group: proposed → active (once sponsored and with an active lead) → retired')
    .action((slug: string, status: string) =>
      report(
        async (hub, actor) => (await groups()).moveGroup(hub, actor, slug, { to: status }),
        (g) => `${g.slug} is ${g.status}`,
      ),
    );

  program
    .command('comment <action> <id>')
    .description(`moderate a comment: hide, unhide, lock or unlock it (moderators and group leads); ${MODERATION_TOLD}`)
    .option('--reason <text>', 'why, shown to readers (needed to hide or lock)')
    .action((action: string, id: string, o: { reason?: string }) =>
      report(
        async (hub, actor) =>
          (await import('../app/proposals/moderation.ts')).moderateComment(hub, actor, id, {
            action,
            ...(o.reason ? { reason: o.reason } : {}),
          }),
        (c) =>
          c.hidden
            ? `hidden: ${c.hidden.reason}`
            : c.locked
              ? `locked: ${c.locked.reason}`
              : `comment ${id} is shown and open`,
      ),
    );
}

/** Those named as lead in a group's proposal who are invited and have not yet accepted, on a line of their own. */
function invitedLeadsLine(g: { invitedLeads: { handle: string }[] }): string {
  return g.invitedLeads.length
    ? `\ninvited as lead, not yet accepted (the group becomes active with a lead): ${g.invitedLeads.map((l) => `@${l.handle}`).join(', ')}`
    : '';
}
