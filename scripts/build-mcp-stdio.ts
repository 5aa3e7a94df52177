// Bundles `wghub mcp`'s short path (src/cli/mcp-entry.ts and everything it loads) into a few
// JavaScript files under dist/mcp-stdio/. A host gives an MCP server about a second to answer its
// first message over stdio; most of a cold start from src/ is Node resolving, reading and
// type-stripping hundreds of small modules (kysely, zod, the SDK, wghub's own), which one bundle
// avoids (bench/mcp-stdio-start.ts). Runs on `npm install` (prepare) and `npm run build`;
// src/cli/entry.ts uses the bundle only while it is newer than every file under src/.
// Native and optional drivers stay outside the bundle and load from node_modules as usual.
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'rolldown';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'dist/mcp-stdio');
rmSync(out, { recursive: true, force: true });
await build({
  input: { 'mcp-entry': path.join(root, 'src/cli/mcp-entry.ts') },
  platform: 'node',
  external: ['better-sqlite3', 'pg', 'pg-native', 'pg-cursor', 'pg-query-stream'],
  logLevel: 'warn',
  output: { dir: out, format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
});
// bin/wghub starts a checkout's `wghub mcp` here when no source is newer than the bundle: plain
// JavaScript, so Node loads no TypeScript stripper and src/cli/mcp-bundle.ts walks no folder.
writeFileSync(
  path.join(out, 'start.js'),
  [
    '// Written by scripts/build-mcp-stdio.ts: what src/cli/entry.ts does for `wghub mcp`, without TypeScript.',
    "import module from 'node:module';",
    'module.enableCompileCache?.();',
    "await (await import('./mcp-entry.js')).runMcpOverStdio(process.argv.slice(2));",
    '',
  ].join('\n'),
);
console.log(`bundled wghub mcp into ${path.relative(root, out)}/`);
