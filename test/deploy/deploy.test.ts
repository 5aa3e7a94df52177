// The deployment files under deploy/ (systemd units, Containerfile, compose file, haproxy) parse
// and start wghub with commands and options it has: a renamed command or option, a service the
// load balancer names that compose does not run, or a folder the image copies that is gone fails
// here rather than on an operator's machine. Nothing is built or pulled (no network in tests).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, runCli } from '../support/process.ts';
import { KEEP_ALIVE_MS } from '../../src/http/node-server.ts';
import { drainMs, keepAliveMs, shutdownGraceMs } from '../../src/cli/serve-settings.ts';

const DEPLOY = path.join(ROOT, 'deploy');
const read = (f: string) => readFileSync(path.join(DEPLOY, f), 'utf8');

/** Sections of a systemd unit: `[Service]` → key → values (a key may repeat). */
function parseUnit(text: string): Record<string, Record<string, string[]>> {
  const out: Record<string, Record<string, string[]>> = {};
  let section: Record<string, string[]> | undefined;
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const head = /^\[(\w[\w-]*)\]$/.exec(line);
    if (head) {
      section = {};
      out[head[1]!] = section;
      continue;
    }
    const kv = /^([A-Za-z][A-Za-z0-9]*)=(.*)$/.exec(line);
    if (!section || !kv) throw new Error(`line ${i + 1} is not a systemd setting: ${raw}`);
    section[kv[1]!] = [...(section[kv[1]!] ?? []), kv[2]!];
  }
  return out;
}

let commands: string[];
let serveOptions: Set<string>;

/** Fails unless `args` is a wghub command that exists, with options that command has. */
function expectWghubCommand(args: string[]): void {
  const [command, ...rest] = args;
  expect(commands, `wghub has no command '${command}'`).toContain(command);
  const options = rest.filter((a) => a.startsWith('--'));
  if (command === 'serve') for (const o of options) expect([...serveOptions], `serve has no option ${o}`).toContain(o);
  else expect(options, `deploy files give '${command}' no options`).toEqual([]);
}

beforeAll(async () => {
  const top = await runCli(['--help']);
  expect(top.code).toBe(0);
  commands = [...top.stdout.split('Commands:')[1]!.matchAll(/^ {2}([a-z][\w-]*)/gm)].map((m) => m[1]!);
  const serve = await runCli(['serve', '--help']);
  expect(serve.code).toBe(0);
  serveOptions = new Set(serve.stdout.match(/--[a-z][\w-]*/g));
}, 60_000);

