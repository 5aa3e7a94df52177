// How an invitation says to sign in, from the same settings the web's sign-in reads.
import { describe, expect, it } from 'vitest';
import { signInWords } from '../../../src/app/notifications/mail-config.ts';

describe('how an invitation says to sign in', () => {
  it('names the identity provider, GitHub, or demo mode', () => {
    expect(signInWords({ WGHUB_OIDC_ISSUER: 'https://id.example.org/realms/wg' })).toBe('sign in with id.example.org');
    expect(signInWords({ WGHUB_GITHUB_CLIENT_ID: 'Iv1.abc' })).toBe('sign in with GitHub');
    expect(signInWords({ WGHUB_OIDC_ISSUER: 'https://id.example.org', WGHUB_GITHUB_CLIENT_ID: 'Iv1.abc' })).toBe(
      'sign in with id.example.org or GitHub',
    );
    expect(signInWords({})).toMatch(/^pick yourself from the list \(this hub runs in demo mode/);
  });
});
