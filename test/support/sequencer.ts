// Longest test files first, by the durations of the last clean-clone CI run (durations.json,
// refreshed with scripts/test-durations.ts). Vitest orders by its own cache, which a clean checkout
// lacks; it then runs larger files first, and small files that drive a slow browser (the widths
// journeys) came last, leaving one of the two lanes idle for their whole length.
import { readFileSync } from 'node:fs';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const seconds: Record<string, number> = JSON.parse(readFileSync(new URL('./durations.json', import.meta.url), 'utf8'));
// a file new since the list was written: assume it is of middling length
const UNKNOWN = 10;

function durationOf(spec: TestSpecification): number {
  const id = spec.moduleId;
  return seconds[id.slice(id.lastIndexOf('/test/') + 1)] ?? UNKNOWN;
}

export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return [...files].sort(
      (a, b) =>
        a.project.config.sequence.groupOrder - b.project.config.sequence.groupOrder || durationOf(b) - durationOf(a),
    );
  }
}
