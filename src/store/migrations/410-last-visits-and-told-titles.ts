import type { Kysely } from 'kysely';

// "Since your last visit" on a member's home was when their previous web session started: a second
// device or a quick sign-in again emptied it, a session used for two weeks kept it two weeks old. It
// is now when they last looked at their home, kept per person (app/home/last-visit.ts).
//
// Seeded so that no one loses what their home would have shown them: the moment it compared with
// before, the start of the session before their newest, becomes the last time their home was seen,
// so their first home after the upgrade lists what happened since then, as it did.
//
// A decision's notices that asked for an answer ("D-1 closes soon and waits for your answer") are
// retitled once it moves on ("D-1 was closing soon, then has closed, adopted by vote"): the title its
// reader was told is kept in told_title, for the proof of who was told what (notifications/proof.ts).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('notifications').addColumn('told_title', 'text').execute();
  await db.schema
    .createTable('home_visits')
    .ifNotExists()
    .addColumn('person_id', 'text', (c) => c.primaryKey().references('people.id'))
    .addColumn('seen_at', 'text', (c) => c.notNull())
    .addColumn('since', 'text')
    .execute();
  // finished sessions are pruned to each person's newest, so this reads a few rows per person
  const sessions: { person_id: string; created_at: string }[] = await db
    .selectFrom('web_sessions')
    .select(['person_id', 'created_at'])
    .orderBy('person_id')
    .orderBy('created_at', 'desc')
    .execute();
  const seen = new Map<string, string[]>();
  for (const s of sessions) {
    const starts = seen.get(s.person_id) ?? [];
    if (starts.length < 2) starts.push(s.created_at);
    seen.set(s.person_id, starts);
  }
  const rows = [...seen]
    .filter(([, starts]) => starts.length === 2)
    .map(([person_id, starts]) => ({ person_id, seen_at: starts[1]!, since: starts[1]! }));
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('home_visits')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.column('person_id').doNothing())
      .execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
