// The set-up most page tests share: for each test of the enclosing `describe`, a fresh hub on the
// given database (the demo community loaded unless told not to) and the HTTP app in demo sign-in mode.
import { afterEach, beforeEach } from 'vitest';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import type { TestDatabase } from './databases.ts';
import { openDemoHub, openTestHub, type TestHub } from './hub.ts';

export const demoSignIn: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 * 60 };

export type WebHub = { hub: TestHub; app: ReturnType<typeof createHttpApp> };

/**
 * Call inside a `describe`; read `.hub` and `.app` inside its tests (they change from test to test).
 * `work`: the demo's proposals, comments and decisions too, as `npm start` shows them.
 */
export function webHubPerTest(database: TestDatabase, { demoCommunity = true, work = false } = {}): WebHub {
  const current = {} as WebHub;
  beforeEach(async () => {
    // the demo from a copy of one loaded once per test process (hub.ts): the same rows, clock and ids
    current.hub = demoCommunity ? await openDemoHub(database, { work }) : await openTestHub(database);
    current.app = createHttpApp(current.hub, undefined, { web: demoSignIn });
  });
  afterEach(async () => current.hub?.close());
  return current;
}
