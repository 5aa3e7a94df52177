import { asVersion, type CommandTools } from './command-tools.ts';
import type { Command } from 'commander';
import { sentence } from '../domain/sentence.ts';
import { nameWithHandle } from '../domain/people.ts';
import type { DecisionTimelinePage, DecisionView } from '../app/decisions/decisions.ts';
import { describeMajority, notCountedWords, whyConflicted } from '../domain/decisions/index.ts';
import type { Governance } from '../domain/governance/index.ts';

// each command loads its use cases when it runs (main.ts)
const decisions = () => import('../app/decisions/decisions.ts');

const fmtTally = (t: DecisionView['tally']) =>
  Object.keys(t.raw)
    .map((k) => `${k} ${t.raw[k]} (weighted ${t.weighted[k]})`)
    .join(', ') || 'no responses yet';

export function showDecision(d: DecisionView): string {
  const who = (handle: string, name?: string) => nameWithHandle(handle, name ?? d.names[handle]);
  return [
    `${d.ref}: ${d.question}`,
    `  group ${d.group}, ${d.significance}, ${d.matter}; about ${d.subject.type}${d.subject.ref ? ` ${d.subject.ref}` : ''}; opened by ${who(d.openedBy)} ${d.openedAt}; deadline ${d.deadline}; version ${d.version}`,
    `  state: ${d.state.phase}, outcome: ${d.state.outcome}`,
    ...d.state.why.map((w) => `    ${w}`),
    `  responses: ${fmtTally(d.tally)}`,
    ...d.responses.map(
      (r) =>
        `    ${who(r.handle, r.name)}${r.organisation ? ` of ${r.organisation}` : ''}: ${r.kind}${r.counts ? '' : ` [${notCountedWords(r)}]`}${r.reason ? ` — ${sentence(r.reason)}` : ''}${r.alternative ? ` Alternative: ${sentence(r.alternative)}` : ''}${r.resolutionCriteria ? ` Resolved when: ${sentence(r.resolutionCriteria)}` : ''}${r.amendment ? ` Yes, and: ${sentence(r.amendment)}` : ''}${r.flags.map((f) => `\n      hint (${f.kind}): ${f.suggestion}`).join('')}`,
    ),
    ...d.tally.warnings.map((w) => `  warning: ${w}`),
    ...(d.state.result
      ? [
          `  vote: ${d.state.result.yes} yes, ${d.state.result.no} no, ${d.state.result.abstain} abstain; quorum ${d.state.quorum!.cast}/${d.state.quorum!.needed}; ${d.state.result.rule}`,
        ]
      : []),
    ...(d.escalation
      ? [
          `  escalation: designee ${d.escalation.designee ? who(d.escalation.designee) : 'not yet named'}; candidates ${d.escalation.candidates.map((h) => who(h)).join(', ') || 'none'}${d.escalation.conflicted.length ? `; conflicted ${d.escalation.conflicted.map((c) => `${who(c.handle)}, ${whyConflicted(c)}`).join('; ')}` : ''}`,
        ]
      : []),
    `  told: ${d.notified.told.length ? `${d.notified.told.length} notification${d.notified.told.length === 1 ? '' : 's'}` : 'nobody yet'}`,
    ...d.notified.told.map(
      (t) =>
        `    ${who(t.handle, t.name)}: ${t.kind}${t.by ? ` (${t.by.name}'s ${t.by.advisory ? 'advisory objection' : 'block'})` : ''} ${t.at}${t.lastAt !== t.at ? ` (again ${t.lastAt})` : ''} by ${t.how}${t.mail && t.mail !== 'digest-sent' && t.mail !== 'sent' ? ` (${MAIL_WORDS[t.mail] ?? t.mail})` : ''}; ${t.openedAt ? `opened ${t.openedAt}` : 'not opened'}`,
    ),
    ...(d.notified.silent.length
      ? [
          // in a vote only the votes cast count: those listed have not voted, whatever they answered before
          `  ${d.state.phase === 'vote' ? 'not voted yet' : 'not answered yet'}: ${d.notified.silentPeople.map((p) => who(p.handle, p.name)).join(', ')}`,
        ]
      : []),
    ...d.notified.unreached.map((u) => `    not reached: ${who(u.handle, u.name)}: ${u.why}`),
    ...d.notified.uncounted.map((u) => `    not informed in time: ${who(u.handle, u.name)}: ${u.why}`),
    ...d.notified.notMailable.map((u) => `    ${who(u.handle, u.name)}: ${u.why}`),
    ...(d.notified.silenceWarning ? [`  warning: ${d.notified.silenceWarning}`] : []),
    ...(d.notified.nobodyCounts ? [`  ${d.notified.nobodyCounts}`] : []),
    // to whoever may extend it: how much more time would let those not informed in time be told
    ...(d.extendToInform
      ? [
          `  extending: ${d.extendToInform.advice}`,
          ...(d.extendToInform.hours !== null
            ? [
                `    wghub decision extend ${d.ref} --hours ${d.extendToInform.hours} --reason TEXT --if-version ${d.version}`,
              ]
            : []),
        ]
      : []),
  ].join('\n');
}

/** A page of a decision's timeline, one event a line with what it recorded, and how to read earlier ones. */
export function showTimeline(p: DecisionTimelinePage): string {
  return [
    ...(p.earlier
      ? [
          `${p.earlier.count} earlier event${p.earlier.count === 1 ? '' : 's'}: wghub decision timeline ${p.ref} --before ${p.earlier.before}`,
        ]
      : []),
    ...p.items.map(
      (e) =>
        `${String(e.seq).padStart(6)} ${e.at} ${!e.actor ? 'the system' : e.actor.includes(':') ? e.actor : nameWithHandle(e.actor, p.names[e.actor])}: ${e.kind}${e.after ? ` ${JSON.stringify(e.after)}` : ''}`,
    ),
    // whether the reader may still answer it
    p.can.respond.allowed
      ? `you may respond: wghub decision respond ${p.ref} consent|concern|block`
      : `you may not respond: ${p.can.respond.reason}`,
  ].join('\n');
}

/** A notice's mail state in words, where the id alone would not say it. */
const MAIL_WORDS: Record<string, string> = {
  unconfirmed: 'not reachable by mail: their address was not confirmed',
  'no-address': 'not reachable by mail: no address on record',
};

export function registerDecisionCommands(
  program: Command,
  {
    withHub,
    print,
    report,
    governance,
  }: CommandTools & {
    /**
     * The governance file the command will use, so help states its numbers rather than restating
     * them; main.ts reads it only when `decision` is the command (or the one help is asked about),
     * and without it `decision` is named with its description alone, as the list of commands shows it.
     */
    governance: Governance | undefined;
  },
): void {
  const decision = program
    .command('decision')
    .description('decisions: lazy consensus managed by objection, then a vote, then escalation');
  const jobs = program.commands.find((c) => c.name() === 'jobs')!;
  jobs
    .command('close-decisions')
    .description(
      'record the outcome of decisions whose deadline or vote has passed (states are computed anyway; this writes them to the log once)',
    )
    .action(() =>
      report(
        async (hub) => (await decisions()).closeDueDecisions(hub),
        (r) => r.map((x) => `${x.ref.padEnd(6)} ${x.phase}/${x.outcome}`).join('\n') || 'nothing due',
      ),
    );
  if (!governance) return;
  const { vote, minimumDays } = governance.decisions;
  decision
    .command('open')
    .description('open a decision (needs --as)')
    .requiredOption('--group <slug>', 'the group deciding')
    .requiredOption('--question <text>', 'what is being decided')
    .requiredOption(
      '--significance <minor|significant>',
      `sets the minimum deadline (${minimumDays.minor} days for minor, ${minimumDays.significant} for significant)`,
    )
    .option('--about <proposal|charter|process>', 'what it concerns', 'process')
    .option('--ref <ref>', 'the proposal it concerns (SEP-n, P-n)')
    .option(
      '--matter <routine|scope-change>',
      `routine (passes with ${describeMajority(vote.majorities.routine)}) or scope change (${describeMajority(vote.majorities['scope-change'])})`,
      'routine',
    )
    .option('--deadline <iso>', 'a later deadline than the minimum')
    .option('--description <text>', 'context')
    .action(
      (o: {
        group: string;
        question: string;
        significance: string;
        about: string;
        ref?: string;
        matter: string;
        deadline?: string;
        description?: string;
      }) =>
        report(
          async (hub, actor) =>
            (await decisions()).openDecision(hub, actor, {
              group: o.group,
              question: o.question,
              significance: o.significance,
              matter: o.matter,
              subject: { type: o.about, ...(o.ref ? { ref: o.ref } : {}) },
              ...(o.deadline ? { deadline: o.deadline } : {}),
              ...(o.description ? { description: o.description } : {}),
            }),
          showDecision,
        ),
    );
  decision
    .command('show <ref>')
    .description('show a decision: state and why, tallies raw and weighted by organisation')
    .option('--at <iso>', 'show how it will stand at that time if nothing else happens')
    .action((ref: string, o: { at?: string }) =>
      report(async (hub, actor) => (await decisions()).getDecision(hub, ref, o.at, actor), showDecision),
    );
  decision
    .command('timeline <ref>')
    .description(
      "a decision's events, oldest first: the latest ones (as its read carries them), or those before --before; the first line says how to read earlier ones",
    )
    .option('--before <seq>', 'the events before this one (the number the last line gives)')
    .option('--limit <n>', 'how many events at most')
    .action((ref: string, o: { before?: string; limit?: string }) =>
      report(
        async (hub, actor) =>
          (await decisions()).decisionTimeline(
            hub,
            ref,
            {
              ...(o.before === undefined ? {} : { before: o.before }),
              ...(o.limit === undefined ? {} : { limit: o.limit }),
            },
            actor,
          ),
        showTimeline,
      ),
    );
  decision
    .command('list')
    .description('list decisions')
    .option('--group <slug>', 'a group')
    .option('--about <subject>', 'only those about this proposal (SEP-n, P-n), or about a charter or process')
    .option('--open', 'only undecided ones')
    .option('--needing <handle>', 'open ones waiting on this person')
    .action((o: { group?: string; about?: string; open?: boolean; needing?: string }) =>
      withHub(async (hub) => {
        const r = await (await decisions()).listDecisions(hub, {
          limit: 200,
          ...(o.group ? { group: o.group } : {}),
          ...(o.about ? { subject: o.about } : {}),
          ...(o.open ? { open: 'true' } : {}),
          ...(o.needing ? { needing: o.needing } : {}),
        });
        print(
          r.items,
          () =>
            r.items
              .map(
                (d) => `${d.ref.padEnd(6)} ${d.group.padEnd(16)} ${`${d.phase}/${d.outcome}`.padEnd(28)} ${d.question}`,
              )
              .join('\n') || 'no decisions',
        );
      }),
    );
  decision
    .command('respond <ref> <kind>')
    .description(
      'consent, concern (with --amendment, "yes, and"), or block (with --reason and --alternative or --criteria); needs --as',
    )
    .option('--reason <text>', 'why (required for a block)')
    .option('--alternative <text>', 'the alternative you propose')
    .option('--criteria <text>', 'what would resolve your block')
    .option('--amendment <text>', 'a "yes, and" amendment with a concern')
    .action(
      (
        ref: string,
        kind: string,
        o: { reason?: string; alternative?: string; criteria?: string; amendment?: string },
      ) =>
        report(
          async (hub, actor) =>
            (await decisions()).respondToDecision(hub, actor, ref, {
              kind,
              ...(o.reason ? { reason: o.reason } : {}),
              ...(o.alternative ? { alternative: o.alternative } : {}),
              ...(o.criteria ? { resolutionCriteria: o.criteria } : {}),
              ...(o.amendment ? { amendment: o.amendment } : {}),
            }),
          showDecision,
        ),
    );
  decision
    .command('withdraw-response <ref>')
    .description('withdraw your response before the deadline')
    .action((ref: string) =>
      report(async (hub, actor) => (await decisions()).withdrawResponse(hub, actor, ref), showDecision),
    );
  decision
    .command('withdraw <ref>')
    .description(
      'withdraw a decision opened by mistake (a duplicate, a wrong question), with --reason: it closes as withdrawn and the group is told; whoever opened it or a group lead (needs --as)',
    )
    .option('--reason <text>', 'why it is withdrawn, in one line (required)')
    .option(
      '--if-version <n>',
      'the version `decision show` printed (optional): refused, showing it as it stands, if someone answered or changed it since',
      asVersion,
    )
    .action((ref: string, o: { reason?: string; ifVersion?: number }) =>
      report(
        // no --reason reaches the use case as an empty one, so the refusal names the field like every edge's
        async (hub, actor) =>
          (await decisions()).withdrawDecision(hub, actor, ref, { reason: o.reason ?? '' }, o.ifVersion),
        showDecision,
      ),
    );
  decision
    .command('extend <ref>')
    .description(
      "give a decision under lazy consensus more time, so silence at its close is informed: a later deadline (--until, or --hours later) and why (--reason); the group's members are told and the closes-soon reminder moves. Whoever opened it or a group lead (needs --as); `decision show` says how many hours would let members not informed in time be told in time",
    )
    .option(
      '--until <date-time>',
      'the new deadline, an ISO date-time with a zone, e.g. 2026-12-01T17:00:00Z (this or --hours)',
    )
    .option('--hours <n>', 'how many hours later than the current deadline, a whole number (this or --until)')
    .option('--reason <text>', 'why it needs more time, in one line (required)')
    .option(
      '--if-version <n>',
      'the version `decision show` printed (required): refused if someone changed it since',
      asVersion,
    )
    .action((ref: string, o: { until?: string; hours?: string; reason?: string; ifVersion?: number }) =>
      report(
        // missing options reach the use case as missing or empty, so the refusal names each field like every edge's
        async (hub, actor) =>
          (await decisions()).extendDecision(hub, actor, ref, o.ifVersion, {
            ...(o.until !== undefined ? { deadline: o.until } : {}),
            ...(o.hours !== undefined ? { hours: /^-?\d{1,9}$/.test(o.hours) ? Number(o.hours) : o.hours } : {}),
            reason: o.reason ?? '',
          }),
        showDecision,
      ),
    );
  decision
    .command('request-vote <ref>')
    .description(`ask for a formal vote (a lead, or ${vote.memberRequests} members asking together)`)
    .action((ref: string) =>
      report(async (hub, actor) => (await decisions()).requestVote(hub, actor, ref), showDecision),
    );
  decision
    .command('vote <ref> <choice>')
    .description('vote yes, no or abstain')
    .option('--rationale <text>', 'why (votes are documented with rationale)')
    .action((ref: string, choice: string, o: { rationale?: string }) =>
      report(
        async (hub, actor) =>
          (await decisions()).castVote(hub, actor, ref, { choice, ...(o.rationale ? { rationale: o.rationale } : {}) }),
        showDecision,
      ),
    );
  decision
    .command('designate <ref> <handle>')
    .description('name the core maintainer who resolves an escalation (naming another replaces the one named before)')
    .option(
      '--if-version <n>',
      'the version `decision show` printed (optional): refused if someone named a resolver or changed it since',
      asVersion,
    )
    .action((ref: string, handle: string, o: { ifVersion?: number }) =>
      report(
        async (hub, actor) =>
          (await decisions()).designateEscalation(hub, actor, ref, { designee: handle }, o.ifVersion),
        showDecision,
      ),
    );
  decision
    .command('guidance <ref> <kind> <text>')
    .description('the designee records guidance: binding, more-information or full-deliberation')
    .action((ref: string, kind: string, text: string) =>
      report(
        async (hub, actor) => (await decisions()).recordGuidance(hub, actor, ref, { kind, guidance: text }),
        showDecision,
      ),
    );
}
