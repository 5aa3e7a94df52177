// The MCP Inspector (2.x) in CLI mode against `wghub mcp` (stdio) and `/mcp` (HTTP), in both
// protocol eras, as someone checking the hub from a terminal would run it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { databases } from '../support/databases.ts';
import { openDemoHub, type TestHub } from '../support/hub.ts';
import { ROOT, startHub, stop, WGHUB, type Running } from '../support/process.ts';
import { TOOLS } from './support.ts';

const NODE = path.join(ROOT, 'node_modules/.bin/node');
const INSPECTOR = path.join(ROOT, 'node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js');

function inspector(
  args: string[],
  home: string,
  env: Record<string, string>,
): Promise<{ code: number; json: any; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(NODE, [INSPECTOR, '--cli', '--format', 'json', ...args], {
      cwd: ROOT,
      env: { ...(process.env as Record<string, string>), ...env, HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => {
      let json: unknown = null;
      try {
        json = JSON.parse(out);
      } catch {
        json = { unparsed: out };
      }
      resolve({ code: code ?? -1, json, stderr: err });
    });
  });
}

describe.each(databases)('MCP Inspector CLI on $name', (database) => {
  let hub: TestHub;
  let running: Running;
  let token: string;
  const home = mkdtempSync(path.join(tmpdir(), 'wghub-inspector-home-'));

  beforeAll(async () => {
    hub = await openDemoHub(database);
    token = (await createToken(hub, SYSTEM, 'priya')).token;
    running = await startHub({ WGHUB_DATABASE_URL: hub.store.url }, ['--no-demo']);
  });
  afterAll(async () => {
    if (running) await stop(running);
    await hub?.close();
    rmSync(home, { recursive: true, force: true });
  });

  // options first, then the server: --server-url URL, or `--` and the command line of `wghub mcp`
  const targets = () => ({
    stdio: {
      opts: ['-e', `WGHUB_DATABASE_URL=${hub.store.url}`],
      server: ['--', WGHUB, '--as', 'priya', 'mcp'],
      env: { WGHUB_DATABASE_URL: hub.store.url },
    },
    http: {
      opts: ['--transport', 'http', '--header', `Authorization: Bearer ${token}`],
      server: ['--server-url', `${running.base}/mcp`],
      env: {},
    },
  });

  for (const transport of ['stdio', 'http'] as const) {
    for (const era of ['legacy', 'modern'] as const) {
      it(`lists the tools and calls one over ${transport} (${era})`, async () => {
        const t = targets()[transport];
        const run = (method: string[]) =>
          inspector([...t.opts, '--protocol-era', era, ...method, ...t.server], home, t.env);
        const listed = await run(['--method', 'tools/list']);
        expect(listed.code, listed.stderr).toBe(0);
        expect(listed.json.result.tools.map((x: { name: string }) => x.name).sort()).toEqual(TOOLS);
        const called = await run([
          '--method',
          'tools/call',
          '--tool-name',
          'get_charter',
          '--tool-arg',
          'group=hosting',
        ]);
        expect(called.code, called.stderr).toBe(0);
        expect(called.json.result.structuredContent.group).toMatchObject({ slug: 'hosting', name: 'Hosting' });
        expect(called.json.result.isError).toBeFalsy();
      }, 180_000); // each Inspector run starts Node twice (itself, and wghub for stdio); slow on a shared machine
    }
  }
});
