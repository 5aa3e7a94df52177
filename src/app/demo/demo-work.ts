// Demo proposals and decisions, so every page of a fresh `npm start` has something to show:
// proposals at several stages of the guide's route (an idea, one in community discussion with
// support and a comment, one refining), an open decision with a consent, a concern and a block,
// and a decision that went to a vote. Built with the same use cases as everything else.
import type { Actor, Hub } from '../core/hub.ts';
import { castVote, openDecision, requestVote, respondToDecision } from '../decisions/decisions.ts';
import { addComment } from '../proposals/comments.ts';
import { createProposal, moveProposal, supportProposal } from '../proposals/proposals.ts';

const DAY = 86_400_000;

export async function loadDemoWork(hub: Hub, as: Record<string, Actor>): Promise<void> {
  const now = hub.clock.now().getTime();
  const inDays = (d: number) => new Date(now + d * DAY).toISOString();

  // An idea, just written down
  await createProposal(hub, as['jonas']!, {
    title: 'Retry guidance for clients behind flaky gateways',
    problem:
      'Clients retry requests in different ways when a gateway drops the connection, so servers see duplicated tool calls.',
    examples: ['Our gateway restarts every night and two clients re-sent the same tool call'],
    interests: 'We need retries that never run a tool twice.',
    layer: 'supporting-resource',
    group: 'hosting',
  });

  // In community discussion, with support from two organisations and a comment
  const affinity = await createProposal(hub, as['priya']!, {
    title: `Session affinity guide for load-balanced ${hub.governance.community.protocol} servers`,
    problem: `Teams hosting ${hub.governance.community.protocol} servers behind load balancers lose sessions when requests land on another process, and each team rediscovers the same configuration.`,
    examples: [
      'A hosted server lost every session during a rolling deploy',
      'Two teams wrote the same sticky-session configuration for different gateways',
    ],
    interests: 'Hosted deployments need sessions that survive scaling, without tying the specification to one vendor.',
    layer: 'working-group-artifact',
    group: 'hosting',
    topicArea: 'horizontal-scaling',
  });
  await moveProposal(hub, as['priya']!, affinity.ref, { to: 'prior-work-checked' });
  await moveProposal(hub, as['priya']!, affinity.ref, { to: 'community-discussion' });
  await supportProposal(hub, as['jonas']!, affinity.ref);
  await supportProposal(hub, as['sam-lead']!, affinity.ref);
  await addComment(hub, as['jonas']!, affinity.ref, {
    body: 'We can share the three gateway configurations we run, with traces. Envoy with consistent hashing has worked best for us.',
  });

  // Refining, after discussion and tracking
  const poisoning = await createProposal(hub, as['priya']!, {
    title: 'Tool description review checklist',
    problem:
      'Clients show tool descriptions to models without review, and malicious descriptions have redirected tool calls in practice.',
    examples: ['A tool description asked the model to send file contents to another server'],
    interests: 'Implementers need a short checklist they can apply before trusting a new server.',
    layer: 'supporting-resource',
    group: 'security',
    topicArea: 'tool-poisoning',
  });
  for (const to of ['prior-work-checked', 'community-discussion', 'tracked', 'forum-discussion', 'refining'])
    await moveProposal(hub, as['priya']!, poisoning.ref, { to });

  // An open decision: one consent, a concern with an amendment, a block with an alternative
  const open = await openDecision(hub, as['sam-lead']!, {
    group: 'hosting',
    subject: { type: 'proposal', ref: affinity.ref },
    question: 'Adopt the session affinity guide as a working-group artifact of the Hosting group?',
    description: 'The outline was agreed at the coordination meeting; this decides whether the group owns the guide.',
    significance: 'minor',
    deadline: inDays(6),
  });
  await respondToDecision(hub, as['priya']!, open.ref, { kind: 'consent' });
  await respondToDecision(hub, as['jonas']!, open.ref, {
    kind: 'concern',
    reason: 'The guide names one gateway product in its examples.',
    amendment: 'Show every configuration for at least two gateways.',
  });
  await respondToDecision(hub, as['sam-lead']!, open.ref, {
    kind: 'block',
    reason:
      'The guide would recommend sticky sessions before we know whether the stateless transport work makes them unnecessary.',
    alternative: 'Adopt it as a draft and revisit it once the transport decision on stateless sessions is made.',
  });

  // A decision that went to a vote
  const vote = await openDecision(hub, as['sam-lead']!, {
    group: 'hosting',
    subject: { type: 'process' },
    question: 'Move the fortnightly coordination meeting to 17:00 UTC?',
    description: 'Two members in Asia cannot attend 16:00 UTC during the northern winter.',
    significance: 'minor',
    deadline: inDays(8),
  });
  await requestVote(hub, as['sam-lead']!, vote.ref);
  await castVote(hub, as['priya']!, vote.ref, { choice: 'yes', rationale: 'I can attend at 17:00 UTC.' });
}
