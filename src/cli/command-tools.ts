// What main.ts hands every command module: the one runner behind a command's body — open the hub
// for the global options acting as --as (else the operator), call the use case, print its text or
// --json, close — so a command states only its use case and how its answer reads. Errors are
// reported once, with their exit code, by main.ts (errors.ts).
import type { Actor, Hub } from '../app/core/hub.ts';

export type Globals = { database?: string; governance?: string; as?: string; json?: boolean };

export type CommandTools = {
  /** Opens the hub, acting as --as (else the operator), and closes it after `fn`. */
  withHub<T>(fn: (hub: Hub, actor: Actor) => Promise<T>): Promise<T>;
  /** Prints `text()`, or the value as JSON under --json. */
  print(value: unknown, text: () => string): void;
  /** The body of most commands: `withHub`, then `print` what the use case returned. */
  report<T>(run: (hub: Hub, actor: Actor) => Promise<T>, text: (value: T) => string): Promise<void>;
  globals(): Globals;
  /**
   * A help text in the community's words (its document route's title and short name, from the
   * governance file): main.ts reads the file only for the commands whose help names them, and
   * elsewhere the text stays in the default's words.
   */
  words(text: string): string;
};

/** A repeatable option's values, in the order given (commander's option parser for `--x A --x B`). */
export const collect = (v: string, prev: string[]): string[] => [...prev, v];

/**
 * An --if-version as `show` prints it, digits only (Number() read 0x3 as 3 and 1e0 as 1); anything
 * else goes on as NaN, for the use case to refuse naming the version.
 */
export const asVersion = (v: string) => (/^\d{1,15}$/.test(v.trim()) ? Number(v) : Number.NaN);

/** Every item of a paged list, page after page: the CLI prints a whole list, not its first page. */
export async function allPages<T>(
  page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string | null }>,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const p = await page(cursor);
    items.push(...p.items);
    cursor = p.nextCursor ?? undefined;
  } while (cursor);
  return items;
}
