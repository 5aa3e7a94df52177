// Which group or person a text means (domain/meant.ts, pure): the rule behind the hints an MCP tool's
// refusal of its `group` or handle argument adds (src/mcp/group-meant.ts).
import { describe, expect, it } from 'vitest';
import {
  mayBeTitle,
  groupMeantLine,
  groupsMeantAmong,
  peopleMeantAmong,
  personMeantLine,
  proposalMeantLine,
  proposalsMeantAmong,
} from '../../src/domain/meant.ts';

describe('which group a text means', () => {
  const groups = [
    { slug: 'hosting', name: 'Hosting' },
    { slug: 'security', name: 'Security' },
    { slug: 'server-card', name: 'Server Card' },
    { slug: 'server-identity', name: 'Server Identity' },
    { slug: 'auth-ig', name: 'Authorization Interest Group' },
  ];
  const meant = (said: string) => groupsMeantAmong(said, groups).map((g) => g.slug);

  it('reads a name, a mistyped or shortened slug, and names several when the text says too little', () => {
    expect(meant('Hosting WG')).toEqual(['hosting']);
    expect(meant('The Security Interest Group')).toEqual(['security']);
    expect(meant('Server Card Working Group')).toEqual(['server-card']);
    expect(meant('server_card')).toEqual(['server-card']);
    expect(meant('Sécurity')).toEqual(['security']);
    expect(meant('securty')).toEqual(['security']);
    expect(meant('authorization')).toEqual(['auth-ig']);
    expect(meant('auth')).toEqual(['auth-ig']);
    expect(meant('server')).toEqual(['server-card', 'server-identity']);
    // a slug that is one (capitals read as lowercase) needs no correction; nothing like any names none
    expect(meant('Hosting')).toEqual([]);
    expect(meant('quantum')).toEqual([]);
    expect(meant('WG')).toEqual([]);
    expect(meant('x'.repeat(201))).toEqual([]);
  });
});

describe('whom a text means', () => {
  const people = [
    { handle: 'priya', name: 'Priya Nair' },
    { handle: 'sam-lead', name: 'Sam Rivera' },
    { handle: 'sam-k', name: 'Sam Kahn' },
    { handle: 'ines-m', name: 'Inês Moreira' },
  ];
  const meant = (said: string) => peopleMeantAmong(said, people).map((p) => p.handle);

  it('reads a name, a part of one, and a mistyped handle; names several when the text says too little', () => {
    expect(meant('Priya Nair')).toEqual(['priya']);
    expect(meant('priya  nair ')).toEqual(['priya']);
    expect(meant('Ines Moreira')).toEqual(['ines-m']);
    expect(meant('Moreira')).toEqual(['ines-m']);
    expect(meant('Sam')).toEqual(['sam-lead', 'sam-k']);
    expect(meant('samlead')).toEqual(['sam-lead']);
    // someone's handle (any case) needs no correction; nobody like it names nobody
    expect(meant('PRIYA')).toEqual([]);
    expect(meant('Quentin Blake')).toEqual([]);
    expect(meant('x'.repeat(201))).toEqual([]);
  });
});

describe('which proposal a title means', () => {
  const proposals = [
    { ref: 'P-3', title: 'Server Cards for discovery' },
    { ref: 'P-2', title: 'Session affinity guide' },
    { ref: 'RFC-1', title: 'Server card' },
  ];
  const meant = (said: string) => proposalsMeantAmong(said, proposals).map((p) => p.ref);

  it('reads a title, or words every one of which a title holds; never a reference, however it is spelt', () => {
    expect(meant('server card')).toEqual(['RFC-1']);
    expect(meant('Server cards')).toEqual(['P-3']);
    expect(meant('the Séssion affinity proposal')).toEqual(['P-2']);
    expect(meant('server')).toEqual(['P-3', 'RFC-1']);
    for (const ref of ['P-99', 'rfc-7', 'SEP12', '12', ' P-3 ', '#12', 'proposal:P-9']) expect(meant(ref)).toEqual([]);
    expect(meant('quantum')).toEqual([]);
    expect(meant('the proposal')).toEqual([]);
    expect(meant('x'.repeat(201))).toEqual([]);
    expect(proposalMeantLine('ref', 'Server cards', [{ ref: 'P-3', title: 'Server Cards for discovery' }])).toBe(
      'ref: "Server cards" is no proposal\'s reference; it looks like P-3 "Server Cards for discovery": send "ref": "P-3"',
    );
    expect(proposalMeantLine('ref', 'quantum', [])).toBeNull();
  });
});

describe('the line a refusal adds', () => {
  it('names the one meant and the call to make, or each of several, or nothing', () => {
    expect(groupMeantLine('group', 'Hosting WG', [{ slug: 'hosting', name: 'Hosting' }])).toBe(
      'group: "Hosting WG" is no group\'s slug; it looks like the group Hosting, whose slug is "hosting": send "group": "hosting"',
    );
    expect(
      groupMeantLine('group', 'server', [
        { slug: 'server-card', name: 'Server Card' },
        { slug: 'server-identity', name: 'Server Identity' },
      ]),
    ).toBe(
      'group: "server" is no group\'s slug; it may mean one of these groups: "server-card" (Server Card), "server-identity" (Server Identity); send the slug of the one meant',
    );
    expect(groupMeantLine('group', 'quantum', [])).toBeNull();
    expect(personMeantLine('owner', 'Priya Nair', [{ handle: 'priya', name: 'Priya Nair' }])).toBe(
      'owner: "Priya Nair" is no handle; it looks like Priya Nair (@priya): send "owner": "priya"',
    );
    expect(personMeantLine('owner', 'Quentin', [])).toBeNull();
  });
});

describe('what may be a title given for a reference', () => {
  it('a reference not found (P-99999, SEP-9999, #12, proposal:P-2) is none, so no proposal is read for it; words are', () => {
    for (const ref of ['P-99999', 'SEP-9999', ' rfc-7 ', '#12', 'proposal:P-2', '12'])
      expect(mayBeTitle(ref)).toBe(false);
    for (const title of ['server cards', 'Session affinity guide', 'P-2 follow-up'])
      expect(mayBeTitle(title)).toBe(true);
    expect(mayBeTitle('x'.repeat(1000))).toBe(false);
  });
});
