// Which module runs `wghub mcp`: the bundle in dist/mcp-stdio/ (scripts/build-mcp-stdio.ts) when it
// is newer than every source file, else the sources themselves, so an edit is never hidden by a
// stale bundle. The check costs a few milliseconds of stat calls; the bundle saves most of a second.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const here = import.meta.dirname;

export function mcpEntry(): string {
  const source = new URL('./mcp-entry.ts', import.meta.url).href;
  // an installed package runs dist/cli/; a checkout runs src/cli/ beside dist/
  const bundle = path.resolve(here, '../../dist/mcp-stdio/mcp-entry.js');
  const src = path.resolve(here, '..');
  let built: number;
  try {
    built = statSync(bundle).mtimeMs;
  } catch {
    return here.includes(`${path.sep}dist${path.sep}`) ? new URL('./mcp-entry.js', import.meta.url).href : source;
  }
  if (path.basename(src) === 'src' && newestBelow(src) > built) return source;
  return pathToFileURL(bundle).href;
}

function newestBelow(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const m = statSync(path.join(entry.parentPath, entry.name)).mtimeMs;
    if (m > newest) newest = m;
  }
  return newest;
}
