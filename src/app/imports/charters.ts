import { closeOpenInvitations } from '../groups/invitations.ts';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { settleOpenRequest } from '../groups/membership-request-reads.ts';
import path from 'node:path';
import { NewGroupSlug, slugify, type GroupKind, type ParticipationLevel } from '../../domain/community.ts';
import {
  charterFacts,
  openSeat,
  parseCharter,
  renderCharter,
  type CharterFacts,
} from '../../domain/charter-doc/index.ts';
import { writeJson, type GroupsTable } from '../../store/schema.ts';
import { charterInWords } from '../../domain/charter-edit.ts';
import { groupKindHeading, levelName, withArticle } from '../../domain/governance/words.ts';
import { charterOf, groupRow } from '../groups/groups.ts';
import { inTransaction, nowIso, record, type Actor, type Hub } from '../core/hub.ts';
import { ensurePerson, personKey, type Person } from '../people/known-people.ts';
import { indexGroup } from '../search/indexing.ts';
import { invalid, InvalidInput } from '../../domain/errors.ts';
import { LIMITS } from '../../domain/limits.ts';
import { tally } from '../../domain/work.ts';
import { readSourceFile, requireFolder } from './source-files.ts';

export type ImportedFile = { path: string; slug: string; status: 'created' | 'updated' | 'unchanged' };
export type ImportReport = {
  files: ImportedFile[];
  created: number;
  updated: number;
  unchanged: number;
  people: number;
  organisations: number;
  warnings: string[];
};

/** Charter level words ("WG Member", "Co-Lead", "Facilitator") mapped onto participation levels. */
export function levelFromLabel(label: string): ParticipationLevel | null {
  if (/lead|chair|facilitator/i.test(label)) return 'lead';
  if (/member|maintainer/i.test(label)) return 'member';
  if (/participant|contributor/i.test(label)) return 'participant';
  if (/observer/i.test(label)) return 'observer';
  return null;
}

function charterFiles(dir: string): string[] {
  requireFolder(dir);
  const folders = [dir, path.join(dir, 'working-groups'), path.join(dir, 'interest-groups')].filter(
    (d) => existsSync(d) && statSync(d).isDirectory(),
  );
  return folders
    .flatMap((d) =>
      readdirSync(d)
        .filter((f) => /\.mdx?$/.test(f))
        .map((f) => path.join(d, f)),
    )
    .filter((f) => !/charter-template/.test(path.basename(f)))
    .sort();
}

function looksLikeCharter(text: string): boolean {
  return /^##\s+(Group Type|Mission Statement)\s*$/m.test(text);
}

type WantedMember = { person: Person; level: ParticipationLevel; label: string; emeritus: boolean };

function wantedMembers(facts: CharterFacts, warn: (w: string) => void, file: string): WantedMember[] {
  const out = new Map<string, WantedMember>();
  for (const l of facts.leadership) {
    if (openSeat(l.name) && !l.github) continue;
    const handle = personKey(l.name, l.github);
    if (!handle) {
      warn(`${file}: leadership row '${l.name}' has no usable handle; kept in the charter only`);
      continue;
    }
    out.set(handle.toLowerCase(), {
      person: { handle, name: l.name, github: l.github, discord: null, organisation: l.organisation || null },
      level: 'lead',
      label: l.role,
      emeritus: false,
    });
  }
  for (const m of facts.members) {
    if (openSeat(m.name) && !m.github) continue;
    const handle = personKey(m.name, m.github);
    if (!handle) {
      warn(`${file}: member row '${m.name}' has no usable handle; kept in the charter only`);
      continue;
    }
    const key = handle.toLowerCase();
    const lead = out.get(key);
    if (lead && !m.emeritus) {
      lead.person.discord ??= m.discord;
      continue;
    }
    let level = levelFromLabel(m.level);
    if (!level) {
      warn(
        `${file}: '${m.name}' has level '${m.level}', which is not a known participation level; recorded as participant`,
      );
      level = 'participant';
    }
    out.set(key, {
      person: { handle, name: m.name, github: m.github, discord: m.discord, organisation: m.organisation || null },
      level,
      label: m.level,
      emeritus: m.emeritus,
    });
  }
  if (out.size > LIMITS.imports.charterPeople)
    throw invalid(
      'file',
      `${file} names ${out.size} people in its leadership and membership tables; a charter may name at most ${LIMITS.imports.charterPeople}`,
    );
  return [...out.values()];
}

