// One reading of the Authorization header for every door that takes an API token (REST, /mcp and
// the rate limits' key), so they cannot disagree about what "Bearer TOKEN" means.
import type { Actor, Hub } from '../app/core/hub.ts';
import { authenticate } from '../app/people/tokens.ts';
import { Unauthenticated } from '../domain/errors.ts';

/** The token of a "Bearer TOKEN" header; undefined without a header or with another scheme. */
export function bearerToken(header: string | null | undefined): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
}

/**
 * The person an Authorization header acts for: null without the header; Unauthenticated when it
 * is not "Bearer TOKEN" or the token is unknown or revoked.
 */
export async function actorFromAuthorization(
  hub: Hub,
  header: string | null | undefined,
): Promise<{ actor: Actor & { kind: 'person' }; token: string } | null> {
  if (!header) return null;
  const token = bearerToken(header);
  if (!token) throw new Unauthenticated('the Authorization header must be "Bearer TOKEN"');
  return { actor: { kind: 'person', person: await authenticate(hub, token) }, token };
}
