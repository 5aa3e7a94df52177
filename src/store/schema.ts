// Table shapes as Kysely sees them. Timestamps are ISO-8601 UTC strings and JSON is text,
// so SQLite and PostgreSQL store identical values and compare them the same way.

export interface PeopleTable {
  id: string;
  handle: string;
  name: string;
  time_zone: string;
  role: string;
  github: string | null;
  discord: string | null;
  coc_version: string | null;
  coc_accepted_at: string | null;
  terms_version: string | null;
  terms_accepted_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface OrganisationsTable {
  id: string;
  slug: string;
  name: string;
  created_at: string;
}

export interface AffiliationsTable {
  id: string;
  person_id: string;
  organisation_id: string;
  from_date: string | null;
  to_date: string | null;
}

export interface GroupsTable {
  id: string;
  slug: string;
  kind: string;
  name: string;
  status: string;
  /** The charter document (see domain/charter) as JSON. */
  charter: string;
  source_path: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface GroupSponsorsTable {
  group_id: string;
  person_id: string;
  role_at_sponsorship: string;
  sponsored_at: string;
}

export interface GroupMembersTable {
  group_id: string;
  person_id: string;
  level: string;
  /** The level as the charter wrote it ("WG Member", "Lead"), kept for export. */
  level_label: string | null;
  /** Emeritus recorded explicitly (for example imported from a charter's emeritus table). */
  emeritus: number;
  joined_at: string;
  last_active_at: string;
}

export interface TopicAreasTable {
  id: string;
  group_id: string;
  slug: string;
  name: string;
  goal: string;
  description: string;
  cadence: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface TopicFacilitatorsTable {
  topic_area_id: string;
  person_id: string;
}

export interface EventsTable {
  seq: number;
  at: string;
  actor: string | null;
  kind: string;
  subject_type: string;
  subject_id: string;
  before: string | null;
  after: string | null;
  prev_hash: string;
  hash: string;
}

/** One row (id = 1): the head of the event chain, locked by every append so appends are serial. */
export interface EventChainTable {
  id: number;
  seq: number;
  hash: string;
}

export interface ApiTokensTable {
  id: string;
  person_id: string;
  token_hash: string;
  label: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}


export interface Database {
  people: PeopleTable;
  organisations: OrganisationsTable;
  affiliations: AffiliationsTable;
  groups: GroupsTable;
  group_sponsors: GroupSponsorsTable;
  group_members: GroupMembersTable;
  topic_areas: TopicAreasTable;
  topic_facilitators: TopicFacilitatorsTable;
  events: EventsTable;
  event_chain: EventChainTable;
  api_tokens: ApiTokensTable;
}
