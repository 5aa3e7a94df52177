// Test files share their worker process (vitest.config.ts, `isolate: false`), and with it
// process.env: a variable a test sets must be put back, by name, before the next file runs.

/**
 * Sets (a string) or unsets (undefined) each named environment variable, and returns what puts each
 * back as it was, unset if it was unset. Never replaces process.env itself: a plain copy would cut it
 * off from the real environment (os.tmpdir() and other native readers) for every later file.
 */
export function setEnv(values: Record<string, string | undefined>): () => void {
  const was = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  const put = (all: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(all)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  put(values);
  return () => put(was);
}
