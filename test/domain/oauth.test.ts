// The OAuth rules a client meets before any request is served: which redirect URIs and metadata
// document URLs it may use, where the consent page says it sends the person, what its CSP lets the
// browser follow, and how long a metadata document is kept.
import { describe, expect, it } from 'vitest';
import { appSchemesFromEnv } from '../../src/cli/hub-settings.ts';
import {
  appSchemeProblem,
  formActionSource,
  metadataDocumentIdProblem,
  metadataDocumentSeconds,
  redirectHost,
  redirectUriMatches,
  redirectUriProblem,
} from '../../src/domain/oauth.ts';

describe('redirect URIs of native apps (RFC 8252 §7.1)', () => {
  it('a loopback redirect asked on port 0 matches none registered: any port matches at sign-in, but nothing listens on 0 (attack round 30)', () => {
    expect(redirectUriMatches(['http://127.0.0.1/cb'], 'http://127.0.0.1:8123/cb')).toBe(true);
    expect(redirectUriMatches(['http://127.0.0.1/cb'], 'http://127.0.0.1:0/cb')).toBe(false);
    expect(redirectUriMatches(['http://localhost:8123/cb'], 'http://localhost:00/cb')).toBe(false);
  });

  it('takes reverse-domain schemes and the known apps’ own, matched exactly, named by scheme in form-action', () => {
    for (const uri of [
      'cursor://anysphere.cursor-retrieval/oauth/user-mcp/callback',
      'vscode://vscode.github-authentication/did-authenticate',
      'com.example.app:/oauth2redirect/hub',
      'org.example.mcp-client://callback',
    ])
      expect(redirectUriProblem(uri), uri).toBeNull();
    const cursor = 'cursor://anysphere.cursor-retrieval/oauth/user-mcp/callback';
    expect(formActionSource(cursor)).toBe('cursor:');
    expect(formActionSource('com.example.app:/oauth2redirect/hub')).toBe('com.example.app:');
    expect(redirectHost(`${cursor}?x=1`)).toBe(cursor);
    // unlike a loopback port, nothing of an app's URI may vary
    expect(redirectUriMatches([cursor], cursor)).toBe(true);
    expect(redirectUriMatches([cursor], 'cursor://anysphere.cursor-retrieval/oauth/other')).toBe(false);
  });

  it('refuses schemes that run script or read local things, one-word schemes it does not know, and malformed reverse domains', () => {
    for (const scheme of [
      'javascript',
      'vbscript',
      'data',
      'file',
      'blob',
      'filesystem',
      'about',
      'view-source',
      'intent',
    ])
      expect(redirectUriProblem(`${scheme}:x`)).toBe(`${scheme}: is never a redirect (it is not an app's own scheme)`);
    for (const uri of ['myapp://cb', 'com..example:/cb', 'com.example-:/cb', 'com.-example:/cb'])
      expect(redirectUriProblem(uri), uri).toMatch(/is none of these$/);
    expect(redirectUriProblem('com.example.app:/cb#x')).toBe('must not have a fragment (#…)');
    expect(redirectUriProblem('com.example.app://me:pw@host/cb')).toBe('must not carry a user name or password');
  });
});

describe('private-use schemes the operator adds (WGHUB_OAUTH_APP_SCHEMES)', () => {
  it('lets an added scheme be a redirect, and names it among the known ones when refusing another', () => {
    expect(redirectUriProblem('myapp://cb')).toMatch(/myapp: is none of these$/);
    expect(redirectUriProblem('myapp://cb', ['myapp'])).toBeNull();
    expect(redirectUriProblem('other://cb', ['myapp'])).toMatch(/one of .*myapp.*; other: is none of these$/);
    // an added scheme never lifts the refusal of a dangerous one
    expect(redirectUriProblem('javascript:alert(1)', ['javascript'])).toMatch(/^javascript: is never a redirect/);
  });

  it('takes schemes by RFC 3986 syntax only, and never http, https or one the browser acts on', () => {
    expect(appSchemesFromEnv({ WGHUB_OAUTH_APP_SCHEMES: ' MyApp, my-app+2.x:, myapp ' })).toEqual([
      'myapp',
      'my-app+2.x',
    ]);
    expect(appSchemesFromEnv({})).toEqual([]);
    for (const scheme of ['http', 'https', 'javascript', 'data', 'file', 'vbscript', 'blob'])
      expect(appSchemeProblem(scheme), scheme).not.toBeNull();
    for (const bad of ['2app', 'my app', 'my_app', 'app;x', '-app'])
      expect(() => appSchemesFromEnv({ WGHUB_OAUTH_APP_SCHEMES: bad }), bad).toThrow(
        /^WGHUB_OAUTH_APP_SCHEMES must list private-use URI schemes: .* is not a URI scheme \(RFC 3986/,
      );
    expect(() => appSchemesFromEnv({ WGHUB_OAUTH_APP_SCHEMES: 'myapp,https' })).toThrow(
      'WGHUB_OAUTH_APP_SCHEMES must list private-use URI schemes: https is not a private-use scheme',
    );
    expect(() => appSchemesFromEnv({ WGHUB_OAUTH_APP_SCHEMES: 'file' })).toThrow(/file is never a redirect/);
  });
});

describe('Client ID Metadata Document URLs', () => {
  it('must be https with a path, and no fragment, user name, dot segments or odd host', () => {
    expect(metadataDocumentIdProblem('https://app.example/oauth/client.json')).toBeNull();
    expect(metadataDocumentIdProblem('http://app.example/client.json')).toBe('must be an https URL');
    expect(metadataDocumentIdProblem('https://app.example/')).toMatch(/^must have a path/);
    expect(metadataDocumentIdProblem('https://app.example/c.json#x')).toBe('must not have a fragment (#…)');
    expect(metadataDocumentIdProblem('https://u:p@app.example/c.json')).toBe('must not carry a user name or password');
    expect(metadataDocumentIdProblem('https://app.example/a/../c.json')).toBe('must not have . or .. path segments');
    expect(metadataDocumentIdProblem('https://app.example/./c.json')).toBe('must not have . or .. path segments');
    expect(metadataDocumentIdProblem('https://[2001:db8::1]/c.json')).toMatch(/^must name a host/);
    expect(metadataDocumentIdProblem(`https://app.example/${'a'.repeat(1_000)}`)).toMatch(/^must be at most/);
    // spellings the URL parser turns into another address: only the address as it is counts
    for (const id of [
      'https://app.example/a/%2e%2e/c.json',
      'https://app.example/a/.%2e/c.json',
      'https://app.example/a\\..\\c.json',
      'https://app.example\\..\\c.json',
      'https://app.example:443/c.json',
      'https://App.Example/c.json',
    ])
      expect(metadataDocumentIdProblem(id), id).toMatch(
        /^must (not have \. or \.\. path segments|be written as the URL it is)/,
      );
  });

  it('is kept as long as its Cache-Control says, between five minutes and a day, an hour when silent', () => {
    expect(metadataDocumentSeconds(null)).toBe(3_600);
    expect(metadataDocumentSeconds('public, max-age=600')).toBe(600);
    expect(metadataDocumentSeconds('max-age=5')).toBe(300);
    expect(metadataDocumentSeconds('max-age=9999999')).toBe(86_400);
    expect(metadataDocumentSeconds('no-store')).toBe(300);
  });
});
