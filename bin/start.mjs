// How bin/wghub starts a checkout's `src/` (plain JavaScript, so Node strips no types to read it):
// V8's compile cache is on before the first TypeScript module is loaded. A module found in the
// cache is not type-stripped again, so once every module of a start is in it (the second start of
// the same sources), Node never loads its TypeScript stripper at all, about 17 MB of memory a
// process (bench/http.ts's idle RSS). src/cli/entry.ts turned the cache on too, but being
// TypeScript itself it was stripped first, which loaded the stripper on every start.
//
// kysely is loaded from one bundled file when one was built from the installed version
// (bin/vendor.mjs): its 260 modules were about 100 ms of CPU of every start.
import module from 'node:module';
import { vendoredKysely } from './vendor.mjs';

module.enableCompileCache?.();
const kysely = vendoredKysely(import.meta.dirname + '/..', import.meta.resolve('kysely'));
if (kysely)
  module.registerHooks?.({
    resolve: (specifier, context, next) =>
      specifier === 'kysely' ? { url: kysely, format: 'module', shortCircuit: true } : next(specifier, context),
  });
await import('../src/cli/entry.ts');
