// Markdown written by members, rendered safely for display: GitHub-flavoured, sanitised with
// GitHub's allow-list (no script, no event handlers, no javascript: URLs), with mentions of
// people (@handle) and items (SEP-2575, P-12, #12) turned into links.
import type { Root } from 'mdast';
import { findAndReplace } from 'mdast-util-find-and-replace';
import rehypeSanitize from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';

export type Mentions = { people: string[]; items: string[] };

const PERSON = /(?<![\w@/.])@([A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?)\b/g;
const ITEM = /(?<![\w/-])(SEP-\d+|P-\d+|#\d+)\b/g;

/** `#12` and `P-12` name the same item; references are normalised to SEP-n or P-n. */
export function normaliseRef(ref: string): string {
  return ref.startsWith('#') ? `P-${ref.slice(1)}` : ref.toUpperCase();
}

function stripCode(md: string): string {
  return md.replace(/```[\s\S]*?```|~~~[\s\S]*?~~~/g, '').replace(/`[^`\n]*`/g, '');
}

export function findMentions(md: string): Mentions {
  const text = stripCode(md);
  const people = [...new Set([...text.matchAll(PERSON)].map((m) => m[1]!))];
  const items = [...new Set([...text.matchAll(ITEM)].map((m) => normaliseRef(m[1]!)))];
  return { people, items };
}

function linkMentions() {
  return (tree: Root) => {
    findAndReplace(
      tree,
      [
        [
          PERSON,
          (whole: string, handle: string) => ({
            type: 'link',
            url: `/people/${handle}`,
            children: [{ type: 'text', value: whole }],
          }),
        ],
        [
          ITEM,
          (whole: string) => ({
            type: 'link',
            url: `/proposals/${normaliseRef(whole)}`,
            children: [{ type: 'text', value: whole }],
          }),
        ],
        // a mention already inside a link stays that link's text: nested links are invalid HTML
      ],
      { ignore: ['link', 'linkReference'] },
    );
  };
}

const processor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(linkMentions)
  .use(remarkRehype)
  .use(rehypeSanitize)
  .use(rehypeStringify);

export function renderMarkdown(md: string): string {
  return String(processor.processSync(md));
}
