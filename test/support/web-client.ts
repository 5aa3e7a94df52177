// A browser-less client for web pages over `app.request`: keeps cookies like a browser and sends
// the CSRF token of the last page it read, so page tests can run on both databases quickly.
import type { Hono } from 'hono';

export class WebClient {
  private cookies = new Map<string, string>();
  csrf: string | null = null;
  private app: Hono;
  private origin: string;
  constructor(app: Hono, origin = 'http://localhost') {
    this.app = app;
    this.origin = origin;
  }

  /** Puts a cookie in the jar by hand (to replay an old session, say). */
  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  private remember(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const [name, ...v] = pair!.split('=');
      const value = v.join('=');
      const expired = attrs.some((a) => /max-age=0\b/i.test(a.trim()) || /expires=thu, 01 jan 1970/i.test(a.trim()));
      if (expired || value === '') this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value);
    }
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    return { Accept: 'text/html', ...(cookie ? { Cookie: cookie } : {}), ...extra };
  }

  /** A HEAD request with this browser's cookies: its status. */
  async head(path: string): Promise<number> {
    const res = await this.app.request(this.origin + path, { method: 'HEAD', headers: this.headers() });
    this.remember(res);
    return res.status;
  }

  async get(
    path: string,
    extra: Record<string, string> = {},
  ): Promise<{ status: number; html: string; location: string | null }> {
    const res = await this.app.request(this.origin + path, { headers: this.headers(extra) });
    this.remember(res);
    const html = await res.text();
    const m = /name="_csrf" value="([^"]+)"/.exec(html);
    if (m) this.csrf = m[1]!;
    return { status: res.status, html, location: res.headers.get('location') };
  }

  /**
   * Posts a form as a browser would (same origin, the page's CSRF token unless one is given);
   * `raw` sends that body and Content-Type instead, as a hostile client might.
   */
  async post(
    path: string,
    fields: Record<string, string>,
    opts: { csrf?: string | null; origin?: string; raw?: { body: string | Uint8Array; contentType: string } } = {},
  ): Promise<{ status: number; html: string; location: string | null }> {
    const body = new URLSearchParams(fields);
    const token = opts.csrf === undefined ? this.csrf : opts.csrf;
    if (token) body.set('_csrf', token);
    const res = await this.app.request(this.origin + path, {
      method: 'POST',
      headers: this.headers({
        'Content-Type': opts.raw?.contentType ?? 'application/x-www-form-urlencoded',
        Origin: opts.origin ?? this.origin,
      }),
      body: opts.raw?.body ?? body.toString(),
    });
    this.remember(res);
    const html = await res.text();
    const m = /name="_csrf" value="([^"]+)"/.exec(html);
    if (m) this.csrf = m[1]!;
    return { status: res.status, html, location: res.headers.get('location') };
  }
}

/** A page's visible text: tags dropped, common entities decoded, white space folded. */
export function pageText(html: string): string {
  return html
    .replace(/<head>[\s\S]*?<\/head>/, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** Signs a demo person in through the sign-in form and returns their client. */
export async function signInAs(app: Hono, handle: string): Promise<WebClient> {
  const client = new WebClient(app);
  await client.get('/sign-in');
  const res = await client.post('/sign-in/demo', { handle, next: '/' });
  if (res.status !== 303) throw new Error(`demo sign-in as ${handle} answered ${res.status}`);
  return client;
}
