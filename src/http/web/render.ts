import { linkContent } from './content-links.ts';
import { withFieldLabels } from './forms.ts';
import type { WebContext } from './context.ts';
import { layout, type PageOptions } from './layout.ts';

/** Renders a page inside the layout. Pages are never cached: they show the signed-in person. */
export async function render(c: WebContext, p: PageOptions): Promise<Response> {
  const body = withFieldLabels(await linkContent(c.var.hub, String(await layout(c, p))));
  return c.html(body, (p.status ?? 200) as 200, { 'Cache-Control': 'no-store' });
}
