// Reading the files an import names: a folder that is not one, a file that is a folder, an
// unreadable or oversized file become clear input errors or skipped files, never a crash.
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { invalid } from '../../domain/errors.ts';
import { LIMITS } from '../../domain/limits.ts';
import { fileTextProblem } from '../../domain/text.ts';

export function requireFolder(dir: string, field = 'dir'): void {
  if (!existsSync(dir)) throw invalid(field, `${dir} does not exist`);
  if (!statSync(dir).isDirectory()) throw invalid(field, `${dir} is a file, not a folder`);
}

/**
 * The file's text, or why it is skipped (a folder named like a file, too large, unreadable, a NUL
 * or an escape in it, or a link out of `root`, the folder imported: a cloned repository's link to
 * the hub's own secrets or /proc would otherwise be imported and published).
 */
export function readSourceFile(file: string, root: string): { text: string } | { skipped: string } {
  try {
    const within = path.relative(realpathSync(root), realpathSync(file));
    if (within === '' || within.startsWith('..') || path.isAbsolute(within))
      return { skipped: 'is a link to a file outside the folder imported (only files inside it are read)' };
    const s = statSync(file);
    if (!s.isFile()) return { skipped: 'is a folder, not a file' };
    if (s.size > LIMITS.imports.fileBytes) return { skipped: `is larger than ${LIMITS.imports.fileBytes} bytes` };
    const text = readFileSync(file, 'utf8');
    const problem = fileTextProblem(text);
    return problem ? { skipped: problem } : { text };
  } catch (e) {
    return { skipped: `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
}