describe('the systemd units', () => {
  const installed = '/opt/wghub/bin/wghub';

  it.each([
    ['wghub.service', 'serve'],
    ['wghub-worker.service', 'worker'],
  ])('%s runs `wghub %s`, stops with SIGTERM, restarts on failure but not on a bad setting', (file, command) => {
    const unit = parseUnit(read(file));
    expect(Object.keys(unit)).toEqual(['Unit', 'Service', 'Install']);
    const exec = unit.Service!.ExecStart!;
    expect(exec).toHaveLength(1);
    const [bin, ...args] = exec[0]!.split(/\s+/);
    expect(bin).toBe(installed);
    expect(args[0]).toBe(command);
    expectWghubCommand(args);
    expect(unit.Service!.KillSignal).toEqual(['SIGTERM']);
    expect(unit.Service!.Restart).toEqual(['on-failure']);
    // but not after exiting 78 (a setting to correct): it would restart every RestartSec to fail the same way
    expect(unit.Service!.RestartPreventExitStatus).toEqual(['78']);
    expect(unit.Service!.EnvironmentFile).toEqual(['/etc/wghub/wghub.env']);
    expect(unit.Install!.WantedBy).toEqual(['multi-user.target']);
    // the compile cache survives a restart: under PrivateTmp the default (the OS temp folder) is empty at every start
    expect(unit.Service!.CacheDirectory).toEqual(['wghub']);
    expect(unit.Service!.Environment).toContainEqual(
      expect.stringMatching(/^NODE_COMPILE_CACHE=\/var\/cache\/wghub\//),
    );
  });

  it('the web unit leaves jobs to the worker unit, and the example settings name the database', () => {
    const web = parseUnit(read('wghub.service')).Service!.ExecStart![0]!;
    expect(web).toContain('--no-worker');
    expect(read('wghub.env.example')).toMatch(/^WGHUB_DATABASE_URL=postgres:\/\//m);
  });
});

describe('the container image', () => {
  const lines = read('Containerfile')
    .split('\n')
    .filter((l) => l.trim() && !l.trim().startsWith('#'));
  const instruction = (name: string) =>
    lines.filter((l) => l.startsWith(`${name} `)).map((l) => l.slice(name.length + 1));

  it('copies files the repository has, and starts `wghub serve` on all addresses', () => {
    for (const copy of instruction('COPY').filter((c) => !c.startsWith('--from'))) {
      for (const source of copy.split(/\s+/).slice(0, -1))
        expect(existsSync(path.join(ROOT, source)), `COPY ${source}`).toBe(true);
    }
    const entrypoint = JSON.parse(instruction('ENTRYPOINT')[0]!) as string[];
    expect(entrypoint).toEqual(['/opt/wghub/bin/wghub']);
    const cmd = JSON.parse(instruction('CMD')[0]!) as string[];
    expectWghubCommand(cmd);
    expect(cmd.slice(0, 3)).toEqual(['serve', '--host', '0.0.0.0']);
    expect(instruction('EXPOSE')).toEqual([cmd[cmd.indexOf('--port') + 1]]);
    // the compile cache in the volume, kept across restarts and writable by the user the image runs as
    const volume = instruction('VOLUME')[0]!.trim();
    expect(instruction('ENV')).toContainEqual(expect.stringMatching(new RegExp(`^NODE_COMPILE_CACHE=${volume}/`)));
    expect(instruction('STOPSIGNAL')).toEqual(['SIGTERM']);
    expect(instruction('HEALTHCHECK')[0]).toContain('/healthz');
  });
});

describe('the compose file', () => {
  type Service = {
    image?: string;
    build?: { context: string; dockerfile: string };
    command?: string[];
    environment?: Record<string, string>;
    depends_on?: Record<string, { condition: string }> | string[];
    volumes?: string[];
  };
  const compose = parse(read('compose.yaml'), { merge: true }) as { services: Record<string, Service> };
  const services = compose.services;

  it('runs PostgreSQL, a one-off migration, two hub processes, a worker and haproxy', () => {
    expect(Object.keys(services).sort()).toEqual(['haproxy', 'hub-a', 'hub-b', 'migrate', 'postgres', 'worker']);
    const build = services.migrate!.build!;
    expect(existsSync(path.resolve(DEPLOY, build.context, build.dockerfile))).toBe(true);
    expect(services.migrate!.command).toEqual(['migrate']);
    expect(services.worker!.command).toEqual(['worker']);
    for (const name of ['hub-a', 'hub-b']) {
      const hub = services[name]!;
      expectWghubCommand(hub.command!);
      expect(hub.command!.slice(0, 1)).toEqual(['serve']);
      expect(hub.command).toContain('--no-worker');
      expect(hub.depends_on).toEqual({ migrate: { condition: 'service_completed_successfully' } });
    }
    for (const name of ['migrate', 'hub-a', 'hub-b', 'worker']) {
      expect(services[name]!.image).toBe(services.migrate!.image);
      expectWghubCommand(services[name]!.command!);
      const url = services[name]!.environment!.WGHUB_DATABASE_URL!;
      expect(url).toMatch(/^postgres:\/\/wghub:.*@postgres:5432\/wghub$/);
    }
    expect(services.migrate!.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
  });

  it('haproxy balances over the hub services, on their port, checking /readyz', () => {
    const mount = services.haproxy!.volumes!.find((v) => v.includes('haproxy.cfg'))!;
    const cfg = readFileSync(path.resolve(DEPLOY, mount.split(':')[0]!), 'utf8');
    const servers = [...cfg.matchAll(/^\s*server (\S+) (\S+):(\d+)/gm)].map((m) => ({ host: m[2], port: m[3] }));
    expect(servers.map((s) => s.host)).toEqual(['hub-a', 'hub-b']);
    for (const s of servers) {
      const command = services[s.host!]!.command!;
      expect(s.port).toBe(command[command.indexOf('--port') + 1]);
    }
    expect(cfg).toMatch(/option httpchk GET \/readyz/);
  });
});

/** An haproxy or systemd duration (`60s`, `2m`, `500ms`, `20`) in milliseconds. */
function durationMs(v: string, bare: 'ms' | 's'): number {
  const m = /^(\d+)(ms|s|m|h)?$/.exec(v.trim());
  if (!m) throw new Error(`not a duration: ${v}`);
  return Number(m[1]) * { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[(m[2] ?? bare) as 'ms']!;
}

describe('timeouts across the deploy files', () => {
  const cfg = read('haproxy.cfg');
  const compose = parse(read('compose.yaml'), { merge: true }) as {
    services: Record<string, { environment?: Record<string, string>; stop_grace_period?: string }>;
  };
  // the settings deploy/wghub.env.example suggests, commented-out ones included
  const suggested = Object.fromEntries(
    [...read('wghub.env.example').matchAll(/^#? ?(WGHUB_[A-Z_]+)=(\S*)$/gm)].map((m) => [m[1]!, m[2]!]),
  );
  const timeout = (name: string) => {
    const m = new RegExp(`^\\s*timeout ${name} (\\S+)`, 'm').exec(cfg);
    return m ? durationMs(m[1]!, 'ms') : undefined;
  };

  it('the hubs keep an idle connection open longer than haproxy reuses one, so haproxy closes it first (no 502 on reuse)', () => {
    // haproxy reuses an idle server connection until `timeout server` (http-keep-alive, if set, is the client side)
    const proxyIdle = timeout('server')!;
    expect(proxyIdle).toBeGreaterThan(0);
    expect(KEEP_ALIVE_MS).toBeGreaterThan(proxyIdle);
    for (const name of ['hub-a', 'hub-b']) {
      const env = compose.services[name]!.environment!;
      expect(keepAliveMs(env), `${name}'s WGHUB_KEEP_ALIVE_MS`).toBeGreaterThan(proxyIdle);
    }
  });

  it('each process gets longer to stop than its drain and its shutdown grace, so it is never killed mid-answer', () => {
    for (const name of ['hub-a', 'hub-b', 'worker']) {
      const service = compose.services[name]!;
      expect(durationMs(service.stop_grace_period ?? '10s', 's'), name).toBeGreaterThan(
        drainMs(service.environment) + shutdownGraceMs(service.environment),
      );
    }
    for (const file of ['wghub.service', 'wghub-worker.service']) {
      const unit = parseUnit(read(file)).Service!;
      const stopMs = durationMs(unit.TimeoutStopSec?.[0] ?? '90', 's');
      expect(stopMs, file).toBeGreaterThan(shutdownGraceMs({}));
      // with the drain the example settings suggest for a hub behind a load balancer, too
      expect(stopMs, file).toBeGreaterThan(drainMs(suggested) + shutdownGraceMs(suggested));
    }
  });

  it('a stopping hub drains longer than haproxy takes to mark it down, so haproxy sends it nothing once it stops listening', () => {
    const check = /^\s*default-server .*\binter (\S+).*\bfall (\d+)/m.exec(cfg);
    expect(check, 'deploy/haproxy.cfg sets inter and fall').not.toBeNull();
    // a check's own time counts too: without `timeout check` it may take as long as `timeout server`
    expect(timeout('check'), 'deploy/haproxy.cfg sets timeout check').toBeDefined();
    const downAfterMs = (durationMs(check![1]!, 'ms') + timeout('check')!) * Number(check![2]);
    for (const name of ['hub-a', 'hub-b'])
      expect(drainMs(compose.services[name]!.environment), `${name}'s WGHUB_DRAIN_MS`).toBeGreaterThan(downAfterMs);
    expect(drainMs(suggested), "wghub.env.example's WGHUB_DRAIN_MS").toBeGreaterThan(downAfterMs);
  });
});
