import { describe, expect, it } from 'vitest';
import { keyTerms, startsAWord } from '../../src/search/text.ts';

describe('a term in a title', () => {
  it('matches the words it begins, not the middle of another word', () => {
    expect(startsAWord('tasks extension', 'task')).toBe(true);
    expect(startsAWord('tool description review checklist', 'script')).toBe(false);
    expect(startsAWord('tool description review checklist', 'check')).toBe(true);
    expect(startsAWord('support for long-running operations', 'port')).toBe(false);
    expect(startsAWord('support for long-running operations', 'running')).toBe(true);
    expect(startsAWord('', 'x')).toBe(false);
  });
  it('finds a word inside a camel-cased name when given the text as written', () => {
    const title = 'Tools `inputSchema` & `outputSchema` Conform to JSON Schema';
    expect(startsAWord('inputschema', 'schema', 'inputSchema')).toBe(true);
    expect(startsAWord('inputschema', 'schema')).toBe(false);
    expect(startsAWord(title.toLowerCase(), 'schema', title)).toBe(true);
    expect(startsAWord('description', 'script', 'description')).toBe(false);
  });
});

describe('a term in a title, beyond plain words', () => {
  it('reads camel-cased names with acronyms and digits, and letters beyond ASCII as the key terms do', () => {
    expect(startsAWord('jsonschema dialects', 'schema', 'JSONSchema dialects')).toBe(true);
    expect(startsAWord('oauth2client metadata', 'client', 'OAuth2Client metadata')).toBe(true);
    expect(startsAWord('httptransport', 'transport', 'HTTPTransport')).toBe(true);
    expect(startsAWord('jsonschema', 'sonschema', 'JSONSchema')).toBe(false);
    // keyTerms reads letters beyond ASCII as letters ("über-tokens", not "ber-tokens"), and so does the title
    expect(keyTerms('Über-tokens', '')).toEqual(['über-tokens']);
    expect(startsAWord('über-tokens', 'über-tokens')).toBe(true);
    expect(startsAWord('über-tokens', 'ber-tokens')).toBe(false);
    expect(keyTerms('Résumé cursors', '')).toEqual(['cursors', 'résumé']);
  });
});
