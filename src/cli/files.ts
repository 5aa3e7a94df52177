import { readFileSync } from 'node:fs';
import { invalid } from '../domain/errors.ts';

/** Reads a file named by a command-line option; a missing or unreadable file is bad input naming the option, not a crash. */
export function readOptionFile(option: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a folder, not a file'
          : code === 'EACCES'
            ? 'permission denied'
            : (e as Error).message;
    throw invalid(option, `cannot read ${file}: ${why}`);
  }
}
