// The pull request description is written from facts alone: what people typed as plain text (names,
// titles, questions) shows as text in GitHub's markdown, and the gaps follow the guide's route.
import { describe, expect, it } from 'vitest';
import {
  collaborationGaps,
  pullRequestDescription,
  type CollaborationFacts,
} from '../../src/domain/proposals/collaboration.ts';

const facts = (over: Partial<CollaborationFacts> = {}): CollaborationFacts => ({
  ref: 'P-4',
  title: 'Retry guidance',
  problem: 'Clients behind flaky gateways retry differently and duplicate side effects.',
  examples: ['A payment tool ran twice'],
  interests: '',
  layerTitle: 'Supporting resource',
  routeTitle: "The guide's contribution route",
  stage: 'refining',
  createdAt: '2026-05-01T10:00:00Z',
  group: null,
  topicArea: null,
  authors: ['Ada Lovelace'],
  sponsor: null,
  links: {},
  moves: [],
  gate: { layer: 'supporting-resource', passed: true, conditions: [] },
  priorWork: { checkedAt: '2026-05-01T10:00:00Z', matches: 3 },
  relations: [],
  discussion: { comments: 0, people: [], first: null, last: null, url: null },
  supporters: [],
  evidence: [],
  meetings: [],
  decisions: [],
  url: null,
  at: '2026-05-20T10:00:00Z',
  ...over,
});

describe('the pull request description', () => {
  it('shows names, titles and questions as text, never as markup or HTML', () => {
    const md = pullRequestDescription(
      facts({
        authors: ['*Ada* <img src=x>', 'Bo [link](javascript:x)'],
        decisions: [{ ref: 'D-2', question: 'Adopt `it`?', outcome: 'adopted by vote', url: null }],
        discussion: {
          comments: 3,
          people: [{ name: 'Cy_the_|pipe|', organisation: null }],
          first: '2026-05-02T10:00:00Z',
          last: '2026-05-02T18:00:00Z',
          url: null,
        },
      }),
    );
    expect(md).toContain('by \\*Ada\\* \\<img src=x\\> and Bo \\[link\\](javascript:x)');
    expect(md).toContain('- Decision D-2: Adopt \\`it\\`? Outcome: adopted by vote.');
    // one day is said once
    expect(md).toContain('- 3 comments on the hub from 1 person, on 2026-05-02: Cy_the\\_\\|pipe\\|.');
    expect(md).toContain('This layer sets no conditions.');
  });

  it('mentions nobody on GitHub, and no address can end its link early or start another', () => {
    const md = pullRequestDescription(
      facts({
        authors: ['@octocat'],
        links: { forum: 'https://forum.example/t/1)[x](https://evil.example' },
        evidence: [
          {
            kind: 'implementation',
            description: 'Gateway',
            url: 'https://gw.example/a) ![img](https://evil.example/p.png',
            organisation: null,
            sdk: null,
            verified: null,
          },
        ],
      }),
    );
    expect(md).toContain('by @\u200Boctocat');
    expect(md).not.toMatch(/@octocat/);
    expect(md).toContain('- Forum or chat thread: <https://forum.example/t/1%29%5Bx%5D%28https://evil.example>');
    expect(md).toContain('[Gateway](https://gw.example/a%29%20!%5Bimg%5D%28https://evil.example/p.png)');
  });

  it('cuts long lists, counting the rest, and says when it is too long for a pull request', () => {
    const many = Array.from({ length: 45 }, (_, i) => `Person ${i + 1}`);
    const md = pullRequestDescription(
      facts({
        discussion: {
          comments: 45,
          people: many.map((name) => ({ name, organisation: null })),
          first: '2026-05-02T10:00:00Z',
          last: '2026-05-09T10:00:00Z',
          url: null,
        },
        decisions: Array.from({ length: 33 }, (_, i) => ({
          ref: `D-${i + 1}`,
          question: `Question ${i + 1}?`,
          outcome: 'withdrawn',
          url: null,
        })),
      }),
    );
    expect(md).toContain('Person 20 and 25 others.');
    expect(md).not.toContain('Person 21');
    expect(md).toContain('- Decision D-30: Question 30? Outcome: withdrawn.\n- …and 3 decisions more, on the hub.');
    const long = facts({ problem: 'x'.repeat(70_000) });
    const text = pullRequestDescription(long);
    expect(collaborationGaps(long, text.length)[0]).toMatch(
      /^The description is 70,\d{3} characters; GitHub takes at most 65,536 in a pull request: shorten/,
    );
    expect(collaborationGaps(facts(), 65_536)).not.toContainEqual(expect.stringMatching(/GitHub takes/));
  });

  it('asks for the route’s links, and takes a thread elsewhere as discussion', () => {
    expect(collaborationGaps(facts())).toEqual([
      'No discussion link: the guide asks for a thread on the official discussion forum before the pull request.',
      'No tracker link: the guide asks for it on the CWG Project Tracker.',
      'Nobody has discussed it on the hub yet: no comments, meetings or decisions to point to.',
    ]);
    expect(
      collaborationGaps(facts({ links: { forum: 'https://forum.example/t/1', tracker: 'https://tracker.example/1' } })),
    ).toEqual([]);
    expect(collaborationGaps(facts({ priorWork: null, examples: [] }))).toEqual(
      expect.arrayContaining([
        'No prior-work check is recorded: make sure no existing work covers it.',
        'No real-world example of the problem.',
      ]),
    );
  });
});
