// One answer to "may this person do this, now?": a pure policy per object, deciding from plain
// facts and the governance file. The app's gate (src/app/core/gate.ts) is the only caller that throws.
export * from './verdict.ts';
export * from './viewer.ts';
export * from './rules.ts';
export * from './decision.ts';
export * from './wording.ts';
export * from './meeting.ts';
export * from './group.ts';
export * from './github.ts';
export * from './comment.ts';
export * from './evidence.ts';
export * from './proposal.ts';
export * from './person.ts';
export * from './webhook.ts';
export * from './notification.ts';
export * from './organisation.ts';
export * from './log.ts';
export * from './artifact.ts';
export * from './invitation.ts';
