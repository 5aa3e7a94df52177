// Asking for review of a proposal, decided by the proposal policy alone: the state first (an end
// state, nobody to ask), then who (its authors, signed in, agreements accepted, a person), then how
// often (once per notifications.reviewRequestHours per proposal), each refusal in words.
import { describe, expect, it } from 'vitest';
import { loadGovernance } from '../../../src/app/core/governance-file.ts';
import {
  reviewRequestPolicy,
  type ProposalFacts,
  type ReviewFacts,
  type Viewer,
} from '../../../src/domain/policies/index.ts';

const g = loadGovernance();
const NOW = '2026-12-03T12:00:00.000Z';
const hoursBefore = (h: number) => new Date(new Date(NOW).getTime() - h * 3_600_000).toISOString();

const ana: Viewer = { kind: 'person', handle: 'ana', role: 'contributor', agreed: true };
const author = { relations: ['author'] as const };
const facts = (review: Partial<ReviewFacts> = {}, more: Partial<ProposalFacts> = {}): ProposalFacts => ({
  route: 'sep',
  stage: 'draft',
  examples: 1,
  sponsor: 'other',
  topLayer: false,
  inGroup: true,
  closed: false,
  review: { askOf: 'sponsor', lastAskedAt: null, now: NOW, ...review },
  ...more,
});

describe('who may ask for review, and how often', () => {
  it('an author may ask the sponsor, or the leads of a proposal without one', () => {
    expect(reviewRequestPolicy(g, ana, author, facts())).toEqual({ allowed: true });
    expect(reviewRequestPolicy(g, ana, author, facts({ askOf: 'leads' }, { sponsor: 'none' }))).toEqual({
      allowed: true,
    });
  });

  it('someone who is not an author, a visitor, a newcomer and the operator are refused, each saying why', () => {
    expect(reviewRequestPolicy(g, ana, { groupLevel: 'lead' }, facts())).toEqual({
      allowed: false,
      reason: 'Only its authors may ask for its review',
    });
    expect(reviewRequestPolicy(g, { kind: 'visitor' }, {}, facts())).toMatchObject({
      allowed: false,
      remedy: 'sign-in',
    });
    expect(reviewRequestPolicy(g, { ...ana, agreed: false }, author, facts())).toMatchObject({
      allowed: false,
      remedy: 'accept-agreements',
    });
    expect(reviewRequestPolicy(g, { kind: 'operator' }, {}, facts())).toEqual({
      allowed: false,
      reason: 'Review is asked for by a person: act as one with --as HANDLE',
    });
  });

  it('an end state, or nobody to ask, is refused before who asks', () => {
    expect(reviewRequestPolicy(g, ana, author, facts({}, { stage: 'final', closed: true }))).toEqual({
      allowed: false,
      reason: 'It is final, an end state: there is nothing left to review',
    });
    expect(reviewRequestPolicy(g, ana, author, facts({ askOf: 'nobody' }, { sponsor: 'viewer' }))).toEqual({
      allowed: false,
      reason: 'You are its sponsor yourself',
    });
    expect(reviewRequestPolicy(g, ana, author, facts({ askOf: 'nobody' }, { sponsor: 'none' }))).toEqual({
      allowed: false,
      reason: 'It has no sponsor, and its group has no lead but you to ask',
    });
    expect(
      reviewRequestPolicy(g, ana, author, facts({ askOf: 'nobody' }, { sponsor: 'none', inGroup: false })),
    ).toEqual({
      allowed: false,
      reason: 'It has no sponsor and belongs to no group whose leads could take it on',
    });
  });

  it('once per reviewRequestHours: refused with how long ago and how long to wait, allowed again after', () => {
    expect(g.notifications.reviewRequestHours).toBe(24);
    expect(reviewRequestPolicy(g, ana, author, facts({ lastAskedAt: hoursBefore(0.25) }))).toEqual({
      allowed: false,
      reason: 'Review was asked for less than an hour ago; it may be asked again in 24 hours (once every 24 hours)',
    });
    expect(reviewRequestPolicy(g, ana, author, facts({ lastAskedAt: hoursBefore(22.5) }))).toEqual({
      allowed: false,
      reason: 'Review was asked for 22 hours ago; it may be asked again in 2 hours (once every 24 hours)',
    });
    expect(reviewRequestPolicy(g, ana, author, facts({ lastAskedAt: hoursBefore(23.99) })).allowed).toBe(false);
    expect(reviewRequestPolicy(g, ana, author, facts({ lastAskedAt: hoursBefore(24) }))).toEqual({ allowed: true });
    // the number is the governance file's
    const weekly = { ...g, notifications: { ...g.notifications, reviewRequestHours: 168 } };
    expect(reviewRequestPolicy(weekly, ana, author, facts({ lastAskedAt: hoursBefore(30) }))).toEqual({
      allowed: false,
      reason: 'Review was asked for 30 hours ago; it may be asked again in 138 hours (once every 168 hours)',
    });
  });
});
