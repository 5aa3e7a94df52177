import { cliIo, setExitCode } from './io.ts';
import type { CommandTools } from './command-tools.ts';
import type { Command } from 'commander';
import type { Actor, Hub } from '../app/core/hub.ts';
import { Unauthenticated } from '../domain/errors.ts';
import { EXIT } from '../domain/failure.ts';

/** The person an MCP stdio connection acts as: --as HANDLE, or the API token in WGHUB_TOKEN. */
async function stdioActor(hub: Hub, as: string | undefined): Promise<Actor> {
  if (as)
    return { kind: 'person', person: await (await import('../app/people/people.ts')).personRow(hub.store.db, as) };
  const token = cliIo().env.WGHUB_TOKEN;
  if (token)
    return { kind: 'person', person: await (await import('../app/people/tokens.ts')).authenticate(hub, token) };
  throw new Unauthenticated(
    'wghub mcp acts as a person: pass --as HANDLE, or put an API token in WGHUB_TOKEN (`wghub token create --person HANDLE`)',
  );
}

export function registerMcpCommands(program: Command, { withHub, print, globals }: CommandTools): void {
  program
    .command('mcp')
    .description(
      'serve MCP over stdio (for an assistant that starts wghub itself), acting as --as HANDLE or the person whose API token is in WGHUB_TOKEN',
    )
    .action(async () => {
      const g = globals();
      const { bootHub } = await import('./boot.ts');
      const hub = await bootHub({ database: g.database, governance: g.governance });
      let actor: Actor;
      try {
        actor = await stdioActor(hub, g.as);
      } catch (e) {
        await hub.store.close();
        throw e;
      }
      const { serveMcpOverStdio } = await import('../mcp/stdio.ts'); // the SDK loads only for this command
      const conn = serveMcpOverStdio(hub, actor);
      // stdout carries the protocol; the client closing stdin ends the connection and the process,
      // once every request read from it is answered
      void conn.answered.then(() => conn.close().finally(() => hub.store.close().finally(() => cliIo().exit(0))));
    });

  program
    .command('evidence-verify <ref> <evidenceId>')
    .description(
      "connect to the MCP implementation an evidence entry names (URL or stdio:NAME from the governance file's allow-list) and record what it reports",
    )
    .action((ref: string, id: string) =>
      withHub(async (hub, actor) => {
        const { probeMcpServer } = await import('../mcp/probe.ts');
        const { verifyEvidence } = await import('../app/evidence/evidence-checks.ts');
        const c = await verifyEvidence(hub, actor, ref, id, probeMcpServer);
        print(c, () =>
          c.status === 'verified'
            ? `verified ${c.target}: ${c.server!.name} ${c.server!.version}, protocol ${c.protocolVersion}, capabilities ${c.capabilities.join(', ') || '—'}${c.extensions.length ? `, extensions ${c.extensions.join(', ')}` : ''}; tools: ${c.toolNames.join(', ') || '—'}`
            : `FAILED ${c.target}: ${c.reason}`,
        );
        if (c.status === 'failed') setExitCode(EXIT.failure);
      }),
    );
}
