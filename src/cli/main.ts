// The `wghub` command tree. Only what help needs is imported here (commander, the command modules'
// declarations, a few constants): each command loads its use cases, the store and the rest of the
// hub when it runs (`await import(…)`), so `wghub --help` or one command does not pay to load every
// other command's code (bench/cli-start.ts). The tree is built and run by `runWghub`, once per run:
// src/cli/entry.ts runs it for the real binary, and tests run it in their own process (src/cli/io.ts).
import { registerGroupCommands, requestState } from './group-commands.ts';
import { allPages, type CommandTools, type Globals } from './command-tools.ts';
import type { Actor, Hub } from '../app/core/hub.ts';
import type { WhatNeedsMe } from '../app/home/what-needs-me.ts';
import { CLAIM_DAYS, nameWithHandle } from '../domain/people.ts';
import { printable } from '../domain/text.ts';
import { slugAsStored } from '../domain/slugs.ts';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { writeFileSync } from 'node:fs';
import { Console } from 'node:console';
import { type CliIo, inRun, processIo, setExitCode } from './io.ts';
import { VERSION } from '../version.ts';
import { registerProposalCommands } from './proposal-commands.ts';
import { registerDecisionCommands } from './decision-commands.ts';
import { registerSearchCommands } from './search-commands.ts';
import { registerHintsCommands } from './hints-commands.ts';
import { registerMeetingCommands } from './meeting-commands.ts';
import { registerMcpCommands } from './mcp-commands.ts';
import { registerOperationsCommands } from './operations-commands.ts';
import { registerGithubCommands } from './github-commands.ts';

const boot = () => import('./boot.ts');
const people = () => import('../app/people/people.ts');
const demo = () => import('../app/demo/demo.ts');
const governanceFile = () => import('../app/core/governance-file.ts');
const charters = () => import('../app/imports/charters.ts');
const eventLog = () => import('../app/log/log.ts');
const tokens = () => import('../app/people/tokens.ts');
const oauth = () => import('../app/people/oauth.ts');
const groups = () => import('../app/groups/groups.ts');
const chat = () => import('../app/notifications/chat.ts');

