import { readdirSync } from 'node:fs';
import path from 'node:path';
import { invalid, InvalidInput } from '../../domain/errors.ts';
import { readSourceFile, requireFolder } from './source-files.ts';
import { type Governance, inCommunityWords, type LayerId, referencePrefix } from '../../domain/governance/index.ts';
import { parseSep, renderSep, sepFacts, sepStage, type SepDocument, type SepSource } from '../../domain/sep/index.ts';
import { sepGroupName } from '../../domain/sep/facts.ts';
import { fileTextProblem, markdownLine } from '../../domain/text.ts';
import { readJson, writeJson, type ProposalsTable } from '../../store/schema.ts';
import { inTransaction, nowIso, record, type Actor, type Hub } from '../core/hub.ts';
import { ensurePerson, personKey } from '../people/known-people.ts';
import { nextProposalNumber, proposalRow, refOf } from '../proposals/proposals.ts';
import { PullRequestUrl } from '../proposals/schemas.ts';
import { indexProposal } from '../search/indexing.ts';

export type { SepSource };
export type SepImportReport = {
  files: { path: string; ref: string; status: 'created' | 'updated' | 'unchanged' }[];
  created: number;
  updated: number;
  unchanged: number;
  warnings: string[];
};

/** How a SEP's Type maps onto the guide's layers. */
export function layerForSepType(type: string): LayerId {
  if (/standards|extensions/i.test(type)) return 'specification';
  if (/informational/i.test(type)) return 'supporting-resource';
  return 'working-group-artifact'; // Process SEPs change how the community works, not the protocol
}

function section(body: string, name: string): string {
  const m = new RegExp(`^#{2,3} +${name}\\s*$([\\s\\S]*?)(?=^#{1,3} |$(?![\\s\\S]))`, 'mi').exec(body);
  return m ? m[1]!.trim() : '';
}

const validDate = (d: string | null | undefined) =>
  d && !Number.isNaN(Date.parse(d)) ? new Date(d).toISOString() : null;

/**
 * A SEP's PR field as the proposal's pull request link, under the rule an edit or a move checks
 * (PullRequestUrl): an http link is taken as its https address (every forge serves pull requests
 * so; SEPs name GitHub's), normalised as the rule stores it. One the rule still refuses (a host with
 * no domain, a user before the host) is left off, and said why; a PR field that is no web address
 * (a bare #12) was never taken as a link.
 */
export function sepPullRequest(pr: string | null): { link: string | null; refused: string | null } {
  if (!pr || !/^https?:/i.test(pr)) return { link: null, refused: null };
  const checked = PullRequestUrl.safeParse(pr.replace(/^http:/i, 'https:'));
  if (checked.success) return { link: checked.data, refused: null };
  return { link: null, refused: checked.error.issues[0]?.message ?? 'is not a pull request link' };
}

