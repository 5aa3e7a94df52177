// "What needs me": the member's home page. Decisions where my voice counts and I have not
// answered yet (with their deadlines), and the proposals I sponsor, support or wrote, with those
// that moved stage since my last visit marked.
import type { PeopleTable } from '../../store/schema.ts';
import { listDecisions } from '../decisions/decisions.ts';
import type { Hub } from '../core/hub.ts';
import { refOf } from '../proposals/proposals.ts';

export type FollowedProposal = {
  ref: string;
  title: string;
  stage: string;
  route: string;
  stageChangedAt: string;
  why: ('sponsor' | 'supporter' | 'author')[];
  movedSinceLastVisit: boolean;
};

export type MemberHome = {
  decisions: { ref: string; group: string; question: string; deadline: string; phase: string }[];
  proposals: FollowedProposal[];
  groups: { slug: string; name: string; level: string }[];
};

export async function memberHome(hub: Hub, person: PeopleTable, previousVisit: string | null): Promise<MemberHome> {
  const db = hub.store.db;
  const decisions = (await listDecisions(hub, { needing: person.handle, open: 'true', limit: 50 })).items.map((d) => ({
    ref: d.ref,
    group: d.group,
    question: d.question,
    deadline: d.deadline,
    phase: d.phase,
  }));
  decisions.sort((a, b) => a.deadline.localeCompare(b.deadline));

  const [sponsored, supported, authored] = await Promise.all([
    db.selectFrom('proposals').select('id').where('sponsor_id', '=', person.id).execute(),
    db.selectFrom('proposal_supporters').select('proposal_id as id').where('person_id', '=', person.id).execute(),
    db.selectFrom('proposal_authors').select('proposal_id as id').where('person_id', '=', person.id).execute(),
  ]);
  const why = new Map<string, FollowedProposal['why']>();
  const add = (rows: { id: string }[], w: FollowedProposal['why'][number]) => {
    for (const r of rows) why.set(r.id, [...(why.get(r.id) ?? []), w]);
  };
  add(sponsored, 'sponsor');
  add(supported, 'supporter');
  add(authored, 'author');
  const rows = why.size
    ? await db
        .selectFrom('proposals')
        .select(['id', 'number', 'sep_number', 'title', 'stage', 'route', 'stage_changed_at'])
        .where('id', 'in', [...why.keys()])
        .orderBy('stage_changed_at', 'desc')
        .execute()
    : [];
  const proposals = rows.map((p) => ({
    ref: refOf(p),
    title: p.title,
    stage: p.stage,
    route: p.route,
    stageChangedAt: p.stage_changed_at,
    why: why.get(p.id)!,
    movedSinceLastVisit: previousVisit !== null && p.stage_changed_at > previousVisit,
  }));

  const groups = await db
    .selectFrom('group_members as m')
    .innerJoin('groups as g', 'g.id', 'm.group_id')
    .select(['g.slug', 'g.name', 'm.level'])
    .where('m.person_id', '=', person.id)
    .orderBy('g.name')
    .execute();
  return { decisions, proposals, groups };
}
