import { cliIo } from './io.ts';
import { allPages, asVersion, type CommandTools } from './command-tools.ts';
import { nameWithHandle } from '../domain/people.ts';
import { LIMITS } from '../domain/limits.ts';
import { printable } from '../domain/text.ts';
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import type { ProposalView } from '../app/proposals/proposals.ts';
import type { SponsorsView } from '../app/proposals/sponsors.ts';

// each command loads its use cases when it runs (main.ts)
const comments = () => import('../app/proposals/comments.ts');
const proposals = () => import('../app/proposals/proposals.ts');
const seps = () => import('../app/imports/seps.ts');
const dormancy = () => import('../app/proposals/dormancy.ts');
const reviews = () => import('../app/proposals/review-request.ts');
const collaboration = () => import('../app/proposals/collaboration.ts');
const sponsors = () => import('../app/proposals/sponsors.ts');

const yes = (v: string | undefined) => v !== undefined && /^(y|yes|true|1)$/i.test(v);

/** `proposal sponsors` as text: its sponsor or whom to ask, then whether the reader may sponsor it. */
export function showSponsors(v: SponsorsView): string {
  const lines = [
    v.sponsor
      ? `${v.ref}: sponsored by ${nameWithHandle(v.sponsor.handle, v.sponsor.name)}`
      : `${v.ref}: ${v.wanted ? 'no sponsor yet' : 'no sponsor, and it has ended'}; ${v.who} may sponsor a proposal`,
  ];
  for (const p of v.people)
    lines.push(
      `  ask ${nameWithHandle(p.handle, p.name)}, ${p.role.replace(/-/g, ' ')}${p.inGroup ? ', in its group' : ''}`,
    );
  if (v.wanted && !v.people.length) lines.push('  nobody else on record may sponsor it');
  const mine = v.can.sponsor;
  lines.push(
    mine.allowed
      ? `  you may sponsor it yourself: proposal sponsor ${v.ref}`
      : `  you may not sponsor it: ${mine.reason}`,
  );
  return lines.join('\n');
}

export function showProposal(p: ProposalView): string {
  const stepper = p.stages
    .filter((s) => !s.closed || s.current)
    .map((s) => (s.current ? `[${s.id}]` : s.id))
    .join(' → ');
  return [
    `${p.ref}: ${p.title}`,
    `  ${p.routeTitle}: ${stepper}`,
    ...(p.stageGuidance ? [`  at ${p.stage}: ${p.stageGuidance}`] : []),
    ...Object.entries(p.links)
      .filter(([k, url]) => url && !(k === 'pullRequest' && p.pullRequest))
      .map(([k, url]) => `  link (${k}): ${url}`),
    // its pull request, with what the GitHub mirror holds of it
    ...(p.pullRequest ? [`  pull request: ${pullRequestWords(p.pullRequest)}`] : []),
    // the mirrored pull request, as the proposal's page links it
    ...(p.github
      ? [
          `  on GitHub: ${p.github}${p.githubState && p.githubState !== 'open' ? ` (${p.githubState === 'closed' ? 'closed without merging' : p.githubState})` : ''}${p.githubAssignees.length ? ` (assigned to ${p.githubAssignees.map((a) => `@${a}`).join(', ')})` : ''}`,
        ]
      : []),
    `  layer: ${p.layerTitle}${p.group ? `   group: ${p.group}${p.topicArea ? `/${p.topicArea}` : ''}` : ''}`,
    `  authors: ${p.authors.map((a) => a.handle).join(', ') || '-'}   sponsor: ${p.sponsor?.handle ?? 'none yet'}`,
    `  problem: ${p.problem.split('\n')[0]}`,
    ...p.examples.map((e) => `  example: ${e}`),
    `  supporters: ${p.supportersByOrganisation.map((o) => `${o.organisation} (${o.handles.join(', ')})`).join('; ') || 'none yet'}`,
    ...p.evidence.map(
      (e) =>
        `  evidence: ${e.kind}: ${e.description}${e.organisation ? ` [${e.organisation}]` : ''}${e.sdk ? ` [${e.sdk}]` : ''}`,
    ),
    ...p.relations.map(
      (r) =>
        `  ${r.direction === 'outgoing' ? r.kind : `${r.kind} (from)`} ${r.ref} ${r.title}${r.status === 'suggested' ? ' (suggested, not confirmed)' : ''}`,
    ),
    `  gate (${p.layer}): ${p.gate.passed ? 'passes' : 'does not pass'}`,
    ...p.gate.conditions.map((c) => `    ${c.passed ? 'PASS' : 'FAIL'} ${c.condition}: ${c.reason}`),
    ...(p.followUps.length
      ? [`  follow-ups: ${p.followUps.map((f) => `${f.target} ${f.status === 'done' ? '✓' : '…'}`).join(', ')}`]
      : []),
    `  next: ${p.allowedMoves.map((m) => `${m.to} (by ${m.by.join('/')}${m.gate ? ', gated' : ''}${m.requiresPullRequest && !p.pullRequest ? ', needs --pull-request URL' : ''})`).join('; ') || 'none (closed)'}`,
    ...p.warnings.map((w) => `  warning: ${w}`),
    ...p.flags.map((f) => `  hint (${f.kind}, ${f.field}): "${f.sentence}" — ${f.suggestion}`),
    `  version: ${p.version} (proposal edit --if-version takes it)`,
  ].join('\n');
}

