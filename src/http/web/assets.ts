// The one stylesheet and the one small script, served with a content hash in the URL so browsers
// cache them for a year. Kept as strings here: no build step, no file reads at start.
import { createHash } from 'node:crypto';
import type { Hono } from 'hono';
import type { WebEnv } from './context.ts';
import { RENAMED } from './pages/time-zones.ts';

const CSS = `
:root{--fg:#1b1f24;--muted:#57606a;--bg:#fff;--panel:#f6f8fa;--line:#d0d7de;--accent:#0a58ca;--accent-fg:#fff;--ok:#116329;--bad:#a40e26;--warn:#7d4e00;--focus:#ffbf47;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5;color:var(--fg);background:var(--bg)}
*{box-sizing:border-box}body{margin:0}
a{color:var(--accent)}a:hover{text-decoration-thickness:2px}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px;box-shadow:0 0 0 5px var(--fg)}
.skip{position:absolute;left:-999px;top:0;background:var(--fg);color:#fff;padding:.5rem 1rem;z-index:10}
.skip:focus{left:.5rem}
header.site{background:#0d1117;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;position:relative}
details.menu{flex:1}details.menu>summary{display:none}details.menu::details-content{content-visibility:visible;display:block}
.menu-body{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center}
header.site a{color:#fff}
.brand{font-weight:700;font-size:1.15rem;text-decoration:none}
nav.main ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem .9rem}
nav.main a{text-decoration:none;padding:.2rem 0;display:inline-block}
nav.main a[aria-current=page],.who a[aria-current=page]{border-bottom:3px solid var(--focus)}
.who{margin-left:auto;display:flex;gap:.75rem;align-items:center;flex-wrap:wrap}
.who form{margin:0}
.who button{background:transparent;color:#fff;border:1px solid #8b949e;border-radius:4px;padding:.15rem .6rem;font:inherit;cursor:pointer}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.8rem;margin:.5rem 0 1rem}h2{font-size:1.35rem;margin-top:2rem}h3{font-size:1.1rem}
.muted{color:var(--muted)}
.flash{background:#dafbe1;border-left:5px solid var(--ok);padding:.75rem 1rem;margin:1rem 0}
.error-summary{border:3px solid var(--bad);padding:.75rem 1rem;margin:1rem 0}
.error-summary h2{margin:0 0 .5rem;font-size:1.15rem;color:var(--bad)}
.field-error{color:var(--bad);font-weight:600;margin:.25rem 0}
[aria-invalid=true]{border-color:var(--bad)!important;border-width:2px!important}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}label,legend{scroll-margin-top:.75rem}
label.check{display:inline;font-weight:400}
.hint{color:var(--muted);margin:0 0 .25rem;font-size:.95rem}
.required-mark,label.required::after,legend.required::after{color:var(--bad);font-weight:700}label.required::after,legend.required::after{content:" *"/""}.required-legend{color:var(--muted);font-size:.95rem}
input[type=text],input[type=search],input[type=number],input[type=date],input[type=datetime-local],select,textarea{font:inherit;padding:.4rem .5rem;border:1px solid #6e7781;border-radius:4px;width:100%;max-width:40rem;background:#fff;color:var(--fg)}
textarea{min-height:8rem}
select{width:auto;min-width:10rem}input[type=number]{max-width:10rem}input[type=datetime-local],input[type=date]{max-width:16rem}
button,.button{font:inherit;background:var(--accent);color:var(--accent-fg);border:0;border-radius:4px;padding:.45rem 1rem;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary{background:#fff;color:var(--accent);border:1px solid var(--accent)}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr));gap:1rem;padding:0;list-style:none}
.card{border:1px solid var(--line);border-radius:6px;padding:.75rem 1rem;background:var(--panel)}
.card h3{margin:.2rem 0}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--panel)}
.table-wrap{overflow-x:auto;position:relative}
.badge{display:inline-block;border:1px solid currentColor;border-radius:1rem;padding:0 .55rem;font-size:.85rem}
.ok{color:var(--ok)}.bad{color:var(--bad)}.warn{color:var(--warn)}
mark{background:#fff3b0}
.inline-form{display:inline}
/* a series' next meetings, each an "Open the agenda of …" button on a line of its own: apart, so the buttons do not touch */
ul.series-next>li{margin:.5rem 0}
.action{margin:.75rem 0}.action>.why-not,.action>.hint{margin:.25rem 0 0}
button[aria-disabled=true]{background:var(--panel);color:var(--muted);border:1px dashed var(--muted);cursor:not-allowed}
ol.steps{counter-reset:s;padding-left:0;list-style:none}ol.steps>li{border-left:4px solid var(--line);padding:.25rem 0 .25rem 1rem;margin:.75rem 0}ol.steps>li.done{border-color:var(--ok)}
.markdown pre{overflow-x:auto;background:var(--panel);padding:.5rem}
footer.site{border-top:1px solid var(--line);margin-top:3rem;padding:1rem;text-align:center;color:var(--muted);font-size:.9rem}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
ol.stepper{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.35rem;margin:.5rem 0}ol.stepper li{border:1px solid var(--line);border-radius:1rem;padding:.15rem .7rem;background:#fff}ol.stepper li.done{border-color:var(--ok);color:var(--ok)}ol.stepper li.current{background:var(--accent);border-color:var(--accent);color:#fff;font-weight:700}ol.stepper .n{font-variant-numeric:tabular-nums}
.hints,.warning,.panel,.result{border-left:5px solid var(--warn);background:#fff8c5;padding:.5rem 1rem;margin:1rem 0}.panel,.result{border-color:var(--accent);background:var(--panel)}
fieldset{border:1px solid var(--line);border-radius:6px;margin:.75rem 0;padding:.5rem 1rem}legend{font-weight:600}
.choice{display:flex;gap:.5rem;align-items:baseline;margin:.3rem 0}.choice label{font-weight:400;margin:0}
.filters .row{display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:0 1rem}
.split{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:1.5rem;align-items:start}@media (max-width:50rem){.split{grid-template-columns:minmax(0,1fr)}
.split.prior-work{display:flex;flex-direction:column;align-items:stretch;gap:0}.split.prior-work>form{display:contents}.split.prior-work>form>*{order:3}.split.prior-work>form>.title-field{order:1}.split.prior-work>#prior-work-panel{order:2}}
#prior-work-panel h2{margin-top:.25rem}
ol.thread{list-style:none;padding-left:0}ol.thread ol.thread{padding-left:1.25rem;border-left:3px solid var(--line)}.comment{border:1px solid var(--line);border-radius:6px;padding:.5rem .75rem;margin:.5rem 0}.comment .meta{margin:0;color:var(--muted)}
pre.revision{white-space:pre-wrap;background:var(--panel);padding:.5rem}
pre.command{white-space:pre-wrap;overflow-wrap:anywhere;background:var(--panel);padding:.5rem}
.feeds li{margin:.4rem 0}.feed-label{display:inline;font-weight:400;margin:0 .25rem}.feed-url{width:100%;max-width:40rem;font-family:ui-monospace,monospace;font-size:.85rem}
textarea+button{display:block;margin-top:.5rem}ul.plain{list-style:none;padding:0;margin:0}
@media (max-width:40rem){header.site{padding:.5rem}.who{margin-left:0}h1{font-size:1.5rem}main{padding:.75rem}
details.menu{flex-basis:100%}details.menu:not([open])::details-content{content-visibility:hidden}
details.menu>summary{display:block;position:absolute;top:.45rem;right:.5rem;border:1px solid #8b949e;border-radius:4px;padding:.1rem .7rem;cursor:pointer;list-style:none}
details.menu>summary::-webkit-details-marker{display:none}details.menu>summary::after{content:" ▾"}details.menu[open]>summary::after{content:" ▴"}
.menu-body{flex-direction:column;align-items:flex-start;gap:.5rem}nav.main ul{flex-direction:column;gap:0}nav.main a{padding:.35rem 0}}
main{overflow-wrap:break-word}pre{overflow-x:auto;max-width:100%}select{max-width:100%}
.table-wrap{max-width:100%;background:linear-gradient(to right,#fff 30%,rgba(255,255,255,0)) left/2.5rem 100% no-repeat local,linear-gradient(to left,#fff 30%,rgba(255,255,255,0)) right/2.5rem 100% no-repeat local,radial-gradient(farthest-side at 0 50%,rgba(0,0,0,.3),transparent) left/.9rem 100% no-repeat scroll,radial-gradient(farthest-side at 100% 50%,rgba(0,0,0,.3),transparent) right/.9rem 100% no-repeat scroll}
/* a question in a table that scrolls sideways on a phone keeps a readable line, not a word or two */
td.question{min-width:10rem}
/* a long text to copy (the pull request description) stays shorter than a phone's screen, so a thumb scrolling the page gets past it */
textarea.draft{max-height:60vh}.copied{display:block;margin-top:.25rem}
.table-wrap td{background:transparent}.scroll-hint{margin:.25rem 0;font-size:.9rem;color:var(--muted)}
`;