/** Imports one SEP file; re-importing the same text changes nothing. */
export async function importSepText(
  hub: Hub,
  actor: Actor,
  text: string,
  sourcePath: string,
  warn: (w: string) => void,
) {
  // a SEP file read from a pull request on GitHub has passed no other check
  const unstorable = fileTextProblem(text);
  if (unstorable) throw invalid('file', `${sourcePath} ${unstorable}`);
  const document = parseSep(text);
  // a file this hub exported heads with the community's prefix (RFC-12: …): read as SEP-12's
  const facts = sepFacts(document, referencePrefix(hub.governance));
  if (facts.number === null)
    throw invalid('file', `${sourcePath}: no SEP number in its title ('${document.heading.slice(0, 200)}')`);
  for (const w of facts.warnings) warn(`${sourcePath}: ${w}`);
  let stage = facts.status.stage;
  const warnings = [...facts.warnings];
  if (!stage) {
    stage = /approved|accepted/i.test(facts.status.raw) ? 'accepted' : 'draft';
    const w = `status '${facts.status.raw}' is not a SEP stage; shown as ${stage}, kept as written`;
    warnings.push(w);
    warn(`${sourcePath}: ${w}`);
  }
  const problem = section(document.body, 'Motivation') || section(document.body, 'Abstract') || document.heading;
  const source: SepSource = { path: sourcePath, document, warnings };
  const pullRequest = sepPullRequest(facts.pr);
  if (pullRequest.refused) {
    const w = `PR '${facts.pr}' is not kept as the pull request's link: it ${pullRequest.refused}`;
    warnings.push(w);
    warn(`${sourcePath}: ${w}`);
  }
  const links = {
    pullRequest: pullRequest.link,
    tracker: facts.issue,
    discussion: null,
    forum: null,
  };
  return inTransaction(hub, async (trx) => {
    const now = nowIso(hub);
    const authorIds: string[] = [];
    for (const a of facts.authors) {
      if (a.isGroup) continue;
      const handle = personKey(a.name, a.handle);
      if (!handle) continue;
      authorIds.push(
        (
          await ensurePerson(trx, hub, actor, {
            handle,
            name: a.name,
            github: a.handle,
            discord: null,
            organisation: null,
          })
        ).id,
      );
    }
    let sponsorId: string | null = null;
    if (facts.sponsor) {
      const handle = personKey(facts.sponsor.name, facts.sponsor.handle);
      if (handle)
        sponsorId = (
          await ensurePerson(trx, hub, actor, {
            handle,
            name: facts.sponsor.name,
            github: facts.sponsor.handle,
            discord: null,
            organisation: null,
          })
        ).id;
    }
    const groupName = sepGroupName(facts.fields);
    const group = groupName
      ? await trx
          .selectFrom('groups')
          .select('id')
          .where((eb) =>
            eb.or([
              eb('slug', '=', groupName.toLowerCase().replace(/[^a-z0-9]+/g, '-')),
              eb(eb.fn('lower', ['name']), 'in', [
                groupName.toLowerCase(),
                `${groupName.toLowerCase()} working group`,
                `${groupName.toLowerCase()} interest group`,
              ]),
            ]),
          )
          .executeTakeFirst()
      : undefined;
    const values = {
      title: facts.title,
      // only a group the text names is set: one chosen in the hub is kept on re-import
      ...(group ? { group_id: group.id } : {}),
      problem,
      examples: writeJson<string[]>([]),
      interests: '',
      layer: layerForSepType(facts.type),
      route: 'sep' as const,
      stage,
      links: writeJson(links),
      sponsor_id: sponsorId,
      source: writeJson(source),
    };
    const existing = await trx
      .selectFrom('proposals')
      .selectAll()
      .where('sep_number', '=', facts.number)
      .executeTakeFirst();
    let status: 'created' | 'updated' | 'unchanged' = 'unchanged';
    let row: ProposalsTable;
    if (!existing) {
      row = {
        id: hub.newId(),
        number: await nextProposalNumber(trx),
        sep_number: facts.number,
        group_id: null,
        ...values,
        stage_changed_at: validDate(facts.created) ?? now,
        topic_area_id: null,
        prior_work: null,
        version: 1,
        // the SEP's own Created date, not the day it was imported
        created_at: validDate(facts.created) ?? now,
        updated_at: now,
      };
      await trx.insertInto('proposals').values(row).execute();
      await record(trx, hub, actor, 'proposal.imported', { type: 'proposal', id: refOf(row) }, null, {
        ref: refOf(row),
        path: sourcePath,
        fields: facts.fields,
        stage,
      });
      status = 'created';
    } else {
      row = existing;
      const changed = (Object.keys(values) as (keyof typeof values)[]).filter((k) => existing[k] !== values[k]);
      if (changed.length) {
        const set = {
          ...values,
          ...(existing.stage !== stage ? { stage_changed_at: now } : {}),
          version: existing.version + 1,
          updated_at: now,
        };
        await trx.updateTable('proposals').set(set).where('id', '=', existing.id).execute();
        await record(
          trx,
          hub,
          actor,
          'proposal.reimported',
          { type: 'proposal', id: refOf(existing) },
          Object.fromEntries(changed.map((k) => [k, existing[k]])),
          Object.fromEntries(changed.map((k) => [k, values[k]])),
        );
        status = 'updated';
      }
    }
    const current = await trx
      .selectFrom('proposal_authors')
      .select(['person_id', 'position'])
      .where('proposal_id', '=', row.id)
      .orderBy('position')
      .execute();
    if (JSON.stringify(current.map((c) => c.person_id)) !== JSON.stringify(authorIds)) {
      await trx.deleteFrom('proposal_authors').where('proposal_id', '=', row.id).execute();
      for (const [i, id] of [...new Set(authorIds)].entries())
        await trx.insertInto('proposal_authors').values({ proposal_id: row.id, person_id: id, position: i }).execute();
      if (status === 'unchanged') status = 'updated';
    }
    if (status !== 'unchanged') await indexProposal(trx, row.id);
    return { ref: refOf(row), status, supersedes: facts.supersedes, related: facts.related };
  });
}

