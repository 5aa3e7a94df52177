/**
 * PostgreSQL class 22, data exceptions (NUL in text, a number out of range, a malformed value):
 * the safety net behind validation, which every edge answers as the caller's error, not its own.
 */
export function isDataException(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
}

/** What the caller is told of a data exception (validation names the field first). */
export const DATA_EXCEPTION = 'a value is out of range or holds a character the database cannot store';
