// Each PostgreSQL test runs in a schema of its own, named after the test process (t_<pid>_…).
// Schemas are dropped here, once before and once after the whole run, and only those whose
// process has ended (the test processes keep the schemas their tests closed: pg-recycle.ts):
// another run on the same server (a second checkout's tests) may be using the rest.
import pg from 'pg';

const PG_URL = process.env.WGHUB_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function dropTestSchemas(opts: { ours: boolean }): Promise<void> {
  if (PG_URL === 'off') {
    console.warn('WGHUB_TEST_PG_URL=off: the PostgreSQL half of the store tests is NOT run');
    return;
  }
  const client = new pg.Client({ connectionString: PG_URL });
  try {
    await client.connect();
  } catch {
    return; // the tests themselves report an unreachable server, with what to do about it
  }
  try {
    const { rows } = await client.query<{ nspname: string }>(
      "select nspname from pg_namespace where nspname like 't\\_%'",
    );
    for (const r of rows) {
      const pid = Number(r.nspname.split('_')[1]);
      if (processAlive(pid) && !(opts.ours && pid === process.pid)) continue;
      await client.query(`drop schema if exists "${r.nspname}" cascade`);
    }
    // RUM (ranked search inside the index) is installed by .ci/run; creating the extension once here
    // keeps parallel migrations from racing to create it (the loser would search without it)
    await client
      .query(
        "select 1 from pg_available_extensions where name = 'rum' and exists (select 1 from pg_namespace where nspname = 'public')",
      )
      .then((r) => (r.rowCount ? client.query('create extension if not exists rum schema public') : null))
      .catch(() => undefined);
  } finally {
    await client.end();
  }
}

export async function setup(): Promise<() => Promise<void>> {
  await dropTestSchemas({ ours: false });
  return () => dropTestSchemas({ ours: true });
}
