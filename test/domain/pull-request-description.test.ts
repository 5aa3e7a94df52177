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
  pullRequestsAt: null,
  places: { tracker: 'CWG Project Tracker', forum: 'discussion forum' },
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
  notListed: { meetings: 0, decisions: 0 },
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

  it('round 11: nothing typed as text becomes a mention, a link, an image or HTML on GitHub, and the markdown fields show what the hub shows', () => {
    const WJ = '\u2060';
    const md = pullRequestDescription(
      facts({
        title: 'Ping @octocat, see https://evil.example/x or www.evil.example (#1) GH-2 $x$',
        authors: ['Eve @org/team', 'mail a@evil.example'],
        examples: ['ex ![i](https://evil.example/i.png) <b>x</b>\n# heading', '@octocat cc'],
        problem:
          'Long enough problem <img src=https://evil.example/p.png> cc @octocat, [spec](https://spec.example/a#12) `Map<K> @x`\n\n```\n<div>@kept</div>\n```\n\n- a\n  ```\nb\n<!-- hides the rest',
        interests: '&#64;octocat <details open>',
        links: {
          forum: 'https://a.example/ @octocat <img src=x>',
          tracker: 'https://a.example/)![x](https://evil.example/t.png)',
          discussion: 'javascript:alert(1)',
        },
        evidence: [
          {
            kind: 'implementation',
            description: 'Our SDK',
            url: 'https://a.example/)![x](https://evil.example/t.png',
            organisation: '@acme',
            sdk: null,
            verified: null,
          },
        ],
        gate: {
          layer: 'supporting-resource',
          passed: false,
          conditions: [
            {
              check: 'supporters-from-organisations',
              condition: 'supporters from at least 2 organisations',
              passed: false,
              reason: '1 supporter from 1 organisation (<img src=https://evil.example/o.png> @acme); 2 needed',
            },
          ],
        },
      }),
    );
    expect(md).toContain(
      `# Ping @${WJ}octocat, see https:${WJ}//evil.example/x or www${WJ}.evil.example (#${WJ}1) GH${WJ}-2 \\$x\\$\n`,
    );
    expect(md).toContain(`by Eve @${WJ}org/team and mail a@${WJ}evil.example`);
    expect(md).toContain(
      `- ex !\\[i\\](https:${WJ}//evil.example/i.png) \\<b\\>x\\</b\\> \\# heading\n- @${WJ}octocat cc\n`,
    );
    // markdown stays markdown (its links, its code), but raw HTML is text, as on the hub
    expect(md).toContain(
      `Long enough problem \\<img src=https://evil.example/p.png> cc @${WJ}octocat, [spec](https://spec.example/a#12) \`Map\\<K> @${WJ}x\`\n\n\`\`\`\n<div>@kept</div>\n\`\`\`\n\n- a\n  \`\`\`\nb\n\\<!-- hides the rest\n`,
    );
    expect(md).toContain('\\&#64;octocat \\<details open>');
    expect(md).toContain('- Forum or chat thread: https://a.example/%20@octocat%20%3Cimg%20src=x%3E\n');
    expect(md).toContain('- Tracked at: <https://a.example/)![x](https://evil.example/t.png)>\n');
    expect(md).not.toContain('javascript:');
    expect(md).toContain(
      `- Implementation (@${WJ}acme): [Our SDK](<https://a.example/)![x](https://evil.example/t.png>)`,
    );
    expect(md).toContain(
      `- [ ] 1 supporter from 1 organisation (\\<img src=https:${WJ}//evil.example/o.png\\> @${WJ}acme); 2 needed.`,
    );
  });

  it('keeps one field’s open code fence out of the next, and cuts what others wrote at length', () => {
    const md = pullRequestDescription(
      facts({
        problem: 'A problem described here\n```',
        interests: '```\n<img src="https://evil.example/p.png"> cc @alice\n```',
        evidence: [
          {
            kind: 'implementation',
            description: 'x'.repeat(20_000),
            url: null,
            organisation: null,
            sdk: null,
            verified: null,
          },
        ],
        supporters: Array.from({ length: 45 }, (_, i) => ({
          organisation: `Org ${i + 1}`,
          names: [`Person ${i + 1}`],
        })),
      }),
    );
    // the problem's fence is closed in the problem: the interests' heading is a heading, and its own
    // fenced block is code again (shown as text on GitHub), not prose that the problem's fence reopened
    expect(md).toContain(
      'A problem described here\n```\n```\n\n### Real-world examples\n\n- A payment tool ran twice\n\n### Interests at stake\n\n```\n<img src="https://evil.example/p.png"> cc @alice\n```\n',
    );
    expect(md).toContain(`- Implementation: ${'x'.repeat(300)}…`);
    expect(md).not.toContain('x'.repeat(301));
    expect(md).toContain('- Org 40: Person 40\n- 5 other organisations, listed on the hub.');
  });

  it('names the tracker and forum as the governance file does', () => {
    expect(collaborationGaps(facts({ places: { tracker: 'Roadmap board', forum: 'community forum' } }))).toEqual(
      expect.arrayContaining([
        'No discussion link: the guide asks for a thread on the official community forum before the pull request.',
        'No tracker link: the guide asks for it on the Roadmap board.',
      ]),
    );
    expect(collaborationGaps(facts({ places: { tracker: null, forum: null } }))).toEqual(
      expect.arrayContaining(['No tracker link: the guide asks for it on the project tracker.']),
    );
  });

  it('says when the description is too long for a pull request on GitHub', () => {
    const long = facts({ problem: 'x'.repeat(70_000) });
    const text = pullRequestDescription(long);
    expect(collaborationGaps(long, text.length)[0]).toMatch(
      /^The description is 70,\d{3} characters; GitHub takes at most 65,536 in a pull request: shorten it before you open it/,
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