/** Imports every SEP file in DIR (NNNN-*.md); relations named in headers are linked once all are in. */
export async function importSepDirectory(hub: Hub, actor: Actor, dir: string): Promise<SepImportReport> {
  requireFolder(dir);
  const warnings: string[] = [];
  const files: SepImportReport['files'] = [];
  const links: SepLink[] = [];
  for (const f of readdirSync(dir)
    .filter((x) => /^\d+-.*\.md$/.test(x))
    .sort((a, b) => parseInt(a, 10) - parseInt(b, 10))) {
    const rel = f;
    const read = readSourceFile(path.join(dir, f), dir);
    if ('skipped' in read) {
      warnings.push(`${rel}: ${read.skipped}; skipped`);
      continue;
    }
    let r: Awaited<ReturnType<typeof importSepText>>;
    try {
      r = await importSepText(hub, actor, read.text, rel, (w) => warnings.push(w));
    } catch (e) {
      if (!(e instanceof InvalidInput)) throw e;
      warnings.push(`${rel}: ${e.issues.map((i) => i.rule).join('; ')}; skipped`);
      continue;
    }
    files.push({ path: rel, ref: r.ref, status: r.status });
    links.push(
      ...r.supersedes.map((to) => ({ from: r.ref, kind: 'supersedes' as const, to })),
      ...r.related.map((to) => ({ from: r.ref, kind: 'related' as const, to })),
    );
  }
  await linkSepRelations(hub, actor, links, warnings);
  return {
    files,
    created: files.filter((f) => f.status === 'created').length,
    updated: files.filter((f) => f.status === 'updated').length,
    unchanged: files.filter((f) => f.status === 'unchanged').length,
    warnings,
  };
}

export type SepLink = { from: string; kind: 'supersedes' | 'related'; to: string };

/** Links the relations SEP headers name (Supersedes, Related) once all SEPs are in; unknown targets are warned about. */
export async function linkSepRelations(hub: Hub, actor: Actor, links: SepLink[], warnings: string[]): Promise<void> {
  for (const l of links) {
    await inTransaction(hub, async (trx) => {
      const from = await proposalRow(trx, l.from, hub.governance);
      const to = await proposalRow(trx, l.to, hub.governance).catch(() => null);
      if (!to) {
        warnings.push(`${l.from}: ${l.kind} ${l.to}, which is not in this hub; kept in the header only`);
        return;
      }
      const exists = await trx
        .selectFrom('proposal_relations')
        .select('id')
        .where('from_id', '=', from.id)
        .where('kind', '=', l.kind)
        .where('to_id', '=', to.id)
        .executeTakeFirst();
      if (exists) return;
      await trx
        .insertInto('proposal_relations')
        .values({
          id: hub.newId(),
          from_id: from.id,
          kind: l.kind,
          to_id: to.id,
          status: 'confirmed',
          created_by: 'import',
          created_at: nowIso(hub),
          confirmed_by: 'import',
        })
        .execute();
      await record(trx, hub, actor, 'proposal.related', { type: 'proposal', id: l.from }, null, {
        kind: l.kind,
        to: l.to,
        status: 'confirmed',
        from: 'SEP header',
      });
    });
  }
}

const STAGE_WORDS: Record<string, string> = {
  'awaiting-sponsor': 'Awaiting Sponsor',
  draft: 'Draft',
  'in-review': 'In-Review',
  accepted: 'Accepted',
  final: 'Final',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
  superseded: 'Superseded',
  dormant: 'Dormant',
};

