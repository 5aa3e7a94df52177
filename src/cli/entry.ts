// Start-up shim: V8's compile cache (kept in the OS temp folder) makes later starts of the
// same files faster; it must be on before the rest of wghub is imported.
import module from 'node:module';

module.enableCompileCache?.();
// `wghub [--database …] [--governance …] [--as …] mcp` takes a short path: a host waits about a
// second for its first answer over stdio (see mcp-entry.ts). Help and other flags go the long way.
const args = process.argv.slice(2);
const command = args.find(
  (a, i) => !a.startsWith('-') && !['--database', '--governance', '--as'].includes(args[i - 1]!),
);
if (command === 'mcp' && !args.some((a) => a === '--help' || a === '-h' || a === '--json')) {
  const { mcpEntry } = await import('./mcp-bundle.ts');
  await (await import(mcpEntry())).runMcpOverStdio(args);
} else {
  // the command tree runs from a function (main.ts) so tests can run it in their own process too
  const code = await (await import('./main.ts')).runWghub(args);
  if (code !== 0) process.exitCode = code;
}
