import type { Kysely } from 'kysely';

// Over https the session cookie is named __Host-wghub_session (src/http/web/session.ts), which a
// sibling subdomain cannot plant. A session started before that was handed out as wghub_session,
// which such a subdomain can; it is taken once under that name and handed back under the new one.
// 1 marks a session whose secret went out under the __Host- name (or was moved there): the old name
// never signs anyone into it, so a secret read from one's own browser cannot be planted under it.
// Rows already here went out under the old name: 0. (Later no session is moved at all: over https
// the old name signs nobody in, since a sibling could plant a session of its own under it.)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('web_sessions')
    .addColumn('host_cookie', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
