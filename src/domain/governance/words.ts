// The words pages use for this community's own things, from its governance file: the hub's texts
// are written in the default (MCP) community's words, and a community on another protocol renames
// its document route and protocol there, not in the code.
import type { Governance } from './schema.ts';

/** What one document of the `sep` route is called ("SEP", or the route's `shortName`), and several of them. */
export type DocumentWords = { one: string; many: string; route: string };

export function documentWords(g: Governance): DocumentWords {
  const one = g.proposals.routes.sep.shortName ?? 'SEP';
  return { one, many: `${one}s`, route: g.proposals.routes.sep.title };
}

/** "a SEP", "an XIP"? Read as a word: "an" before a vowel, "a" otherwise ("a SEP", "an OEP"). */
export function withArticle(word: string): string {
  return `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;
}

/**
 * A fixed text (an endpoint's summary, a tool's description, a command's help) in this community's
 * words: "SEP"/"SEPs" as a word become its document's short name, "the SEP lifecycle" its route's
 * title, and "the MCP specification" its protocol's. A reference's prefix (SEP-2575) is an
 * identifier and stays. With the default governance the text comes back unchanged.
 */
export function inCommunityWords(text: string, g: Governance): string {
  const w = documentWords(g);
  return text
    .replace(/\bthe SEP lifecycle\b/g, w.route.replace(/^The\b/, 'the'))
    .replace(/\ba SEP\b(?!-)/g, withArticle(w.one))
    .replace(/\bSEPs\b/g, w.many)
    .replace(/\bSEP\b(?!-)/g, w.one)
    .replace(/\bthe MCP specification\b/g, `the ${g.community.protocol} specification`);
}

/**
 * What pages call a role on the contributor ladder: the governance file's `roleNames` ("steering
 * committee member"), else its key with spaces ("core maintainer"). The key stays the identifier
 * (REST, MCP, the command line's --role).
 */
export function roleName(g: Pick<Governance, 'roleNames'>, role: string): string {
  return g.roleNames[role as keyof Governance['roleNames']] ?? role.replace(/-/g, ' ');
}

/** A count of a role as people say it: "1 lead maintainer", "2 core maintainers". */
export function roleCount(g: Pick<Governance, 'roleNames'>, role: string, n: number): string {
  return `${n} ${roleName(g, role)}${n === 1 ? '' : 's'}`;
}
