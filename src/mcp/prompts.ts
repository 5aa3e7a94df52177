// Prompts: ready-made requests an assistant can run with the hub's own material filled in.
import { nameWithHandle } from '../domain/people.ts';
import { completable, type McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { commentWindow, discussionVoices, type CommentView } from '../app/proposals/comments.ts';
import { completeGroupSlugs, completeProposalRefs } from '../app/search/completion.ts';
import type { Hub } from '../app/core/hub.ts';
import { getProposal } from '../app/proposals/proposals.ts';
import { priorWork } from '../app/search/search.ts';
import { LIMITS } from '../domain/limits.ts';
import { InvalidInput } from '../domain/errors.ts';
import { oneLineFrom } from '../domain/text.ts';
import { Prose } from '../app/core/schemas.ts';

const user = (text: string) => ({ role: 'user' as const, content: { type: 'text' as const, text } });

/** A discussion as the summarise prompt quotes it: one line a comment, replies indented under theirs. */
export function thread(items: CommentView[], depth = 0): string[] {
  return items.flatMap((c) => [
    // a hidden comment keeps its place in the thread (its replies answer it), said as the page says it
    `${'  '.repeat(depth)}- ${nameWithHandle(c.author, c.authorName, '@handle')} (${c.createdAt.slice(0, 10)}${c.edited ? ', edited' : ''}): ${c.hidden && !c.body ? `(hidden by a moderator: ${c.hidden.reason})` : c.body.replace(/\s+/g, ' ').trim()}`,
    ...thread(c.replies, depth + 1),
  ]);
}

const PROMPT_COMMENTS = 200;

// Argument schemas carry completion callbacks bound to a hub; built once per hub, not per request.
const schemas = new WeakMap<Hub, ReturnType<typeof argSchemas>>();
function argSchemas(hub: Hub) {
  return {
    draft: z.object({
      // prompt arguments are listed with a description only (no schema), so the bounds are said in it
      // text of several lines, checked as every draft is (control characters and overrides named here)
      idea: Prose(LIMITS.search.draftChars)
        .min(10, 'must say the idea (at least 10 characters)')
        .describe(`the rough idea, in your own words (10 to ${LIMITS.search.draftChars} characters)`),
      // a retired group takes no new proposals: not offered for one
      group: completable(z.string().max(LIMITS.param).describe('the group it belongs to, if any (slug)'), (v) =>
        completeGroupSlugs(hub, v, { open: true }),
      ).optional(),
    }),
    summarise: z.object({
      ref: completable(
        z
          .string()
          .min(1)
          .max(LIMITS.param)
          .describe('the proposal whose discussion to summarise, e.g. P-3 or SEP-2575'),
        (v) => completeProposalRefs(hub, v ?? ''),
      ),
    }),
  };
}

export function registerPrompts(server: McpServer, hub: Hub): void {
  let args = schemas.get(hub);
  if (!args) {
    args = argSchemas(hub);
    schemas.set(hub, args);
  }
  server.registerPrompt(
    'draft_proposal',
    {
      title: 'Draft a proposal from a rough idea',
      description:
        'Turns a rough idea into a proposal in interest-not-position form, with the problem and examples sections the contribution route requires, after checking for prior work.',
      argsSchema: args.draft,
    },
    async ({ idea, group }) => {
      // the check's title is the idea's first words as one line, cut at a character (attack round 22:
      // an idea of several lines, or an emoji at the 200th character, was refused naming `title`, no
      // argument of this prompt); whatever the check still refuses names the argument given, `idea`
      const prior = await priorWork(hub, {
        title: oneLineFrom(idea, LIMITS.line),
        text: idea,
        group: group || undefined,
        limit: 5,
      }).catch((e: unknown) => {
        if (!(e instanceof InvalidInput)) throw e;
        throw new InvalidInput(
          e.issues.map((i) => (i.field === 'title' || i.field === 'text' ? { ...i, field: 'idea' } : i)),
        );
      });
      const layers = hub.governance.proposals.layers.map((l) => `${l.id} (${l.title})`).join(', ');
      return {
        description: 'Draft a proposal on the contribution route',
        messages: [
          user(
            [
              'Help me turn this rough idea into a proposal for our community hub.',
              '',
              `Idea: ${idea}`,
              group ? `Group: ${group}` : '',
              '',
              'Write it in interest-not-position form: describe the need and who has it, not the solution I happen to prefer. Keep marketing language out; share what we have seen.',
              'Produce exactly these sections:',
              '1. Title (5–200 characters, neutral).',
              '2. Problem — the specific problem this solves, at least 20 characters, for whom and why it matters now.',
              '3. Examples — real-world cases where the problem shows up, one per line (the specification gate asks for validated examples).',
              '4. Interests — what the people affected need, separately from any proposed mechanism.',
              `5. Target layer — one of: ${layers}; say why.`,
              '',
              prior.length
                ? [
                    'Existing work that may cover the same ground (step 1 of the route: say how the draft differs, or whether it should build on one of these):',
                    ...prior.map((m) => `- ${m.ref}: ${m.title} (${m.reasons.join('; ')})`),
                  ].join('\n')
                : 'The prior-work check found nothing close in the hub.',
              '',
              'When I agree with the draft, create it with the create_draft_proposal tool.',
            ]
              .filter((l, i, a) => l !== '' || a[i - 1] !== '')
              .join('\n'),
          ),
        ],
      };
    },
  );

  server.registerPrompt(
    'summarise_discussion',
    {
      title: 'Summarise a discussion for someone who missed it',
      description:
        "Summarises a proposal's discussion thread: the positions behind the interests, open questions, and whether one organisation dominates.",
      argsSchema: args.summarise,
    },
    async ({ ref }) => {
      // a prompt is bounded like a page: the newest PROMPT_COMMENTS comments of a long thread
      const [p, window, voices] = await Promise.all([
        getProposal(hub, ref),
        commentWindow(hub, ref, null, { limit: PROMPT_COMMENTS }),
        discussionVoices(hub, ref),
      ]);
      const comments = window.comments;
      return {
        description: `Summarise the discussion of ${p.ref}`,
        messages: [
          user(
            [
              `Summarise the discussion of ${p.ref} "${p.title}" for someone who missed it.`,
              'Say: what problem it addresses; the interests people raised (not only their positions); points of agreement; open questions and objections, with who raised them; and what would move it forward. Be fair to minority views.',
              '',
              `Stage: ${p.stage}. Problem: ${p.problem}`,
              '',
              comments.length
                ? `The thread (${window.shown < window.total ? `the newest ${window.shown} of ${window.total} comments` : `${comments.length} top-level comments`}):\n${thread(comments).join('\n')}`
                : 'There are no comments yet; say so.',
              '',
              `How the voices spread over organisations: ${JSON.stringify(voices)}`,
            ].join('\n'),
          ),
        ],
      };
    },
  );
}
