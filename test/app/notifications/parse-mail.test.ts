// Reading a received mail (attack round 17): mailparser's work is synchronous in long stretches, and
// a mail of 1 MB made to be slow (120,000 tiny HTML paragraphs and no plain-text part) held the event
// loop that answers every request for five seconds, from an address already used or, through a
// provider's webhook, from anyone. Mail is read in a thread of its own within a deadline.
import { describe, expect, it } from 'vitest';
import { MailNotReadNow, parseMail } from '../../../src/app/notifications/parse-mail.ts';
import { InvalidInput } from '../../../src/domain/errors.ts';
import { LIMITS } from '../../../src/domain/limits.ts';

const head =
  'From: Ana <ana@example.org>\r\nTo: reply+0123456789abcdef0123456789abcdef@reply.example\r\nSubject: Re: P-1\r\n';
const htmlOnly = (body: string) => `${head}MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${body}`;

describe('reading a received mail', () => {
  it('reads a reply: its sender, its text, an HTML-only one as text', async () => {
    const plain = await parseMail(`${head}\r\nYes, Redis 7.\r\n`, 'mail');
    expect(plain.from?.value[0]?.address).toBe('ana@example.org');
    expect(plain.text?.trim()).toBe('Yes, Redis 7.');
    expect((await parseMail(htmlOnly('<p>Yes,</p><p>Redis 7.</p>'), 'mail')).text).toMatch(/Yes,\s+Redis 7\./);
  });

  it('a mail that takes longer than its deadline to read is put off (try again later) saying why, and the next is read', async () => {
    // 200,000 characters of HTML: within the bound on HTML, and a second or more of work to read as text
    const slow = htmlOnly('<p>a</p>'.repeat(25_000));
    const later = await parseMail(slow, 'mail', { parseMs: 20 }).catch((e: unknown) => e);
    expect(later).toBeInstanceOf(MailNotReadNow);
    expect((later as Error).message).toContain('took longer than 0.02 seconds to read');
    expect((await parseMail(`${head}\r\nStill here.\r\n`, 'mail')).text?.trim()).toBe('Still here.');
  });

  it('a mail of HTML alone past the bound is refused saying to send plain text; with a plain-text part it is read', async () => {
    const long = '<p>a</p>'.repeat(LIMITS.inboundMail.htmlChars / 8 + 1);
    const refused = await parseMail(htmlOnly(long), 'mail').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InvalidInput);
    expect((refused as InvalidInput).issues[0]).toEqual({
      field: 'mail',
      rule: expect.stringMatching(/has no plain-text part.*at most 300000 characters.*send it as plain text too/),
    });
    const both = `${head}MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nYes.\r\n--b\r\nContent-Type: text/html\r\n\r\n${long}\r\n--b--\r\n`;
    expect((await parseMail(both, 'mail')).text?.trim()).toBe('Yes.');
  });

  it('mails past those waiting to be read are answered "try again later", not refused', async () => {
    const many = Array.from({ length: LIMITS.inboundMail.waiting + 5 }, (_, i) =>
      parseMail(`${head}\r\nMail ${i}.\r\n`, 'mail').then(
        () => 'read',
        (e: unknown) => (e instanceof MailNotReadNow ? 'later' : e),
      ),
    );
    const outcomes = await Promise.all(many);
    expect(outcomes.filter((o) => o === 'later').length).toBeGreaterThan(0);
    expect(outcomes.every((o) => o === 'read' || o === 'later')).toBe(true);
  });
});
