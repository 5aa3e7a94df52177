// The browser test harness: a real `wghub serve` on a free loopback port with the demo community,
// Debian's Chromium driven by playwright-core with a fresh profile, axe-core in the page, and
// screenshots saved under test-artifacts/ (git-ignored) for a person to look at.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { databaseForProcess, migratedSqliteTemplate, postgresDatabase } from './databases.ts';
import { ROOT, runCli, startHub, stop, type Running } from './process.ts';

export const CHROMIUM = process.env.WGHUB_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'screenshots');

export type WebHub = { base: string; databaseUrl: string; running: Running; stop(): Promise<void> };

/**
 * Starts a hub on a fresh SQLite database (PostgreSQL with WGHUB_TEST_WEB_DATABASE=postgres). `before` runs CLI commands against the database first
 * (an import, say); the demo community is loaded on first start either way, unless a command
 * already created groups or `args` holds `--no-demo` (the other `wghub serve` options go there too).
 */
export async function startWebHub(
  opts: { env?: Record<string, string>; before?: string[][]; args?: string[] } = {},
): Promise<WebHub> {
  const dir = mkdtempSync(path.join(tmpdir(), 'wghub-web-'));
  // WGHUB_TEST_WEB_DATABASE=postgres serves the journeys from a PostgreSQL schema of their own instead
  const onPostgres = process.env.WGHUB_TEST_WEB_DATABASE === 'postgres';
  const databaseUrl = onPostgres
    ? (await databaseForProcess(postgresDatabase)).url
    : `sqlite:${path.join(dir, 'hub.sqlite')}`;
  // SQLite starts as a copy of the file the test process migrated once (databases.ts), so neither the
  // `before` commands nor `serve` migrate it again: 0.5 s of CPU and 1–2 s on a loaded machine per hub.
  // What the migrations do on a fresh file stays tested by the migration and CLI tests.
  if (!onPostgres) copyFileSync(await migratedSqliteTemplate(), path.join(dir, 'hub.sqlite'));
  const env = { WGHUB_DATABASE_URL: databaseUrl, ...opts.env };
  for (const args of opts.before ?? []) {
    const r = await runCli(args, env);
    if (r.code !== 0) throw new Error(`wghub ${args.join(' ')} failed (${r.code}):\n${r.stderr}${r.stdout}`);
  }
  // a generous deadline: on a loaded machine a hub that has just imported the corpus takes a while to answer
  const running = await startHub(env, opts.args ?? [], 60_000);
  return {
    base: running.base,
    databaseUrl,
    running,
    async stop() {
      await stop(running);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type Browser = { context: BrowserContext; page: Page; close(): Promise<void> };

/**
 * Chromium with a profile folder of its own, so no cookie or cache leaks between tests; in
 * Pacific/Auckland unless `timezoneId` names another zone.
 */
export async function openBrowser(opts: { timezoneId?: string } = {}): Promise<Browser> {
  const profile = mkdtempSync(path.join(tmpdir(), 'wghub-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
    viewport: { width: 1280, height: 900 },
    // not the server's UTC, so a test can tell the browser's zone from the server's
    timezoneId: opts.timezoneId ?? 'Pacific/Auckland',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const axeSource = createRequire(import.meta.url)('fs').readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
) as string;

export type AxeViolation = { id: string; impact: string | null; help: string; nodes: string[] };

/**
 * Runs axe-core (WCAG 2.x A and AA rules and best practices) in the page; returns the serious and
 * critical violations. `rules` runs only those rules (by axe id) instead of all of them.
 */
export async function seriousViolations(page: Page, rules?: readonly string[]): Promise<AxeViolation[]> {
  return (await axeViolations(page, rules)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** The same, every violation whatever its impact (minor and moderate ones too). */
export async function axeViolations(page: Page, rules?: readonly string[]): Promise<AxeViolation[]> {
  // evaluated through the DevTools protocol, so the pages' script-src 'self' policy does not block it
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(axeSource);
  const result = await page.evaluate(async (rules) => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run(
            ctx: unknown,
            o: unknown,
          ): Promise<{
            violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
          }>;
        };
      }
    ).axe;
    const r = await axe.run((globalThis as unknown as { document: unknown }).document, {
      runOnly: rules
        ? { type: 'rule', values: rules }
        : { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      // every rule still runs; only the violations are gathered in full (axe: less work on long pages)
      resultTypes: ['violations'],
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => JSON.stringify(n.target)),
    }));
  }, rules);
  return result;
}

/** What the keyboard focus is on: its id and text. */
export function focused(page: Page): Promise<{ id: string; text: string } | null> {
  return page.evaluate(() => {
    const el = (
      globalThis as unknown as { document: { activeElement: { id: string; textContent: string | null } | null } }
    ).document.activeElement;
    return el ? { id: el.id, text: (el.textContent ?? '').trim() } : null;
  });
}

/**
 * The journey screenshots the docs show, by the journey's name for them: with
 * WGHUB_DOCS_SCREENSHOTS=1 they are also written to docs/screenshots under the docs' name, so one
 * run of the browser tests (and `bench/web.ts --screenshots`) refreshes every picture the docs link.
 */
const DOC_NAMES: Record<string, string> = {
  'proposal-page': 'proposal',
  'proposal-new-prior-work': 'proposal-new',
  'decision-block-refused': 'decision-block-refused',
  'home-with-meetings': 'home-meetings',
  'fair-times': 'fair-times',
  'group-home-lead': 'group-home-lead',
  'comment-hidden': 'comment-hidden',
  'comment-locked': 'comment-locked',
  'late-notes': 'late-notes',
};

/** Saves a full-page screenshot as a test artifact and returns its path. */
export async function screenshot(page: Page, name: string, dir = ARTIFACTS): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  try {
    await page.screenshot({ path: file, fullPage: true });
  } catch (error) {
    // Headless Chromium on a loaded machine now and then fails to capture a tall page
    // ("Unable to capture screenshot", seen once in CI on a 9,500 px phone page that passed alone
    // 3 of 3); the picture is an artifact, not what the test checks, so it is taken once more.
    if (!String(error).includes('Unable to capture screenshot')) throw error;
    await page.waitForTimeout(250);
    await page.screenshot({ path: file, fullPage: true });
  }
  const doc = DOC_NAMES[name];
  if (doc && dir === ARTIFACTS && process.env.WGHUB_DOCS_SCREENSHOTS)
    copyFileSync(file, path.join(ROOT, 'docs', 'screenshots', `${doc}.png`));
  return file;
}

/** Demo-mode sign-in as a person, by the name on their button. */
export async function signInAs(page: Page, base: string, name: string): Promise<void> {
  await page.goto(base + '/sign-in');
  await page.getByRole('button', { name: `Sign in as ${name}` }).click();
  await page.getByText('Signed in as').waitFor();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('banner').getByRole('link', { name: 'Sign in' }).waitFor();
}

/** The page as a client without JavaScript gets it: plain GET with the browser's cookies. */
export async function plainGet(context: BrowserContext, base: string, pathname: string): Promise<string> {
  const cookies = await context.cookies(base);
  const res = await fetch(base + pathname, {
    headers: { Accept: 'text/html', Cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; ') },
    redirect: 'manual',
  });
  if (res.status !== 200) throw new Error(`GET ${pathname} without JavaScript answered ${res.status}`);
  return res.text();
}

/** Collects a page's script errors and content-policy refusals into `into` as they happen: a test expects none. */
export function watchScripts(page: Page, into: string[]): void {
  page.on('pageerror', (e) => into.push(e.message));
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/.test(m.text())) into.push(m.text());
  });
}

