// One reading of the Authorization header for every door that takes an API token (REST, /mcp and
// the rate limits' key), so they cannot disagree about what "Bearer TOKEN" means. An MCP client's
// OAuth access token (src/app/people/oauth.ts) is bound to /mcp (RFC 8707): only that door takes it.
import type { Actor, Hub } from '../app/core/hub.ts';
import { personForAccessToken } from '../app/people/oauth.ts';
import { authenticate } from '../app/people/tokens.ts';
import { Unauthenticated } from '../domain/errors.ts';
import { PREFIX } from '../domain/oauth.ts';
import { credentialSignsIn } from './known-credentials.ts';

/** The token of a "Bearer TOKEN" header; undefined without a header or with another scheme. */
export function bearerToken(header: string | null | undefined): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
}

/**
 * The person an Authorization header acts for: null without the header; Unauthenticated when it
 * is not "Bearer TOKEN" or the token is unknown, revoked or expired. `resource`: the protected
 * resource this door is (/mcp's URL), for OAuth access tokens; REST has none and takes API tokens only.
 */
export async function actorFromAuthorization(
  hub: Hub,
  header: string | null | undefined,
  resource?: string,
): Promise<{ actor: Actor & { kind: 'person' }; token: string } | null> {
  if (!header) return null;
  const token = bearerToken(header);
  if (!token)
    throw new Unauthenticated(
      // the header sent twice reaches here joined ("Bearer a, Bearer b") where no server in front
      // refused it (src/http/node-server.ts does): say so, not that neither was Bearer (attack round 30)
      /^Bearer\s+[^\s,]+\s*,/i.test(header)
        ? 'the Authorization header must be sent once, as "Bearer TOKEN"; it came more than once (the header twice, or a list of credentials)'
        : 'the Authorization header must be "Bearer TOKEN"',
    );
  if (token.startsWith(PREFIX.access)) {
    if (!resource)
      throw new Unauthenticated(
        "this is an MCP client's OAuth access token, which works only at /mcp; the REST API takes an API token (`wghub token create --person HANDLE`)",
      );
    const person = await personForAccessToken(hub, token, resource);
    credentialSignsIn(hub, 'token', token);
    return { actor: { kind: 'person', person }, token };
  }
  const person = await authenticate(hub, token);
  credentialSignsIn(hub, 'token', token);
  return { actor: { kind: 'person', person }, token };
}
