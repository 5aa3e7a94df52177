// The guide's hints while a comment or written input is being written, as the new-proposal form
// shows them: a form marked `data-hints` asks `/hints` for the hints on its text a moment after the
// writer stops typing, and shows them under the text box. Without JavaScript they come after posting.
import type { Hono } from 'hono';
import { checkText } from '../../../domain/interests.ts';
import { LIMITS } from '../../../domain/limits.ts';
import { scriptAsset, serveAsset } from '../assets.ts';
import type { WebEnv } from '../context.ts';
import { hints } from './widgets.ts';
import { loadShippedModel } from '../../../domain/hints/shipped.ts';

// Debounced: one request 600 ms after the writer stops; a stale answer never replaces a newer one.
const BODY = `
(function(){document.querySelectorAll('form[data-hints]').forEach(function(f){var box=f.querySelector('textarea[name=body]');if(!box)return;
var out=document.createElement('div');out.className='live-hints';out.setAttribute('aria-live','polite');box.insertAdjacentElement('afterend',out);var t=null,n=0;
function run(){var id=++n;var text=box.value.slice(0,4000);if(!text.trim()){out.innerHTML='';return}
fetch('/hints?'+new URLSearchParams({text:text}).toString(),{headers:{Accept:'text/html'},credentials:'same-origin'}).then(function(r){return r.ok?r.text():null}).then(function(h){if(h!==null&&id===n)out.innerHTML=h}).catch(function(){})}
box.addEventListener('input',function(){clearTimeout(t);t=setTimeout(run,600)})})})();
`.trim();

export const HINTS_SCRIPT = scriptAsset('live-hints', BODY);

export function liveHintsRoutes(web: Hono<WebEnv>): void {
  serveAsset(web, HINTS_SCRIPT);
  // a fragment, not a page: the hints on a text as it stands (judged as far as a comment could be long)
  web.get('/hints', async (c) => {
    const text = (c.req.query('text') ?? '').slice(0, LIMITS.prose);
    await loadShippedModel();
    return c.html(`${hints(checkText(text), 'Hints from the guide, before you post')}`, 200, {
      'Cache-Control': 'no-store',
    });
  });
}