/** A pull request as `show` prints it: its link, then the GitHub repository and number and what the mirror holds. */
function pullRequestWords(pr: NonNullable<ProposalView['pullRequest']>): string {
  if (!pr.github) return pr.url;
  const state = pr.mirrored?.state
    ? `, ${pr.mirrored.state === 'closed' ? 'closed without merging' : pr.mirrored.state}`
    : '';
  const as = pr.mirrored?.proposal ? `, mirrored here as ${pr.mirrored.proposal}` : '';
  return `${pr.url} (${pr.github.repo}#${pr.github.number}${pr.mirrored ? `${state}${as}` : ', not mirrored here'})`;
}

export function registerProposalCommands(
  program: Command,
  { withHub, print, report, globals, words }: CommandTools,
): void {
  const proposal = program
    .command('proposal')
    .description(words('contributions: the guide’s route and the SEP lifecycle'));
  proposal
    .command('new')
    .description('propose a contribution (needs --as HANDLE)')
    .requiredOption('--title <text>', 'a short title')
    .requiredOption('--problem <text>', 'what specific problem does this solve?')
    .option('--example <text...>', 'real-world examples of the problem (required before leaving the idea stage)')
    .option('--interests <text>', 'the interests behind it (why, not which solution)')
    .requiredOption(
      '--layer <layer>',
      'specification, sdk-alignment, sdk-innovation, supporting-resource or working-group-artifact',
    )
    .option('--route <route>', words('contribution (the guide’s route) or sep (the SEP lifecycle)'), 'contribution')
    .option('--group <slug>', 'the group it belongs to')
    .option('--topic <slug>', 'the topic area inside the group')
    .action(
      (o: {
        title: string;
        problem: string;
        example?: string[];
        interests?: string;
        layer: string;
        route: string;
        group?: string;
        topic?: string;
      }) =>
        report(
          async (hub, actor) =>
            (await proposals()).createProposal(hub, actor, {
              title: o.title,
              problem: o.problem,
              examples: o.example ?? [],
              interests: o.interests ?? '',
              layer: o.layer,
              route: o.route,
              group: o.group,
              topicArea: o.topic,
            }),
          showProposal,
        ),
    );
  proposal
    .command('list')
    .description('list proposals')
    .option('--route <route>', 'contribution or sep')
    .option('--stage <stage>', 'a stage')
    .option('--layer <layer>', 'a layer')
    .option('--group <slug>', 'a group')
    .action((o: Record<string, string | undefined>) =>
      report(
        async (hub) => {
          const { listProposals } = await proposals();
          return allPages((cursor) => listProposals(hub, { ...o, limit: 200, cursor }));
        },
        (items) =>
          items.map((p) => `${p.ref.padEnd(9)} ${p.stage.padEnd(20)} ${p.layer.padEnd(22)} ${p.title}`).join('\n') ||
          'no proposals',
      ),
    );
  proposal
    .command('show <ref>')
    .description('show a proposal: stage, gate conditions, supporters by organisation, evidence')
    .action((ref: string) =>
      report(async (hub, actor) => (await proposals()).getProposal(hub, ref, actor), showProposal),
    );
  proposal
    .command('sponsors <ref>')
    .description(
      `who may sponsor it: while it has none, up to ${LIMITS.possibleSponsors} people who may (their role, the agreements accepted), its group’s own first (never you: the last line says whether you may)`,
    )
    .action((ref: string) =>
      report(async (hub, actor) => (await sponsors()).proposalSponsors(hub, ref, actor), showSponsors),
    );
  proposal
    .command('edit <ref>')
    .description(
      'change its title, problem, examples, interests, layer or links; only what you name changes (needs --as HANDLE)',
    )
    .option(
      '--if-version <n>',
      'the version `proposal show` printed: refused if it changed since (left out: the proposal as it stands now)',
      asVersion,
    )
    .option('--title <text>', 'a new title')
    .option('--problem <text>', 'the problem, restated')
    .option('--example <text...>', 'the real-world examples: the whole list, replacing the one before')
    .option('--interests <text>', 'the interests behind it')
    .option('--layer <layer>', 'the layer it aims at')
    .option('--tracker <url>', "its item in the project tracker ('none' clears it)")
    .option('--forum <url>', "its forum or chat thread ('none' clears it)")
    .option('--discussion <url>', "where it is discussed ('none' clears it)")
    .option('--pull-request <url>', "its pull request ('none' clears it)")
    .action((ref: string, o: Record<string, string | string[] | number | undefined>) =>
      report(async (hub, actor) => {
        const { getProposal, updateProposal } = await proposals();
        const link = (v: unknown) => (v === undefined ? undefined : v === 'none' ? null : v);
        const links = Object.fromEntries(
          Object.entries({
            tracker: link(o.tracker),
            forum: link(o.forum),
            discussion: link(o.discussion),
            pullRequest: link(o.pullRequest),
          }).filter(([, v]) => v !== undefined),
        );
        const version = (o.ifVersion as number | undefined) ?? (await getProposal(hub, ref)).version;
        return updateProposal(hub, actor, ref, version, {
          title: o.title,
          problem: o.problem,
          examples: o.example,
          interests: o.interests,
          layer: o.layer,
          links: Object.keys(links).length ? links : undefined,
        });
      }, showProposal),
    );
  proposal
    .command('pr-draft <ref>')
    .description(
      "draft its pull request's description from the collaboration recorded here (the guide's last step); what the route still lacks goes to standard error",
    )
    .option('-o, --output <file>', 'write the markdown to FILE instead of standard output')
    .action((ref: string, o: { output?: string }) =>
      withHub(async (hub, actor) => {
        const { draftPullRequest } = await collaboration();
        const draft = await draftPullRequest(hub, ref, actor, hub.settings.publicOrigin);
        if (globals().json) return print(draft, () => '');
        if (o.output) writeFileSync(o.output, draft.markdown);
        else cliIo().stdout.write(printable(draft.markdown));
        for (const gap of draft.gaps) cliIo().stderr.write(printable(`before you open it: ${gap}\n`));
        if (draft.facts.pullRequestsAt) cliIo().stderr.write(printable(`open it at: ${draft.facts.pullRequestsAt}\n`));
        if (!hub.settings.publicOrigin)
          cliIo().stderr.write('note: links to this hub are left out: set WGHUB_PUBLIC_URL to its address\n');
      }),
    );
  proposal
    .command('gates <ref>')
    .description('check the gates of its layer: every condition, pass or fail, and why')
    .action((ref: string) =>
      report(
        async (hub) => (await proposals()).checkProposalGates(hub, ref),
        (g) =>
          [
            `${g.ref}: the ${g.layer} gate ${g.passed ? 'passes' : 'does not pass'}`,
            ...g.conditions.map((c) => `  ${c.passed ? 'PASS' : 'FAIL'} ${c.condition}: ${c.reason}`),
            `  the evidence so far supports: ${g.supportedLayer ?? 'no layer yet'}`,
          ].join('\n'),
      ),
    );
  proposal
    .command('move <ref> <stage>')
    .description(
      'move along the route (gated moves check the layer’s barrier first; a move into the pull request stage needs its link)',
    )
    .option('--pull-request <url>', "the pull request's https link, for a move into the pull request stage")
    .action((ref: string, stage: string, o: { pullRequest?: string }) =>
      report(
        async (hub, actor) =>
          (await proposals()).moveProposal(hub, actor, ref, {
            to: stage,
            ...(o.pullRequest !== undefined ? { pullRequest: o.pullRequest } : {}),
          }),
        showProposal,
      ),
    );
  proposal
    .command('sponsor <ref>')
    .description('become its sponsor (maintainers; needs --as)')
    .action((ref: string) =>
      report(
        async (hub, actor) => (await proposals()).sponsorProposal(hub, actor, ref),
        (p) => `${p.ref} is sponsored by ${p.sponsor?.handle}`,
      ),
    );
  proposal
    .command('end-sponsorship <ref>')
    .description(
      'end its sponsorship, saying why: step down as its sponsor, or remove it as a group lead or maintainer (needs --as)',
    )
    .requiredOption('--reason <text>', 'why it ends: the authors are told')
    .action((ref: string, o: { reason: string }) =>
      report(
        async (hub, actor) => (await proposals()).endSponsorship(hub, actor, ref, { reason: o.reason }),
        (p) => `${p.ref} has no sponsor now; its authors are told it needs one`,
      ),
    );
  proposal
    .command('ask-review <ref>')
    .description(
      "ask its sponsor for review, as one of its authors (with no sponsor yet, the group's leads; once a day per proposal; needs --as)",
    )
    .action((ref: string) =>
      report(
        async (hub, actor) => (await reviews()).requestReview(hub, actor, ref),
        (p) =>
          `${p.ref}: ${p.reviewRequest!.as === 'sponsor' ? 'its sponsor' : "the group's leads"} ${p.reviewRequest!.asked.map((h) => `@${h}`).join(', ')} ${p.reviewRequest!.asked.length === 1 ? 'is' : 'are'} told it waits for their review`,
      ),
    );
  proposal
    .command('support <ref>')
    .description('support it (needs --as), speaking for your organisation today or the one given')
    .option('--organisation <name>', 'the organisation you speak for')
    .action((ref: string, o: { organisation?: string }) =>
      report(
        async (hub, actor) =>
          (await proposals()).supportProposal(hub, actor, ref, o.organisation ? { organisation: o.organisation } : {}),
        (p) =>
          `${p.ref}: supporters ${p.supportersByOrganisation.map((s) => `${s.organisation} (${s.handles.join(', ')})`).join('; ')}`,
      ),
    );
  proposal
    .command('evidence <ref>')
    .description('add evidence (needs --as)')
    .requiredOption('--kind <kind>', 'implementation, interoperability, community-use, implementer-validation or other')
    .requiredOption('--description <text>', 'what it shows')
    .option('--url <url>', 'where to see it')
    .option('--organisation <name>', 'whose implementation')
    .option('--sdk <name>', 'which SDK or language')
    .action(
      (ref: string, o: { kind: string; description: string; url?: string; organisation?: string; sdk?: string }) =>
        report(async (hub, actor) => (await proposals()).addEvidence(hub, actor, ref, o), showProposal),
    );
  proposal
    .command('relate <ref> <kind> <other>')
    .description('relate to another item: duplicate-of, supersedes, builds-on, related, promoted-from')
    .option('--suggested', 'record as a suggestion that a person still has to confirm')
    .action((ref: string, kind: string, other: string, o: { suggested?: boolean }) =>
      report(
        async (hub, actor) =>
          (await proposals()).relateProposal(hub, actor, ref, { kind, to: other, suggested: o.suggested ?? false }),
        showProposal,
      ),
    );
  proposal
    .command('promote <ref>')
    .description('promote to the next layer up, keeping the lineage (needs --as)')
    .action((ref: string) =>
      report(async (hub, actor) => (await proposals()).promoteProposal(hub, actor, ref), showProposal),
    );
  proposal
    .command('comment <ref> <body>')
    .description('comment on a proposal (markdown; needs --as)')
    .option('--reply-to <id>', 'the comment this answers')
    .action((ref: string, body: string, o: { replyTo?: string }) =>
      report(
        async (hub, actor) => (await comments()).addComment(hub, actor, ref, { body, parent: o.replyTo }),
        (c) => `commented on ${ref} [${c.id}]`,
      ),
    );
  proposal
    .command('thread <ref>')
    .description('show the discussion a page at a time, oldest first (--cursor goes on)')
    .option('--limit <n>', 'comments per page (1-200)', '50')
    .option('--cursor <cursor>', 'the nextCursor a previous page printed')
    .action((ref: string, o: { limit: string; cursor?: string }) =>
      withHub(async (hub, actor) => {
        const { commentsPage, discussionVoices } = await comments();
        const { ListQuery } = await import('../app/core/schemas.ts');
        const { parseInput } = await import('../app/core/validate.ts');
        const page = await commentsPage(hub, ref, actor, parseInput(ListQuery, { limit: o.limit, cursor: o.cursor }));
        const voices = await discussionVoices(hub, ref);
        print(
          { ...page, voices },
          () =>
            [
              ...page.items.map(
                (c) =>
                  `- ${nameWithHandle(c.author, c.authorName)} (${c.createdAt}${c.edited ? ', edited' : ''}) [${c.id}]${c.inReplyTo ? ` replying to ${c.inReplyTo} [${c.parent}]` : ''}: ${c.body.replace(/\s+/g, ' ')}`,
              ),
              ...voices.warnings.map((w) => `warning: ${w}`),
              page.nextCursor
                ? `${page.items.length} of ${page.total}; more: wghub proposal thread ${ref} --cursor ${page.nextCursor}`
                : '',
            ]
              .filter(Boolean)
              .join('\n') || 'no comments yet',
        );
      }),
    );
  proposal
    .command('layer')
    .description('which layer? answer four questions (yes/no) and get the guide’s recommendation')
    .requiredOption('--wire <yes|no>', 'does it change what goes over the wire?')
    .requiredOption('--all-sdks <yes|no>', 'must all SDKs change?')
    .requiredOption('--one-language <yes|no>', 'one language only?')
    .requiredOption('--guidance <yes|no>', 'documentation or guidance only?')
    .option('--layer <layer>', 'the layer you had in mind')
    .option('--ref <ref>', 'compare with the evidence of an existing proposal')
    .action(
      (o: { wire: string; allSdks: string; oneLanguage: string; guidance: string; layer?: string; ref?: string }) =>
        report(
          async (hub) =>
            (await proposals()).recommendProposalLayer(
              hub,
              {
                changesWire: yes(o.wire),
                allSdksMustChange: yes(o.allSdks),
                oneLanguageOnly: yes(o.oneLanguage),
                guidanceOnly: yes(o.guidance),
                ...(o.layer ? { layer: o.layer } : {}),
              },
              o.ref,
            ),
          (r) =>
            [
              `recommended layer: ${r.layer}`,
              ...r.reasoning.map((x) => `  ${x}`),
              ...r.warnings.map((w) => `warning: ${w}`),
            ].join('\n'),
        ),
    );

  const importCmd = program.commands.find((c) => c.name() === 'import')!;
  importCmd
    .command('seps <dir>')
    .description(
      'import SEP files (NNNN-*.md) from DIR: header fields kept verbatim and parsed, warnings for messy ones; idempotent',
    )
    .action((dir: string) =>
      report(
        async (hub, actor) => (await seps()).importSepDirectory(hub, actor, dir),
        (r) =>
          [
            ...r.files.map((f) => `${f.status.padEnd(9)} ${f.ref.padEnd(10)} ${f.path}`),
            `${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged`,
            ...r.warnings.map((w) => `warning: ${w}`),
          ].join('\n'),
      ),
    );
  const exportCmd = program.commands.find((c) => c.name() === 'export')!;
  exportCmd
    .command('sep <ref>')
    .description('write a SEP in the SEP template format')
    .option('-o, --output <file>', 'write to FILE instead of standard output')
    .action((ref: string, o: { output?: string }) =>
      withHub(async (hub) => {
        const md = await (await seps()).exportSep(hub, ref);
        if (o.output) writeFileSync(o.output, md);
        else cliIo().stdout.write(printable(md));
      }),
    );

  const jobs = program
    .command('jobs')
    .description(
      'scheduled jobs, run by hand (serve runs them on its own: the timers every 15 minutes, pruning hourly)',
    );
  jobs
    .command('dormancy')
    .description(
      words(
        'run the SEP timers: remind authors awaiting a sponsor, move unsponsored SEPs to dormant, flag stale drafts',
      ),
    )
    .action(() =>
      report(
        async (hub, actor) => (await dormancy()).runDormancy(hub, actor),
        (actions) =>
          actions.map((a) => `${a.ref.padEnd(10)} ${a.action.padEnd(17)} ${a.kind} (${a.days} days)`).join('\n') ||
          'nothing due',
      ),
    );
}
