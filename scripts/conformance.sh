#!/usr/bin/env bash
# Runs the official MCP conformance suite (@modelcontextprotocol/conformance, pinned in
# package.json) against /mcp of a fresh `wghub serve` with the demo community, at protocol
# 2026-07-28 and 2025-11-25, each with its expected-failures baseline in conformance/.
# Offline: everything runs on 127.0.0.1. Prints one line per version, then
# "conformance: N passed, N failed" (versions whose run matched its baseline / did not).
# Exit status 0 only if every version matched.
set -uo pipefail
cd "$(dirname "$0")/.."

NODE=node_modules/.bin/node
SUITE=node_modules/@modelcontextprotocol/conformance/dist/index.js
work=$(mktemp -d)
port=$("$NODE" -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')

# The suite sends no Authorization header, so this hub lets tokenless clients use the read-only
# tools and resources (as REST reads allow); Host/Origin checks stay on.
WGHUB_DATABASE_URL="sqlite:$work/hub.sqlite" "$NODE" src/cli/entry.ts serve --host 127.0.0.1 --port "$port" --mcp-anonymous-reads >"$work/serve.log" 2>&1 &
hub=$!
cleanup() { kill "$hub" 2>/dev/null; wait "$hub" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

for _ in $(seq 1 100); do
  "$NODE" -e "fetch('http://127.0.0.1:$port/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" && break
  sleep 0.2
done

passed=0
failed=0
for version in 2026-07-28 2025-11-25; do
  out="$work/out-$version"
  "$NODE" "$SUITE" server --url "http://127.0.0.1:$port/mcp" --suite all --spec-version "$version" \
    --expected-failures "conformance/expected-failures-$version.yml" -o "$out" >"$work/run-$version.txt" 2>&1
  rc=$?
  line=$("$NODE" -e '
    const fs = require("fs"), path = require("path");
    const dir = process.argv[1];
    let scenarios = 0, ok = 0, bad = 0, warn = 0;
    for (const d of fs.readdirSync(dir)) {
      const f = path.join(dir, d, "checks.json");
      if (!fs.existsSync(f)) continue;
      scenarios++;
      for (const c of JSON.parse(fs.readFileSync(f, "utf8"))) {
        if (c.status === "SUCCESS") ok++;
        else if (c.status === "FAILURE") bad++;
        else if (c.status === "WARNING") warn++;
      }
    }
    const baseline = (fs.readFileSync(process.argv[2], "utf8").match(/^\s*- /gm) || []).length;
    console.log(`${scenarios} scenarios, ${ok} checks passed, ${bad} failed, ${warn} warnings (the baseline lists ${baseline})`);
  ' "$out" "conformance/expected-failures-$version.yml")
  if [ "$rc" = 0 ]; then
    passed=$((passed + 1))
    echo "conformance $version: $line: matches the baseline"
  else
    failed=$((failed + 1))
    echo "conformance $version: $line: UNEXPECTED (see below)"
    sed -n '/=== SUMMARY ===/,$p' "$work/run-$version.txt" | grep -v '^✓'
  fi
done
echo "conformance: $passed passed, $failed failed"
[ "$failed" = 0 ]
