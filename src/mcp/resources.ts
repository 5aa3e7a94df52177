// Read-only views as MCP resources, addressed by wghub:// URIs. Templates complete group slugs
// and proposal references; resources/list pages through groups and proposals with a cursor.
import { z } from 'zod';
import {
  ProtocolError,
  ProtocolErrorCode,
  ResourceNotFoundError,
  ResourceTemplate,
  type McpServer,
} from '@modelcontextprotocol/server';
import { exportCharter } from '../app/imports/charters.ts';
import { completeGroupSlugs, completeProposalRefs } from '../app/search/completion.ts';
import { listGroups } from '../app/groups/groups.ts';
import { CursorPart, decodeCursor, encodeCursor, type Hub } from '../app/core/hub.ts';
import { eventLogTail } from '../app/log/log.ts';
import { getProposal, listProposals } from '../app/proposals/proposals.ts';
import { listMeetings } from '../app/meetings/meetings.ts';
import { describeGovernance } from '../domain/governance/index.ts';
import { DomainError } from '../domain/errors.ts';
import { DATA_EXCEPTION, isDataException } from '../store/errors.ts';
import { uriValue } from './uri-values.ts';
import { proposalMarkdown } from './markdown.ts';
import { groupsMeant } from '../app/groups/groups-meant.ts';
import { groupMeantLine } from '../domain/meant.ts';

export const PAGE_SIZE = 50;
export const GOVERNANCE_URI = 'wghub://governance';
export const LOG_TAIL_URI = 'wghub://log/tail';
export const charterUri = (slug: string) => `wghub://groups/${slug}/charter`;
export const proposalUri = (ref: string) => `wghub://proposals/${ref}`;
const agendaUri = (ref: string) => `wghub://meetings/${ref}/agenda`;

/** A missing item is the SDK's resource-not-found error (SEP-2164), not an internal one. */
export async function reading<T>(uri: URL, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof DomainError && e.kind === 'not_found') throw new ResourceNotFoundError(uri.href, e.message);
    if (e instanceof DomainError)
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, e.message, { uri: uri.href });
    // the safety net behind the checks, as a tool has it (results.ts): a value the database cannot
    // hold is the reader's mistake, not an internal error carrying the database's words
    if (isDataException(e)) throw new ProtocolError(ProtocolErrorCode.InvalidParams, DATA_EXCEPTION, { uri: uri.href });
    throw e;
  }
}

/** A resource that is one markdown document, read through `reading` (so a missing one is "not found"). */
export function readMarkdown(uri: URL, text: () => Promise<string>) {
  return reading(uri, async () => ({ contents: [{ uri: uri.href, mimeType: 'text/markdown', text: await text() }] }));
}