/**
 * A charter's title without its closing word Charter ("Agents Charter" names the group Agents), cut
 * from the end by hand: a pattern (/\s+Charter$/) was tried at every space of a run and scanned to its
 * end, the square of the run's length (a title of 100,000 spaces held the import 36 s). The run of
 * white space before the word is read once, counted (src/domain/work.ts, test/app/imports/hostile-files.test.ts).
 */
export function withoutClosingCharter(title: string): string {
  const word = 'charter';
  if (title.slice(-word.length).toLowerCase() !== word) return title;
  let start = title.length - word.length;
  while (start > 0 && /\s/.test(title[start - 1]!)) start--;
  tally('charter title', title.length - word.length - start);
  return start === title.length - word.length ? title : title.slice(0, start);
}

/** Imports one charter file; returns whether the stored group changed. Re-importing the same text changes nothing. */
export async function importCharterText(
  hub: Hub,
  actor: Actor,
  text: string,
  sourcePath: string,
  warn: (w: string) => void,
): Promise<ImportedFile> {
  const slug = slugify(path.basename(sourcePath).replace(/\.mdx?$/, ''));
  // a file name of no ASCII letters (日本語.md, ---.md) made the short name "", one group for all such
  // files, and "new.md" a group whose page is the form that proposes one (attack round 19)
  const named = NewGroupSlug.safeParse(slug);
  if (!named.success)
    throw invalid(
      'file',
      slug === ''
        ? 'its name spells no short name for the group (letters a-z, digits and hyphens): rename the file, e.g. registry.md'
        : `the group's short name comes from the file's name, and "${slug}" ${named.error.issues[0]!.message}`,
    );
  const doc = parseCharter(text);
  // a Group Type in the community's words ("Special Interest Group", as its exports write it) is read back too
  const facts = charterFacts(doc, hub.governance.groupKindNames);
  let kind: GroupKind | null = facts.groupType;
  if (!kind) {
    kind = sourcePath.includes('interest-groups') ? 'interest' : 'working';
    warn(`${sourcePath}: no Group Type section; taken as ${kind} group from its folder`);
  }
  const name = withoutClosingCharter(facts.title || slug).trim();
  const charter = writeJson(doc);
  return inTransaction(hub, async (trx) => {
    const now = nowIso(hub);
    const existing = await trx.selectFrom('groups').selectAll().where('slug', '=', slug).executeTakeFirst();
    let group: GroupsTable;
    let status: ImportedFile['status'] = 'unchanged';
    if (!existing) {
      group = {
        id: hub.newId(),
        slug,
        kind,
        name,
        status: 'active',
        charter,
        source_path: sourcePath,
        version: 1,
        created_at: now,
        updated_at: now,
      };
      await trx.insertInto('groups').values(group).execute();
      await record(trx, hub, actor, 'group.imported', { type: 'group', id: slug }, null, {
        slug,
        kind,
        name,
        sourcePath,
        charter: doc,
      });
      status = 'created';
    } else {
      group = existing;
      if (existing.charter !== charter || existing.name !== name || existing.kind !== kind) {
        await trx
          .updateTable('groups')
          .set({ charter, name, kind, source_path: sourcePath, version: existing.version + 1, updated_at: now })
          .where('id', '=', existing.id)
          .execute();
        await record(
          trx,
          hub,
          actor,
          'group.charter-imported',
          { type: 'group', id: slug },
          { name: existing.name, kind: existing.kind, charter: charterOf(existing) },
          { name, kind, charter: doc },
        );
        status = 'updated';
      }
    }
    for (const w of wantedMembers(facts, warn, sourcePath)) {
      const p = await ensurePerson(trx, hub, actor, w.person);
      const m = await trx
        .selectFrom('group_members')
        .selectAll()
        .where('group_id', '=', group.id)
        .where('person_id', '=', p.id)
        .executeTakeFirst();
      const emeritus = w.emeritus ? 1 : 0;
      if (!m) {
        await trx
          .insertInto('group_members')
          .values({
            group_id: group.id,
            person_id: p.id,
            level: w.level,
            level_label: w.label,
            emeritus,
            joined_at: now,
            last_active_at: now,
          })
          .execute();
        if (status === 'unchanged') status = 'updated';
      } else if (m.level !== w.level || m.level_label !== w.label || m.emeritus !== emeritus) {
        await trx
          .updateTable('group_members')
          .set({ level: w.level, level_label: w.label, emeritus })
          .where('group_id', '=', group.id)
          .where('person_id', '=', p.id)
          .execute();
        if (status === 'unchanged') status = 'updated';
      }
      // the charter placed them, as a lead's setting would: an invitation still open is moot, and
      // accepting it later must not override what the charter says (a lower level, emeritus)
      if (!m || m.level !== w.level || m.emeritus !== emeritus)
        await closeOpenInvitations(
          trx,
          hub,
          actor,
          group,
          p.id,
          'superseded',
          `${group.name}'s charter, imported again, makes @${w.person.handle} ${withArticle(levelName(hub.governance, w.level))}${emeritus ? ' (emeritus)' : ''}`,
        );
      // a charter imported again that gives someone a voice in the group's decisions (added as a member
      // or lead, or moved to such a level) records it as a lead's setting would: they are told of the
      // decisions open in it, and its proof counts their silence only from then (notifications/voice.ts)
      const eligible = hub.governance.decisions.eligibleLevels as readonly string[];
      if (existing && eligible.includes(w.level) && !w.emeritus && (!m || !eligible.includes(m.level))) {
        const { handle } = await trx
          .selectFrom('people')
          .select('handle')
          .where('id', '=', p.id)
          .executeTakeFirstOrThrow();
        await record(
          trx,
          hub,
          actor,
          'group.member-level-set',
          { type: 'group', id: slug },
          m ? { handle, level: m.level } : null,
          { handle, level: w.level },
        );
      }
      // the charter names them a member or lead: a request of theirs to become one has its answer
      if (w.level === 'member' || w.level === 'lead')
        await settleOpenRequest(trx, hub, group.id, p.id, 'accepted', null);
    }
    if (status !== 'unchanged') await indexGroup(trx, group.id);
    return { path: sourcePath, slug, status };
  });
}

