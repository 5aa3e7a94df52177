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
