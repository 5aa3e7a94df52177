// Which handlers a request's method and path reach, remembered: the hub's route table is fixed once
// the app is built, so the same method and path always match the same handlers with the same
// parameters. Hono's SmartRouter keeps its trie router for the hub's routes (the RegExp router
// cannot take them), and a trie search walks every segment, builds parameter objects and sorts the
// handlers it found: about 2.5 KB of garbage on every read of a group, the same for each. A bounded
// map of recent answers serves a repeated path with none of that; a flood of distinct paths (every
// reference is new) only empties the map now and then.
import type { Router } from 'hono/router';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { SmartRouter } from 'hono/router/smart-router';
import { TrieRouter } from 'hono/router/trie-router';

/** Method and path pairs remembered at most; past this the map starts again empty. */
export const MATCHES_KEPT = 1_000;

type Match<T> = ReturnType<Router<T>['match']>;

/**
 * A router that remembers its last MATCHES_KEPT answers by method and path, over Hono's default
 * (the SmartRouter of a RegExp and a trie router). A route added empties what it remembers. The
 * answers are shared between requests: Hono only reads them (`c.req.param()` gives a copy).
 */
export class RememberingRouter<T> implements Router<T> {
  readonly name: string;
  readonly #inner: Router<T>;
  readonly #kept = new Map<string, Match<T>>();
  readonly #size: number;

  constructor(
    inner: Router<T> = new SmartRouter<T>({ routers: [new RegExpRouter<T>(), new TrieRouter<T>()] }),
    size = MATCHES_KEPT,
  ) {
    this.#inner = inner;
    this.#size = size;
    this.name = `remembering ${inner.name}`;
  }

  add(method: string, path: string, handler: T): void {
    this.#kept.clear();
    this.#inner.add(method, path, handler);
  }

  match(method: string, path: string): Match<T> {
    const key = `${method} ${path}`;
    let found = this.#kept.get(key);
    if (found === undefined) {
      found = this.#inner.match(method, path);
      if (this.#kept.size >= this.#size) this.#kept.clear();
      this.#kept.set(key, found);
    }
    return found;
  }
}