export async function importCharterDirectory(hub: Hub, actor: Actor, dir: string): Promise<ImportReport> {
  const warnings: string[] = [];
  const files: ImportedFile[] = [];
  for (const file of charterFiles(dir)) {
    const rel = path.relative(dir, file);
    const read = readSourceFile(file, dir);
    if ('skipped' in read) {
      warnings.push(`${rel}: ${read.skipped}; skipped`);
      continue;
    }
    const text = read.text;
    if (!looksLikeCharter(text)) {
      warnings.push(`${rel}: not a charter (no "## Group Type" or "## Mission Statement"); skipped`);
      continue;
    }
    try {
      files.push(await importCharterText(hub, actor, text, rel, (w) => warnings.push(w)));
    } catch (e) {
      if (!(e instanceof InvalidInput)) throw e;
      warnings.push(`${rel}: ${e.issues.map((i) => i.rule).join('; ')}; skipped`);
    }
  }
  const count = async (t: 'people' | 'organisations') =>
    Number(
      (
        await hub.store.db
          .selectFrom(t)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    files,
    created: files.filter((f) => f.status === 'created').length,
    updated: files.filter((f) => f.status === 'updated').length,
    unchanged: files.filter((f) => f.status === 'unchanged').length,
    people: await count('people'),
    organisations: await count('organisations'),
    warnings,
  };
}

/**
 * The charter as markdown, in the template's structure, from the stored document; its Group Type in
 * the community's name for the group's kind (read back by the import, as the template's words are).
 */
export async function exportCharter(hub: Hub, slug: string): Promise<string> {
  const g = await groupRow(hub.store.db, slug);
  return renderCharter(charterInWords(charterOf(g), g.kind, groupKindHeading(hub.governance, g.kind)));
}
