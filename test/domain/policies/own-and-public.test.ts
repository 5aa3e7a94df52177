// The policies of things with few actions: a person's notices and subscriptions (their own), a
// group's webhooks (its manageWebhooks), organisations, the public event log and imported
// documents. Each refusal is worded for the person reading it: no permission id, no path.
import { describe, expect, it } from 'vitest';
import { loadGovernance } from '../../../src/app/core/governance-file.ts';
import {
  artifactPolicy,
  eventLogPolicy,
  inboxPolicy,
  notificationPolicy,
  organisationListPolicy,
  organisationPolicy,
  refused,
  subscriptionPolicy,
  type Viewer,
  webhookListPolicy,
  webhookPolicy,
} from '../../../src/domain/policies/index.ts';

const g = loadGovernance();
const visitor: Viewer = { kind: 'visitor' };
const operator: Viewer = { kind: 'operator' };
const ada: Viewer = { kind: 'person', handle: 'ada', role: 'contributor', agreed: false };

describe('notices and subscriptions are their person’s own', () => {
  it('a person marks their unread notices and changes what they watch; a read one has nothing to mark', () => {
    expect(inboxPolicy(ada, { unread: 2 }).markAllRead.allowed).toBe(true);
    // with nothing unread there is nothing to mark: the inbox offers no button that does nothing
    expect(inboxPolicy(ada, { unread: 0 }).markAllRead).toEqual(refused('Everything here is already read'));
    expect(notificationPolicy(ada, { read: false }).markRead.allowed).toBe(true);
    expect(notificationPolicy(ada, { read: true }).markRead).toEqual(refused('This is already read'));
    expect(subscriptionPolicy(ada).change.allowed).toBe(true);
  });
  it('a visitor is asked to sign in; the operator is told to act as a person', () => {
    expect(notificationPolicy(visitor, { read: false }).markRead).toEqual(refused('Sign in first', 'sign-in'));
    expect(subscriptionPolicy(operator).change).toEqual(
      refused('Subscriptions belong to a person: act as one with --as HANDLE'),
    );
  });
});

describe('webhooks follow the group’s verdict on managing them', () => {
  it('the list’s add and each hook’s remove say the same as the group policy', () => {
    const no = refused("Only a group lead may manage the group's chat webhooks");
    expect(webhookListPolicy(no)).toEqual({ add: no });
    expect(webhookPolicy({ allowed: true })).toEqual({ remove: { allowed: true } });
  });
});

describe('organisations', () => {
  it('anyone signed in names one as their affiliation; a visitor signs in; the operator has none', () => {
    expect(organisationPolicy(g, ada).affiliate.allowed).toBe(true);
    expect(organisationPolicy(g, visitor).affiliate).toEqual(refused('Sign in first', 'sign-in'));
    expect(organisationPolicy(g, operator).affiliate).toEqual(
      refused("An affiliation is a person's own: act as one with --as HANDLE"),
    );
    expect(organisationListPolicy(g, ada).add.allowed).toBe(true);
    expect(organisationListPolicy(g, visitor).add.allowed).toBe(false);
  });
});

describe('the event log and imported documents', () => {
  it('the log is open to everyone to read and verify', () => {
    expect(eventLogPolicy()).toEqual({ read: { allowed: true }, verify: { allowed: true } });
  });
  it('a document is changed in its repository and imported by the operator only', () => {
    expect(artifactPolicy(operator).import.allowed).toBe(true);
    const forAda = artifactPolicy(ada);
    expect(forAda.import.allowed).toBe(false);
    expect(forAda.edit.allowed).toBe(false);
    for (const v of Object.values(forAda))
      if (!v.allowed) expect(v.reason).not.toMatch(/artifact\.|\/api\/|POST|PATCH/);
  });
});
