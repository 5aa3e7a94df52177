// Who guards what on GitHub, read from the repository's own files: CODEOWNERS (which people or
// teams must approve changes under a path: the charters are guarded by the core maintainers) and
// MAINTAINERS (who maintains the project, by section: lead, core, SDK maintainers, emeritus).
import type { CommunityRole } from '../community.ts';

export type CodeownersRule = { pattern: string; owners: string[] };

/** CODEOWNERS rules in file order; comments, blank lines and rules without owners are skipped. */
export function parseCodeowners(text: string): CodeownersRule[] {
  const rules: CodeownersRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) continue;
    const [pattern, ...owners] = line.split(/\s+/);
    const named = owners.filter((o) => /^@[A-Za-z0-9-]+(\/[A-Za-z0-9._-]+)?$/.test(o) || /^[^@\s]+@[^@\s]+$/.test(o));
    if (pattern && named.length) rules.push({ pattern, owners: named });
  }
  return rules;
}

/** GitHub's CODEOWNERS pattern (gitignore-like) as a regular expression over a repository path. */
export function codeownersPattern(pattern: string): RegExp {
  const anchored = pattern.startsWith('/') || pattern.slice(0, -1).includes('/');
  let p = pattern.replace(/^\//, '');
  const dir = p.endsWith('/');
  if (dir) p = p.slice(0, -1);
  const body = p
    .split('')
    .map((ch, i, all) => {
      if (ch === '*') {
        if (all[i + 1] === '*') return '';
        if (all[i - 1] === '*') return '.*';
        return '[^/]*';
      }
      if (ch === '?') return '[^/]';
      return /[.+^${}()|[\]\\]/.test(ch) ? `\\${ch}` : ch;
    })
    .join('');
  return new RegExp(`^${anchored ? '' : '(?:.*/)?'}${body}${dir ? '/.*' : '(?:/.*)?'}$`);
}

/** The owners of a path: the last matching rule wins, as on GitHub. */
export function ownersOf(rules: CodeownersRule[], file: string): string[] {
  const path = file.replace(/^\//, '');
  let owners: string[] = [];
  for (const r of rules) if (codeownersPattern(r.pattern).test(path)) owners = r.owners;
  return owners;
}

export type MaintainerEntry = { login: string; section: string; role: CommunityRole | null };

/**
 * The people a MAINTAINERS file lists (GitHub profile links or @logins), each under the nearest
 * level-2 heading. Lead and core maintainers get those roles; emeritus none; everyone else listed
 * (SDK, docs maintainers) the maintainer role, which is what lets them sponsor. A login listed
 * twice keeps its highest role.
 */
export function parseMaintainers(markdown: string, roleOrder: readonly string[]): MaintainerEntry[] {
  const byLogin = new Map<string, MaintainerEntry>();
  let section = '';
  for (const line of markdown.split(/\r?\n/)) {
    const h = /^##\s+(.+?)\s*$/.exec(line);
    if (h) {
      section = h[1]!;
      continue;
    }
    if (!/^\s*[-*|]/.test(line)) continue;
    const login =
      /github\.com\/([A-Za-z0-9-]{1,39})(?=[)/\s\]|]|$)/.exec(line)?.[1] ??
      /(?:^|[\s(|])@([A-Za-z0-9-]{1,39})\b/.exec(line)?.[1];
    if (!login) continue;
    const role = roleOfSection(section);
    const before = byLogin.get(login.toLowerCase());
    if (before && roleOrder.indexOf(before.role ?? '') >= roleOrder.indexOf(role ?? '')) continue;
    byLogin.set(login.toLowerCase(), { login, section, role });
  }
  return [...byLogin.values()];
}

function roleOfSection(section: string): CommunityRole | null {
  const s = section.toLowerCase();
  if (/emerit|former|alumni/.test(s)) return null;
  if (/\blead\b/.test(s)) return 'lead-maintainer';
  if (/\bcore\b/.test(s)) return 'core-maintainer';
  return section ? 'maintainer' : null;
}
