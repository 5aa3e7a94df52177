import { sql, type Kysely } from 'kysely';

// Prior work asks whether a draft is an existing item by its title (src/app/search/same-item.ts):
// an exact look-up, case aside, on both databases alike, instead of hoping the item is among the
// best ranked for its title's words (a one-word title such as "Governance" ranks by body).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index if not exists search_documents_title on search_documents (lower(title))`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
