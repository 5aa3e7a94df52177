// What a group's chat webhook receives: the same message in Discord's, Slack's or a generic JSON
// shape. Pure: no I/O. Discord and Slack render their own markup, so text from members is escaped
// for each and Discord's mentions are switched off (a proposal title cannot ping @everyone). The
// generic JSON body is signed with HMAC-SHA256 under the hook's secret, as GitHub signs its
// webhooks, so the receiver can check it came from the hub.
import { createHmac } from 'node:crypto';
import { z } from 'zod';

export const CHAT_FORMATS = ['discord', 'slack', 'json'] as const;
export type ChatFormat = (typeof CHAT_FORMATS)[number];

export const ChatMessage = z.object({
  /**
   * decision-opened | decision-extended | decision-closing | vote-opened | vote-closing |
   * decision-escalated | decision-outcome | notes-published | weekly-summary | group-retired | group-back
   */
  event: z.string(),
  group: z.string(),
  title: z.string(),
  /** Where to read it on the hub. */
  url: z.string(),
  /** More lines: a deadline, a summary's items. */
  lines: z.array(z.string()),
  at: z.string(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

const DISCORD_MAX = 2000;
const discordEscape = (s: string) => s.replace(/([\\*_~`|>#[\]()-])/g, '\\$1');
const slackEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** At most `units` UTF-16 units of `text`, never ending in the first half of a surrogate pair. */
function unitsWhole(text: string, units: number): string {
  const end = Math.max(0, units);
  const c = text.charCodeAt(end - 1);
  return text.slice(0, c >= 0xd800 && c <= 0xdbff ? end - 1 : end);
}

export function chatBody(format: ChatFormat, m: ChatMessage): string {
  if (format === 'discord') {
    // past Discord's 2,000, the text is cut and the link to the hub kept (attack round 22: a weekly
    // summary of many decisions lost its link, and a cut between an emoji's halves sent a lone
    // surrogate); counted in UTF-16 units, so it fits whether Discord counts those or characters
    const link = `<${m.url}>`;
    const text = [`**${discordEscape(m.title)}**`, ...m.lines.map(discordEscape)].join('\n');
    const room = DISCORD_MAX - link.length - 2;
    return JSON.stringify({
      content: `${text.length > room ? `${unitsWhole(text, room - 1)}…` : text}\n${link}`,
      allowed_mentions: { parse: [] },
    });
  }
  if (format === 'slack') {
    const text = [`*${slackEscape(m.title)}*`, ...m.lines.map(slackEscape), `<${m.url}|Open on the hub>`].join('\n');
    return JSON.stringify({ text, unfurl_links: false });
  }
  return JSON.stringify({
    event: m.event,
    group: m.group,
    title: m.title,
    url: m.url,
    lines: m.lines,
    at: m.at,
  });
}

/** The value of X-Wghub-Signature-256 for a body: "sha256=" and the hex HMAC. */
export function signChatBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
