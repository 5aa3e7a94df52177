// Every reason the recipients rules give a notice is said in words: a new reason without them read
// "told because role" in the inbox and "You get this because role" at the foot of a mail.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOTIFICATION_KINDS } from '../../src/domain/notifications/kinds.ts';
import { whyTold } from '../../src/domain/notifications/why.ts';

const DIR = path.join(import.meta.dirname, '../../src/app/notifications');

const kinds: readonly string[] = NOTIFICATION_KINDS;

function reasonsGiven(): Set<string> {
  const found = new Set<string>();
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(path.join(DIR, file), 'utf8');
    for (const m of text.matchAll(/reason: '([a-z-]+)'/g)) found.add(m[1]!);
    // each(ids, 'kind', 'reason'…), the recipients rules' helper: a notice's kind, then why (a reason may hold spaces)
    for (const m of text.matchAll(/'([a-z-]+)',\s*'([a-z -]+)'/g))
      if (kinds.includes(m[1]!) && !kinds.includes(m[2]!)) found.add(m[2]!);
  }
  return found;
}

describe('why a notice reached its reader', () => {
  it('is said in words for every reason the recipients rules give', () => {
    const reasons = reasonsGiven();
    expect(reasons.size).toBeGreaterThan(10);
    expect([...reasons].filter((r) => whyTold(r) === r)).toEqual([]);
  });
});
