// Start-up shim: V8's compile cache (kept in the OS temp folder) makes later starts of the
// same files faster; it must be on before the rest of wghub is imported.
import module from 'node:module';

module.enableCompileCache?.();
await import('./main.ts');
