// Which handlers a request's method and path reach, remembered: the hub's route table is fixed once
// the app is built, so the same method and path always match the same handlers with the same
// parameters. Hono's SmartRouter keeps its trie router for the hub's routes (the RegExp router
// cannot take them), and a trie search walks every segment, builds parameter objects and sorts the
// handlers it found: about 2.5 KB of garbage on every read of a group, the same for each. A bounded
// map of recent answers serves a repeated path with none of that; a flood of distinct paths (every
// reference is new) only empties the map now and then. Only paths that reach a route, and no longer
// than LIMITS.rememberedPathChars, are remembered: a flood of 404s or of long paths is answered as
// before but neither holds memory nor pushes out the paths read often.
import type { Router } from 'hono/router';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { SmartRouter } from 'hono/router/smart-router';
import { TrieRouter } from 'hono/router/trie-router';
import type { RouterRoute } from 'hono/types';
import { LIMITS } from '../domain/limits.ts';

/** Method and path pairs remembered at most; past this the map starts again empty. */
export const MATCHES_KEPT = 1_000;

type Match<T> = ReturnType<Router<T>['match']>;

/**
 * Whether one of a Hono app's handlers is a route's own rather than middleware on a wildcard path
 * (`app.use('*', …)`), which every path reaches, a 404's too.
 */
export function isRouteHandler<H>(handler: [H, RouterRoute]): boolean {
  return !handler[1].path.endsWith('*');
}

/**
 * A router that remembers its last MATCHES_KEPT answers by method and path, over Hono's default
 * (the SmartRouter of a RegExp and a trie router). A route added empties what it remembers. The
 * answers are shared between requests: Hono only reads them (`c.req.param()` gives a copy). A path
 * longer than LIMITS.rememberedPathChars, or whose handlers include none for which `isRoute` holds
 * (by default: no handler at all), is looked up every time and never remembered.
 */
export class RememberingRouter<T> implements Router<T> {
  readonly name: string;
  readonly #inner: Router<T>;
  readonly #kept = new Map<string, Match<T>>();
  readonly #size: number;
  readonly #isRoute: (handler: T) => boolean;

  constructor(
    inner: Router<T> = new SmartRouter<T>({ routers: [new RegExpRouter<T>(), new TrieRouter<T>()] }),
    size = MATCHES_KEPT,
    isRoute: (handler: T) => boolean = () => true,
  ) {
    this.#inner = inner;
    this.#size = size;
    this.#isRoute = isRoute;
    this.name = `remembering ${inner.name}`;
  }

  /** How many method and path pairs are remembered now. */
  get remembered(): number {
    return this.#kept.size;
  }

  add(method: string, path: string, handler: T): void {
    this.#kept.clear();
    this.#inner.add(method, path, handler);
  }

  match(method: string, path: string): Match<T> {
    if (path.length > LIMITS.rememberedPathChars) return this.#inner.match(method, path);
    const key = `${method} ${path}`;
    let found = this.#kept.get(key);
    if (found === undefined) {
      found = this.#inner.match(method, path);
      if (!found[0].some(([handler]) => this.#isRoute(handler))) return found; // a 404: not worth a place
      if (this.#kept.size >= this.#size) this.#kept.clear();
      this.#kept.set(key, found);
    }
    return found;
  }
}
