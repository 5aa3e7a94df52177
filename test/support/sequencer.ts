// Longest test files first, by the durations of the last clean-clone CI run (durations.json,
// refreshed with scripts/test-durations.ts). Vitest orders by its own cache, which a clean checkout
// lacks; it then runs larger files first, and small files that drive a slow browser (the widths
// journeys) came last, leaving one of the two lanes idle for their whole length.
//
// With `--sequence.shuffle` the files are shuffled too, by `--sequence.seed`, as vitest's own
// sequencer does (a configured sequencer replaces it, and vitest then shuffles only the tests within
// each file): test files share their worker process, so a file that leaves something changed in it
// shows as a failure in whichever file follows, and a shuffled order finds it.
import { readFileSync } from 'node:fs';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const seconds: Record<string, number> = JSON.parse(readFileSync(new URL('./durations.json', import.meta.url), 'utf8'));
// a file new since the list was written: assume it is of middling length
const UNKNOWN = 10;

function durationOf(spec: TestSpecification): number {
  const id = spec.moduleId;
  return seconds[id.slice(id.lastIndexOf('/test/') + 1)] ?? UNKNOWN;
}

/** The same order for the same seed and files (mulberry32 driving a Fisher–Yates shuffle). */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0;
  const random = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const { shuffle, seed } = this.ctx.config.sequence;
    const byPath = [...files].sort(
      (a, b) => a.moduleId.localeCompare(b.moduleId) || a.project.name.localeCompare(b.project.name),
    );
    const ordered = shuffle ? shuffled(byPath, seed ?? 0) : byPath;
    return ordered.sort(
      (a, b) =>
        a.project.config.sequence.groupOrder - b.project.config.sequence.groupOrder ||
        (shuffle ? 0 : durationOf(b) - durationOf(a)),
    );
  }
}
