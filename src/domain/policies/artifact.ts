// Working-group artifacts (guides, RFCs, research, meeting notes) are mirrored from the group's
// repository: nobody edits them on the hub, and only the operator imports them, from files the
// hub's machine can read.
import { ALLOWED, refused, type Can } from './verdict.ts';
import type { Viewer } from './viewer.ts';

export const ARTIFACT_ACTIONS = ['edit', 'import'] as const;
export type ArtifactAction = (typeof ARTIFACT_ACTIONS)[number];

export function artifactPolicy(viewer: Viewer): Can<ArtifactAction> {
  return {
    edit: refused(
      "This document is kept in the working group's repository: change it there, and the next import brings the change",
    ),
    import:
      viewer.kind === 'operator'
        ? ALLOWED
        : refused("Documents are imported from the working group's repository by the hub's operator"),
  };
}
