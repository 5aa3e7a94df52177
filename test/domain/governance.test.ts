import { describe, expect, it } from 'vitest';
import { loadGovernance } from '../../src/app/core/governance-file.ts';
import {
  describeGovernance,
  documentWords,
  shownRef,
  storedRef,
  GovernanceError,
  inCommunityWords,
  permits,
  validateGovernance,
} from '../../src/domain/governance/index.ts';

const g = loadGovernance();

describe('governance file', () => {
  it('the built-in default follows the MCP group rules', () => {
    expect(g.membership.inactivityDays).toBe(90);
    expect(g.groups.sponsorship.anyOf).toEqual([
      { role: 'core-maintainer', count: 2 },
      { role: 'lead-maintainer', count: 1 },
    ]);
  });

  it('names the community and its protocol; one that is not one line is refused naming the key', () => {
    expect(g.community).toEqual({ name: 'MCP Community', protocol: 'MCP' });
    const { community: _, ...without } = structuredClone(g) as any;
    expect(validateGovernance(without, 'x.yaml').community).toEqual({ name: 'wghub', protocol: 'MCP' });
    const bad = structuredClone(g) as any;
    bad.community = { name: 'Payments\r\nBcc: x@example.org', protocol: '' };
    expect(() => validateGovernance(bad, 'x.yaml')).toThrow(/community\.name: must be one line/);
    expect(() => validateGovernance(bad, 'x.yaml')).toThrow(/community\.protocol: must not be empty/);
  });

  it("names the sep route's documents by its shortName, SEP when left out; a bad one is refused naming the key", () => {
    expect(documentWords(g)).toEqual({ one: 'SEP', many: 'SEPs', route: 'The SEP lifecycle', prefix: 'SEP' });
    const older = structuredClone(g) as any;
    delete older.proposals.routes.sep.shortName;
    expect(documentWords(validateGovernance(older, 'x.yaml')).one).toBe('SEP');
    const bad = structuredClone(g) as any;
    bad.proposals.routes.sep.shortName = 'REP\nBcc: x';
    expect(() => validateGovernance(bad, 'x.yaml')).toThrow(/proposals\.routes\.sep\.shortName: must be one line/);
    // fixed texts say the file's words, a reference's prefix too (REP-2575; stored as SEP-2575)
    const relay = structuredClone(g) as any;
    relay.proposals.routes.sep = { ...relay.proposals.routes.sep, title: 'The REP lifecycle', shortName: 'REP' };
    expect(
      inCommunityWords(
        'A proposal or SEP (SEP-2575) on the SEP lifecycle; SEPs; a SEP',
        validateGovernance(relay, 'x'),
      ),
    ).toBe('A proposal or REP (REP-2575) on the REP lifecycle; REPs; a REP');
    const rep = validateGovernance(relay, 'x');
    expect([shownRef(rep, 'SEP-2575'), shownRef(rep, 'P-3'), shownRef(g, 'SEP-2575')]).toEqual([
      'REP-2575',
      'P-3',
      'SEP-2575',
    ]);
    expect([storedRef(rep, 'rep-2575'), storedRef(rep, 'SEP-2575'), storedRef(g, 'REP-2575')]).toEqual([
      'SEP-2575',
      'SEP-2575',
      'REP-2575',
    ]);
    // P, D and M name proposals, decisions and meetings: never a document's prefix
    relay.proposals.routes.sep.shortName = 'D';
    expect(documentWords(validateGovernance(relay, 'x')).prefix).toBe('SEP');
  });

  it('a file written before the vote reminder existed still loads, vote-closing as it chose decision-closing', () => {
    expect(g.notifications.kinds['vote-closing']).toEqual({ immediate: true, enabled: true });
    const older = structuredClone(g) as any;
    delete older.notifications.kinds['vote-closing'];
    expect(validateGovernance(older, 'x.yaml').notifications.kinds['vote-closing']).toEqual({
      immediate: true,
      enabled: true,
    });
    // an operator who turned closing reminders off, or made them wait for the digest, gets no
    // urgent vote reminders after upgrading
    older.notifications.kinds['decision-closing'] = { immediate: false, enabled: false };
    expect(validateGovernance(older, 'x.yaml').notifications.kinds['vote-closing']).toEqual({
      immediate: false,
      enabled: false,
    });
    // the resolvers of an escalation heard of it as an outcome: a file that does not name the new
    // kind keeps that
    delete older.notifications.kinds['decision-escalated'];
    expect(validateGovernance(older, 'x.yaml').notifications.kinds['decision-escalated']).toEqual({
      immediate: false,
      enabled: true,
    });
  });

  it('a file written before requests to become a member had their own kind tells them as it told levels', () => {
    expect(g.notifications.kinds['membership-request']).toEqual({ immediate: true, enabled: true });
    const older = structuredClone(g) as any;
    delete older.notifications.kinds['membership-request'];
    older.notifications.kinds['level-changed'] = { immediate: false, enabled: false };
    expect(validateGovernance(older, 'x.yaml').notifications.kinds['membership-request']).toEqual({
      immediate: false,
      enabled: false,
    });
  });

  it('a file written before action items were told when given, or written input its outcome, still loads', () => {
    expect(g.notifications.kinds['action-assigned']).toEqual({ immediate: true, enabled: true });
    expect(g.notifications.kinds['written-input-outcome']).toEqual({ immediate: true, enabled: true });
    const older = structuredClone(g) as any;
    delete older.notifications.kinds['action-assigned'];
    delete older.notifications.kinds['written-input-outcome'];
    const loaded = validateGovernance(older, 'x.yaml').notifications.kinds;
    expect(loaded['action-assigned']).toEqual({ immediate: true, enabled: true });
    expect(loaded['written-input-outcome']).toEqual({ immediate: true, enabled: true });
    // an owner heard of an action item only when it fell due: a file that turned that off, or sent it
    // to the digest, gets the same for being given one
    older.notifications.kinds['action-due'] = { immediate: false, enabled: false };
    expect(validateGovernance(older, 'x.yaml').notifications.kinds['action-assigned']).toEqual({
      immediate: false,
      enabled: false,
    });
  });

  it('a file written before decisions could be extended still loads: who may, and the notice, as the default file says', () => {
    expect(g.permissions['decision.extend']).toEqual({ relations: ['author'], groupLevels: ['lead'] });
    expect(g.notifications.kinds['decision-extended']).toEqual({ immediate: true, enabled: true });
    const older = structuredClone(g) as any;
    delete older.permissions['decision.extend'];
    delete older.notifications.kinds['decision-extended'];
    const loaded = validateGovernance(older, 'x.yaml');
    expect(loaded.permissions['decision.extend']).toEqual({ relations: ['author'], groupLevels: ['lead'] });
    expect(loaded.notifications.kinds['decision-extended']).toEqual({ immediate: true, enabled: true });
  });

  it("a file without the guide's getting-started links or contribution note gets the ones the default file writes out", () => {
    expect(g.gettingStarted.chat).toEqual({ title: 'CWG Discord', url: 'https://discord.gg/RkqKnmrp' });
    const { gettingStarted: _, ...without } = structuredClone(g) as any;
    delete without.agreements.contributionTerms.note;
    const read = validateGovernance(without, 'x.yaml');
    expect(read.gettingStarted).toEqual(g.gettingStarted);
    expect(read.agreements.contributionTerms.note).toBe(g.agreements.contributionTerms.note);
    expect(g.agreements.contributionTerms.note).toMatch(/MIT License.*contact one of the group administrators/);
    // a community without a chat leaves it out, and the steps name it in words
    const noChat = structuredClone(g) as any;
    delete noChat.gettingStarted.chat;
    const started = describeGovernance(validateGovernance(noChat, 'x.yaml')).find(
      (s) => s.title === 'Getting started',
    )!;
    expect(started.rules[2]).toBe("3. Join us on the community's chat.");
    expect(started.rules.join(' ')).not.toContain('discord.gg');
  });

  it("the guide's own links are the MCP community's: another protocol's file without them gets none; a link is a web page", () => {
    const { gettingStarted: _, ...other } = structuredClone(g) as any;
    other.community = { name: 'Payments Community', protocol: 'OpenPay' };
    expect(validateGovernance(other, 'x.yaml').gettingStarted).toEqual({});
    const script = structuredClone(g) as any;
    script.gettingStarted.chat.url = 'javascript:alert(1)';
    expect(() => validateGovernance(script, 'x.yaml')).toThrow(
      /gettingStarted\.chat\.url: must be an http or https URL/,
    );
  });

  it('a file with no notifications section gets the rules the default file writes out', () => {
    const { notifications: _, ...without } = structuredClone(g) as any;
    expect(validateGovernance(without, 'x.yaml').notifications).toEqual(g.notifications);
  });

  it('names the key and the rule when a value is wrong', () => {
    const bad = structuredClone(g) as any;
    bad.membership.inactivityDays = 0;
    expect(() => validateGovernance(bad, 'x.yaml')).toThrow(/membership\.inactivityDays: must be at least 1 day/);
  });

  it('rejects unknown keys and cross-key mistakes, listing every problem', () => {
    const bad = structuredClone(g) as any;
    bad.membership.decayingLevels = ['emperor'];
    bad.groups.surprise = 1;
    try {
      validateGovernance(bad, 'x.yaml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(GovernanceError);
      const msg = (e as Error).message;
      expect(msg).toMatch(/groups: unknown key\(s\) surprise/);
      expect(msg).toMatch(/membership\.decayingLevels\[0\]/);
    }
  });

  it('reports a level that exists in the schema but not in the levels list', () => {
    const bad = structuredClone(g) as any;
    bad.membership.levels = ['observer', 'participant', 'lead'];
    expect(() => validateGovernance(bad, 'x.yaml')).toThrow(
      /decayingLevels\[0\]: 'member' is not one of membership.levels/,
    );
  });

  it('a file that cannot be read or parsed says so with its path', () => {
    expect(() => loadGovernance('/nonexistent/gov.yaml')).toThrow(
      /governance file \/nonexistent\/gov.yaml.*cannot be read/s,
    );
  });

  it('permissions combine roles, role order, group levels and self', () => {
    expect(permits(g, 'group.propose', { handle: 'a', role: 'member' })).toBe(true);
    expect(permits(g, 'group.propose', { handle: 'a', role: 'core-maintainer' })).toBe(true);
    expect(permits(g, 'group.propose', { handle: 'a', role: 'contributor' })).toBe(false);
    expect(permits(g, 'group.editCharter', { handle: 'a', role: 'contributor', groupLevel: 'lead' })).toBe(true);
    expect(permits(g, 'group.editCharter', { handle: 'a', role: 'maintainer', groupLevel: 'member' })).toBe(false);
    expect(permits(g, 'person.edit', { handle: 'a', role: 'contributor', isSelf: true })).toBe(true);
  });

  it('describes the rules in force in plain words', () => {
    const text = describeGovernance(g)
      .flatMap((s) => [s.title, ...s.rules])
      .join('\n');
    expect(text).toContain('sponsored by at least 2 core maintainers or 1 lead maintainer');
    expect(text).toContain('90 days');
    // facilitators act as leads for their topic area (topicAreaPolicy, meetingLevel, moverParts): said, not left to guess
    expect(text).toContain("A topic area's facilitators count as the group's leads for that topic area");
    // the guide's getting started, its six-step route and the ideal facilitator, from the file's links
    expect(text).toContain(
      '3. Join us on the CWG Discord (https://discord.gg/RkqKnmrp).\n4. Start contributing to open conversations, or suggest new topic areas in #working-group-ideation',
    );
    expect(text).toMatch(
      /3\. Coordinate with the moderators to get your initiative added to the CWG Project Tracker \(https:.*6\. Finally, open a pull request/,
    );
    expect(text).toMatch(
      /The ideal topic facilitator\n.*welcoming new members.*\n.*fair participation.*\n.*maintain neutrality/,
    );
    expect(text).toContain('the form says: All content added here is contributed under the MIT License.');
  });

  it("says what each stage of the guide's route asks, from the file; guidance for a stage the route lacks is refused", () => {
    const contributions = describeGovernance(g).find((s) => s.title === 'Contributions')!.rules;
    expect(contributions).toContainEqual(
      expect.stringMatching(
        /^The guide's contribution route, at tracked: .*start a thread on the official MCP discussion forum/,
      ),
    );
    expect(contributions).toContainEqual(
      expect.stringMatching(/at community discussion: .*coordinate with the moderators .* CWG Project Tracker/),
    );
    expect(contributions).toContainEqual(expect.stringMatching(/at pull request: .*explains the collaboration so far/));
    const bad = structuredClone(g) as any;
    bad.proposals.routes.contribution.guidance = { ...bad.proposals.routes.contribution.guidance, 'in-review': 'x' };
    expect(() => validateGovernance(bad, 'x.yaml')).toThrow(
      /proposals\.routes\.contribution\.guidance\.in-review: 'in-review' is not one of its stages/,
    );
  });
});