// Progressive enhancement only: every page reads and every form submits without it. The browser's
// zone is read under today's name (ICU still says Asia/Calcutta), as the zone lists offer it.
// A flash (what a form just did) is moved to where the answer lands (a redirect to #agenda, say) and
// focused: at the top of a page scrolled past it, a phone showed it to nobody and a screen reader
// did not read it. Focused once loaded: the browser's own scroll to the fragment would take it back.
// A link to a form's field (#f-links-tracker) focuses that field, so a screen reader starts there.
// An error summary's link to a field brings the field's label (a choice's legend) to the top of the
// screen, then focuses the field: the browser's own jump put the field at the top, and on a phone its
// label, hint and error message were above the screen, a blank box left to guess at.
// A fragment that is not valid percent-encoding (#%E0) names nothing, rather than stopping the script.
// A note kept hidden (data-zone, the home's) shows when the device's clock keeps other hours than the
// person's recorded zone now (compared by the wall clock, so Asia/Seoul and Asia/Tokyo are one), naming the device's zone.
// A text to copy whole (textarea[data-copy], read-only) gets a button that copies it and says so in
// a status beside it; without the script the text is selected and copied by hand.
const JS = `
function byHash(){try{return location.hash.length>1&&document.getElementById(decodeURIComponent(location.hash.slice(1)))}catch(e){return null}}
document.addEventListener('submit',function(e){var b=e.target.querySelector('button[type=submit],button:not([type])');if(b){setTimeout(function(){b.disabled=true},0)}});
var zone=Intl.DateTimeFormat().resolvedOptions().timeZone;zone=(${JSON.stringify(RENAMED)})[zone]||zone;
var rf=new Intl.RelativeTimeFormat('en',{numeric:'auto'}),df=new Intl.DateTimeFormat('en-GB',{weekday:'short',day:'numeric',month:'short',year:'numeric',hour:'2-digit',minute:'2-digit',hourCycle:'h23'});
function rel(d){var ms=d-Date.now(),a=Math.abs(ms),k=['minute',6e4];if(a>36288e5)return'';if(a<6e4)return ms>0?'in less than a minute, ':'just now, ';[['hour',36e5],['day',864e5],['week',6048e5]].forEach(function(u){if(a>=u[1]&&!(u[0]==='week'&&a<18144e5))k=u});return rf.format(Math.round(ms/k[1]),k[0])+', '}
document.querySelectorAll('time[data-local]').forEach(function(t){try{var d=new Date(t.dateTime);t.textContent=(t.getAttribute('data-local')==='moment'?'':rel(d))+df.format(d).replace(/^([A-Za-z]{3}),? /,'$1 ')+' ('+zone+')'}catch(_){}});
document.querySelectorAll('[data-zone]').forEach(function(p){try{var at=function(z){return new Intl.DateTimeFormat('en-GB',{timeZone:z,day:'numeric',hour:'2-digit',minute:'2-digit'}).format(new Date())};if(zone&&at(zone)!==at(p.getAttribute('data-zone'))){p.querySelector('[data-device-zone]').textContent=zone;p.hidden=false}}catch(_){}});
document.querySelectorAll('select[data-browser-zone]').forEach(function(z){var o=[].find.call(z.options,function(x){return x.value===zone});if(o)z.value=zone});
var s=document.querySelector('.error-summary');if(s)s.focus();
var f=!s&&document.querySelector('.flash');if(f){var t=byHash();if(t&&t.tagName!=='MAIN'){while(t.parentElement&&!/^(MAIN|SECTION|ARTICLE|DIV|DETAILS|ASIDE)$/.test(t.parentElement.tagName))t=t.parentElement;t.before(f)}f.tabIndex=-1;addEventListener('load',function(){f.focus()})}
function wide(){document.querySelectorAll('.table-wrap').forEach(function(w){var o=w.scrollWidth>w.clientWidth+1,h=w.previousElementSibling,has=h&&h.className==='scroll-hint';if(o&&!has){var p=document.createElement('p');p.className='scroll-hint';p.textContent='Wide table: scroll sideways to see all of it.';w.before(p);var c=w.querySelector('caption'),t=w;do{t=t.previousElementSibling||t.parentElement}while(t&&t.tagName!=='MAIN'&&!/^H[1-6]$/.test(t.tagName));if(t&&t.tagName==='MAIN')t=null;w.tabIndex=0;w.setAttribute('role','region');w.setAttribute('aria-label',(c?c.textContent:t?t.textContent+' table':'Table')+' (scrolls sideways)')}else if(!o&&has){h.remove();w.removeAttribute('tabindex');w.removeAttribute('role');w.removeAttribute('aria-label')}});
document.querySelectorAll('pre').forEach(function(p){if(p.scrollWidth>p.clientWidth+1)p.tabIndex=0})}
wide();addEventListener('resize',wide);
document.querySelectorAll('select[data-loads]').forEach(function(s){var was=s.value,keyed=false;function load(){var t=document.getElementById(s.getAttribute('data-loads'));if(!t||t.value===t.defaultValue||confirm('Load \u201c'+s.value+'\u201d? Your changes to \u201c'+was+'\u201d are not saved.'))s.form.submit();else s.value=was}
s.addEventListener('keydown',function(e){if(e.key==='Enter'){e.preventDefault();if(s.value!==was)load()}else if(!e.altKey&&/^(Arrow|Page|Home$|End$)|^.$/.test(e.key))keyed=true});s.addEventListener('keyup',function(){keyed=false});s.addEventListener('change',function(){if(!keyed)load()})});
document.querySelectorAll('textarea[data-copy]').forEach(function(t){var b=document.createElement('button'),o=document.createElement('span');b.type='button';b.textContent=t.getAttribute('data-copy');o.setAttribute('role','status');o.className='copied';t.after(b,o);b.addEventListener('click',function(){function done(ok){o.textContent=ok?'Copied. Paste it into the pull request.':'Could not copy: select it all and copy it yourself.';if(!ok){t.focus();t.select()}}if(navigator.clipboard)navigator.clipboard.writeText(t.value).then(function(){done(true)},function(){done(false)});else{t.select();try{done(document.execCommand('copy'))}catch(_){done(false)}b.focus()}})});
function labelOf(t){var g=/^(radio|checkbox)$/.test(t.type)&&t.closest('fieldset');return g?g.querySelector('legend'):t.id&&document.querySelector('label[for="'+CSS.escape(t.id)+'"]')}
function toField(t){var l=labelOf(t);if(l)l.scrollIntoView({block:'start'});t.focus({preventScroll:!!l})}
if(s)s.addEventListener('click',function(e){var a=e.target.closest('a[href^="#"]'),t;try{t=a&&document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)))}catch(_){}if(!t||!/^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))return;e.preventDefault();history.replaceState(null,'',a.getAttribute('href'));toField(t)});
var hf=byHash();if(hf&&!s&&!f&&/^(INPUT|TEXTAREA|SELECT)$/.test(hf.tagName))hf.focus();
var m=document.querySelector('details.menu');if(m)m.addEventListener('keydown',function(e){if(e.key==='Escape'&&m.open){m.open=false;m.querySelector('summary').focus()}});
`;

const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 10);

export type Asset = { path: string; body: string; type: string };

/** A script a page loads, under a path that changes with its text (so it is cached for a year). */
export function scriptAsset(name: string, body: string): Asset {
  const text = body.trim();
  return { path: `/assets/${name}.${hash(text)}.js`, body: text, type: 'text/javascript; charset=utf-8' };
}

export const ASSETS = {
  css: { path: `/assets/app.${hash(CSS)}.css`, body: CSS.trim(), type: 'text/css; charset=utf-8' },
  js: scriptAsset('app', JS),
};

/** Serves an asset at its hashed path. */
export function serveAsset(web: Hono<WebEnv>, asset: Asset): void {
  web.get(asset.path, (c) =>
    c.body(asset.body, 200, { 'Content-Type': asset.type, 'Cache-Control': 'public, max-age=31536000, immutable' }),
  );
}