export function registerResources(server: McpServer, hub: Hub): void {
  server.registerResource(
    'governance',
    GOVERNANCE_URI,
    {
      title: 'How we work',
      description:
        'The governance rules in force, in plain words: groups, membership, the contribution route, gates, decisions.',
      mimeType: 'text/markdown',
    },
    async (uri) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: 'text/markdown',
          text:
            [
              '# How we work',
              ...describeGovernance(hub.governance).flatMap((s) => [
                '',
                `## ${s.title}`,
                '',
                ...s.rules.map((r) => `- ${r}`),
              ]),
            ].join('\n') + '\n',
        },
      ],
    }),
  );

  server.registerResource(
    'event-log-tail',
    LOG_TAIL_URI,
    {
      title: 'Event log (newest 50)',
      description: 'The newest entries of the append-only, hash-chained record of every change.',
      mimeType: 'application/json',
    },
    async (uri) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: 'application/json',
          text: JSON.stringify(await eventLogTail(hub, { limit: 50 }), null, 2),
        },
      ],
    }),
  );

  server.registerResource(
    'charter',
    new ResourceTemplate('wghub://groups/{slug}/charter', {
      list: undefined,
      complete: { slug: (v) => completeGroupSlugs(hub, v) },
    }),
    {
      title: "A group's charter",
      description: 'A working or interest group charter, as markdown in the charter template.',
      mimeType: 'text/markdown',
    },
    async (uri, { slug }) =>
      readMarkdown(uri, async () => {
        const said = uriValue(slug, 'slug');
        try {
          return await exportCharter(hub, said);
        } catch (e) {
          // a group named as people say it (wghub://groups/Hosting%20WG/charter) is told the slug meant
          if (!(e instanceof DomainError && e.kind === 'not_found' && e.details.what === 'group')) throw e;
          const meant = groupMeantLine('slug', said, await groupsMeant(hub, said), (g) => `read ${charterUri(g)}`);
          throw meant ? new DomainError(e.kind, `${e.message}; ${meant}`, e.details) : e;
        }
      }),
  );

  server.registerResource(
    'proposal',
    new ResourceTemplate('wghub://proposals/{ref}', {
      list: undefined,
      complete: { ref: (v) => completeProposalRefs(hub, v) },
    }),
    {
      title: 'A proposal',
      description: 'A proposal or SEP as markdown: problem, examples, stage, gate, supporters, evidence.',
      mimeType: 'text/markdown',
    },
    async (uri, { ref }) =>
      readMarkdown(uri, async () => proposalMarkdown(await getProposal(hub, uriValue(ref, 'ref')))),
  );

  // The SDK's resources/list returns everything at once; a hub with an imported corpus has
  // hundreds of items, so the list is paged: the static resources, then groups, proposals, meeting agendas.
  server.server.setRequestHandler('resources/list', async (request) => {
    const Cursor = {
      part: CursorPart.of(z.enum(['groups', 'proposals', 'meetings']), 'groups, proposals or meetings'),
      // a page cursor of that part's own list, read again by it
      after: CursorPart.of(CursorPart.text.schema.optional(), CursorPart.text.rule),
    };
    const badCursor = () =>
      new ProtocolError(ProtocolErrorCode.InvalidParams, 'cursor: must be the nextCursor of a previous resources/list');
    let at: { part: Part; after?: string | undefined };
    try {
      at = decodeCursor(request.params?.cursor, Cursor) ?? { part: 'groups' };
    } catch {
      throw badCursor();
    }
    try {
      return await listPage(at);
    } catch (e) {
      // a page cursor inside ours that does not decode is the client's mistake too
      if (e instanceof DomainError && e.kind === 'invalid_input') throw badCursor();
      throw e;
    }
  });

  type Part = 'groups' | 'proposals' | 'meetings';
  const PARTS: Part[] = ['groups', 'proposals', 'meetings'];
  type Listed = { uri: string; name: string; title?: string; mimeType?: string };
  /** One page of a part's resources, at most `limit`, and the cursor inside that part for the rest. */
  async function partPage(
    part: Part,
    limit: number,
    after?: string,
  ): Promise<{ items: Listed[]; next: string | null }> {
    if (part === 'groups') {
      const page = await listGroups(hub, { limit, cursor: after });
      return {
        items: page.items.map((g) => ({
          uri: charterUri(g.slug),
          name: `charter-${g.slug}`,
          title: `${g.name} charter`,
          mimeType: 'text/markdown',
        })),
        next: page.nextCursor,
      };
    }
    if (part === 'proposals') {
      const page = await listProposals(hub, { limit, cursor: after });
      return {
        items: page.items.map((p) => ({
          uri: proposalUri(p.ref),
          name: `proposal-${p.ref}`,
          title: `${p.ref}: ${p.title}`,
          mimeType: 'text/markdown',
        })),
        next: page.nextCursor,
      };
    }
    const page = await listMeetings(hub, { limit, cursor: after });
    return {
      items: page.items.map((m) => ({
        uri: agendaUri(m.ref),
        name: `agenda-${m.ref}`,
        title: `Agenda: ${m.ref} ${m.title}`,
        mimeType: 'text/markdown',
      })),
      next: page.nextCursor,
    };
  }

  /**
   * A page of up to PAGE_SIZE resources (the two fixed ones first on the first page): a part that ends
   * part-way through a page is followed by the next on the same page, so no page is empty and the last
   * has no nextCursor (a hub without proposals answered an empty page between the charters and the
   * agendas, and one without meetings an empty last page: a client that stops at an empty page missed
   * the rest).
   */
  async function listPage(at: { part: Part; after?: string }) {
    const resources: Listed[] = [];
    if (at.part === 'groups' && at.after === undefined) {
      resources.push({ uri: GOVERNANCE_URI, name: 'governance', title: 'How we work', mimeType: 'text/markdown' });
      resources.push({
        uri: LOG_TAIL_URI,
        name: 'event-log-tail',
        title: 'Event log (newest 50)',
        mimeType: 'application/json',
      });
    }
    let listed = resources.length;
    for (let i = PARTS.indexOf(at.part), after = at.after; i < PARTS.length; i++, after = undefined) {
      const part = PARTS[i]!;
      const room = PAGE_SIZE - listed;
      // the page is full: a later part with anything in it is the next page, one with nothing is passed over
      const page = await partPage(part, Math.max(room, 1), after);
      if (room <= 0) {
        if (page.items.length) return { resources, nextCursor: encodeCursor({ part }) };
        continue;
      }
      resources.push(...page.items);
      listed += page.items.length;
      if (page.next) return { resources, nextCursor: encodeCursor({ part, after: page.next }) };
    }
    return { resources };
  }
}
