// Table shapes as Kysely sees them. Timestamps are ISO-8601 UTC strings and JSON is text,
// so SQLite and PostgreSQL store identical values and compare them the same way. A column that
// holds one of the community's words (a role, a level, a status) is typed as that word, and a JSON
// column as `Json<T>` (text in the database, written with `writeJson` and read with `readJson`), so rows need no casts.
import type { Generated } from 'kysely';
import type { CharterDocument } from '../domain/charter-doc/index.ts';
import type { StoredRendering } from '../domain/comment-rendering.ts';
import type { CommunityRole, GroupKind, GroupStatus, ParticipationLevel, TopicAreaGoal } from '../domain/community.ts';
import type { GuidanceKind, Matter, ResponseKind, VoteChoice } from '../domain/decisions/outcome.ts';
import type { EtagRecord, SyncCursor, SyncSummary, WritebackLabels } from '../domain/github/sync-records.ts';
import type { LayerId, RouteId } from '../domain/governance/index.ts';
import type { MeetingKind } from '../domain/meetings/agenda-kind.ts';
import type { ChatFormat } from '../domain/notifications/chat.ts';
import type { DigestChoice, SubscriptionLevel } from '../domain/notifications/kinds.ts';
import type { PriorWorkCheck } from '../domain/proposals/prior-work.ts';
import type { SepSource } from '../domain/sep/index.ts';

declare const json: unique symbol;
/** JSON text known to hold a T: written by `writeJson`, read by `readJson`, both typed by the column. */
export type Json<T> = string & { readonly [json]: T };

