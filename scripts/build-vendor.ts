// Bundles kysely into one file, dist/vendor/kysely.js, for a checkout's starts (bin/start.mjs):
// kysely ships as about 260 small ES modules, and resolving and loading them was about 100 ms of
// CPU of every `wghub` start from src/ (one file: about 10 ms). Beside it, dist/vendor/kysely.json
// keeps the package.json of the kysely it was built from; bin/vendor.mjs uses the bundle only while
// the installed kysely's package.json is that very text, so an upgrade without a rebuild loads the
// package as before. Runs on `npm install` (prepare) and `npm run build`.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { build } from 'rolldown';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'dist/vendor');
const manifest = path.join(path.dirname(createRequire(path.join(root, 'package.json')).resolve('kysely')), '../..');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  cwd: root,
  input: { kysely: 'kysely' },
  platform: 'node',
  logLevel: 'warn',
  output: { dir: out, format: 'esm', entryFileNames: '[name].js' },
});
writeFileSync(
  path.join(out, 'kysely.json'),
  JSON.stringify({ packageJson: readFileSync(path.join(manifest, 'package.json'), 'utf8') }),
);
console.log(`bundled kysely into ${path.relative(root, out)}/kysely.js`);
