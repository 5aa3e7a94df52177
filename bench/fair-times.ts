// Fair times at scale: 200 participants in the world's populated zones, a two-week window at
// 15-minute steps (1,344 candidate starts), best slots plus a rotated 6-meeting series.
// Run: node bench/fair-times.ts [--participants 200] [--days 14]
import { loadGovernance } from '../src/app/core/governance-file.ts';
import { FairTimes } from '../src/domain/meetings/fair-times.ts';

const arg = (name: string, d: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};
const n = arg('participants', 200);
const days = arg('days', 14);
const zones = Intl.supportedValuesOf('timeZone');
// a deterministic spread: every seventh zone, with a few people keeping their own windows
const participants = Array.from({ length: n }, (_, i) => ({
  handle: `p${i}`,
  timeZone: zones[(i * 7) % zones.length]!,
  ...(i % 5 === 0 ? { window: { start: '07:00', end: '15:00' } } : {}),
}));
const g = loadGovernance().meetings;
const settings = {
  workingHours: g.workingHours,
  sleepingHours: g.sleepingHours,
  stepMinutes: 15,
  penaltyHours: g.fairTimes.penaltyHours,
};
const from = '2026-12-01T00:00:00.000Z';
const to = new Date(Date.parse(from) + days * 86_400_000).toISOString();

const runs: number[] = [];
let result: ReturnType<FairTimes['bestSlots']> = [];
for (let r = 0; r < 7; r++) {
  const t0 = performance.now();
  const ft = new FairTimes(participants, 60, settings);
  result = ft.bestSlots(from, to, 5);
  ft.rotate(Array.from({ length: 6 }, (_, i) => new Date(Date.parse(from) + i * 7 * 86_400_000).toISOString()));
  runs.push(performance.now() - t0);
}
const first = runs[0]!;
runs.sort((a, b) => a - b);
const ft = new FairTimes(participants, 60, settings);
console.log(
  `fair times: ${n} participants in ${ft.groups.length} zone/window groups, ${days} days at 15-minute steps (${(days * 96).toLocaleString()} starts), best 5 + a 6-meeting rotation`,
);
console.log(
  `time per run: first ${first.toFixed(1)} ms (includes warm-up), median ${runs[3]!.toFixed(1)} ms, best ${runs[0]!.toFixed(1)} ms`,
);
console.log(
  `best slot ${result[0]!.startsAt}: ${result[0]!.inWindow}/${n} inside their window, worst seat ${result[0]!.worst}, fairness ${result[0]!.fairness}`,
);
