// Which bundled packages a checkout's start may load instead of the installed ones (bin/start.mjs).
// kysely ships as about 260 small ES modules; scripts/build-vendor.ts bundles it into
// dist/vendor/kysely.js (on `npm install` and `npm run build`), which loads in a tenth of the time.
// The bundle is used only while the installed kysely is the one it was built from (the very text of
// its package.json), so an upgrade not yet rebuilt, or a missing bundle, loads the package as before.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The bundle's URL when it was built from the installed kysely, else null. `installed` is where
 * the start resolves 'kysely' (a file URL, `import.meta.resolve('kysely')`); `root` the checkout.
 */
export function vendoredKysely(root, installed) {
  try {
    const built = JSON.parse(readFileSync(path.join(root, 'dist/vendor/kysely.json'), 'utf8')).packageJson;
    const bundle = path.join(root, 'dist/vendor/kysely.js');
    for (let dir = path.dirname(fileURLToPath(installed)); ; dir = path.dirname(dir)) {
      const manifest = path.join(dir, 'package.json');
      if (existsSync(manifest)) {
        const text = readFileSync(manifest, 'utf8');
        if (JSON.parse(text).name === 'kysely')
          return text === built && existsSync(bundle) ? pathToFileURL(bundle).href : null;
      }
      if (path.dirname(dir) === dir) return null;
    }
  } catch {
    return null; // no bundle built, or kysely not installed where expected: the package as usual
  }
}
