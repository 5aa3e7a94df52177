// The protocol community's own vocabulary: words its SEPs, charters and notes use for the same
// thing ("long-running" operations are "tasks", polled "asynchronously"; a "sessionless" server is
// "stateless"). Collected by reading the corpus (/work/shared/corpus/mcp-governance): each group
// below is a set of terms that documents about one subject use in place of each other. Prior-work
// detection counts a draft's term as present in a document that uses another term of its group.

const GROUPS: string[][] = [
  ['long-running', 'tasks', 'task', 'async', 'asynchronous', 'polling', 'deferred'],
  ['sessionless', 'stateless', 'statelessness', 'session-less', 'sessions', 'session'],
  ['authorization', 'oauth', 'auth', 'authorize'],
  ['authentication', 'identity', 'idp', 'sso', 'enterprise-managed', 'id-jag'],
  ['registration', 'dcr', 'cimd', 'client-id', 'metadata-document'],
  ['elicitation', 'elicit', 'user-input', 'form-mode', 'url-mode'],
  ['sampling', 'createmessage', 'completion', 'llm'],
  ['governance', 'maintainers', 'maintainer', 'steering', 'succession', 'leadership'],
  ['deprecation', 'deprecate', 'deprecated', 'removal', 'lifecycle', 'sunset'],
  ['schema', 'json-schema', 'dialect', '2020-12'],
  ['extension', 'extensions', 'extensibility'],
  ['transport', 'streamable', 'sse', 'http', 'stdio'],
  ['observability', 'tracing', 'opentelemetry', 'trace', 'telemetry', 'traceparent'],
  ['conformance', 'compliance', 'test-suite'],
  ['sdk', 'sdks', 'tiers', 'tier', 'tiering'],
  ['mrtr', 'round-trip', 'multi-round-trip', 'inputrequests', 'input-requests'],
  ['server-card', 'discovery', 'well-known', 'server-cards'],
  ['icons', 'icon', 'display', 'branding'],
  ['error', 'errors', 'error-code', '-32602', 'invalid-params'],
  ['security', 'threat', 'attack', 'vulnerability', 'mitigations'],
  ['working-group', 'working-groups', 'interest-group', 'charter', 'charters'],
  ['sep', 'seps', 'proposal-process', 'workflow'],
  ['contributor', 'contributors', 'ladder', 'roles', 'membership'],
  ['refresh', 'refresh-token', 'offline-access', 'token-lifetime'],
  ['issuer', 'iss', 'mix-up'],
  ['defaults', 'default-values', 'primitive-types'],
  ['tools', 'tool-calls', 'tool-use'],
];

const index = new Map<string, number>();
GROUPS.forEach((g, i) => {
  for (const t of g) if (!index.has(t)) index.set(t, i);
});

/** The other terms a document may use for `term` (none when it is in no group). */
export function synonyms(term: string): string[] {
  const g = index.get(term.toLowerCase());
  return g === undefined ? [] : GROUPS[g]!.filter((t) => t !== term.toLowerCase());
}

/** Terms of the draft, each with the synonyms it brings, for terms that have any. */
export function expandTerms(terms: string[]): { term: string; alternatives: string[] }[] {
  return terms.map((term) => ({ term, alternatives: synonyms(term) })).filter((t) => t.alternatives.length);
}
