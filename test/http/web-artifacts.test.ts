// /artifacts in the browser on both databases: every document listed by kind, each link opens it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { importArtifact } from '../../src/app/imports/artifacts.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { openTestHub, type TestHub } from '../support/hub.ts';
import { pageText, WebClient } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: false, sessionHours: 24 };

describe.each(databases)('artifacts on $name', (database) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
  });
  afterEach(async () => hub?.close());

  it('lists the documents by kind and each link opens its page', async () => {
    const w = new WebClient(createHttpApp(hub, undefined, { web: demo }));
    expect(pageText((await w.get('/artifacts')).html)).toContain('No documents yet');
    await importArtifact(hub, SYSTEM, 'docs/guides/session affinity.md', '# Session affinity\n\nKeep sessions.', null);
    await importArtifact(hub, SYSTEM, 'docs/research/load.md', '# Load research\n\nNumbers.', null);
    const list = await w.get('/artifacts');
    const text = pageText(list.html);
    expect(text).toContain('Session affinity');
    expect(text).toContain('Load research');
    const hrefs = [...list.html.matchAll(/href="(\/artifacts\/[^"]+)"/g)].map((m) => m[1]!);
    expect(hrefs).toHaveLength(2);
    for (const h of hrefs) {
      const page = await w.get(h.replace(/&amp;/g, '&'));
      expect(page.status).toBe(200);
    }
  });
});
