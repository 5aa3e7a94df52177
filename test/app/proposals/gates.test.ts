// The barrier to change for the layers below the specification: every condition of every
// layer's gate, failing and then passing, seen through `check gates` and through the gated move.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM, type Actor } from '../../../src/app/core/hub.ts';
import {
  addEvidence,
  checkProposalGates,
  createProposal,
  getProposal,
  moveProposal,
  updateProposal,
} from '../../../src/app/proposals/proposals.ts';
import { importSepText } from '../../../src/app/imports/seps.ts';
import { tailEvents } from '../../../src/store/events.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, person, type TestHub } from '../../support/hub.ts';

const PR = 'https://github.com/modelcontextprotocol/modelcontextprotocol/pull/1234';

describe.each(databases)('gates per layer on $name', (database) => {
  let hub: TestHub;
  let ada: Actor, bo: Actor, mod: Actor;
  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-01T10:00:00Z');
    ada = await person(hub, 'ada', { org: 'Acme' });
    bo = await person(hub, 'bo', { org: 'Nebula Tools' });
    mod = await person(hub, 'mod', { role: 'moderator' });
  });
  afterEach(async () => hub?.close());

  const problem = 'Clients lose long-running tool calls when the connection drops mid-call.';
  const examples = ['A hosted agent lost a 20-minute export on every deploy'];

  /** Walks a contribution-route proposal to refining: the next move, to pull-request, is gated. */
  async function toRefining(ref: string) {
    for (const to of ['prior-work-checked', 'community-discussion']) await moveProposal(hub, ada, ref, { to });
    await moveProposal(hub, mod, ref, { to: 'tracked' });
    for (const to of ['forum-discussion', 'refining']) await moveProposal(hub, ada, ref, { to });
  }
  const conditions = async (ref: string) =>
    (await checkProposalGates(hub, ref)).conditions.map((c) => [c.check, c.passed, c.reason]);
  const evidence = (kind: string, organisation: string | null, sdk: string | null) =>
    addEvidence(hub, bo, 'P-1', {
      kind,
      description: `${kind} evidence from ${organisation ?? 'someone'}`,
      organisation,
      sdk,
    });

  it('SDK alignment: a validated problem and interoperability evidence from 2 different SDKs', async () => {
    await createProposal(hub, ada, {
      title: 'Align cancellation across SDKs',
      problem,
      examples,
      layer: 'sdk-alignment',
    });
    await toRefining('P-1');
    expect(await conditions('P-1')).toEqual([
      ['problem-validated', true, 'problem stated with 1 example'],
      ['evidence', false, '0 interoperability tests, from 0 different SDKs; 2 needed'],
    ]);
    await expect(moveProposal(hub, ada, 'P-1', { to: 'pull-request' })).rejects.toMatchObject({
      kind: 'gate_failed',
      message: expect.stringContaining('at least 2 interoperability tests from different SDKs: 0 interoperability'),
    });
    // two reports from one SDK, one naming no SDK, and evidence of another kind do not make two SDKs
    await evidence('interoperability', 'Acme', 'go');
    await evidence('interoperability', 'Orbit', 'Go');
    await evidence('interoperability', 'Orbit', null);
    await evidence('implementation', 'Orbit', 'rust');
    expect((await conditions('P-1'))[1]).toEqual([
      'evidence',
      false,
      '3 interoperability tests, from 1 SDK (1 names no SDK and cannot show independence); 2 needed',
    ]);
    await expect(moveProposal(hub, ada, 'P-1', { to: 'pull-request' })).rejects.toMatchObject({ kind: 'gate_failed' });
    await evidence('interoperability', 'Orbit', 'rust');
    expect((await conditions('P-1'))[1]).toEqual([
      'evidence',
      true,
      '4 interoperability tests, from 2 different SDKs; 2 needed',
    ]);
    // without its real-world example the problem is no longer validated
    await updateProposal(hub, ada, 'P-1', (await getProposal(hub, 'P-1')).version, { examples: [] });
    expect((await conditions('P-1'))[0]).toEqual(['problem-validated', false, '0 real-world examples given, 1 needed']);
    await expect(moveProposal(hub, ada, 'P-1', { to: 'pull-request' })).rejects.toMatchObject({
      kind: 'gate_failed',
      message: expect.stringContaining(
        'a validated problem: a problem statement with at least 1 real-world example: 0 real-world examples given, 1 needed',
      ),
    });
    await updateProposal(hub, ada, 'P-1', (await getProposal(hub, 'P-1')).version, { examples });
    expect((await moveProposal(hub, ada, 'P-1', { to: 'pull-request', pullRequest: PR })).stage).toBe('pull-request');
    const checks = (await tailEvents(hub.store.db, 100))
      .filter((e) => e.kind === 'proposal.gate-checked')
      .map((e) => (JSON.parse(e.after!) as { passed: boolean }).passed);
    expect(checks.reverse()).toEqual([false, false, false, true]); // the log is read newest first
  });

  it('SDK innovation: a validated problem and demonstrated use in that language’s community', async () => {
    await createProposal(hub, ada, {
      title: 'Async context managers in Python',
      problem,
      examples,
      layer: 'sdk-innovation',
    });
    await toRefining('P-1');
    await evidence('implementation', 'Acme', 'python'); // an implementation is not community use
    expect(await conditions('P-1')).toEqual([
      ['problem-validated', true, 'problem stated with 1 example'],
      ['evidence', false, '0 uses in the community; 1 needed'],
    ]);
    await expect(moveProposal(hub, ada, 'P-1', { to: 'pull-request' })).rejects.toMatchObject({
      kind: 'gate_failed',
      message: expect.stringMatching(/at least 1 use in the community(?! from)/),
    });
    await evidence('community-use', null, 'python');
    expect((await conditions('P-1'))[1]).toEqual(['evidence', true, '1 use in the community; 1 needed']);
    await updateProposal(hub, ada, 'P-1', (await getProposal(hub, 'P-1')).version, { examples: [] });
    expect((await conditions('P-1'))[0]).toEqual(['problem-validated', false, '0 real-world examples given, 1 needed']);
    await expect(moveProposal(hub, ada, 'P-1', { to: 'pull-request' })).rejects.toMatchObject({ kind: 'gate_failed' });
    await updateProposal(hub, ada, 'P-1', (await getProposal(hub, 'P-1')).version, { examples });
    expect((await moveProposal(hub, ada, 'P-1', { to: 'pull-request', pullRequest: PR })).stage).toBe('pull-request');
  });

  it('supporting resource: validation by implementers from 2 independent organisations', async () => {
    await createProposal(hub, ada, {
      title: 'Guide to resumable tool calls',
      problem,
      layer: 'supporting-resource',
      examples,
    });
    await toRefining('P-1');
    expect(await conditions('P-1')).toEqual([
      ['evidence', false, '0 validations by implementers, from 0 independent organisations; 2 needed'],
    ]);
    // two validations from one organisation (however it is spelt) weigh as one
    await evidence('implementer-validation', 'Acme', null);
    await evidence('implementer-validation', 'acme ', null);
    expect(await conditions('P-1')).toEqual([
      ['evidence', false, '2 validations by implementers, from 1 independent organisation; 2 needed'],
    ]);
    await expect(moveProposal(hub, ada, 'P-1', { to: 'pull-request' })).rejects.toMatchObject({
      kind: 'gate_failed',
      message: expect.stringContaining('at least 2 validations by implementers from independent organisations'),
    });
    await evidence('implementer-validation', 'Orbit', null);
    expect(await conditions('P-1')).toEqual([
      ['evidence', true, '3 validations by implementers, from 2 independent organisations; 2 needed'],
    ]);
    expect((await moveProposal(hub, ada, 'P-1', { to: 'pull-request', pullRequest: PR })).stage).toBe('pull-request');
  });

  it('one organisation or SDK written in other Unicode forms counts once (attack round 26): "Café Labs" typed with its accent apart passed the gate as two', async () => {
    await createProposal(hub, ada, {
      title: 'Guide to resumable tool calls',
      problem,
      layer: 'supporting-resource',
      examples,
    });
    await toRefining('P-1');
    await evidence('implementer-validation', 'Caf\u00e9 Labs', null); // NFC, as most keyboards send it
    await evidence('implementer-validation', 'Cafe\u0301 Labs', null); // NFD, as a Mac may
    await evidence('implementer-validation', 'Ｃａｆé  Labs', null); // full-width, a doubled space
    await evidence('implementer-validation', 'C\u0430f\u00e9 Labs', null); // a Cyrillic а, drawn as the Latin a
    expect(await conditions('P-1')).toEqual([
      ['evidence', false, '4 validations by implementers, from 1 independent organisation; 2 needed'],
    ]);
    await expect(moveProposal(hub, ada, 'P-1', { to: 'pull-request', pullRequest: PR })).rejects.toMatchObject({
      kind: 'gate_failed',
    });
    await evidence('implementer-validation', 'Orbit', null);
    expect((await conditions('P-1'))[0]?.[1]).toBe(true);

    await createProposal(hub, ada, {
      title: 'Resumable calls in every SDK',
      problem,
      layer: 'sdk-alignment',
      examples,
    });
    for (const to of ['prior-work-checked', 'community-discussion']) await moveProposal(hub, ada, 'P-2', { to });
    const sdkEvidence = (sdk: string) =>
      addEvidence(hub, bo, 'P-2', { kind: 'interoperability', description: `interop in ${sdk}`, sdk });
    await sdkEvidence('typescript');
    await sdkEvidence('ｔｙｐｅｓｃｒｉｐｔ');
    const gates = (await checkProposalGates(hub, 'P-2')).conditions.find((c) => c.check === 'evidence');
    expect(gates?.reason).toBe('2 interoperability tests, from 1 SDK; 2 needed');
    // the word SDK after the name is no other SDK (attack round 27): TypeScript SDK is typescript
    await sdkEvidence('TypeScript SDK');
    await sdkEvidence('typescript-sdk');
    // nor after an underscore, a word character that left no word boundary before sdk
    await sdkEvidence('typescript_sdk');
    const again = (await checkProposalGates(hub, 'P-2')).conditions.find((c) => c.check === 'evidence');
    expect(again?.reason).toBe('5 interoperability tests, from 1 SDK; 2 needed');
  });

  it('names that differ by letters drawn alike are two (attack round 28): Modern Labs and Modem Labs, or the SDKs Kotlin and Kot1in, counted as one and failed the gate', async () => {
    await createProposal(hub, ada, {
      title: 'Guide to resumable tool calls',
      problem,
      layer: 'supporting-resource',
      examples,
    });
    await toRefining('P-1');
    await evidence('implementer-validation', 'Modern Labs', null);
    await evidence('implementer-validation', 'Modem Labs', null);
    expect(await conditions('P-1')).toEqual([
      ['evidence', true, '2 validations by implementers, from 2 independent organisations; 2 needed'],
    ]);
    await createProposal(hub, ada, {
      title: 'Resumable calls in every SDK',
      problem,
      layer: 'sdk-alignment',
      examples,
    });
    const sdkEvidence = (sdk: string) =>
      addEvidence(hub, bo, 'P-2', { kind: 'interoperability', description: `interop in ${sdk}`, sdk });
    await sdkEvidence('Kotlin');
    await sdkEvidence('Kot1in');
    const gates = (await checkProposalGates(hub, 'P-2')).conditions.find((c) => c.check === 'evidence');
    expect(gates?.reason).toBe('2 interoperability tests, from 2 different SDKs; 2 needed');
  });

  it('working-group artifact: a low barrier, only a stated problem', async () => {
    await createProposal(hub, ada, {
      title: 'Resumption patterns guide',
      problem,
      layer: 'working-group-artifact',
      examples,
    });
    await toRefining('P-1');
    expect(await conditions('P-1')).toEqual([['problem-stated', true, 'a problem statement is given']]);
    expect((await moveProposal(hub, ada, 'P-1', { to: 'pull-request', pullRequest: PR })).stage).toBe('pull-request');
    // people cannot create one without a problem, but an imported Process SEP can lack one
    await importSepText(
      hub,
      SYSTEM,
      '# SEP-77: Tiny\n\n- **Status**: In-Review\n- **Type**: Process\n- **Created**: 2026-01-01\n- **Author(s)**: Ada (@ada)\n',
      'seps/77-tiny.md',
      () => {},
    );
    const r = await checkProposalGates(hub, 'SEP-77');
    expect(r).toMatchObject({ layer: 'working-group-artifact', passed: false });
    expect(r.conditions).toEqual([
      expect.objectContaining({
        check: 'problem-stated',
        passed: false,
        reason: expect.stringMatching(
          /^the problem statement has \d+ characters; say what specific problem this solves \(at least 20\)$/,
        ),
      }),
    ]);
  });
});
