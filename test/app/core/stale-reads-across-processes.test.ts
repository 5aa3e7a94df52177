// docs/operations.md: "stale reads cannot lose writes, because updates still compare versions in
// the database". Two hubs on one database stand for two processes: B has read (and cached) a
// proposal, a charter and a meeting; A changes each; B's change from its read is refused, naming
// the version it read and the one stored, and A's change stays. Checked by the scripts of
// 2026-12-05 with three real `wghub serve` processes (15 rounds each, never two writes from one read).
import { describe, expect, it } from 'vitest';
import { createHub, type Hub } from '../../../src/app/core/hub.ts';
import { loadDemoCommunity } from '../../../src/app/demo/demo.ts';
import { getGroup, updateCharter } from '../../../src/app/groups/groups.ts';
import { getMeeting, updateMeeting } from '../../../src/app/meetings/meetings.ts';
import { getProposal, updateProposal } from '../../../src/app/proposals/proposals.ts';
import { openStore } from '../../../src/store/connect.ts';
import { databases } from '../../support/databases.ts';
import { asActor, openTestHub } from '../../support/hub.ts';

describe.each(databases)('a change made from a read another process has overtaken, on $name', (database) => {
  it('is refused for a proposal, a charter and a meeting, naming both versions, and the other change stays', async () => {
    const a = await openTestHub(database, '2026-12-01T09:00:00Z');
    const storeB = openStore(a.store.url);
    const b: Hub = createHub(storeB, a.governance, { clock: a.clock });
    try {
      await loadDemoCommunity(a, { work: true });
      const jonas = await asActor(a, 'jonas'); // P-1's author
      const lena = await asActor(a, 'lena-core');
      const cases = [
        {
          what: 'P-1',
          read: async (hub: Hub) => (await getProposal(hub, 'P-1')).version,
          write: (hub: Hub, v: number, title: string) => updateProposal(hub, jonas, 'P-1', v, { title }),
          stored: async (hub: Hub) => (await getProposal(hub, 'P-1')).title,
        },
        {
          what: 'group hosting',
          read: async (hub: Hub) => (await getGroup(hub, 'hosting')).version,
          write: (hub: Hub, v: number, name: string) => updateCharter(hub, lena, 'hosting', v, { name }),
          stored: async (hub: Hub) => (await getGroup(hub, 'hosting')).name,
        },
        {
          what: 'M-2',
          read: async (hub: Hub) => (await getMeeting(hub, 'M-2')).version,
          write: (hub: Hub, v: number, title: string) => updateMeeting(hub, lena, 'M-2', v, { title }),
          stored: async (hub: Hub) => (await getMeeting(hub, 'M-2')).title,
        },
      ];
      for (const c of cases) {
        const seenByB = await c.read(b); // B's read, cached by B
        expect(await c.read(b)).toBe(seenByB);
        await c.write(a, await c.read(a), `Changed through process A ${c.what}`);
        await expect(c.write(b, seenByB, `Changed through process B ${c.what}`)).rejects.toThrow(
          `you read version ${seenByB}, it is now version ${seenByB + 1}`,
        );
        // what is stored, as A reads it (B sees it once the change reaches it: at once on PostgreSQL
        // through LISTEN/NOTIFY in a served process, within 250 ms on SQLite)
        expect(await c.stored(a)).toBe(`Changed through process A ${c.what}`);
      }
    } finally {
      await storeB.close();
      await a.close();
    }
  });
});
