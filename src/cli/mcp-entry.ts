// `wghub mcp` on its own short path: hosts give an MCP server about a second to answer its first
// message over stdio, so this skips the command-line parser and every other command's modules,
// and migrates only when a migration is pending. Same flags and environment as `wghub mcp`.
import { statSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Actor } from '../app/core/hub.ts';
import type { Governance } from '../domain/governance/schema.ts';
import { reportError } from './errors.ts';

export async function runMcpOverStdio(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { database: { type: 'string' }, governance: { type: 'string' }, as: { type: 'string' } },
    allowPositionals: true,
    strict: false,
  });
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  // the MCP modules (the larger part) load while the store opens
  const stdio = import('../mcp/stdio.ts');
  const [{ createHub }, { openStore }, { migrateToLatest, pendingMigrations }, settings, { testClockFromEnv }] =
    await Promise.all([
      import('../app/core/hub.ts'),
      import('../store/connect.ts'),
      import('../store/migrate.ts'),
      import('./hub-settings.ts'),
      import('./test-clock.ts'),
    ]);
  const governance = await readGovernance(settings.governancePath(str(values.governance)));
  const store = openStore(settings.databaseUrl(str(values.database)));
  try {
    if ((await pendingMigrations(store.db, store.schema)).length) await migrateToLatest(store.db, store.schema);
    const clock = testClockFromEnv();
    const hub = createHub(store, governance, {
      reactions: settings.reactions(),
      settings: settings.hubSettings(),
      ...(clock ? { clock } : {}),
    });
    const as = str(values.as);
    let actor: Actor;
    if (as) {
      const { personRow } = await import('../app/people/people.ts');
      actor = { kind: 'person', person: await personRow(hub.store.db, as) };
    } else if (process.env.WGHUB_TOKEN) {
      const { authenticate } = await import('../app/people/tokens.ts');
      actor = { kind: 'person', person: await authenticate(hub, process.env.WGHUB_TOKEN) };
    } else {
      const { Unauthenticated } = await import('../domain/errors.ts');
      throw new Unauthenticated(
        'wghub mcp acts as a person: pass --as HANDLE, or put an API token in WGHUB_TOKEN (`wghub token create --person HANDLE`)',
      );
    }
    const { serveMcpOverStdio } = await stdio;
    const conn = serveMcpOverStdio(hub, actor);
    // V8's compile cache is written at a clean exit, but hosts usually end a server with a signal:
    // write it now, once the answer is out, so the next start compiles nothing.
    setTimeout(() => module.flushCompileCache?.(), 200).unref();
    // stdin ending closes the connection once every request read from it is answered
    void conn.answered.then(() => conn.close().finally(() => store.close().finally(() => process.exit(0))));
  } catch (e) {
    await store.close();
    process.exitCode = reportError(e);
  }
}

/**
 * The rules in force. Run from the bundle (dist/mcp-stdio/, rebuilt whenever a source changes), the
 * validated rules are cached per file content and build; run from the sources, they are validated
 * every time, as any other command does.
 */
async function readGovernance(file: string): Promise<Governance> {
  const self = fileURLToPath(import.meta.url);
  if (self.endsWith('.ts')) return (await import('../app/core/governance-file.ts')).loadGovernance(file);
  const { loadGovernanceCached } = await import('../app/core/governance-cache.ts');
  const built = statSync(self);
  return loadGovernanceCached(file, `${self}:${built.mtimeMs}:${built.size}`);
}
