// A chat hook's body past Discord's 2,000 characters (attack round 22): a weekly summary of many
// open decisions was cut at 1,999 UTF-16 units, which dropped the link to the hub and could end in
// the first half of an emoji (a lone surrogate in the JSON Discord reads).
import { describe, expect, it } from 'vitest';
import { chatBody } from '../../src/domain/notifications/chat.ts';

describe('a Discord body past its 2,000 characters', () => {
  const message = (lines: string[]) => ({
    event: 'weekly-summary',
    group: 'hosting',
    title: 'Hosting this week',
    url: 'https://wg.example.org/groups/hosting',
    lines,
    at: '2026-03-02T12:00:00Z',
  });

  it('is cut before the link, which it keeps, and never between the halves of an emoji', () => {
    for (let shift = 0; shift < 4; shift++) {
      const lines = Array.from({ length: 40 }, (_, i) => `${'x'.repeat(shift)}D ${i}: ${'😀'.repeat(30)}`);
      const content = JSON.parse(chatBody('discord', message(lines))).content as string;
      expect(content.length).toBeLessThanOrEqual(2000);
      expect(content.endsWith('…\n<https://wg.example.org/groups/hosting>')).toBe(true);
      expect(content).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    }
  });

  it('a short one is sent whole, its link last', () => {
    const content = JSON.parse(chatBody('discord', message(['D 1: 😀']))).content as string;
    expect(content).toBe('**Hosting this week**\nD 1: 😀\n<https://wg.example.org/groups/hosting>');
  });
});