type HubOptions = Parameters<typeof startWebHub>[0];

/**
 * One hub and one Chromium for a test file: started before its first test (the hub with
 * `startWebHub`'s options, or what `options()` returns once it has prepared them), stopped after
 * its last. Every test fails on a script error or content-policy refusal in the page. The hub and
 * browser returned are usable inside tests, like those `startWebHub` and `openBrowser` return.
 */
export function chromiumOnHub(
  options: HubOptions | (() => Promise<HubOptions>) = {},
  startTimeoutMs = 60_000,
): { hub: WebHub; browser: Browser; scriptProblems: string[] } {
  let started: WebHub | undefined;
  let opened: Browser | undefined;
  const scriptProblems: string[] = [];
  beforeAll(async () => {
    started = await startWebHub(typeof options === 'function' ? await options() : options);
    opened = await openBrowser();
    watchScripts(opened.page, scriptProblems);
  }, startTimeoutMs);
  afterEach(() => {
    expect(scriptProblems).toEqual([]);
  });
  afterAll(async () => {
    await opened?.close();
    await started?.stop();
  });
  const ready = <T>(value: T | undefined, what: string): T => {
    if (!value) throw new Error(`${what} is not started yet: use it inside a test or hook`);
    return value;
  };
  const hub: WebHub = {
    get base() {
      return ready(started, 'the hub').base;
    },
    get databaseUrl() {
      return ready(started, 'the hub').databaseUrl;
    },
    get running() {
      return ready(started, 'the hub').running;
    },
    stop: () => ready(started, 'the hub').stop(),
  };
  const browser: Browser = {
    get context() {
      return ready(opened, 'Chromium').context;
    },
    get page() {
      return ready(opened, 'Chromium').page;
    },
    close: () => ready(opened, 'Chromium').close(),
  };
  return { hub, browser, scriptProblems };
}
