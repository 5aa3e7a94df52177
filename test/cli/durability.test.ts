// A write the API acknowledged survives kill -9 of the server.
import { describe, expect, it } from 'vitest';
import { databaseForProcess, databases } from '../support/databases.ts';
import { runCli, startHub, stop, storedHandles } from '../support/process.ts';

describe.each(databases)('nothing lost on $name', (database) => {
  it('every acknowledged write is there after kill -9 and a restart', async () => {
    const db = await databaseForProcess(database);
    const env = { WGHUB_DATABASE_URL: db.url };
    const hub = await startHub(env);
    const made = await runCli(['token', 'create', '--person', 'lena-core', '--json'], env);
    expect(made.code).toBe(0);
    const token = JSON.parse(made.stdout).token as string;
    const acknowledged: string[] = [];
    let stopLoop = false;
    const loop = (async () => {
      for (let i = 0; i < 5000 && !stopLoop; i++) {
        const handle = `writer-${i}`;
        try {
          const r = await fetch(`${hub.base}/api/people`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
            body: JSON.stringify({ handle, name: `Writer ${i}`, timeZone: 'UTC' }),
          });
          if (r.status === 201) acknowledged.push(handle);
        } catch {
          return; // the server is gone
        }
      }
    })();
    while (acknowledged.length < 40) await new Promise((r) => setTimeout(r, 10));
    await stop(hub, 'SIGKILL');
    stopLoop = true;
    await loop;

    const again = await startHub(env);
    try {
      const stored = await storedHandles(again.base);
      const lost = acknowledged.filter((h) => !stored.has(h));
      expect(acknowledged.length).toBeGreaterThanOrEqual(40);
      expect(lost).toEqual([]);
      const verified = await (await fetch(`${again.base}/api/events/verify`)).json();
      expect(verified.ok).toBe(true);
    } finally {
      await stop(again);
      db.cleanup();
    }
  }, 90_000); // two server starts and a write loop: slow on a loaded 2-core machine
});
