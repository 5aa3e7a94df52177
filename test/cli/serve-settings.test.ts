// Settings `wghub serve` and `wghub worker` read from the environment are checked before the
// database is opened: a bad value stops the start naming the setting, and changes nothing.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SettingError } from '../../src/domain/errors.ts';
import {
  checkServeSettings,
  drainMs,
  githubBigBodyMs,
  jobLeaseMs,
  keepAliveMs,
  shutdownGraceMs,
} from '../../src/cli/serve-settings.ts';
import { LIMITS } from '../../src/domain/limits.ts';
import { runCli, startHub, stop } from '../support/process.ts';

describe('checkServeSettings', () => {
  it('takes the documented defaults and good values', () => {
    expect(() => checkServeSettings({})).not.toThrow();
    expect(shutdownGraceMs({})).toBe(10_000);
    expect(jobLeaseMs({})).toBeUndefined();
    expect(keepAliveMs({})).toBe(65_000);
    // a hub nothing checks stops at once; one behind a load balancer is given a drain
    expect(drainMs({})).toBe(0);
    // GitHub's own wait for an answer
    expect(githubBigBodyMs({})).toBe(LIMITS.github.bigBodyMs);
    expect(LIMITS.github.bigBodyMs).toBe(10_000);
    const good = {
      WGHUB_DRAIN_MS: '5000',
      WGHUB_KEEP_ALIVE_MS: '125000',
      WGHUB_GITHUB_BIG_BODY_MS: '2000',
      WGHUB_SHUTDOWN_GRACE_MS: '20000',
      WGHUB_JOB_LEASE_MS: '3000',
      WGHUB_PUBLIC_URL: 'https://hub.example.org/',
      WGHUB_COOKIE_SECURE: '1',
      WGHUB_TRUST_PROXY: '0',
      WGHUB_SMTP_URL: 'smtps://u:p@mail.example.org:465',
      WGHUB_LISTEN_URL: 'postgres://wghub@127.0.0.1:5432/wghub',
      WGHUB_DATABASE_POOL: '20',
      WGHUB_LOG_LEVEL: 'warn',
    };
    expect(() => checkServeSettings(good)).not.toThrow();
    expect(shutdownGraceMs(good)).toBe(20_000);
    expect(jobLeaseMs(good)).toBe(3000);
    expect(keepAliveMs(good)).toBe(125_000);
    expect(drainMs(good)).toBe(5000);
    expect(githubBigBodyMs(good)).toBe(2000);
    expect(drainMs({ WGHUB_DRAIN_MS: '0' })).toBe(0);
  });

  it.each([
    ['WGHUB_SHUTDOWN_GRACE_MS', 'abc', /WGHUB_SHUTDOWN_GRACE_MS must be a whole number of milliseconds/],
    ['WGHUB_SHUTDOWN_GRACE_MS', '-1', /WGHUB_SHUTDOWN_GRACE_MS/],
    ['WGHUB_KEEP_ALIVE_MS', '65s', /WGHUB_KEEP_ALIVE_MS must be a whole number of milliseconds from 1000 to 3600000/],
    ['WGHUB_KEEP_ALIVE_MS', '500', /WGHUB_KEEP_ALIVE_MS/],
    [
      'WGHUB_GITHUB_BIG_BODY_MS',
      '10s',
      /WGHUB_GITHUB_BIG_BODY_MS must be a whole number of milliseconds from 1000 to 300000, not '10s'/,
    ],
    ['WGHUB_GITHUB_BIG_BODY_MS', '999', /WGHUB_GITHUB_BIG_BODY_MS/],
    [
      'WGHUB_GITHUB_BIG_BODY_MS',
      '300001',
      /WGHUB_GITHUB_BIG_BODY_MS must be a whole number of milliseconds from 1000 to 300000/,
    ],
    ['WGHUB_DRAIN_MS', '5s', /WGHUB_DRAIN_MS must be a whole number of milliseconds from 0 to 600000, not '5s'/],
    ['WGHUB_DRAIN_MS', '-1', /WGHUB_DRAIN_MS must be a whole number of milliseconds/],
    ['WGHUB_DRAIN_MS', '600001', /WGHUB_DRAIN_MS must be a whole number of milliseconds from 0 to 600000/],
    ['WGHUB_JOB_LEASE_MS', '-5', /WGHUB_JOB_LEASE_MS must be a whole number of milliseconds from 1000/],
    ['WGHUB_JOB_LEASE_MS', '5m', /WGHUB_JOB_LEASE_MS/],
    ['WGHUB_PUBLIC_URL', 'hub.example.org', /WGHUB_PUBLIC_URL must be the hub's public origin/],
    ['WGHUB_PUBLIC_URL', 'https://hub.example.org/wghub', /WGHUB_PUBLIC_URL .*no path/],
    ['WGHUB_COOKIE_SECURE', 'true', /WGHUB_COOKIE_SECURE must be 1 \(on\) or 0 \(off\), not 'true'/],
    ['WGHUB_TRUST_PROXY', 'yes', /WGHUB_TRUST_PROXY must be 1/],
    ['WGHUB_SMTP_URL', 'mail.example.org', /WGHUB_SMTP_URL must be an SMTP URL/],
    ['WGHUB_LISTEN_URL', 'mail.example.org', /WGHUB_LISTEN_URL must be a PostgreSQL URL/],
    ['WGHUB_GITHUB_API_URL', 'api.github.com', /WGHUB_GITHUB_API_URL must be/],
    ['WGHUB_LOG_LEVEL', 'loud', /WGHUB_LOG_LEVEL 'loud' is not a level/],
    ['WGHUB_DATABASE_POOL', 'abc', /WGHUB_DATABASE_POOL 'abc'/],
    ['WGHUB_FANOUT_BATCH', '0', /WGHUB_FANOUT_BATCH must be/],
    ['WGHUB_SESSION_HOURS', '-1', /WGHUB_SESSION_HOURS/],
    ['WGHUB_RETENTION_DAYS', '0', /WGHUB_RETENTION_DAYS must be a whole number of days from 1 to 3650, not '0'/],
    ['WGHUB_RETENTION_DAYS', '30d', /WGHUB_RETENTION_DAYS must be a whole number of days/],
    [
      'WGHUB_RETENTION_FAILED_DAYS',
      '10',
      /WGHUB_RETENTION_FAILED_DAYS \(10\) must be at least WGHUB_RETENTION_DAYS \(30\)/,
    ],
    // a reply listener with no reply domain would listen for nothing: it was ignored without a word
    ['WGHUB_INBOUND_SMTP_PORT', '2525', /WGHUB_INBOUND_SMTP_PORT is set but WGHUB_REPLY_DOMAIN is not/],
    // nor did a webhook secret with no reply domain: POST /inbound/mail answered 404 to every reply
    [
      'WGHUB_INBOUND_WEBHOOK_SECRET',
      'a-secret-of-twenty-chars',
      /WGHUB_INBOUND_WEBHOOK_SECRET is set but WGHUB_REPLY_DOMAIN is not/,
    ],
    ['WGHUB_INBOUND_SENDER_CHECK', 'DMARC', /WGHUB_INBOUND_SENDER_CHECK must be one of dmarc/],
  ])('refuses %s=%s naming it', (name, value, message) => {
    expect(() => checkServeSettings({ [name]: value })).toThrow(message);
    // a SettingError: the CLI prints its sentence and exits 78 (configuration), not 1 with a hint to debug wghub
    expect(() => checkServeSettings({ [name]: value })).toThrow(SettingError);
  });

  it('refuses an issuer that is no URL, naming it, and never prints an SMTP password', () => {
    expect(() => checkServeSettings({ WGHUB_OIDC_ISSUER: 'id.example.org', WGHUB_OIDC_CLIENT_ID: 'x' })).toThrow(
      /WGHUB_OIDC_ISSUER must be/,
    );
    expect(() => checkServeSettings({ WGHUB_SMTP_URL: 'ftp://u:hunter22@mail.example.org' })).toThrow(
      /ftp:\/\/u:\*\*\*@mail/,
    );
  });
});

describe('wghub serve with a bad setting', () => {
  it('stops before opening the database, naming the setting; a bad --port likewise', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'wghub-settings-'));
    const file = path.join(dir, 'data', 'hub.sqlite');
    try {
      const env = { ...process.env, WGHUB_DATABASE_URL: `sqlite:${file}`, WGHUB_SHUTDOWN_GRACE_MS: '10s' };
      const r = await runCli(['serve', '--port', '0'], env as Record<string, string>);
      // 78, configuration, as for an unusable governance file (docs/cli.md); it was 1 with a hint to debug wghub
      expect(r.code).toBe(78);
      expect(r.stderr).toBe(
        "wghub: WGHUB_SHUTDOWN_GRACE_MS must be a whole number of milliseconds from 1 to 3600000, not '10s'\n(correct it, or unset it for its default; each setting is in docs/configuration.md)\n",
      );
      const w = await runCli(['worker'], { ...env, WGHUB_SHUTDOWN_GRACE_MS: '', WGHUB_SESSION_HOURS: '-1' } as Record<
        string,
        string
      >);
      expect(w.code).toBe(78);
      expect(w.stderr).toMatch(/^wghub: WGHUB_SESSION_HOURS must be a positive number of hours, not '-1'\n/);
      expect(w.stderr).not.toContain('WGHUB_DEBUG');
      // a drain that is no number of milliseconds: a hub behind a load balancer would otherwise stop at once
      const drain = await runCli(['serve', '--port', '0'], {
        ...env,
        WGHUB_SHUTDOWN_GRACE_MS: '',
        WGHUB_DRAIN_MS: '5s',
      } as Record<string, string>);
      expect(drain.code).toBe(78);
      expect(drain.stderr).toMatch(
        /^wghub: WGHUB_DRAIN_MS must be a whole number of milliseconds from 0 to 600000, not '5s'\n/,
      );
      const p = await runCli(['serve', '--port', '80a'], { ...env, WGHUB_SHUTDOWN_GRACE_MS: '' } as Record<
        string,
        string
      >);
      expect(p.code).toBe(2);
      expect(p.stderr).toMatch(/--port .*a port is a whole number from 0 to 65535/);
      // a database URL wghub does not understand is named without its password (it goes to the journal)
      const d = await runCli(['serve', '--port', '0'], {
        ...env,
        WGHUB_SHUTDOWN_GRACE_MS: '',
        WGHUB_DATABASE_URL: 'postgress://wghub:hunter@22@db.example.org/wghub',
      } as Record<string, string>);
      expect(d.code).toBe(78);
      expect(d.stderr).toContain("WGHUB_DATABASE_URL 'postgress://wghub:***@db.example.org/wghub' is not understood");
      expect(d.stderr).not.toContain('hunter');
      // nothing was migrated nor seeded
      expect(existsSync(file)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe('wghub serve that fails after it began listening', () => {
  it('exits instead of serving HTTP half-started (the reply port is taken)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'wghub-settings-'));
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const env = {
        WGHUB_DATABASE_URL: `sqlite:${path.join(dir, 'hub.sqlite')}`,
        WGHUB_REPLY_DOMAIN: 'hub.example.org',
        WGHUB_INBOUND_SMTP_PORT: String((taken.address() as net.AddressInfo).port),
        WGHUB_SMTP_URL: 'smtp://hub:hunter22@127.0.0.1:1',
      };
      // before, the process printed the error and went on serving, with no jobs and no SIGTERM handling
      const r = await runCli(['serve', '--port', '0', '--no-demo'], env);
      // --port 0: the port it took, not 0
      expect(r.stdout).toMatch(/listening on http:\/\/127\.0\.0\.1:(?!0\n)\d+\n/);
      // mail links follow WGHUB_PUBLIC_URL alone (a worker process may send them): unset, the start says where they point
      expect(r.stdout).toMatch(
        /mail {6}smtp:\/\/hub:\*\*\*@127\.0\.0\.1:1, links to http:\/\/127\.0\.0\.1:8787 \(not this hub's http:\/\/127\.0\.0\.1:[1-9]\d*\): WGHUB_PUBLIC_URL unset/,
      );
      expect(r.stderr).toMatch(/EADDRINUSE/);
      expect(r.code).toBe(1);
    } finally {
      taken.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe('wghub serve behind a proxy', () => {
  it('/mcp answers to the host of WGHUB_PUBLIC_URL, as the shipped systemd unit needs; others still get 403', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'wghub-settings-'));
    const env = {
      WGHUB_DATABASE_URL: `sqlite:${path.join(dir, 'hub.sqlite')}`,
      WGHUB_PUBLIC_URL: 'https://hub.example.org',
      WGHUB_LOG_LEVEL: 'warn',
    };
    const hub = await startHub(env, ['--no-demo', '--no-worker']);
    try {
      // fetch() does not send a Host header of its own choosing; node:http does
      const post = (host: string) =>
        new Promise<number>((resolve, reject) => {
          const req = http.request(`${hub.base}/mcp`, {
            method: 'POST',
            headers: { Host: host, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
          });
          req.on('response', (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          req.on('error', reject);
          req.end(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }));
        });
      // past the host check, to the token check (before, 403 "Invalid Host: hub.example.org")
      expect(await post('hub.example.org')).toBe(401);
      expect(await post('attacker.example')).toBe(403);
    } finally {
      await stop(hub);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
