import { describe, expect, it } from 'vitest';
import { loadGovernance } from '../../src/app/core/governance-file.ts';
import type { MoverKind } from '../../src/domain/governance/index.ts';
import {
  allowedStageMoves,
  checkGate,
  checkStageMove,
  highestSupportedLayer,
  recommendLayer,
  type GateFacts,
} from '../../src/domain/proposals/index.ts';

const g = loadGovernance();
const parts = (...p: MoverKind[]) => new Set<MoverKind>(p);

const strong: GateFacts = {
  problem: 'Clients cannot resume a long-running tool call after a reconnect.',
  examples: ['Hosted agent loses 20-minute job on deploy'],
  supporters: [
    { handle: 'a', organisation: 'Acme' },
    { handle: 'b', organisation: 'Nebula' },
    { handle: 'c', organisation: 'Orbit' },
  ],
  evidence: [
    { kind: 'implementation', organisation: 'Acme', sdk: 'typescript' },
    { kind: 'implementation', organisation: 'Nebula', sdk: 'python' },
  ],
  priorArtifacts: [{ ref: 'P-3', title: 'Resumption patterns' }],
};

describe('stage moves on both routes', () => {
  it('legal moves follow the governance file, for the people it names', () => {
    expect(checkStageMove(g, 'contribution', 'idea', 'prior-work-checked', parts('author', 'contributor'), 1)).toEqual({
      ok: true,
      gate: false,
      requiresPullRequest: false,
    });
    expect(checkStageMove(g, 'sep', 'in-review', 'accepted', parts('sponsor', 'maintainer'), 1)).toEqual({
      ok: true,
      gate: true,
      requiresPullRequest: false,
    });
    // the move into the pull request stage asks for its link (the governance file's requiresPullRequest)
    expect(checkStageMove(g, 'contribution', 'refining', 'pull-request', parts('author', 'contributor'), 1)).toEqual({
      ok: true,
      gate: true,
      requiresPullRequest: true,
    });
    expect(checkStageMove(g, 'sep', 'awaiting-sponsor', 'dormant', parts('system'), 1).ok).toBe(true);
  });

  it('an illegal move answers with the moves allowed from here and who may make them', () => {
    const v = checkStageMove(g, 'sep', 'draft', 'final', parts('sponsor'), 1);
    expect(v).toMatchObject({ ok: false, kind: 'illegal' });
    if (!v.ok)
      expect(v.message).toBe(
        'a proposal cannot move from draft to final; from draft it may move to: in-review (by the sponsor); withdrawn (by the author)',
      );
    expect(checkStageMove(g, 'contribution', 'idea', 'accepted', parts('author'), 1)).toMatchObject({
      ok: false,
      kind: 'illegal',
      message: expect.stringMatching(/'accepted' is not a stage of The guide's contribution route/),
    });
    expect(checkStageMove(g, 'contribution', 'landed', 'refining', parts('author'), 1)).toMatchObject({
      ok: false,
      kind: 'illegal',
      message: expect.stringMatching(/none: this stage is closed/),
    });
  });

  it('the wrong person is told who may make the move', () => {
    const v = checkStageMove(g, 'sep', 'draft', 'in-review', parts('author', 'member'), 1);
    expect(v).toMatchObject({
      ok: false,
      kind: 'forbidden',
      message: 'moving from draft to in-review is for the sponsor',
    });
  });

  it('real-world examples are required before leaving the idea stage', () => {
    expect(checkStageMove(g, 'contribution', 'idea', 'prior-work-checked', parts('author'), 0)).toMatchObject({
      ok: false,
      kind: 'needs-examples',
    });
    expect(checkStageMove(g, 'sep', 'awaiting-sponsor', 'draft', parts('sponsor'), 0)).toMatchObject({
      ok: false,
      kind: 'needs-examples',
    });
  });

  it('lists the moves from a stage', () => {
    expect(allowedStageMoves(g, 'contribution', 'refining').map((m) => [m.to, m.gate])).toEqual([
      ['pull-request', true],
      ['declined', false],
      ['withdrawn', false],
    ]);
  });
});

describe('the barrier to change per layer', () => {
  it('a specification change passes with a validated problem, 3 organisations, 2 independent implementations and a prior artifact', () => {
    const r = checkGate(g, 'specification', strong);
    expect(r.passed).toBe(true);
    expect(r.conditions.map((c) => c.check)).toEqual([
      'problem-validated',
      'supporters-from-organisations',
      'evidence',
      'prior-artifact',
    ]);
  });

  it('each failing condition says which and why', () => {
    const weak: GateFacts = {
      ...strong,
      examples: [],
      supporters: [
        { handle: 'a', organisation: 'Galactic Hosting Corporation' },
        { handle: 'b', organisation: 'Galactic Hosting Corporation' },
        { handle: 'c', organisation: 'galactic hosting corporation' },
        { handle: 'd', organisation: null },
      ],
      evidence: [
        { kind: 'implementation', organisation: 'Acme', sdk: 'typescript' },
        { kind: 'implementation', organisation: 'Acme', sdk: 'python' },
      ],
      priorArtifacts: [],
    };
    const r = checkGate(g, 'specification', weak);
    expect(r.passed).toBe(false);
    expect(r.conditions.map((c) => [c.passed, c.reason])).toEqual([
      [false, '0 real-world examples given, 1 needed'],
      [false, '4 supporters from 2 organisations (galactic hosting corporation, no organisation); 3 needed'],
      [false, '2 implementations, from 1 independent organisation; 2 needed'],
      [false, 'no confirmed builds-on or promoted-from link to a working-group artifact'],
    ]);
  });

  it('SDK alignment needs interoperability evidence across different SDKs', () => {
    const facts = {
      ...strong,
      evidence: [
        { kind: 'interoperability', organisation: 'A', sdk: 'go' },
        { kind: 'interoperability', organisation: 'B', sdk: 'go' },
      ],
    };
    expect(checkGate(g, 'sdk-alignment', facts).conditions[1]).toMatchObject({
      passed: false,
      reason: '2 interoperability tests, from 1 SDK; 2 needed',
    });
    facts.evidence.push({ kind: 'interoperability', organisation: 'C', sdk: 'rust' });
    expect(checkGate(g, 'sdk-alignment', facts).passed).toBe(true);
  });

  it('a working-group artifact has a low barrier; a supporting resource needs several implementers', () => {
    expect(
      checkGate(g, 'working-group-artifact', { ...strong, examples: [], supporters: [], evidence: [] }).passed,
    ).toBe(true);
    expect(checkGate(g, 'working-group-artifact', { ...strong, problem: 'short' }).passed).toBe(false);
    expect(
      checkGate(g, 'supporting-resource', {
        ...strong,
        evidence: [{ kind: 'implementer-validation', organisation: 'A', sdk: null }],
      }).passed,
    ).toBe(false);
    // an implementation whose verification failed does not count; a verified or unprobed one does
    const impl = (organisation: string, verification: 'verified' | 'failed' | null) => ({
      kind: 'implementation',
      organisation,
      sdk: null,
      verification,
    });
    const probed = checkGate(g, 'specification', {
      ...strong,
      evidence: [impl('Acme', 'verified'), impl('Orbit', 'failed')],
    });
    expect(probed.conditions.find((c) => c.check === 'evidence')).toMatchObject({
      passed: false,
      reason:
        '1 implementation, from 1 independent organisation; 1 more failed verification and does not count; 2 needed',
    });
    expect(
      checkGate(g, 'specification', {
        ...strong,
        evidence: [impl('Acme', 'verified'), impl('Orbit', null)],
      }).conditions.find((c) => c.check === 'evidence')!.passed,
    ).toBe(true);
    // evidence naming no organisation cannot show independence
    const unnamed = checkGate(g, 'supporting-resource', {
      ...strong,
      evidence: [
        { kind: 'implementer-validation', organisation: 'A', sdk: null },
        { kind: 'implementer-validation', organisation: null, sdk: null },
      ],
    });
    expect(unnamed.passed).toBe(false);
    expect(unnamed.conditions.find((c) => c.check === 'evidence')!.reason).toBe(
      '2 validations by implementers, from 1 independent organisation (1 names no organisation and cannot show independence); 2 needed',
    );
    expect(
      checkGate(g, 'sdk-innovation', {
        ...strong,
        evidence: [{ kind: 'community-use', organisation: 'A', sdk: 'ruby' }],
      }).passed,
    ).toBe(true);
  });

  it('finds the highest layer the evidence supports', () => {
    expect(highestSupportedLayer(g, strong)).toBe('specification');
    expect(highestSupportedLayer(g, { ...strong, supporters: [], evidence: [] })).toBe('working-group-artifact');
  });
});

describe('which layer?', () => {
  const no = { changesWire: false, allSdksMustChange: false, oneLanguageOnly: false, guidanceOnly: false };
  it('recommends the layer with the guide’s reasoning', () => {
    expect(recommendLayer({ ...no, changesWire: true }).layer).toBe('specification');
    expect(recommendLayer({ ...no, changesWire: true }).reasoning.join(' ')).toContain('cascading impact principle');
    expect(recommendLayer({ ...no, allSdksMustChange: true }).layer).toBe('sdk-alignment');
    expect(recommendLayer({ ...no, oneLanguageOnly: true }).layer).toBe('sdk-innovation');
    expect(recommendLayer({ ...no, guidanceOnly: true }).layer).toBe('supporting-resource');
    expect(recommendLayer(no).layer).toBe('working-group-artifact');
  });
});
