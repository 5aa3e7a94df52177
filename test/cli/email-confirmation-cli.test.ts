// The command line and a confirmation mail through a real SMTP server on the loopback: `person add
// --email` asks for a confirmation link (sent by a worker of the same database), asking again at
// once exits 7 with when it may be asked, `person show` as the person says the address is not
// confirmed, and `person confirm-email TOKEN` confirms it once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGovernance } from '../../src/app/core/governance-file.ts';
import { createHub } from '../../src/app/core/hub.ts';
import { Worker } from '../../src/app/core/worker.ts';
import { createMailer, sendConfirmationMail } from '../../src/app/notifications/mail.ts';
import { CONFIRM_QUEUE } from '../../src/app/people/email.ts';
import { openStore } from '../../src/store/connect.ts';
import { runCli } from '../support/process.ts';
import { type LoopbackSmtp, startSmtp } from '../support/smtp.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'wghub-confirm-'));
const url = `sqlite:${path.join(dir, 'hub.sqlite')}`;
let smtp: LoopbackSmtp;
beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(async () => {
  await smtp?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('wghub and mail address confirmation', () => {
  it('adds a person whose address waits for its owner, limits asking again, and confirms with the token', async () => {
    const env = { WGHUB_DATABASE_URL: url, WGHUB_SMTP_URL: smtp.url, WGHUB_PUBLIC_URL: 'https://wg.example.org' };
    const added = await runCli(
      ['person', 'add', '--handle', 'kai', '--name', 'Kai', '--email', 'Kai@Example.org'],
      env,
    );
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('An invitation is on its way to the address given');

    // a worker on the same database sends it
    const store = openStore(url);
    try {
      const hub = createHub(store, loadGovernance());
      const mailer = createMailer({
        smtpUrl: smtp.url,
        from: 'wghub <hub@wg.example.org>',
        publicUrl: 'https://wg.example.org',
        replyDomain: null,
      });
      await new Worker(hub, { [CONFIRM_QUEUE]: (h, j) => sendConfirmationMail(h, mailer, j) }).drain();
    } finally {
      await store.close();
    }
    const mail = smtp.received.find((r) => r.to.includes('kai@example.org'));
    // an invitation: who added them, where the hub is and how to sign in (this hub is in demo mode)
    expect(mail?.mail.subject).toBe('You are invited to wg.example.org');
    expect(mail?.mail.text).toContain("the hub's operator added you to https://wg.example.org as @kai (contributor)");
    expect(mail?.mail.text).toContain(
      'open https://wg.example.org/sign-in and pick Kai (@kai) from the list (this hub runs in demo mode',
    );
    const link = /https:\/\/wg\.example\.org\/confirm-email\/([A-Za-z0-9_-]{43})/.exec(mail?.mail.text ?? '');
    const token = link?.[1];
    expect(token).toBeTruthy();

    const again = await runCli(['--as', 'kai', 'person', 'resend-confirmation', 'kai'], env);
    expect(again.code).toBe(7);
    expect(again.stderr).toContain('a confirmation mail was sent less than 5 minutes ago');
    const shown = await runCli(['--as', 'kai', 'person', 'show', 'kai'], env);
    expect(shown.stdout).toContain('mail: kai@example.org: Not confirmed yet');
    // nobody else sees the address
    expect((await runCli(['person', 'show', 'kai'], env)).stdout).not.toContain('kai@example.org');

    // the whole link as pasted from the mail works as well as the token in it
    const confirmed = await runCli(['person', 'confirm-email', link![0]], env);
    expect(confirmed.code).toBe(0);
    expect(confirmed.stdout).toContain('kai@example.org is confirmed for kai');
    const twice = await runCli(['person', 'confirm-email', token!], env);
    expect(twice.code).toBe(4);
    expect(twice.stderr).toContain('used already');
    expect((await runCli(['--as', 'kai', 'person', 'show', 'kai'], env)).stdout).toContain(
      'mail: kai@example.org: Confirmed: notices are mailed to it.',
    );
  });

  it('reads a token that starts with "-" as the token, not as an unknown option', async () => {
    // a base64url token starts with "-" one time in 64; such a link must not fail as a usage mistake
    // "-V…" too, which the program would read as its version flag
    for (const args of [
      [`-${'A'.repeat(42)}`],
      [`-V${'A'.repeat(41)}`],
      [`--${'A'.repeat(41)}`],
      // options before or after it stay options
      ['--json', `-V${'A'.repeat(41)}`],
      [`-${'A'.repeat(42)}`, '--json'],
    ]) {
      const token = args.join(' ');
      const got = await runCli(['person', 'confirm-email', ...args], { WGHUB_DATABASE_URL: url });
      expect(got.code, token).toBe(4);
      expect(got.stderr, token).toContain('This confirmation link is not one this hub sent');
    }
  });

  it('says no invitation was mailed when the hub sends no mail', async () => {
    const added = await runCli(['person', 'add', '--handle', 'ana', '--name', 'Ana', '--email', 'ana@example.org'], {
      WGHUB_DATABASE_URL: url,
    });
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('No invitation was mailed: this hub sends no mail (WGHUB_SMTP_URL is not set)');
  });
});