/** The command tree of one run, writing to `io`; `args` are the words after `wghub`. */
async function buildProgram(args: string[], io: CliIo): Promise<Command> {
  const program = new Command()
    .name('wghub')
    .description(
      'A hub where a protocol community runs its working groups: groups and topic areas, people and organisations, the event log.',
    )
    .version(VERSION)
    .addOption(
      new Option('--database <url>', 'database: sqlite:PATH or postgres://…')
        .env('WGHUB_DATABASE_URL')
        .default(undefined, 'sqlite:./data/wghub.sqlite'),
    )
    .addOption(
      new Option('--governance <file>', 'governance rules file (YAML or JSON)')
        .env('WGHUB_GOVERNANCE')
        .default(undefined, 'the built-in rules'),
    )
    .option(
      '--as <handle>',
      'act as this person (permissions are checked as for them); without it, act as the operator',
    )
    .option('--json', 'print JSON instead of text')
    .showHelpAfterError()
    // a usage mistake (unknown option or command, missing argument) is invalid input, exit 2 as the
    // docs say, not Commander's 1, which scripts read as "failed otherwise"; commands added below inherit it
    .exitOverride()
    // help, usage mistakes and --version go to the run's streams (the process's own for the binary)
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // Commander's own rule: a terminal's width, else (undefined) its 80 columns
      getOutHelpWidth: () => (io.stdout.isTTY ? io.stdout.columns : undefined) as number,
      getErrHelpWidth: () => (io.stderr.isTTY ? io.stderr.columns : undefined) as number,
    });

  // A group's or topic area's short name, as an argument (`<slug>`, `<group>`) or as --group and --topic
  // (GROUP/TOPIC too), read through the one resolver every edge uses (`slugAsStored`): `wghub group show
  // Hosting` names hosting, as /api/groups/Hosting and MCP's get_charter {group: "Hosting"} do. A new
  // group's short name (`group propose`) is given as it will be stored, and refused otherwise.
  program.hook('preAction', (_, action) => {
    if (action.name() === 'propose') return;
    action.registeredArguments.forEach((a, i) => {
      const given = action.processedArgs[i];
      if ((a.name() === 'slug' || a.name() === 'group') && typeof given === 'string')
        action.processedArgs[i] = slugAsStored(given);
    });
    for (const key of ['group', 'topic']) {
      const given = action.getOptionValue(key);
      if (typeof given === 'string')
        action.setOptionValueWithSource(
          key,
          given.split('/').map(slugAsStored).join('/'),
          action.getOptionValueSource(key) ?? 'cli',
        );
    }
  });

  function globals(): Globals {
    return program.opts<Globals>();
  }

  async function withHub<T>(fn: (hub: Hub, actor: Actor) => Promise<T>): Promise<T> {
    const g = globals();
    const hub = await (await boot()).bootHub({ database: g.database, governance: g.governance });
    try {
      const actor: Actor = g.as
        ? { kind: 'person', person: await (await people()).personRow(hub.store.db, g.as) }
        : (await import('../app/core/hub.ts')).SYSTEM;
      return await fn(hub, actor);
    } catch (e) {
      (await import('./errors.ts')).refusedByHub(e, hub.governance);
      throw e;
    } finally {
      await hub.store.close();
    }
  }

  function print(value: unknown, text: () => string): void {
    // stored text may hold control characters (from an import, or written before they were refused)
    io.stdout.write(printable(globals().json ? JSON.stringify(value, null, 2) + '\n' : text() + '\n'));
  }

  function report<T>(run: (hub: Hub, actor: Actor) => Promise<T>, text: (value: T) => string): Promise<void> {
    return withHub(async (hub, actor) => {
      const value = await run(hub, actor);
      print(value, () => text(value));
    });
  }

  // help in the default's words; proposal and search help read the governance file's (below)
  const tools: CommandTools = { withHub, print, report, globals, words: (text) => text };

  /** `--port`: refused when parsed, before the database is opened, not by Node's listen after migrating. */
  function portNumber(v: string): number {
    if (!/^\d{1,5}$/.test(v) || Number(v) > 65535)
      throw new InvalidArgumentError('a port is a whole number from 0 to 65535.');
    return Number(v);
  }

  program
    .command('serve')
    .description(
      'run the hub: web UI, REST API and MCP (at /mcp) on one port; migrates, and loads the demo community into a hub with no groups',
    )
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on', portNumber, 8787)
    .option('--no-demo', 'do not load the demo community into a hub with no groups')
    .option('--no-worker', 'do not work the job queue or run timers here (run `wghub worker` for them)')
    .option(
      '--mcp-allowed-host <host...>',
      'more host names /mcp answers to (behind a proxy); others get 403 (DNS rebinding protection)',
    )
    .option(
      '--mcp-anonymous-reads',
      'let MCP clients without a token use the read-only tools and resources, as REST reads allow (for local testing)',
    )
    .action(
      async (opts: {
        host: string;
        port: number;
        demo: boolean;
        worker: boolean;
        mcpAllowedHost?: string[];
        mcpAnonymousReads?: boolean;
      }) => {
        const g = globals();
        // settings are checked before the database is opened: a mistake changes nothing
        (await import('./serve-settings.ts')).checkServeSettings();
        // the HTTP server is loaded only by the commands that serve: every other command starts faster
        const { startServer } = await import('./serve.ts');
        const { bootHub, databaseUrl } = await boot();
        const hub = await bootHub({ database: g.database, governance: g.governance });
        const { demoIsNeeded, loadDemoOnce } = await demo();
        let demoElsewhere = false;
        if (opts.demo && (await demoIsNeeded(hub))) {
          // several processes started together on an empty hub: one loads the demo, the others serve it
          const d = await loadDemoOnce(hub);
          demoElsewhere = d === null;
          io.stdout.write(
            d
              ? `loaded the demo community: ${d.people} people, ${d.groups} groups\n`
              : 'another process is loading the demo community\n',
          );
        }
        await startServer(hub, {
          host: opts.host,
          port: opts.port,
          databaseUrl: databaseUrl(g.database),
          mcp: { extraHosts: opts.mcpAllowedHost, anonymousReads: opts.mcpAnonymousReads },
          worker: opts.worker,
          demoElsewhere,
        });
      },
    );

  program
    .command('worker')
    .description(
      'work the job queue and run the timers without serving HTTP (for operators who run web and job processes apart); stops on SIGTERM',
    )
    .action(async () => {
      const g = globals();
      (await import('./serve-settings.ts')).checkServeSettings();
      const { startWorker } = await import('./serve.ts');
      const { bootHub, databaseUrl } = await boot();
      const hub = await bootHub({ database: g.database, governance: g.governance });
      await startWorker(hub, { databaseUrl: databaseUrl(g.database) });
    });

  program
    .command('migrate')
    .description('bring the database schema up to date (serve does this too); refuses a database from a newer wghub')
    .option('--check', 'only list pending migrations: exits 1 when some are, 78 for a database from a newer wghub')
    .action(async (opts: { check?: boolean }) => {
      const { openStore } = await import('../store/connect.ts');
      const { migrateToLatest, pendingMigrations } = await import('../store/migrate.ts');
      const store = openStore((await import('./hub-settings.ts')).databaseUrl(globals().database));
      try {
        if (opts.check) {
          const p = await pendingMigrations(store.db, store.schema);
          print({ pending: p }, () => (p.length ? `pending: ${p.join(', ')}` : 'the database is up to date'));
          // a script gates on it: not up to date is not success
          if (p.length) setExitCode((await import('./errors.ts')).EXIT.failure);
        } else {
          const r = await migrateToLatest(store.db, store.schema);
          print(r, () => (r.applied.length ? `applied: ${r.applied.join(', ')}` : 'the database is up to date'));
        }
      } finally {
        await store.close();
      }
    });

  program
    .command('seed')
    .description('load the demo community (only into a database with no groups)')
    .option('--full', 'also its proposals and decisions, as `wghub serve` loads them')
    .action((o: { full?: boolean }) =>
      withHub(async (hub) => {
        const { demoIsNeeded, loadDemoCommunity } = await demo();
        if (!(await demoIsNeeded(hub)))
          throw new Error('the database already has groups; the demo community goes only into an empty one');
        const d = await loadDemoCommunity(hub, { work: o.full === true });
        print(d, () => `loaded the demo community: ${d.people} people, ${d.groups} groups`);
      }),
    );

  const importCmd = program.command('import').description('import governance files');
  importCmd
    .command('charters <dir>')
    .description(
      'import group charters (*.mdx / *.md, with front matter and the charter template tables) from DIR and its working-groups/ and interest-groups/ folders',
    )
    .action((dir: string) =>
      report(
        async (hub, actor) => (await charters()).importCharterDirectory(hub, actor, dir),
        (r) =>
          [
            ...r.files.map((f) => `${f.status.padEnd(9)} ${f.slug.padEnd(36)} ${f.path}`),
            `${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged; ${r.people} people and ${r.organisations} organisations known`,
            ...r.warnings.map((w) => `warning: ${w}`),
          ].join('\n'),
      ),
    );

  const exportCmd = program.command('export').description('export governance files');
  exportCmd
    .command('charter <slug>')
    .description('write a group charter as markdown in the charter template structure')
    .option('-o, --output <file>', 'write to FILE instead of standard output')
    .action((slug: string, opts: { output?: string }) =>
      withHub(async (hub) => {
        const md = await (await charters()).exportCharter(hub, slug);
        if (opts.output) writeFileSync(opts.output, md);
        else io.stdout.write(printable(md));
      }),
    );

  const gov = program.command('governance').description('the governance rules');
  gov
    .command('show')
    .description('print the rules in force (validated), in plain words, or as JSON with --json')
    .action(async () => {
      const file = (await import('./hub-settings.ts')).governancePath(globals().governance);
      const g = (await governanceFile()).loadGovernance(file);
      const { describeGovernance } = await import('../domain/governance/index.ts');
      print(g, () =>
        [
          `rules from ${file}`,
          ...describeGovernance(g).flatMap((s) => ['', s.title, ...s.rules.map((r) => `  - ${r}`)]),
        ].join('\n'),
      );
    });
  gov
    .command('check <file>')
    .description('validate a governance file without starting anything')
    .action(async (file: string) => {
      (await governanceFile()).loadGovernance(file);
      print({ ok: true }, () => `${file}: valid`);
    });

  const log = program.command('log').description('the append-only, hash-chained event log');
  log
    .command('tail')
    .description('show the newest events')
    // the text as typed: the log's query reads it (whole numbers in digits), as REST's ?limit= is read
    .option('-n, --lines <n>', 'how many', '20')
    .option('--before <seq>', 'the events before this one (where the last page left off)')
    .action((opts: { lines: string; before?: string }) =>
      report(
        async (hub) =>
          (await eventLog()).eventLogTail(hub, { limit: opts.lines, ...(opts.before ? { before: opts.before } : {}) }),
        (r) =>
          (r.items
            .map(
              (e) =>
                `${String(e.seq).padStart(6)}  ${e.at}  ${(e.actor ? nameWithHandle(e.actor, r.names[e.actor]) : '-').padEnd(18)} ${e.kind.padEnd(28)} ${e.subject.type}:${e.subject.id}`,
            )
            .join('\n') || 'the log is empty') +
          // a page stops early when its events are long (LIMITS.eventPageChars): say how to go on
          (r.nextBefore ? `\n(older events: wghub log tail --before ${r.nextBefore} -n ${opts.lines})` : ''),
      ),
    );
  log
    .command('verify')
    .description('check every link of the hash chain; exits 1 and names the first broken event if any row was edited')
    .action(() =>
      withHub(async (hub) => {
        const r = await (await eventLog()).verifyEventLog(hub);
        print(r, () =>
          r.ok
            ? `the log holds: ${r.checked} events verified`
            : `BROKEN at event ${r.firstBroken!.seq}: ${r.firstBroken!.reason} (${r.checked} events before it verified)`,
        );
        if (!r.ok) setExitCode((await import('./errors.ts')).EXIT.failure);
      }),
    );

  const token = program.command('token').description('API tokens (stored hashed; the secret is shown once)');
  token
    .command('create')
    .description('create an API token for a person')
    .requiredOption('--person <handle>', 'whose token')
    .option('--label <label>', 'what it is for', 'api')
    .action((opts: { person: string; label: string }) =>
      report(
        async (hub, actor) => (await tokens()).createToken(hub, actor, opts.person, { label: opts.label }),
        (t) =>
          `${t.token}\n(token ${t.id} for ${t.person}; shown once, stored hashed; send it as "Authorization: Bearer TOKEN")`,
      ),
    );
  token
    .command('list')
    .description("list a person's tokens (never the secrets)")
    .requiredOption('--person <handle>', 'whose tokens')
    .action((opts: { person: string }) =>
      report(
        async (hub, actor) => (await tokens()).listTokens(hub, opts.person, actor),
        (ts) =>
          ts
            .map(
              (t) =>
                `${t.id}  ${t.label.padEnd(12)} created ${t.createdAt}${t.revokedAt ? `  revoked ${t.revokedAt}` : ''}`,
            )
            .join('\n') || 'no tokens',
      ),
    );
  token
    .command('revoke <id>')
    .description('revoke a token')
    .action((id: string) =>
      report(
        async (hub, actor) => (await tokens()).revokeToken(hub, actor, id),
        (t) => `revoked ${t.id} (${t.person}) at ${t.revokedAt}`,
      ),
    );

  token
    .command('clients')
    .description('list the MCP clients a person allowed to act as them through OAuth (never their tokens)')
    .requiredOption('--person <handle>', 'whose clients')
    .action((opts: { person: string }) =>
      report(
        async (hub) => (await oauth()).listGrants(hub, opts.person),
        (gs) =>
          gs
            .map(
              (g) =>
                `${g.id}  ${g.client.name} (unverified, back to ${g.redirectHost})  allowed ${g.createdAt}${g.lastUsedAt ? `  last refreshed ${g.lastUsedAt}` : ''}${g.revokedAt ? `  revoked ${g.revokedAt}` : ''}`,
            )
            .join('\n') || 'no MCP clients',
      ),
    );
  token
    .command('revoke-client <id>')
    .description("revoke an MCP client's access (its access and refresh tokens stop working at once)")
    .action((id: string) =>
      report(
        async (hub, actor) => (await oauth()).revokeGrant(hub, actor, id),
        (g) => `revoked ${g.id} (${g.client.name} for ${g.person}) at ${g.revokedAt}`,
      ),
    );

  const person = program.command('person').description('people');
  person
    .command('add')
    .description('add a person')
    .requiredOption(
      '--handle <handle>',
      'their handle, as a GitHub login: letters, digits and single hyphens, at most 39',
    )
    .requiredOption('--name <name>', 'display name')
    .option('--tz <zone>', 'IANA time zone', 'UTC')
    .option(
      '--role <role>',
      'community role: contributor, member, maintainer, core-maintainer, lead-maintainer, moderator',
      'contributor',
    )
    .option('--org <name...>', 'organisation(s) the person is affiliated with from today')
    .option(
      '--email <address>',
      'an address on record (never shown): it is mailed an invitation (who added them, how to sign in, a link confirming the address) and gets notices once its owner opens that link; a sign-in whose provider verified it links here',
    )
    .action((opts: { handle: string; name: string; tz: string; role: string; org?: string[]; email?: string }) =>
      withHub(async (hub, actor) => {
        const today = hub.clock.now().toISOString().slice(0, 10);
        const p = await (await people()).createPerson(hub, actor, {
          handle: opts.handle,
          name: opts.name,
          timeZone: opts.tz,
          role: opts.role,
          ...(opts.email ? { email: opts.email } : {}),
          affiliations: (opts.org ?? []).map((o) => ({ organisation: o, from: today })),
        });
        print(p, () => `added ${p.handle} (${p.role}, ${p.timeZone})${p.invitation ? `\n${p.invitation.status}` : ''}`);
      }),
    );
  person
    .command('resend-confirmation <handle>')
    .description(
      'mail a new link that confirms the address on record (notices are mailed only to a confirmed address); yourself with --as, or whoever may edit the record',
    )
    .action((handle: string) => {
      // a hub without WGHUB_SMTP_URL mails nothing: it said a link was on its way all the same
      let mailsOut = true;
      return report(
        async (hub, actor) => {
          mailsOut = hub.settings.mailsOut;
          return (await import('../app/people/email.ts')).resendConfirmation(hub, actor, handle);
        },
        (m) =>
          `${m.status}${
            !mailsOut
              ? ' No link was mailed: this hub sends no mail (WGHUB_SMTP_URL is not set).'
              : m.confirmation
                ? ` A confirmation link is on its way; it works until ${m.confirmation.expiresAt}.`
                : ''
          }`,
      );
    });
  person
    .command('confirm-email <token>')
    .description(
      'confirm a mail address with its confirmation link, or the token in it (the part after /confirm-email/)',
    )
    .action((given: string) =>
      report(
        async (hub) =>
          (await import('../app/people/email.ts')).confirmEmail(hub, {
            token: /\/confirm-email\/([^/?#\s]+)/.exec(given)?.[1] ?? given,
          }),
        (d) => `${d.address} is confirmed for ${d.handle}: notices are mailed to it from now on`,
      ),
    );
  person
    .command('claim <handle>')
    .description(
      `issue a one-time link (valid ${CLAIM_DAYS} days) that lets this person link their first sign-in to their record (for imported people)`,
    )
    .action((handle: string) =>
      report(
        async (hub, actor) => {
          const claim = await (await import('../app/people/web-sessions.ts')).issueClaim(hub, actor, handle);
          // the link to open, whole where the hub's public address is known (README: "open the link it prints")
          const origin = (await import('./hub-settings.ts')).publicOriginFromEnv();
          return { ...claim, link: origin ? `${origin}${claim.path}` : null };
        },
        (c) =>
          `claim link for ${c.handle} (once, until ${c.expiresAt}): ${
            c.link ?? `${c.path} on this hub's address (set WGHUB_PUBLIC_URL to have it printed whole)`
          }`,
      ),
    );
  person
    .command('accept <handle>')
    .description('record that the person accepts the current Code of Conduct and contribution terms')
    .action((handle: string) =>
      withHub(async (hub, actor) => {
        const a = hub.governance.agreements;
        const p = await (await people()).acceptAgreements(hub, actor, handle, {
          codeOfConduct: a.codeOfConduct.version,
          contributionTerms: a.contributionTerms.version,
        });
        print(
          p,
          () =>
            `${p.handle} accepted ${a.codeOfConduct.title} ${a.codeOfConduct.version} and ${a.contributionTerms.title} on ${p.agreements.codeOfConduct?.acceptedAt}`,
        );
      }),
    );
  person
    .command('role <handle> <role>')
    .description(
      "change a person's community role on the contributor ladder (contributor, member, maintainer, core-maintainer, lead-maintainer, moderator): how a newcomer becomes a member who may lead a group or facilitate a topic area (moderators and lead maintainers; without --as, the operator)",
    )
    .action((handle: string, role: string) =>
      report(
        async (hub, actor) => {
          const rooms = await people();
          // the command is one step, not a read-then-edit: it changes the record as it stands now
          const { version } = await rooms.personRow(hub.store.db, handle);
          return rooms.setPersonRole(hub, actor, handle, version, { role });
        },
        (p) => `${p.handle} is now ${p.role}`,
      ),
    );
  person
    .command('show <handle>')
    .description('show a person')
    .action((handle: string) =>
      report(
        async (hub, actor) => (await people()).getPerson(hub, handle, actor),
        (p) =>
          [
            `${p.name} (@${p.handle}), ${p.role}, ${p.timeZone}`,
            ...p.affiliations.map((a) => `  ${a.organisation.name} ${a.from ?? '…'} – ${a.to ?? 'now'}`),
            `  can contribute: ${p.canContribute ? 'yes' : 'no (has not accepted the Code of Conduct and contribution terms)'}`,
            // only on one's own record (--as HANDLE): the address is never shown to anyone else
            ...(p.mail ? [`  mail: ${p.mail.address ? `${p.mail.address}: ` : ''}${p.mail.status}`] : []),
          ].join('\n'),
      ),
    );

  const group = program.command('group').description('working and interest groups');
  group
    .command('list')
    .description('list groups')
    .option('--kind <kind>', 'working or interest')
    .option('--status <status>', 'proposed, active or retired')
    .action((opts: { kind?: string; status?: string }) =>
      report(
        async (hub) => {
          const { listGroups } = await groups();
          return allPages((cursor) => listGroups(hub, { ...opts, limit: 200, cursor }));
        },
        (items) =>
          items.map((g) => `${g.slug.padEnd(36)} ${g.kind.padEnd(8)} ${g.status.padEnd(9)} ${g.name}`).join('\n') ||
          'no groups',
      ),
    );
  group
    .command('show <slug>')
    .description('show a group: status, sponsorship, members and topic areas')
    .action((slug: string) =>
      report(
        async (hub, actor) => (await groups()).getGroupFor(hub, slug, actor),
        (g) =>
          [
            `${g.name} (${g.kind} group, ${g.status})`,
            `sponsorship: ${g.sponsorship.met ? 'met' : 'not met'} (needs ${g.sponsorship.rule}; has ${g.sponsorship.have})`,
            'members:',
            ...g.members.map(
              (m) =>
                `  ${m.handle.padEnd(24)} ${m.level}${m.emeritus ? ' (emeritus)' : ''}${m.organisation ? `  ${m.organisation}` : ''}`,
            ),
            'topic areas:',
            ...g.topicAreas.map((t) => `  ${t.slug} (${t.goal})`),
            ...(g.yourRequest ? [`your request to become a member: ${requestState(g.yourRequest)}`] : []),
          ].join('\n'),
      ),
    );

  group
    .command('webhooks <slug>')
    .description("a group's chat webhooks (only their origin is shown); for whoever may edit its charter")
    .action((slug: string) =>
      report(
        async (hub, actor) => (await chat()).listWebhooks(hub, actor, slug),
        ({ items, withheld }) =>
          [
            items.length
              ? items.map((w) => `${w.id}  ${w.format.padEnd(8)} ${w.target}${w.signed ? '  (signed)' : ''}`).join('\n')
              : 'no webhooks',
            ...(withheld.length
              ? [
                  'not posted while the group was retired (not sent later):',
                  ...withheld.map((w) => `  ${w.at.slice(0, 16).replace('T', ' ')}  ${w.title}`),
                ]
              : []),
          ].join('\n'),
      ),
    );
  group
    .command('webhook-add <slug>')
    .description('post decisions, meeting notes and a weekly summary to Discord, Slack or a signed JSON endpoint')
    .requiredOption('--format <discord|slack|json>', 'the payload shape')
    .requiredOption('--url <url>', "the chat service's incoming webhook URL")
    .option('--secret <text>', 'signs each JSON message (X-Wghub-Signature-256); required for json')
    .action((slug: string, o: { format: string; url: string; secret?: string }) =>
      report(
        async (hub, actor) =>
          (await chat()).addWebhook(hub, actor, slug, {
            format: o.format,
            url: o.url,
            ...(o.secret ? { secret: o.secret } : {}),
          }),
        (w) => `added ${w.id}: ${w.format} to ${w.target}`,
      ),
    );
  group
    .command('webhook-remove <slug> <id>')
    .description('stop posting to a chat webhook')
    .action((slug: string, id: string) =>
      report(
        async (hub, actor) => (await chat()).removeWebhook(hub, actor, slug, id),
        () => `removed ${id}`,
      ),
    );

  registerGroupCommands(program, group, tools);
  // decision help states the governance file's numbers, and proposal and search help its words for
  // the document route: read it (yaml and its schema) only when one of them is the command, or the
  // one help is asked for
  const helpRules = ['decision', 'proposal', 'search'].includes(commandWord(args) ?? '')
    ? await helpGovernance(args, io.env)
    : undefined;
  const { inCommunityWords } = await import('../domain/governance/words.ts');
  const worded = { ...tools, words: (text: string) => (helpRules ? inCommunityWords(text, helpRules) : text) };
  registerProposalCommands(program, worded);
  registerDecisionCommands(program, {
    ...worded,
    governance: commandWord(args) === 'decision' ? helpRules : undefined,
  });
  registerSearchCommands(program, worded);
  registerHintsCommands(program, tools);
  registerMeetingCommands(program, tools);
  registerMcpCommands(program, tools);
  registerOperationsCommands(program, { importCmd, exportCmd }, tools);
  registerGithubCommands(program, tools);

  program
    .command('inbox')
    .description(
      'what you were told (with --as HANDLE): newest first; --unread for unread only, --mark-read to mark all read',
    )
    .option('--unread', 'only what you have not read')
    .option('--mark-read', 'mark everything unread as read, after listing it')
    .option('--limit <n>', 'how many', '50')
    .action((opts: { unread?: boolean; markRead?: boolean; limit: string }) =>
      withHub(async (hub, actor) => {
        const { listInbox, markRead, unreadCount } = await import('../app/notifications/inbox.ts');
        const page = await listInbox(hub, actor, { limit: opts.limit, ...(opts.unread ? { unread: 'true' } : {}) });
        const unread = await unreadCount(hub, actor);
        print({ ...page, unread }, () =>
          [
            `${unread} unread`,
            ...page.items.map(
              (n) =>
                `${n.read ? ' ' : '*'} ${n.updatedAt.slice(0, 16).replace('T', ' ')}  ${n.title}${n.events > 1 ? ` (${n.events} updates)` : ''}${n.detail ? `\n    ${n.detail}` : ''}`,
            ),
          ].join('\n'),
        );
        if (opts.markRead) await markRead(hub, actor, {});
      }),
    );

  const me = program.command('me').description('what is yours (with --as HANDLE)');
  me.command('needs')
    .description(
      'what needs you (with --as HANDLE), as your home page lists it: invitations to groups, decisions awaiting your voice with their deadlines, advisory ones, escalations, membership requests to groups you lead, proposed groups waiting for your sponsorship, notes and action items you owe, proposals you follow, meetings you may attend in the next 30 days',
    )
    .option('--since <time>', 'mark the proposals you follow that changed stage after this ISO date-time')
    .action((opts: { since?: string }) => {
      let wall: (iso: string, zone: string) => string = (iso) => iso;
      return report(
        async (hub, actor) => {
          wall = (await import('../domain/notifications/timing.ts')).onWallClock;
          return (await import('../app/home/what-needs-me.ts')).whatNeedsMe(
            hub,
            actor,
            opts.since ? { since: opts.since } : {},
          );
        },
        (v) => needsText(v, wall),
      );
    });
  return program;
}

/**
 * `wghub me needs` as text: one line per item (kind, ref, group, when in the person's own zone, title),
 * what is asked and where beneath it, then what was counted but not listed.
 */
function needsText(v: WhatNeedsMe, wall: (iso: string, zone: string) => string): string {
  const lines = [`What needs ${v.handle} (times in ${v.timeZone})`];
  if (!v.items.length) lines.push('Nothing waits on you now.');
  for (const n of v.items) {
    // an action item is due on a day; every other time is a moment, shown on the person's wall clock
    const when = n.due && (n.due.length > 10 ? wall(n.due, v.timeZone).replace(/ \([^)]*\)$/, '') : n.due);
    const due = when ? `${n.dueMeans} ${when}${n.late ? ' (late)' : ''}` : '';
    lines.push(
      `${n.kind.padEnd(18)} ${n.ref}${n.group ? ` (${n.group})` : ''}${due ? `  ${due}` : ''}  ${n.title}`,
      `${' '.repeat(19)}${n.asked}  ${n.path}${n.kind === 'invitation' ? `  (wghub invitation accept|decline ${n.id})` : n.kind === 'sponsor-group' ? `  (wghub group sponsor ${n.ref})` : ''}`,
    );
  }
  for (const [kind, c] of Object.entries(v.counts))
    if (c.total === null || c.total > c.listed)
      lines.push(
        `${kind}: ${c.listed} listed of ${c.total ?? 'more'}${c.total === null ? ' (the list reached its bound)' : ''}`,
      );
  return lines.join('\n');
}

/**
 * A confirmation token is base64url, so one in 64 starts with "-" (and "-V…" is the version flag, which
 * the program reads anywhere on the line): after `confirm-email`, what follows is its operand.
 */
function tokenAsOperand(argv: string[]): string[] {
  const at = argv.indexOf('confirm-email');
  if (at < 0 || argv.includes('--')) return argv;
  // a token is 43 base64url characters; options (--json, --as h) stay options, wherever they are
  const token = argv.findIndex((a, i) => i > at && /^-[A-Za-z0-9_-]{42}$/.test(a));
  if (token < 0) return argv;
  return [...argv.slice(0, token), ...argv.slice(token + 1), '--', argv[token]!];
}

/**
 * Runs `wghub ARGS` (the words after `wghub`) to its end and resolves to its exit code. The real
 * binary runs it on the process's own streams (src/cli/entry.ts); a test runs it on others
 * (test/support/process.ts's `runCliInProcess`), in its own process, one run at a time: for the run,
 * `io.env` is the environment (the hub's modules read process.env, so it is put there and put back
 * after), and `console` writes to `io`'s streams.
 */
export function runWghub(args: string[], io: CliIo = processIo()): Promise<number> {
  pending++;
  const run = queue.then(() => runOnce(args, io)).finally(() => pending--);
  queue = run.then(
    () => undefined,
    () => undefined,
  );
  return run;
}
let queue: Promise<unknown> = Promise.resolve();
let pending = 0;

/**
 * Whether a run has not ended yet: a test that timed out in the middle of one (stdin nobody ends, a
 * slow seed) leaves it holding the process's environment and console, and the runs queued behind it
 * would wait for ever; test/support/process.ts spawns a real process instead.
 */
export function wghubRunPending(): boolean {
  return pending > 0;
}

async function runOnce(args: string[], io: CliIo): Promise<number> {
  const restoreEnv = io.env === process.env ? () => {} : installEnv(io.env);
  const own = io.stdout === process.stdout && io.stderr === process.stderr;
  const consoleWas = globalThis.console;
  if (!own) globalThis.console = new Console({ stdout: io.stdout, stderr: io.stderr });
  try {
    const code = await inRun(io, async () => {
      const program = await buildProgram(args, io);
      try {
        await program.parseAsync(tokenAsOperand(args), { from: 'user' });
      } catch (e) {
        const { EXIT, reportError } = await import('./errors.ts');
        // Commander has printed the mistake and the usage already; help and --version end with 0
        if (e instanceof CommanderError) setExitCode(e.exitCode === 0 ? EXIT.ok : EXIT.invalidInput);
        else setExitCode(reportError(e, { json: program.opts<Globals>().json === true }));
      }
    });
    return code ?? 0;
  } finally {
    if (!own) globalThis.console = consoleWas;
    restoreEnv();
  }
}

/** Makes process.env hold exactly `env` (by name: process.env is not a plain object); returns what puts it back. */
function installEnv(env: NodeJS.ProcessEnv): () => void {
  const was = { ...process.env };
  const put = (all: NodeJS.ProcessEnv) => {
    for (const name of Object.keys(process.env)) if (!(name in all)) delete process.env[name];
    for (const [name, value] of Object.entries(all)) if (value !== undefined) process.env[name] = value;
  };
  put(env);
  return () => put(was);
}

/**
 * The governance file as the command will load it, read early so help can state its numbers; if
 * it cannot be read, the built-in rules stand in for help and the command itself reports the error.
 */
async function helpGovernance(args: string[], env: NodeJS.ProcessEnv) {
  const { loadGovernance } = await governanceFile();
  const { governancePath } = await import('./hub-settings.ts');
  const i = args.indexOf('--governance');
  const given = i >= 0 ? args[i + 1] : args.find((a) => a.startsWith('--governance='))?.slice(13);
  try {
    return loadGovernance(governancePath(given ?? env.WGHUB_GOVERNANCE));
  } catch {
    return loadGovernance();
  }
}

/** The command asked for, as entry.ts finds it (the first word that is no flag nor a flag's value), or the one `help` is asked about. */
function commandWord(args: string[]): string | undefined {
  const words = args.filter(
    (a, i) => !a.startsWith('-') && !['--database', '--governance', '--as'].includes(args[i - 1]!),
  );
  return words[0] === 'help' ? words[1] : words[0];
}

// `node src/cli/main.ts …` runs the command as the binary does (bin/wghub and src/cli/entry.ts go
// through the start-up shim first; this file alone skips only its compile cache and mcp's short path)
if (import.meta.main) {
  const code = await runWghub(process.argv.slice(2));
  if (code !== 0) process.exitCode = code;
}
