// Prior-work quality on the real corpus, on both databases, measured as the bench does it: 5-fold
// cross-validated over every labelled pair (the project's and the independent labellers'), so the
// figures are on pairs the ranking was not tuned on; and a SEP cited by an old or superseded
// number found by what its own file says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allPairs, candidatesFor, crossValidate, loadHardCases } from '../../bench/prior-work-quality.ts';
import { importCorpus } from '../../src/app/imports/corpus.ts';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { priorWork } from '../../src/app/search/search.ts';
import { formerNumber } from '../../src/search/text.ts';
import { CORPUS } from '../support/corpus.ts';
import { databases } from '../support/databases.ts';
import { openTestHub, type TestHub } from '../support/hub.ts';

describe('what a SEP says about a number that is not its own', () => {
  const link = (kind: string, n: number) => `https://github.com/modelcontextprotocol/modelcontextprotocol/${kind}/${n}`;
  it('a bare link to its old issue or pull request means it was renumbered; a citation of another SEP does not', () => {
    expect(formerNumber(`Intro\n- Original PR: ${link('pull', 881)}\n`, '881')).toBe('renumbered');
    expect(formerNumber(`- Related issue: ${link('issues', 834)}`, '834')).toBe('renumbered');
    expect(formerNumber(`- SEP-2200 (Clarify Tool Result Content): ${link('pull', 2200)}`, '2200')).toBeNull();
    expect(
      formerNumber(`- SDK types: https://github.com/modelcontextprotocol/typescript-sdk/issues/1149`, '1149'),
    ).toBeNull();
    expect(formerNumber('See SEP-834: Full JSON Schema 2020-12 Support', '834')).toBeNull();
  });
  it('saying it supersedes the number means it replaced that SEP', () => {
    expect(formerNumber('This SEP **supersedes** SEP-1627 by accepting the conformance repository', '1627')).toBe(
      'supersedes',
    );
    expect(formerNumber('This SEP supersedes (in part) SEP-1335.', '1335')).toBe('supersedes');
    expect(formerNumber('This SEP builds on SEP-1627.', '1627')).toBeNull();
  });
});

// the lower of the two databases' cross-validated figures, rounded outwards
const RECALL_FLOOR = 0.73;
const FALSE_MATCH_CEILING = 0.18;

describe.each(databases)('prior-work quality on the labelled pairs on $name', (database) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await openTestHub(database);
    await importCorpus(hub, SYSTEM, CORPUS);
  });
  afterAll(async () => hub?.close());

  it('cross-validated over every labelled pair, finds the related SEP in the top five and lets unrelated ones in no more often than measured', async () => {
    const all = allPairs();
    expect(all.related.length).toBeGreaterThanOrEqual(130);
    expect(all.unrelated.length).toBeGreaterThanOrEqual(150);
    expect([...all.related, ...all.unrelated].every((p) => p.reason && p.reason.length > 10)).toBe(true);
    const queries = [...new Set([...all.related.map((p) => p.query), ...all.unrelated.map((p) => p.query)])];
    const cv = crossValidate(await candidatesFor(hub, queries), all.related, all.unrelated);
    // what `node bench/prior-work-quality.ts` measured on both databases (docs/search.md#quality),
    // short of the bar (0.90 and 0.10): a worse ranking fails here
    expect(cv.recall5).toBeGreaterThanOrEqual(RECALL_FLOOR);
    expect(cv.falseMatchRate).toBeLessThanOrEqual(FALSE_MATCH_CEILING);
  }, 180_000);

  it('finds every hard case in the top five: old and superseded numbers, and a replacement that cites nothing', async () => {
    for (const h of loadHardCases()) {
      const refs = (await priorWork(hub, { title: h.title, text: h.text, limit: 5 })).map((m) => m.ref);
      expect(refs, h.title).toContain(h.expected);
    }
  });

  it('an existing SEP is told which SEPs share its authors or cite its pull request, from their headers', async () => {
    const matches = await priorWork(hub, {
      title: 'OAuth Client ID Metadata Documents',
      text: 'Clients identify themselves to authorization servers with a URL to a metadata document.',
      exclude: 'SEP-990',
      limit: 20,
    });
    const coAuthored = matches.find((m) => m.ref === 'SEP-991');
    expect(coAuthored?.reasons).toContainEqual(expect.stringMatching(/^shares an author or sponsor \(.*aaron/));
    // "Seeking sponsor" in two headers is nobody
    const seeking = await priorWork(hub, {
      title: 'Tool annotations',
      text: 'Annotations.',
      exclude: 'SEP-2133',
      limit: 20,
    });
    expect(seeking.find((m) => m.ref === 'SEP-1865')?.reasons ?? []).not.toContainEqual(
      expect.stringMatching(/seeking/),
    );
  });

  it('a draft citing a SEP by its old number is told which SEP that is now, and why', async () => {
    const [old] = await priorWork(hub, {
      title: 'Follow-up to SEP-834',
      text: 'We would like to pick up the work of SEP-834 again.',
    });
    expect(old).toMatchObject({
      ref: 'SEP-2106',
      reasons: expect.arrayContaining([
        'the draft cites SEP-834, an earlier number of SEP-2106 (its file links that issue or pull request)',
      ]),
    });
    const [pr] = await priorWork(hub, {
      title: 'Revisit what #1350 decided',
      text: 'The outcome of #1350 needs another look.',
    });
    expect(pr).toMatchObject({
      ref: 'SEP-1302',
      reasons: expect.arrayContaining([
        'the draft cites #1350, an earlier number of SEP-1302 (its file links that issue or pull request)',
      ]),
    });
    const [superseded] = await priorWork(hub, {
      title: 'Picking up SEP-1627 again',
      text: 'SEP-1627 stalled; this draft restarts it.',
    });
    expect(superseded).toMatchObject({
      ref: 'SEP-2484',
      reasons: expect.arrayContaining(['the draft cites SEP-1627, which SEP-2484 supersedes']),
    });
  });
});
