// Counts the statements a hub sends its database, to hold a read's cost to a bound (a page that
// reads one row per linked thing goes unnoticed until it has hundreds). Wraps the hub's Kysely
// instance with a plugin: every query built or written with `sql` passes through it once.
import type { KyselyPlugin } from 'kysely';
import type { Hub } from '../../src/app/core/hub.ts';

export type QueryCounter = {
  /** Statements sent since the counter was made or last reset. */
  readonly count: number;
  /** The statements' SQL, for a failing assertion to show. */
  readonly statements: readonly string[];
  reset(): void;
};

/** From now on counts what `hub` (the same object the edges were given) sends its database. */
export function countQueries(hub: Hub): QueryCounter {
  const statements: string[] = [];
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      statements.push(args.node.kind);
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  hub.store = { ...hub.store, db: hub.store.db.withPlugin(plugin) };
  return {
    get count() {
      return statements.length;
    },
    statements,
    reset: () => {
      statements.length = 0;
    },
  };
}