export function readJson<T>(text: Json<T>): T;
export function readJson<T>(text: Json<T> | null): T | null;
export function readJson<T>(text: Json<T> | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

export function writeJson<T>(value: T): Json<T> {
  return JSON.stringify(value) as Json<T>;
}

export interface PeopleTable {
  id: string;
  handle: string;
  name: string;
  time_zone: string;
  role: CommunityRole;
  github: string | null;
  /** GitHub's numeric id of the account behind `github`, once the mirror or a sign-in saw it (it survives a rename). */
  github_account_id?: string | null;
  discord: string | null;
  coc_version: string | null;
  coc_accepted_at: string | null;
  terms_version: string | null;
  terms_accepted_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  /** An address the person has on record; an identity provider's verified address may link to it. Never shown. */
  email?: string | null;
  /** 1 when the person set `email` themselves: then it links no identity provider's account to them. */
  email_set_by_self?: number;
  /**
   * The address notices are mailed to: `email` once its owner confirmed it, the previous confirmed
   * address while a new one waits for confirmation, null when none is confirmed. Never shown.
   */
  confirmed_email?: string | null;
  /** When `confirmed_email` was confirmed (null for one on record before confirmation was asked for). */
  email_confirmed_at?: string | null;
  /** How: link (the confirmation mail's link), provider (a sign-in's verified address), on-record (before confirmation). */
  email_confirmed_via?: EmailConfirmedVia | null;
}

export type EmailConfirmedVia = 'link' | 'provider' | 'on-record';

/** A confirmation mail asked for: the SHA-256 of its link's token, never the token. */
export interface EmailConfirmationsTable {
  id: string;
  person_id: string;
  /** The address it confirms (lower case); it confirms nothing once the person's address on record is another. */
  address: string;
  token_hash: string;
  created_at: string;
  expires_at: string;
  /** When the mail went; null while it waits (or when the hub sends no mail). */
  mailed_at: string | null;
  /** Why the mail server refused it for good, if it did. */
  failed_reason: string | null;
  used_at: string | null;
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
  kind: GroupKind;
  name: string;
  status: GroupStatus;
  /** The charter document (see domain/charter) as JSON. */
  charter: Json<CharterDocument>;
  source_path: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface GroupSponsorsTable {
  group_id: string;
  person_id: string;
  role_at_sponsorship: CommunityRole;
  sponsored_at: string;
}

/** A person asking a group's leads to become a member (migration 235); answered once. */
export interface MembershipRequestsTable {
  id: string;
  group_id: string;
  person_id: string;
  /** What the person said about why (may be empty). */
  note: string;
  requested_at: string;
  /** withdrawn: the asker took it back (set when they leave the group too). */
  answer: 'accepted' | 'declined' | 'withdrawn' | null;
  answer_reason: string | null;
  answered_by: string | null;
  answered_at: string | null;
  /** 1: declined by the group's retirement, not by its leads (no wait to ask again follows it). */
  declined_by_retirement: Generated<number>;
}

/** A lead's offer of a level in a group to someone not in it; they become a member only by accepting. */
export interface GroupInvitationsTable {
  id: string;
  group_id: string;
  person_id: string;
  level: ParticipationLevel;
  /** The lead's words to the person (may be empty). */
  message: string;
  /** null: the hub's operator. */
  invited_by: string | null;
  invited_at: string;
  expires_at: string;
  /** null while open; expired is written when it is settled after its day passed. */
  answer: 'accepted' | 'declined' | 'withdrawn' | 'expired' | 'superseded' | null;
  answered_by: string | null;
  answered_at: string | null;
  /** 1: a lead named in the group's proposal (accepted though its sender sets no levels there); migration 357. */
  named_in_proposal?: number;
  /**
   * Why it ended when it closed without an answer or a withdrawal (superseded: they left, a lead set their
   * level…; withdrawn with its group retired), in words for its inviter; null otherwise. Migration 363.
   */
  ended_why?: string | null;
}

export interface GroupMembersTable {
  group_id: string;
  person_id: string;
  level: ParticipationLevel;
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
  goal: TopicAreaGoal;
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

/** An event's before or after: a plain object whose fields depend on the event's kind. */
export type EventFacts = Readonly<Record<string, unknown>>;

export interface EventsTable {
  seq: number;
  at: string;
  actor: string | null;
  kind: string;
  subject_type: string;
  subject_id: string;
  /** What the subject was and became: plain objects of facts (JSON). */
  before: Json<EventFacts> | null;
  after: Json<EventFacts> | null;
  prev_hash: string;
  hash: string;
  /** The HTTP request that recorded it (outside the hash chain); null from the CLI or a job. */
  request_id?: string | null;
}

/** Rate-limit counters shared by the hub processes on PostgreSQL (rate-limiter-flexible's shape). */
export interface RateLimitsTable {
  key: string;
  points: number;
  expire: number | null;
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

/** A client of the hub's OAuth authorization server (src/app/people/oauth.ts). */
export interface OauthClientsTable {
  client_id: string;
  client_name: string;
  redirect_uris: Json<string[]>;
  metadata: Json<Record<string, unknown>>;
  /** 'registration' (RFC 7591) or 'metadata-document' (a client id that is an https URL). */
  source: string;
  registered_at: string;
  /** When someone first allowed it on the consent page (migration 230): one never allowed is pruned after a while. */
  granted_at: string | null;
}

/** One client acting as one person through /mcp, from their Allow until revoked. */
export interface OauthGrantsTable {
  id: string;
  person_id: string;
  client_id: string;
  client_name: string;
  redirect_uri: string;
  resource: string;
  scope: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface OauthCodesTable {
  code_hash: string;
  client_id: string;
  person_id: string;
  redirect_uri: string;
  code_challenge: string;
  resource: string;
  scope: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  /** The grant its exchange made: a second use of the code revokes it (RFC 6749 §4.1.2). */
  grant_id: string | null;
}

export interface OauthTokensTable {
  token_hash: string;
  grant_id: string;
  kind: 'access' | 'refresh';
  created_at: string;
  expires_at: string;
  /** A refresh token's one use (rotation); a second use revokes the grant. */
  used_at: string | null;
}

export interface ProposalsTable {
  id: string;
  number: number;
  sep_number: number | null;
  title: string;
  problem: string;
  /** JSON array of strings. */
  examples: Json<string[]>;
  interests: string;
  layer: LayerId;
  route: RouteId;
  stage: string;
  stage_changed_at: string;
  group_id: string | null;
  topic_area_id: string | null;
  /** JSON object: discussion, tracker, forum, pullRequest. */
  links: Json<Record<string, string | null>>;
  sponsor_id: string | null;
  /** For imported SEPs: the SEP document and its path, as JSON. */
  source: Json<SepSource> | null;
  /** The last prior-work check, as JSON. */
  prior_work: Json<PriorWorkCheck> | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface ProposalAuthorsTable {
  proposal_id: string;
  person_id: string;
  position: number;
}

export interface ProposalSupportersTable {
  proposal_id: string;
  person_id: string;
  /** The organisation the supporter speaks for, as of supporting. */
  organisation: string | null;
  supported_at: string;
}

export interface ProposalEvidenceTable {
  id: string;
  proposal_id: string;
  kind: string;
  description: string;
  url: string | null;
  organisation: string | null;
  sdk: string | null;
  added_by: string;
  added_at: string;
}

export interface ProposalRelationsTable {
  id: string;
  from_id: string;
  kind: string;
  to_id: string;
  /** Suggested links become real only when a person confirms them. */
  status: string;
  created_by: string | null;
  created_at: string;
  confirmed_by: string | null;
}

export interface CommentsTable {
  id: string;
  proposal_id: string;
  parent_id: string | null;
  author_id: string;
  body: string;
  organisation: string | null;
  created_at: string;
  updated_at: string;
  version: number;
  /** Moderation (078): hidden from readers, with who (a person id) and why; null when shown. */
  hidden_at?: string | null;
  hidden_by?: string | null;
  hidden_reason?: string | null;
  /** Locked: no edits, no replies. */
  locked_at?: string | null;
  locked_by?: string | null;
  locked_reason?: string | null;
  /** (095) HTML, mentions and hints as JSON, tagged with the version they were rendered for. */
  rendered?: Json<StoredRendering> | null;
}

export interface CommentRevisionsTable {
  comment_id: string;
  revision: number;
  body: string;
  edited_at: string;
}

export interface FollowUpsTable {
  id: string;
  proposal_id: string;
  kind: string;
  target: string;
  status: string;
  created_at: string;
  done_at: string | null;
  done_by: string | null;
}

export interface RemindersTable {
  proposal_id: string;
  kind: string;
  stage_changed_at: string;
  recorded_at: string;
}

export interface DecisionsTable {
  id: string;
  number: number;
  group_id: string;
  subject_type: string;
  subject_ref: string | null;
  question: string;
  description: string;
  significance: string;
  matter: Matter;
  opened_by: string;
  opened_at: string;
  deadline: string;
  vote_requested_at: string | null;
  /** The phase and outcome the close job last recorded, so it records each change once. */
  recorded_state: string | null;
  /** Active eligible members when the vote opened, kept from the first vote on (quorum's base). */
  electorate: number | null;
  /** When it was withdrawn (opened by mistake), by whom (a handle, or 'operator') and why; null while it stands. */
  withdrawn_at: string | null;
  withdrawn_by: string | null;
  withdrawn_reason: string | null;
  /** (312) Moves with each change to its own terms (extended, withdrawn, put to a vote): an extension carries the version it read. */
  version: number;
}

export interface DecisionResponsesTable {
  id: string;
  decision_id: string;
  person_id: string;
  kind: ResponseKind | 'withdrawn';
  reason: string | null;
  alternative: string | null;
  resolution_criteria: string | null;
  amendment: string | null;
  /** The organisation the person spoke for when responding. */
  organisation: string | null;
  eligible: number;
  at: string;
  /** When the person's membership of the decision's group ended after this answer: it counts no more from then (migration 343). */
  membership_ended_at: string | null;
}

export interface DecisionVotesTable {
  id: string;
  decision_id: string;
  person_id: string;
  choice: VoteChoice;
  rationale: string | null;
  organisation: string | null;
  eligible: number;
  at: string;
  /** When the person's membership of the decision's group ended after this vote: it counts no more from then (migration 343). */
  membership_ended_at: string | null;
}

export interface DecisionVoteRequestsTable {
  decision_id: string;
  person_id: string;
  at: string;
}

export interface DecisionEscalationsTable {
  decision_id: string;
  escalated_at: string;
  designee_id: string | null;
  designated_by: string | null;
  guidance: string | null;
  guidance_kind: GuidanceKind | null;
  guidance_at: string | null;
}

export interface ArtifactsTable {
  id: string;
  path: string;
  title: string;
  kind: string;
  group_id: string | null;
  body: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface ArtifactRevisionsTable {
  artifact_id: string;
  revision: number;
  body: string;
  at: string;
}

export interface SearchDocumentsTable {
  /** kind:key, e.g. proposal:<id>, artifact:<path>. */
  id: string;
  /** What people call it: SEP-2575, P-12, a path, a group slug. */
  ref: string;
  kind: string;
  title: string;
  body: string;
  group_slug: string | null;
  status: string | null;
  layer: string | null;
  date: string;
}

/** Words the search index holds (see src/search/words.ts), for correcting a misspelt search. */
export interface SearchWordsTable {
  word: string;
  docs: number;
}

export interface MeetingsTable {
  id: string;
  /** M-n */
  number: number;
  group_id: string;
  topic_area_id: string | null;
  /** process | content */
  kind: MeetingKind;
  title: string;
  description: string;
  /** UTC; the organiser's zone says how it reads on the wall clock and how a series repeats. */
  starts_at: string;
  duration_minutes: number;
  time_zone: string;
  /** RFC 5545 RRULE without DTSTART, for a series. */
  rrule: string | null;
  /** Set on one occurrence of a series given its own agenda and notes. */
  series_id: string | null;
  /**
   * An occurrence's start in its series (migration 321), which its id `M-1@start` names: its own
   * start until it is moved, then where it was (RFC 5545 RECURRENCE-ID). Null for any other meeting.
   */
  series_start: string | null;
  location: string | null;
  organiser_id: string | null;
  /** Who owes the notes (told with the leads when they are overdue); null: nobody named. */
  note_taker_id: string | null;
  /** When the current time was listed: notice is counted from here. */
  listed_at: string;
  agenda_published_at: string | null;
  notes: string | null;
  notes_published_at: string | null;
  cancelled_at: string | null;
  /** A series ended early (migration 240): the first day, in its zone, it no longer meets (YYYY-MM-DD). */
  series_ended_from: string | null;
  /** Why it was ended, as the facilitator said. */
  series_end_reason: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface MeetingAgendaItemsTable {
  id: string;
  meeting_id: string;
  position: number;
  title: string;
  description: string;
  kind: MeetingKind;
  /** proposal | decision | artifact */
  link_type: string | null;
  link_ref: string | null;
  added_by: string;
  added_at: string;
}

export interface MeetingWrittenInputsTable {
  id: string;
  meeting_id: string;
  item_id: string;
  author_id: string;
  body: string;
  submitted_at: string;
  presented: number | null;
  presented_note: string | null;
  /** Moves with each edit by its sender (migration 255): an edit carries the version it read. */
  version: number;
  /** When its sender last changed it; null if never. */
  edited_at: string | null;
  /** (337) Who entered it for its sender (a facilitator, for input sent by mail); null when the sender sent it. */
  recorded_by: string | null;
}

export interface MeetingAttendanceTable {
  meeting_id: string;
  person_id: string;
  recorded_at: string;
}

export interface MeetingDecisionsTable {
  id: string;
  meeting_id: string;
  summary: string;
  decision_ref: string | null;
  recorded_by: string;
  recorded_at: string;
}

export interface MeetingActionsTable {
  id: string;
  meeting_id: string;
  owner_id: string;
  description: string;
  due_date: string;
  done_at: string | null;
  created_at: string;
}

/** One attempt to verify an MCP implementation named in evidence; JSON columns hold what it reported. */
export interface EvidenceChecksTable {
  id: string;
  evidence_id: string;
  target: string;
  status: 'verified' | 'failed';
  reason: string | null;
  server_name: string | null;
  server_version: string | null;
  protocol_version: string | null;
  capabilities: Json<{ capabilities: string[]; experimental: string[] }> | null;
  extensions: Json<string[]> | null;
  tool_names: Json<string[]> | null;
  checked_by: string | null;
  checked_at: string;
  /** How long the probe took, in milliseconds (null for checks recorded before it was kept). */
  duration_ms?: number | null;
}

export interface Database {
  people: PeopleTable;
  organisations: OrganisationsTable;
  affiliations: AffiliationsTable;
  groups: GroupsTable;
  group_sponsors: GroupSponsorsTable;
  group_members: GroupMembersTable;
  membership_requests: MembershipRequestsTable;
  group_invitations: GroupInvitationsTable;
  topic_areas: TopicAreasTable;
  topic_facilitators: TopicFacilitatorsTable;
  events: EventsTable;
  rate_limits: RateLimitsTable;
  event_chain: EventChainTable;
  api_tokens: ApiTokensTable;
  oauth_clients: OauthClientsTable;
  oauth_grants: OauthGrantsTable;
  oauth_codes: OauthCodesTable;
  oauth_tokens: OauthTokensTable;
  proposals: ProposalsTable;
  proposal_authors: ProposalAuthorsTable;
  proposal_supporters: ProposalSupportersTable;
  proposal_evidence: ProposalEvidenceTable;
  proposal_relations: ProposalRelationsTable;
  comments: CommentsTable;
  comment_revisions: CommentRevisionsTable;
  follow_ups: FollowUpsTable;
  reminders: RemindersTable;
  decisions: DecisionsTable;
  decision_responses: DecisionResponsesTable;
  decision_votes: DecisionVotesTable;
  decision_vote_requests: DecisionVoteRequestsTable;
  decision_escalations: DecisionEscalationsTable;
  artifacts: ArtifactsTable;
  artifact_revisions: ArtifactRevisionsTable;
  search_documents: SearchDocumentsTable;
  search_words: SearchWordsTable;
  web_sessions: WebSessionsTable;
  home_visits: HomeVisitsTable;
  person_identities: PersonIdentitiesTable;
  meetings: MeetingsTable;
  meeting_agenda_items: MeetingAgendaItemsTable;
  meeting_written_inputs: MeetingWrittenInputsTable;
  meeting_attendance: MeetingAttendanceTable;
  meeting_decisions: MeetingDecisionsTable;
  meeting_actions: MeetingActionsTable;
  evidence_checks: EvidenceChecksTable;
  jobs: JobsTable;
  digest_sends: DigestSendsTable;
  chat_deliveries: ChatDeliveriesTable;
  chat_withheld: ChatWithheldTable;
  number_counters: NumberCountersTable;
  person_claims: PersonClaimsTable;
  email_confirmations: EmailConfirmationsTable;
  github_repos: GithubReposTable;
  github_items: GithubItemsTable;
  github_deliveries: GithubDeliveriesTable;
  github_delivery_ids: GithubDeliveryIdsTable;
  github_webhook_refusals: GithubWebhookRefusalsTable;
  github_etags: GithubEtagsTable;
  github_writeback: GithubWritebackTable;
  github_team_members: GithubTeamMembersTable;
  github_commits: GithubCommitsTable;
  github_codeowners: GithubCodeownersTable;
  github_maintainers: GithubMaintainersTable;
  github_issues: GithubIssuesTable;
  github_issue_comments: GithubIssueCommentsTable;
  github_discussions: GithubDiscussionsTable;
  github_discussion_comments: GithubDiscussionCommentsTable;
  notifications: NotificationsTable;
  notification_subscriptions: NotificationSubscriptionsTable;
  notification_preferences: NotificationPreferencesTable;
  mail_addresses: MailAddressesTable;
  mail_tokens: MailTokensTable;
  group_webhooks: GroupWebhooksTable;
  hub_secrets: HubSecretsTable;
}

/** One thing a person is told, in their inbox; events about the same subject fold into one unread row. */
export interface NotificationsTable {
  id: string;
  person_id: string;
  /** A kind from the governance file's notifications.kinds (decision-opened, mention…). */
  kind: string;
  subject_type: string;
  /** D-3, P-12, SEP-2575, M-4, a group slug. */
  subject_ref: string;
  /** What it says now: a decision's notice that asked for an answer says what became of it once it moved on. */
  title: string;
  /** The title its reader was told, when it has been retitled since (migration 410); null when `title` is it. */
  told_title: string | null;
  detail: string;
  /** Why this person was told: member, author, sponsor, lead, mention, reply, watching, responded. */
  reason: string;
  /** 1 when it is about the person (mailed at once if they chose so); 0 waits for the digest. */
  immediate: number;
  /** How many events were folded into this row. */
  events: number;
  last_event_seq: number;
  created_at: string;
  updated_at: string;
  read_at: string | null;
  /**
   * null (inbox only: the hub sends no mail, or the person chose none) | unconfirmed (not reachable
   * by mail: no confirmed address, one waits) | no-address (not reachable by mail: none on record) |
   * queued | sent | failed | digest | digest-sent
   */
  mail_state: string | null;
  mailed_at: string | null;
  /** The Message-ID the mail carries, fixed before the first attempt so a retry reuses it. */
  message_id: string | null;
}

export interface NotificationSubscriptionsTable {
  person_id: string;
  /** group | topic | proposal | decision */
  subject_type: string;
  subject_ref: string;
  /** watching | normal | muted */
  level: SubscriptionLevel;
  updated_at: string;
}

/** How a person wants to be told; a person without a row has the governance file's defaults. */
export interface NotificationPreferencesTable {
  person_id: string;
  /** 1: mail what is about me at once. */
  immediate: number;
  digest: DigestChoice;
  /** The hour (0–23) in the person's own time zone the digest is sent. */
  digest_hour: number;
  /** 1 = Monday … 7 = Sunday, for a weekly digest. */
  digest_weekday: number;
  /** HH:MM in the person's time zone; no immediate mail between them. */
  quiet_start: string | null;
  quiet_end: string | null;
  /** Bumped to revoke every reply address the person was given. */
  reply_epoch: number;
  updated_at: string;
}

/** An address's delivery health: a bounce marks it failing, and the person is shown that. */
export interface MailAddressesTable {
  address: string;
  /** ok | failing */
  status: string;
  reason: string | null;
  changed_at: string;
}

/** The SHA-256 of a secret in a person's mail: a reply address or a one-click unsubscribe link. */
export interface MailTokensTable {
  token_hash: string;
  /** reply | unsubscribe */
  purpose: string;
  person_id: string;
  subject_type: string;
  subject_ref: string;
  created_at: string;
  revoked_at: string | null;
  /** For a reply address: the notification whose mail carried it. */
  notification_id: string | null;
  /** For a reply address: when a reply was accepted through it (it works once), and that mail's Message-ID. */
  used_at: string | null;
  used_message_id: string | null;
}

/** An outgoing chat webhook of a group: discord | slack | json (signed with HMAC when a secret is set). */
export interface GroupWebhooksTable {
  id: string;
  group_id: string;
  format: ChatFormat;
  url: string;
  secret: string | null;
  created_by: string;
  created_at: string;
  removed_at: string | null;
}

/** Keys the hub makes for itself on first use (the key deriving mail tokens). */
export interface HubSecretsTable {
  name: string;
  value: string;
}

/** The last number given to a proposal, decision or meeting; bumped in the creating transaction. */
export interface NumberCountersTable {
  kind: 'proposals' | 'decisions' | 'meetings';
  value: number;
}

/** A one-time code a moderator gives an imported person to claim their record at first sign-in. */
export interface PersonClaimsTable {
  code_hash: string;
  person_id: string;
  created_by: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** A browser session; the cookie carries the secret, this row its SHA-256. */
export interface WebSessionsTable {
  id_hash: string;
  person_id: string;
  csrf_token: string;
  /** How the person signed in: 'demo' or 'oidc'. */
  via: string;
  created_at: string;
  expires_at: string;
  ended_at: string | null;
  /** 1 once the secret went out as __Host-wghub_session: the old cookie name no longer signs into it (migration 391). */
  host_cookie: Generated<number>;
}

/**
 * When a person last looked at their home, on any device, and what it compares with ("since your last
 * visit"): one row per person, moved when the home is served (app/home/last-visit.ts, migration 410).
 */
export interface HomeVisitsTable {
  person_id: string;
  /** When their home was last served to them. */
  seen_at: string;
  /** What their home compares with: the last view of their previous visit, or when they marked it seen; null on a first visit. */
  since: string | null;
}

/** An OpenID Connect account linked to a person at first sign-in. */
export interface PersonIdentitiesTable {
  issuer: string;
  subject: string;
  person_id: string;
  linked_at: string;
}

/** A job's payload: a plain object whose fields depend on the queue. */
export type JobPayload = Readonly<Record<string, unknown>>;

/** A unit of work done after a write, by a worker, with retries (src/jobs/). */
export interface JobsTable {
  id: string;
  queue: string;
  /** Unique when given: enqueueing the same key again does nothing. */
  key: string | null;
  /** What the queue's handler needs: a plain object (JSON). */
  payload: Json<JobPayload>;
  run_at: string;
  attempts: number;
  max_attempts: number;
  locked_by: string | null;
  locked_until: string | null;
  last_error: string | null;
  created_at: string;
  done_at: string | null;
  failed_at: string | null;
}

/** (339) A person's digest for one period, claimed before it is mailed (app/notifications/mail.ts). */
export interface DigestSendsTable {
  person_id: string;
  /** The slot it was keyed by (ISO instant): one digest a period. */
  period: string;
  message_id: string;
  /** The notices it carries, each with how many events it held. */
  items: Json<readonly { id: string; events: number }[]>;
  claimed_at: string;
  /** When the mail server took it; null while claimed and not yet known sent. */
  sent_at: string | null;
}

/** (356) A chat post claimed before it is posted (app/notifications/chat.ts `sendChat`). */
export interface ChatDeliveriesTable {
  /** The chat job's id: its X-Wghub-Delivery and Idempotency-Key. */
  id: string;
  webhook_id: string;
  /** The attempt that holds the claim. */
  claimed_by: string;
  /** When the claim ends if the attempt neither recorded the post sent nor gave the claim back. */
  claimed_until: string;
  /** When the chat service took it; null while claimed and not yet known sent. */
  sent_at: string | null;
}

/** (403) A chat post not made because its group was retired (app/notifications/chat.ts `withhold`). */
export interface ChatWithheldTable {
  id: string;
  group_id: string;
  /** The post, however many hooks it was for: its event, moment and title. */
  post_key: string;
  event: string;
  title: string;
  url: string;
  /** The moment the post told of. */
  at: string;
  withheld_at: string;
  /** When the post saying the group is back counted it; null until then. */
  told_at: string | null;
}

/** A mirrored repository ("owner/name") and how far its last sync got. */
export interface GithubReposTable {
  name: string;
  /** JSON: where an interrupted sync resumes (phase and position). Null when the last sync finished. */
  cursor: Json<SyncCursor> | null;
  sync_started_at: string | null;
  sync_finished_at: string | null;
  /** JSON: what the last finished sync did. */
  summary: Json<SyncSummary> | null;
  last_error: string | null;
  created_at: string;
  /** Who runs the sync now (a process's id), and until when unless it renews the lease; null when none runs. */
  sync_owner: string | null;
  sync_lease_until: string | null;
  /** (340) GitHub's numeric id of the repository, from the deliveries that name it. */
  github_id?: string | null;
  /** (340) Its name on GitHub now, when renamed or transferred since the hub mirrored it as `name`. */
  github_name?: string | null;
  /** (340) private | archived | deleted, as GitHub last said (the reconcile no longer polls it); null when none. */
  github_state?: string | null;
  github_state_at?: string | null;
}

/** One GitHub item (pull, issue, comment, review, discussion…) and the hub object it is mirrored as. */
export interface GithubItemsTable {
  repo: string;
  kind: string;
  github_id: string;
  number: number | null;
  hub_type: string;
  hub_id: string;
  /** The original on GitHub. */
  url: string;
  author_login: string | null;
  github_created_at: string | null;
  github_updated_at: string | null;
  /** What was last applied, so an older or repeated copy changes nothing. */
  content_hash: string | null;
  deleted_at: string | null;
  mirrored_at: string;
  /** The labels GitHub last showed on a pull request or issue (JSON array), to see hand-made changes. */
  labels: Json<string[]> | null;
  /** (103) Who a pull request or issue is assigned to on GitHub (JSON array of logins). */
  assignees: Json<string[]> | null;
  /** (333) A pull request's state as GitHub last showed it: open | draft | merged | closed (unmerged). */
  state: string | null;
}

/** A plain GitHub issue (not a pull request) as GitHub last showed it; a deleted one keeps no text. */
export interface GithubIssuesTable {
  id: string;
  repo: string;
  number: number;
  title: string;
  body: string;
  /** open | closed */
  state: string;
  author_id: string | null;
  /** Label names. */
  labels: Json<string[]>;
  url: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/** A comment on a plain GitHub issue; a deleted one's body is replaced by a note. */
export interface GithubIssueCommentsTable {
  repo: string;
  github_id: string;
  issue_number: number;
  author_id: string | null;
  body: string;
  url: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/** (102) A GitHub Discussion as GitHub last showed it; a deleted one keeps a note instead of its text. */
export interface GithubDiscussionsTable {
  id: string;
  repo: string;
  number: number;
  /** The category's name on GitHub. */
  category: string;
  /** What the governance file's discussionCategories make of the category: notes | agendas | quarterly, or null. */
  kind: string | null;
  /** The meeting whose notes or agenda this is, when its title and date match one. */
  meeting_id: string | null;
  title: string;
  body: string;
  author_id: string | null;
  url: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/** (102) A comment (or a reply, naming its parent) on a mirrored Discussion. */
export interface GithubDiscussionCommentsTable {
  repo: string;
  github_id: string;
  discussion_number: number;
  parent_github_id: string | null;
  author_id: string | null;
  body: string;
  url: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/**
 * Every delivery id received, kept for good after its delivery's row is deleted past its retention:
 * an old signed delivery sent again is still refused as one received before (376).
 */
export interface GithubDeliveryIdsTable {
  id: string;
  received_at: string;
}

/** A webhook delivery, by GitHub's delivery id: applied once, replayable. */
export interface GithubDeliveriesTable {
  id: string;
  event: string;
  action: string | null;
  repo: string | null;
  payload: string;
  received_at: string;
  processed_at: string | null;
  /** applied | ignored | failed */
  outcome: string | null;
  error: string | null;
  /** What an applied delivery was about (`issue:OWNER/NAME#12`, `team:org/slug:login`…), for telling a stale one (323). */
  fact: string | null;
  /** The time of the change it carried: the payload's updated_at, or when it was received where it carries none. */
  fact_at: string | null;
}

/** Deliveries refused for their signature, per reason: how many and the last (none is stored). */
export interface GithubWebhookRefusalsTable {
  reason: string;
  count: number;
  last_at: string;
}

export interface GithubEtagsTable {
  url: string;
  /** The page's ETag and whether a next page followed it. */
  etag: Json<EtagRecord>;
  at: string;
}

/** What the hub last wrote to one PR or issue: its one status comment and the labels it set. */
export interface GithubWritebackTable {
  repo: string;
  number: number;
  status_comment_id: string | null;
  status_hash: string | null;
  /** The stage and the label the hub last set for it. */
  labels: Json<WritebackLabels> | null;
  updated_at: string;
}

/** A CODEOWNERS rule, in file order (the last matching rule wins, as on GitHub). */
export interface GithubCodeownersTable {
  repo: string;
  position: number;
  pattern: string;
  /** @login and @org/team owners. */
  owners: Json<string[]>;
  synced_at: string;
}

/** Someone the repository's MAINTAINERS file lists, under which section, and the role that section gives. */
export interface GithubMaintainersTable {
  repo: string;
  login: string;
  section: string;
  role: string | null;
  synced_at: string;
}

/** A commit on a mirrored pull request: who pushed or wrote it, and when (activity for the SEP timers). */
export interface GithubCommitsTable {
  repo: string;
  number: number;
  sha: string;
  proposal_id: string;
  /** The GitHub login of its author (backfill) or of whoever pushed it (webhook); null when GitHub knows none. */
  login: string | null;
  at: string;
}

export interface GithubTeamMembersTable {
  org: string;
  team: string;
  login: string;
  synced_at: string;
}
