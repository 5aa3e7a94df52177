// Small pieces every benchmark needs: a free loopback port, a percentile, a served hub's settings.
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
    s.on('error', reject);
  });
}

/** The p-th percentile (0–100) of a list of figures, nearest rank. */
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

/**
 * The environment of a `wghub serve` a benchmark starts: a SQLite file in `dir` and the default rules
 * with rate limits off (the point is what a request costs once admitted).
 */
export function servedHubEnv(root: string, dir: string): NodeJS.ProcessEnv {
  const governance = path.join(dir, 'governance.yaml');
  const rules = readFileSync(path.join(root, 'governance/default.yaml'), 'utf8');
  if (!/^rateLimits:\n {2}enabled: true$/m.test(rules))
    throw new Error('governance/default.yaml: rateLimits.enabled not found');
  writeFileSync(governance, rules.replace(/^rateLimits:\n {2}enabled: true$/m, 'rateLimits:\n  enabled: false'));
  return {
    ...process.env,
    WGHUB_DATABASE_URL: `sqlite:${path.join(dir, 'bench.sqlite')}`,
    WGHUB_GOVERNANCE: governance,
  };
}
