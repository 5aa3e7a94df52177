// Every bound on what one request may send or make the hub do, in one place. The input schemas,
// the HTTP body limit, the markdown renderer, recurrence expansion, search snippets and the
// importers read these numbers, so one person's input can never stall the hub for everyone.
// (Rates — how often a token or an address may write, search or probe — are the community's
// choice and live in the governance file's `rateLimits` section.)

export const LIMITS = {
  /** The largest request body any edge reads (REST JSON, web forms, MCP), in bytes. */
  requestBodyBytes: 1_048_576,
  /**
   * How deeply a REST or MCP body's JSON may nest arrays and objects: no body the hub takes nests past
   * about eight, and V8 parses deep nesting slowly (a 1 MiB body of nested arrays took 0.2-0.9 s of the
   * event loop, even from a visitor refused with 401), so deeper is refused before it is parsed.
   */
  bodyDepth: 64,
  /** Characters of an If-None-Match header read at all: a longer one is not weighed and matches nothing (a full read). */
  ifNoneMatchChars: 2_048,
  /** Entity tags one If-Match header may list (any one current lets the write through): more is a 422 naming If-Match. */
  ifMatchTags: 20,
  /**
   * Characters of an MCP request's id when a string: each answer echoes it, so an id of 200 KB made
   * every answer (and every refusal) 200 KB. A longer one is refused -32600 with id null. A request's
   * `_meta.progressToken` is bounded alike: every progress notification echoes it.
   */
  mcpIdChars: 256,
  /** Characters of an MCP client's `clientInfo.name`, `title` and `version` at initialize (kept per session, logged). */
  mcpClientInfoChars: 200,
  /**
   * Characters of a request's path past which the router does not remember which handlers it reaches
   * (src/http/matched-routes.ts): the hub's own paths are far shorter, and a flood of long ones (999
   * paths of 16,000 characters held 16 MB) would otherwise fill its memory and push out the paths read often.
   */
  rememberedPathChars: 256,

  /**
   * Fields one web form may send, and characters in the header block of one multipart part: no page's
   * form has more than a few dozen fields, and reading a 1 MiB form of tiny fields (a=&a=&…, or 20,000
   * empty parts, or one part with 100,000 header lines) took 0.1-0.9 s of the event loop before its
   * security token was even looked at, a visitor's too, twenty a second from one address (fuzz round 12).
   */
  form: { fields: 1_000, partHeaderChars: 4_000 },

  /** Characters in one line of text: a title, a name, a label, a location. */
  line: 300,
  /** Characters in a proposal's title (a search's words carried into a new proposal's form are cut to it). */
  proposalTitle: 200,
  /** Characters in a person's name (an identity provider's longer one is cut to it at sign-in). */
  personName: 200,
  /** A short text: a reason, a rationale, a summary, a question. */
  short: 5_000,
  /** Free prose: a problem statement, a mission, a description, evidence. */
  prose: 20_000,
  /** Characters in a link a proposal keeps (its tracker item, forum thread, pull request). */
  link: 2_000,
  /** The fewest characters of a proposed group's mission: a sentence, not a word (its form's hint says so). */
  missionAtLeast: 20,
  /** A document someone writes: a comment, a charter section, written input, a decision's description. */
  document: 50_000,
  /** Meeting notes: the longest thing anyone types. */
  notes: 200_000,

  /**
   * Items on one meeting's agenda: its page and every answer about it (REST, MCP) carry them all,
   * each up to `prose` long, so a participant adding items without end made each read larger.
   */
  agendaItems: 500,
  /**
   * Written input one person sends to one meeting (anyone who joined a group, observers too, may
   * send it, each up to `document` long, and the meeting carries all of it).
   */
  writtenInputsPerPerson: 20,

  /**
   * Action items on one meeting, and decisions recorded at one meeting: its page and every answer
   * about it carry them all, so one who records outcomes adding them without end made each read larger.
   */
  actionItems: 300,
  meetingDecisions: 200,
  /**
   * What one pull request description lists (fuzz round 11): the latest meetings and decisions about
   * the proposal, the first items of each meeting, the people of its discussion; the rest is counted.
   * Each is open-ended (a participant adds agenda items to any meeting, a member opens decisions) and
   * GitHub takes a description of at most 65,536 characters: 10,000 agenda items were 280,000
   * characters and 0.4 s of the event loop, and 1,000 decisions made the draft fail (a 500).
   */
  pullRequestDraft: { meetings: 30, itemsPerMeeting: 5, decisions: 30, people: 40 },
  /**
   * What one quarterly update reads (fuzz round 12): the latest decisions opened up to the quarter's end
   * (each is read whole to tell its phase, outcome and standing blocks) and the soonest open action
   * items; the rest is counted. A group's decisions and action items have no bound (members open
   * decisions, each meeting records up to 300 actions), and every visitor may ask for the draft: 1,000
   * decisions made it 1.3-2.1 s of work on each request and a 250,000-character draft, past what
   * GitHub takes. Likewise the latest meetings held in the quarter, read without their notes (round 13):
   * a lead schedules up to `meetingsAhead` at a time, so a quarter holds any number, and the draft read
   * every meeting the group ever had whole (notes up to `notes` long) to list them all: 3,000 made it
   * 0.6-0.7 s of work on each request and a 248,000-character draft.
   */
  quarterlyUpdate: { decisions: 50, openActions: 100, meetings: 50 },
  /**
   * Items of one kind "what needs me" lists (REST /api/me/needs, MCP what_needs_me, `wghub me needs`):
   * the rest is counted, not listed. A member owns any number of open action items (300 a meeting) and
   * may attend any number of meetings, each read whole; decisions, requests and escalations are read 50
   * at most as the web home reads them, and proposals the 20 that moved last (`HOME_PROPOSALS`).
   */
  needsPerKind: 50,
  /**
   * Agenda items a meeting lists on one's home and in what needs me; the rest is counted (fuzz round
   * 15): a meeting holds up to `agendaItems` of 200 characters, and every one of 50 meetings was listed
   * whole, so a lead's crowded agendas made each member's what needs me 4.9 MB (into an assistant's
   * context over MCP) and their home as long.
   */
  homeAgendaItems: 5,
  /**
   * Starts of a series one of its "later meetings" pages lists (/meetings/M-1/occurrences): its own
   * page lists the next four, and a reader looking further goes on this many at a time, however long
   * the series runs (a series without an end has no last page, so the list is never read whole).
   */
  seriesStartsPage: 20,
  /**
   * Rows one page of a long list in the web UI shows (proposals, decisions, organisations), with a
   * "Next page" link past them: organisations were listed whole, every one anybody is or was with.
   */
  webListPage: 50,
  /**
   * People a proposal with no sponsor names as ones to ask (its page, REST, MCP list_possible_sponsors,
   * `wghub proposal sponsors`), its group's own first: a few names to start from, not a directory.
   */
  possibleSponsors: 5,
  /**
   * Decisions one group has open at once (fuzz round 12): every list of its open decisions and its home
   * page read each open one whole to tell its phase, and a member could open them without end (1,000
   * made the group's page 1.4 s of work for every visitor). One more is a 422 naming group, counted
   * holding the group's row. A decision a meeting records is bounded by `meetingDecisions`.
   */
  openDecisionsPerGroup: 100,
  /**
   * Open decisions a proposal's view names (ref, question, phase, when it closes), oldest first: each
   * is read whole on every read of the proposal to tell its phase now; `openDecisionsMore` says others
   * are open too, which the decisions list's `subject` gives in full.
   */
  openDecisionsOnProposal: 10,
  /** Decided ones (an outcome reached) a proposal's page names, newest first; the decisions list's `subject` has them all. */
  decidedOnProposal: 10,
  /** Meetings whose agenda took a proposal up that its page lists, the latest by start; the rest are counted. */
  meetingsOnProposal: 10,
  /**
   * Decisions of one's groups that reached an outcome since one's last visit, named on one's home
   * (latest first; the decisions list has the rest).
   */
  decidedSinceVisit: 10,
  /**
   * Responses one person gives one decision (consent, concern or block; each withdrawal follows one):
   * every read of the decision reads them all, each with its reasons up to `short` long.
   */
  responsesPerPerson: 50,
  /** Votes one person casts on one decision (the latest counts; each is kept, with its rationale up to `short`). */
  votesPerPerson: 50,
  /**
   * Events one read of a decision carries in its timeline (its page, REST, MCP): the latest so many,
   * and no more than `chars` characters of their facts (the latest always, whatever its size), with how
   * many earlier ones there are and where to read them (`decisionTimeline`: GET /api/decisions/{ref}/timeline,
   * MCP decision_timeline, `wghub decision timeline`, the page's "earlier events" link). Responses and
   * votes are bounded per person, not per decision: every member answering fifty times with four
   * reasons of `short` each made one decision's answer megabytes on every read. Nothing stored is cut.
   */
  decisionTimeline: { events: 100, chars: 200_000 },
  /**
   * How far an extension may move a decision's lazy-consensus deadline: to at most this many days from
   * the moment it is extended (domain/decisions/extension.ts). More time for silence to be informed, not
   * a way to park a question: one further away is refused naming deadline; it may be extended again.
   */
  decisionExtensionDays: 30,
  /**
   * How long an invitation to a group stays open: a lead chooses 1 to this many days (the default
   * `invitationDefaultDays`); past it the person can no longer accept it, and the lead may invite again.
   */
  invitationDays: 60,
  invitationDefaultDays: 14,
  /** Pending invitations one group holds at once: a lead cannot flood the community with them. */
  invitationsPerGroup: 200,
  /**
   * Invitations one group sends one person within `invitationWindowDays` (withdrawn, expired or answered
   * ones count): each is a notice, and a mail at once, so invite, withdraw, invite again cannot flood them.
   */
  invitationsToOnePerson: 3,
  /**
   * Invitations one person sends one other person within `invitationWindowDays`, whatever the group
   * (attack round 23: every group a member proposed naming someone as lead invited them, a notice and a
   * mail each, without end). Counted per sender: leads of different groups do not share it.
   */
  invitationsFromOneToOne: 10,
  invitationWindowDays: 30,
  /**
   * Groups one person has proposed that are still proposed (waiting for sponsors and a maintainer's
   * move) at once. Each holds a charter of up to a section's `document` per heading, and every list of
   * groups and every maintainer's what-needs-me reads the proposed ones (attack round 24: one member's
   * hundred proposed groups made `GET /api/groups?limit=200` 0.3-0.9 s and each core maintainer's
   * `/api/me/needs` 0.4-0.5 s, from 3-10 ms). Sponsored and moved, or retired, one no longer counts.
   */
  groupsProposedWaiting: 10,
  /** Evidence one person adds to one proposal (each up to `prose` long, and the proposal carries all of it). */
  evidencePerPerson: 50,
  /**
   * Relations between proposals (fuzz round 13): every read of a proposal (its page, REST, MCP) lists all
   * it relates to and all related to it, and none is ever removed. Any contributor may relate any proposal
   * and draft proposals without end, so 2,000 drafts related to one proposal in every kind made its answer
   * 8 MB and 0.2 s of work each time it changed. A proposal relates to at most `fromProposal` items, and
   * one person relates at most `perPersonTo` proposals to one proposal (in any kind).
   */
  relations: { fromProposal: 100, perPersonTo: 50 },
  /** API tokens one person holds unrevoked (each is checked by hash, listed on their profile). */
  tokensPerPerson: 100,
  /**
   * Chat webhooks one group posts to: each of the group's decisions, votes and published notes is one
   * post to every hook, made by the one job queue everyone's mail waits in, so a lead adding hooks
   * without end (the same address over and over) made one decision thousands of posts to a site of
   * their choosing, and everyone's notices wait behind them (fuzz round 9).
   */
  webhooksPerGroup: 20,
  /**
   * Chat posts not made while a group was retired kept to show its leads (the newest; older ones are
   * dropped): a retired group hears of little, but a long retirement should not grow a list without end.
   */
  chatWithheldPerGroup: 50,
  /**
   * Topic areas one group has (they are never deleted): its page, its answer over REST and MCP and its
   * list of topic areas carry them all, each with a description up to `prose` long; 2,000 made the
   * list 40 MB and the group's page a second and a half of the event loop for every visitor (fuzz round 9).
   */
  topicAreasPerGroup: 100,
  /**
   * Meetings one group has scheduled to start later (a series is one, however often it meets): every
   * list of upcoming meetings (the meetings page, REST, MCP) reads them all to order them by their next
   * start, so a lead scheduling one-offs without end made each of those reads slower for every visitor
   * (1,000 ahead: a second for the meetings page; fuzz round 9).
   */
  meetingsAhead: 200,

  /**
   * Characters of comment bodies and their HTML one page of a discussion carries (REST, the CLI): a
   * page holds fewer comments than asked for once past it (its nextCursor goes on from there). 200
   * comments of 50,000 characters each were 41 MB to write out and 0.7 s of the event loop per
   * request, for anyone who asked (fuzz round 9); ordinary comments never come near it.
   */
  commentPageChars: 2_000_000,
  /**
   * Characters of facts (each event's before and after) one page of the event log carries: a page
   * holds fewer events than asked for once past it (its nextBefore goes on from there). An event keeps
   * what changed, revised meeting notes whole, so 500 revisions of long notes were an 80 MB page and
   * 2.4 s of the event loop for each anonymous request (fuzz round 9).
   */
  eventPageChars: 2_000_000,
  /**
   * A group's charter history (its page, the charter editor): the latest `changes` proposals, imports
   * and amendments, and no more than `chars` characters of their facts (the latest always), with how
   * many earlier ones there are; every change is in the event log. Each amendment records the whole
   * charter before and after (up to 500,000 characters each), and the page read them all: 100
   * amendments made each view after the next one 0.9-1.6 s of the event loop (attack round 24).
   */
  charterHistory: { changes: 100, chars: 2_000_000 },

  /** Items in a list of texts (examples, scope, charter sections). */
  listItems: 100,
  /** People named in one list (co-authors, leads, facilitators). */
  people: 50,
  /**
   * The years an affiliation's days (from, to) may fall in: 0000-01-01 and 9999-12-31 were stored as
   * anyone's dates with an organisation, and read back as "with it since year 0" on every profile.
   */
  affiliationYears: { first: 1900, last: 2100 },
  /** Affiliations of one person. */
  affiliations: 20,

  /** A proposal, decision or meeting number: they are int4 columns. */
  maxNumber: 2_147_483_647,
  /**
   * Characters of a page cursor sent back: a documents list's cursor holds its last document's kind, title
   * (at most a line) and id, so the list keeps its place when a document is renamed between pages.
   */
  cursor: 2_000,
  /** A query string or path parameter, in characters. */
  param: 500,

  recurrence: {
    /** Occurrences a series may have (COUNT), and the most ever expanded. */
    maxOccurrences: 520,
    /** Periods (days, weeks, months, years) rrule may step through looking for occurrences. */
    maxPeriods: 2_000,
    /** INTERVAL: at most every this many periods. */
    maxInterval: 1_000,
    /**
     * How far ahead a series may be ended, in years from today: an end is news for the meetings
     * people expect, and a series ended years ahead would be shown as ended (its rule frozen) long
     * before anything changes; a rhythm that far off is changed nearer the time.
     */
    endWithinYears: 1,
  },

  calendar: {
    /**
     * Meetings one iCalendar feed carries (a group's, a topic area's, a person's): every series first,
     * then those to come from the soonest, then those held from the latest. The library that writes the feed spends about a microsecond on each
     * character, so a group's 1,000 meetings with long descriptions were a 21 MB feed and 25 s of the
     * event loop on every poll, for anyone who asked (fuzz round 9).
     */
    meetings: 200,
    /** Characters of one meeting's description there (its own text, then its agenda); the rest is on its page. */
    descriptionChars: 1_000,
  },

  fairTimes: {
    /** Different working windows among one request's participants (each is a table of the day's minutes to build). */
    windows: 50,
    /** Different pairs of time zone and window (each is scored at every slot of the period). */
    groups: 500,
    /** Local times listed in one answer: participants × (best times + 2 × the series' meetings). */
    seats: 50_000,
    /**
     * Scores one request computes: pairs of zone and window × the slots looked at (every step of the
     * period, and every step of each series meeting's day). 418 zones over 31 days (1.2 million) held
     * the event loop 0.4-1.4 s, a series of 104 for 200 zones (2 million) 1.4 s, asked by anyone
     * without a token, two at a time (attack round 31); 600,000 is 418 zones over the default 14 days.
     */
    scores: 600_000,
  },

  markdown: {
    /** Characters rendered; anything longer is cut (inputs are bounded below this anyway). */
    maxInput: 250_000,
    /** Block and inline nesting depth (quotes in lists in quotes…); deeper markup renders as text. */
    maxNesting: 20,
    /** Table cells one text may make (columns times rows, rows filled out to the header): tables past it show as text. */
    tableCells: 20_000,
    /**
     * Characters that can open markup ([ ] * _ ` ! < & \\ @ # ~ and line breaks) one text may use, plus
     * one in four of its length: each costs the parser a microsecond or more, so past this the
     * rest of the text is shown as written paragraphs.
     */
    markup: 20_000,
    /** Bare addresses (https://…, a@b.org) one text shows as links; later ones stay text. */
    autolinks: 2_000,
    /** Different people, and different items, one text mentions: past them a mention tells nobody and records nothing. */
    mentions: 100,
    /** Mentions one text shows as links (each is three tokens to make and a link to check on every page); later ones stay text. */
    mentionLinks: 1_000,
    /** Different links one page checks against what the hub holds; past them a link is shown as its text. */
    pageLinks: 5_000,
    /** Characters of rendered texts (source and HTML) kept in memory, so pages do not render them on every view. */
    cacheChars: 16_000_000,
    /** Characters of charters' HTML the group page keeps rendered (keyed by the sections' digest, oldest dropped first). */
    charterCacheChars: 4_000_000,
  },

  hints: {
    /** Lines one `wghub hints --lines` call judges (each line at most `document` characters). */
    lines: 100_000,
  },

  search: {
    /** Characters of a document a search snippet is cut from (snippet cost grows with size). */
    snippetWindow: 20_000,
    /** Characters of each candidate prior-work ranking reads. */
    rankedBodyChars: 20_000,
    /** Characters of a document kept in the search index. */
    indexedBodyChars: 250_000,
    /** References (SEP-n, P-n, #n) and, apart, addresses a draft's prior work looks up: the first so many of each. */
    citedRefs: 100,
    /** Characters of a draft's text prior-work detection reads. */
    draftChars: 50_000,
    /** Characters of a document whose words are remembered for correcting misspelt searches. */
    wordsFromChars: 4_000,
    /** Known words compared with one misspelt word (those with its first letter and about its length). */
    correctionCandidates: 20_000,
    /** How far into the results a page may start: the page starting here has no `nextCursor`, whatever follows. */
    maxOffset: 10_000,
  },

  imports: {
    /** The largest charter, SEP or artifact file read, in bytes. */
    fileBytes: 2_000_000,
    /** People a charter's leadership and membership tables may name. */
    charterPeople: 300,
    /** Files one import reads. */
    files: 5_000,
    /**
     * Headings and table rows one charter or SEP file may have (every line any reader could take for one): each heading is
     * a section its page builds with an anchor and a contents entry, each row a row the page and the
     * charter's facts read, so a file of 100,000 headings took seconds on every view of its page.
     */
    headings: 10_000,
    tableRows: 5_000,
  },

  github: {
    /**
     * How deeply a webhook delivery's JSON may nest: GitHub's payloads nest about ten levels, and
     * reading a body nested thousands deep (every string made storable) overflows the stack.
     */
    payloadDepth: 64,
    /**
     * Objects and arrays in one webhook delivery, keys in it, and keys in one object of it, counted
     * before it is parsed: 25 MiB of `{},` is 8.7 million objects, which JSON.parse turned into more
     * than a gigabyte in the reading thread (the whole process ended at a 512 MB heap) and the worker
     * again when it applied it; 999,000 objects of two keys each (25.9 MB) took 214 MB to read and
     * ended a 512 MB process when the worker parsed it. GitHub's payloads hold one object or array per
     * 70 bytes or more and one key per 31.4 or more (the densest of its recorded examples,
     * @octokit/webhooks-examples: security_advisory.published), so a real 25 MiB delivery holds under
     * 375,000 and 840,000; no object of GitHub's names a hundred keys. Bodies just under these bounds
     * are read and parsed at a 512 MB heap (test/app/github/delivery-heap.test.ts).
     */
    payloadContainers: 500_000,
    payloadKeys: 1_000_000,
    payloadKeysPerObject: 10_000,
    /**
     * Bytes of one webhook delivery: GitHub caps its payloads at 25 MB and sends none larger, so a
     * delivery past the 1 MiB of other requests (`requestBodyBytes`; a push or pull request with a
     * huge body) is taken on POST /github/webhooks alone, read as it streams in with its signature
     * computed on the way, and read as JSON in a thread of its own (app/github/big-deliveries.ts).
     */
    payloadBytes: 25 * 1_048_576,
    /** Deliveries past `requestBodyBytes` one process reads at once (their memory); one more is answered 503, and GitHub's delivery log sends it again. */
    bigAtOnce: 2,
    /**
     * Of those places, how many one client address may hold (its socket's, or with WGHUB_TRUST_PROXY=1
     * the address the proxy saw): anyone can send a big body with a made-up signature, and it is read
     * whole before the signature is known to be wrong, so one sender alone would keep every place.
     */
    bigPerAddress: 1,
    /** Milliseconds a big delivery's body may take to arrive once it holds one of those places (GitHub waits 10 s for the answer). */
    bigBodyMs: 10_000,
    /** Milliseconds a big delivery's JSON may take to read in its thread (GitHub waits 10 s for the answer). */
    bigReadMs: 8_000,
    /** Characters in a mirrored issue, pull request or Discussion title (GitHub's own limit is 256). */
    title: 300,
  },

  evidence: {
    /** Characters of a probe's reason kept (never a remote body; our own words and the server's error kind). */
    reason: 300,
    /**
     * Names a check keeps from what the server says of itself (its tools, capabilities, experimental
     * features and extensions), the first so many of each, each cut to `chars` (fuzz round 13): a server of
     * anyone's choosing listed any number, kept whole in the check and its event and shown with the
     * proposal on every read.
     */
    names: { count: 1_000, chars: 200 },
    /**
     * Bytes of each answer the probe reads from a server over HTTP (an event stream's events together):
     * 1,000 tools with their schemas fit many times over, and a server of anyone's choosing cannot make
     * the hub hold more while a maintainer's check runs.
     */
    responseBytes: 8 * 1024 * 1024,
  },

  inboundMail: {
    /**
     * Milliseconds one received mail may take to read (mailparser, in a thread of its own): a mail of
     * 1 MB reads in well under a second, while one of 120,000 tiny HTML paragraphs took five seconds
     * to turn into text, and 400 KB of quoted From names half a second (attack round 17). Counted from
     * when the thread has loaded mailparser; past it the thread is ended and the mail answered "try
     * again later" (SMTP 451, HTTP 503): on a busy machine a genuine reply may read slowly too.
     */
    parseMs: 5_000,
    /**
     * Characters of HTML a reply sent without a plain-text part may have to be read as text: every
     * mail app sends a plain-text part beside its HTML, and a reply holds at most a comment's 50,000
     * characters with its quote. An HTML-only mail past it is refused, saying to send plain text.
     */
    htmlChars: 300_000,
    /** Mails waiting for the reading thread: past it a mail is answered "try again later" (SMTP 451, HTTP 503). */
    waiting: 40,
    /**
     * Characters of a mail's From field, of each DKIM-Signature field, and of the SMTP session's MAIL FROM
     * and HELO, past which the listener refuses it before checking the sender: mailauth trims a domain's
     * trailing dots with a regular expression that retries from every dot, and a From of 300,000 dots
     * held the event loop four minutes (attack round 17). A mail address has at most 254 characters and a
     * host name 255 (RFC 5321, RFC 1035); a From with its display name, and a signature with its 4096-bit
     * b=, fit many times over.
     */
    fromFieldChars: 1_000,
    /**
     * Characters of a reply's Message-ID (a provider's `messageId` field, or the header over SMTP), kept
     * with the reply address it used and named in the receipt mail's In-Reply-To: a header line holds
     * at most 998 (RFC 5322 §2.1.1). A longer one was cut to 500 where nobody saw it, and whole in the
     * receipt (attack round 30); now the reply is refused naming the field and this rule.
     */
    messageIdChars: 998,
    dkimSignatureChars: 10_000,
    envelopeChars: 255,
    /** Connections the reply listener holds open at once (smtp-server's maxClients), from all senders together. */
    smtpClients: 20,
    /**
     * Of those, the connections one address may hold at once; one more is answered 421, try again later
     * (a mail server queues and retries). The twenty were shared by everyone, so one address opening twenty
     * and keeping them busy (a NOOP before each 30 s idle timeout, or reconnecting) turned every other
     * sender away with "Too many connected clients" (attack round 32). A relay in front of the listener
     * sends from one address too: five deliveries at once is more than replies to notifications need.
     */
    smtpClientsPerAddress: 5,
  },
} as const;

/** The number in a reference (P-12, D-3, M-7, SEP-2575), or null when it is beyond any stored number. */
export function refNumber(digits: string): number | null {
  if (!/^\d{1,10}$/.test(digits)) return null;
  const n = Number(digits);
  return n <= LIMITS.maxNumber ? n : null;
}

/**
 * The first rows whose sizes fit `budget` characters, always the first whatever its size, so a page
 * is never empty and a cursor from its last row always goes on (LIMITS.commentPageChars, eventPageChars).
 */
export function pageWithin<R>(rows: R[], budget: number, size: (row: R) => number): R[] {
  let chars = 0;
  for (const [i, r] of rows.entries()) {
    chars += size(r);
    if (i > 0 && chars > budget) return rows.slice(0, i);
  }
  return rows;
}