/**
 * Writes a SEP in the template format. An imported SEP comes back as it was, with its Status
 * updated only if its stage moved in the hub; a SEP written here gets the template's sections.
 */
export async function exportSep(hub: Hub, ref: string): Promise<string> {
  const db = hub.store.db;
  const p = await proposalRow(db, ref, hub.governance);
  const g = hub.governance;
  if (p.route !== 'sep')
    throw invalid(
      'ref',
      // in the community's words: "not the RFC process; only RFCs export as RFC files"
      inCommunityWords(
        `${refOf(p)} follows the contribution route, not the SEP lifecycle; only SEPs export as SEP files`,
        g,
      ),
    );
  if (p.source) {
    const src = readJson(p.source);
    const doc = structuredClone(src.document);
    const status = doc.header.find((f) => f.key.toLowerCase() === 'status');
    if (
      status &&
      sepStage(status.value) !== p.stage &&
      !src.warnings.some(
        (w) => w.startsWith(`status '${status.value}'`) && w.endsWith(`shown as ${p.stage}, kept as written`),
      )
    )
      status.value = STAGE_WORDS[p.stage] ?? p.stage;
    return renderSep(doc);
  }
  const authors = await db
    .selectFrom('proposal_authors as a')
    .innerJoin('people as u', 'u.id', 'a.person_id')
    .select(['u.name', 'u.handle'])
    .where('a.proposal_id', '=', p.id)
    .orderBy('a.position')
    .execute();
  const sponsor = p.sponsor_id
    ? await db.selectFrom('people').select(['name', 'handle']).where('id', '=', p.sponsor_id).executeTakeFirst()
    : undefined;
  const links = readJson(p.links);
  const examples = readJson(p.examples);
  const doc: SepDocument = {
    before: '',
    // cited as the community cites it (RFC-12; the import reads it back as SEP-12)
    heading: `${referencePrefix(g)}-${p.sep_number ?? `{NUMBER}`}: ${markdownLine(p.title)}`,
    gap: '\n\n',
    header: [
      { key: 'Status', value: STAGE_WORDS[p.stage] ?? p.stage },
      {
        key: 'Type',
        value:
          p.layer === 'specification'
            ? 'Standards Track'
            : p.layer === 'supporting-resource'
              ? 'Informational'
              : 'Process',
      },
      { key: 'Created', value: p.created_at.slice(0, 10) },
      { key: 'Author(s)', value: authors.map((a) => `${markdownLine(a.name)} (@${a.handle})`).join(', ') },
      {
        key: 'Sponsor',
        value: sponsor ? `${markdownLine(sponsor.name)} (@${sponsor.handle})` : 'None (seeking sponsor)',
      },
      {
        key: 'PR',
        // where the community's specification takes pull requests (the governance file's layers), not MCP's
        value: links.pullRequest ?? `${specificationRepository(g) ?? '{REPOSITORY}'}/pull/{NUMBER}`,
      },
    ],
    body: `\n## Abstract\n\n${p.problem}\n\n## Motivation\n\n${p.problem}\n${examples.length ? `\nReal-world examples:\n\n${examples.map((e) => `- ${e}`).join('\n')}\n` : ''}${p.interests ? `\nInterests behind it: ${p.interests}\n` : ''}\n## Specification\n\n## Rationale\n\n## Backward Compatibility\n\n## Reference Implementation\n\n## Security Implications\n`,
  };
  return renderSep(doc);
}

/** Where the community's specification takes pull requests: its `specification` layer's `pullRequests`, if any. */
function specificationRepository(g: Governance): string | undefined {
  return g.proposals.layers.find((l) => l.id === 'specification')?.pullRequests?.replace(/\/+$/, '');
}

/** The imported SEP file behind a proposal (its header and whole text), or null for one written here. */
export async function sepSource(hub: Hub, ref: string): Promise<SepSource | null> {
  const p = await proposalRow(hub.store.db, ref, hub.governance);
  return p.route === 'sep' ? readJson(p.source) : null;
}
