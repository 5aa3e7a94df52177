// A plain landing page until the web UI lands: what this hub serves and where.
export function homePage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>wghub</title></head>
<body><main>
<h1>wghub</h1>
<p>A hub where a protocol community runs its working groups.</p>
<ul>
<li><a href="/api/groups">Groups</a> (REST, JSON)</li>
<li><a href="/api/people">People</a></li>
<li><a href="/api/governance">How we work</a> (the governance rules in force)</li>
<li><a href="/api/events">Event log</a> and <a href="/api/events/verify">verify it</a></li>
<li><a href="/api/openapi.json">OpenAPI document</a></li>
</ul>
</main></body></html>`;
}
