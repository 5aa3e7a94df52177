// Generated sentences end with one stop: a reason, a rule or a title that already ends with
// ".", "?" or "!" is not given a second one ("Responses closed at the deadline..").

/** A count with its noun as people say it: "1 supporter", "2 supporters", "0 different SDKs". */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** A word with its indefinite article, hyphens as spaces: "a lead maintainer", "an observer". */
export function withArticle(word: string): string {
  return `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word.replace(/-/g, ' ')}`;
}

/** The text ending in exactly one full stop, unless it already ends a sentence (or a quote of one). */
export function sentence(text: string): string {
  const t = text.trimEnd();
  return /[.!?…]["'”’)]*$/.test(t) ? t : `${t}.`;
}
