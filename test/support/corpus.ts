import { readdirSync } from 'node:fs';
import path from 'node:path';

/** The shared corpus of real MCP governance files, beside the checkout (or WGHUB_CORPUS_DIR). */
export const CORPUS =
  process.env.WGHUB_CORPUS_DIR ?? path.resolve(import.meta.dirname, '../../../shared/corpus/mcp-governance');
export const COMMUNITY_DOCS = path.join(CORPUS, 'spec-repo/docs/community');

export function charterFiles(): string[] {
  return ['working-groups', 'interest-groups'].flatMap((d) =>
    readdirSync(path.join(COMMUNITY_DOCS, d))
      .filter((f) => f.endsWith('.mdx'))
      .map((f) => path.join(COMMUNITY_DOCS, d, f)),
  );
}
