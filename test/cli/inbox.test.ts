// `wghub inbox` as a person uses it: what they were told, unread first marked with a star, the
// deadline in their own zone, JSON for scripts, --mark-read; and `decision show` says who was
// told and warns while a member whose silence counts has not been reached.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, seedCli } from '../support/process.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'wghub-inbox-'));
const env = { WGHUB_DATABASE_URL: `sqlite:${path.join(dir, 'hub.sqlite')}` };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('wghub inbox', () => {
  it('lists what I was told, marks it read, and the decision then counts me as reached', async () => {
    await seedCli(env);
    const opened = await runCli(
      [
        '--as',
        'sam-lead',
        'decision',
        'open',
        '--group',
        'hosting',
        '--significance',
        'minor',
        '--question',
        'Meet fortnightly, alternating time slots?',
      ],
      env,
    );
    expect(opened.code).toBe(0);
    const before = await runCli(['decision', 'show', 'D-1'], env);
    expect(before.stdout).toMatch(/\n {4}Priya Nair \(@priya\): decision-opened \S+ by inbox; not opened\n/);
    expect(before.stdout).toContain(
      'not reached: Priya Nair (@priya): told only in the inbox (no mail) and never opened it',
    );
    expect(before.stdout).toContain(
      'warning: Silence will count as consent at the deadline, yet the news has not reached 1 member whose voice counts: Priya Nair (@priya).',
    );

    const inbox = await runCli(['--as', 'priya', 'inbox'], env);
    expect(inbox.code).toBe(0);
    const lines = inbox.stdout.split('\n');
    expect(lines[0]).toMatch(/^\d+ unread$/);
    const row = lines.findIndex((l) => l.includes('D-1 opened: Meet fortnightly, alternating time slots?'));
    expect(lines[row]).toMatch(/^\* \d{4}-\d\d-\d\d \d\d:\d\d {2}D-1 opened/);
    // priya lives in Asia/Kolkata in the demo: the deadline is on her wall clock
    expect(lines[row + 1]).toMatch(/^ {4}Answer by .+\(Asia\/Kolkata\); silence by then counts as consent$/);

    const json = JSON.parse((await runCli(['--as', 'priya', '--json', 'inbox', '--unread'], env)).stdout);
    const unread = Number(lines[0]!.split(' ')[0]);
    expect(json.unread).toBe(unread);
    expect(json.items).toHaveLength(unread);
    expect(json.items.every((n: { read: boolean }) => !n.read)).toBe(true);
    expect(json.items.map((n: { subject: { ref: string } }) => n.subject.ref)).toContain('D-1');

    expect((await runCli(['--as', 'priya', 'inbox', '--mark-read'], env)).code).toBe(0);
    expect((await runCli(['--as', 'priya', 'inbox', '--unread'], env)).stdout.trim()).toBe('0 unread');
    const after = await runCli(['decision', 'show', 'D-1'], env);
    expect(after.stdout).toMatch(/Priya Nair \(@priya\): decision-opened \S+ by inbox; opened \d{4}-/);
    expect(after.stdout).not.toContain('warning: Silence will count');

    const nobody = await runCli(['inbox'], env);
    expect(nobody.code).not.toBe(0);
    expect(nobody.stderr).toContain('An inbox belongs to a person: act as one with --as HANDLE');
  }, 90_000); // several processes in a row on two busy cores

  it('a lead adds, lists and removes a chat webhook; a member is refused; a JSON hook needs a secret', async () => {
    const bad = await runCli(
      [
        '--as',
        'sam-lead',
        'group',
        'webhook-add',
        'hosting',
        '--format',
        'json',
        '--url',
        'https://chat.example.org/h',
      ],
      env,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('secret: a generic JSON webhook needs a secret');
    const added = await runCli(
      [
        '--as',
        'sam-lead',
        '--json',
        'group',
        'webhook-add',
        'hosting',
        '--format',
        'discord',
        '--url',
        'https://discord.example.org/api/webhooks/1/TOKEN',
      ],
      env,
    );
    expect(added.code).toBe(0);
    const id = JSON.parse(added.stdout).id;
    const listed = await runCli(['--as', 'sam-lead', 'group', 'webhooks', 'hosting'], env);
    expect(listed.stdout.trim()).toBe(`${id}  discord  https://discord.example.org/…`);
    expect((await runCli(['--as', 'priya', 'group', 'webhooks', 'hosting'], env)).code).toBe(4);
    expect((await runCli(['--as', 'sam-lead', 'group', 'webhook-remove', 'hosting', id], env)).stdout).toContain(
      `removed ${id}`,
    );
    expect((await runCli(['--as', 'sam-lead', 'group', 'webhooks', 'hosting'], env)).stdout.trim()).toBe('no webhooks');
  }, 90_000);
});
