// Bli involvert's page navigator: single-page navigation for the visitors'
// pages, without WebAssembly.
//
// Every public page is rendered on the server and works as plain links and
// forms. This script only makes moving between them smoother: a same-site
// link or form is fetched and the new page's <body> replaces the old one,
// so the document (and anything set on `window`) survives. It then does
// what a browser does on a page load, and what a screen reader user needs:
//
//  * the title changes, history gets an entry (back and forward work, with
//    the scroll position restored), a new page starts at the top;
//  * focus goes to the new page's main heading, or to an element marked
//    `data-focus` (a form's next step), or stays on the control that changed
//    the view (`data-live` forms, which submit themselves on change);
//  * after a `data-live` form's change, the page's `[data-announce]` live
//    region (kept from the old page, so screen readers notice) says the new
//    state, e.g. the result count; a new page is announced by its heading
//    taking focus.
//
// It also hosts the visitors' islands (`app/src/islands`, WebAssembly): on a
// page that has any, it loads the visitors' bundle once the page has loaded
// and the browser is idle, or at once when the visitor first touches an
// island, and hydrates each island (one per task), also in every page it
// swaps in. Pages without islands fetch no WebAssembly. Until the bundle
// arrives, and if it never does, the page works as without it.
//
// A form marked `data-inplace="ID"` (the page answers, "Var denne siden
// nyttig?") is answered in place: the element ID is replaced by its
// counterpart in the answer; the address and the history stay as they are.
//
// Anything it does not handle (other sites, editors' pages, sign-in,
// downloads, `rel=external`, `data-navigator=off`, modified clicks, a
// failed fetch, an answer that is not HTML) is left to the browser, so the
// worst case is an ordinary page load. The server sees each navigation as an
// ordinary request (and counts it as a page view; `X-Bli-Navigation: 1`
// tells it the document stays).
(() => {
  if (!window.fetch || !window.DOMParser || !history.pushState) return;

  // Paths the navigator leaves to the browser (they load their own scripts,
  // set cookies or are files). The server writes the list on this script's
  // tag, from `app/src/domain/area.rs`, so it is said once; without it the
  // navigator leaves every page to the browser.
  const tag = document.querySelector('script[data-native]');
  const NATIVE = tag ? tag.dataset.native.split(' ').filter(Boolean) : null;
  const native = (path) => !NATIVE || NATIVE.some((n) => (n[0] === '.' ? path.endsWith(n)
    : n.endsWith('/') ? path.startsWith(n) : path === n || path.startsWith(`${n}/`)));
  let navigation = 0;
  // The navigator puts each entry's scroll position back itself.
  history.scrollRestoration = 'manual';

  function handled(url) {
    return url.origin === location.origin && !native(url.pathname);
  }

  function remember() {
    history.replaceState({ ...(history.state || {}), scrollY: window.scrollY }, '');
  }

  // ── Links ────────────────────────────────────────────────────────────
  document.addEventListener('click', (ev) => {
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    const a = ev.target.closest && ev.target.closest('a[href]');
    if (!a || a.target || a.hasAttribute('download') || a.dataset.navigator === 'off') return;
    if ((a.getAttribute('rel') || '').split(/\s+/).includes('external')) return;
    const url = new URL(a.href, location.href);
    if (!handled(url)) return;
    // A link to a place on this page is the browser's job.
    if (url.pathname === location.pathname && url.search === location.search && url.hash) return;
    ev.preventDefault();
    go(new Request(url), { push: true });
  });

  // ── Forms ────────────────────────────────────────────────────────────
  document.addEventListener('submit', (ev) => {
    const form = ev.target;
    if (ev.defaultPrevented || !(form instanceof HTMLFormElement) || form.dataset.navigator === 'off') return;
    const method = (form.getAttribute('method') || 'get').toUpperCase();
    if (method !== 'GET' && method !== 'POST') return;
    const url = new URL(form.getAttribute('action') || location.href, location.href);
    if (!handled(url)) return;
    // The pressed button's name and value are part of what is sent.
    const data = new FormData(form, ev.submitter || undefined);
    const body = new URLSearchParams();
    for (const [k, v] of data) {
      if (typeof v === 'string') body.append(k, v);
    }
    let request;
    if (method === 'GET') {
      // As a browser does: the form's fields replace the action's query.
      url.search = body.toString();
      request = new Request(url);
    } else {
      request = new Request(url, { method: 'POST', body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    }
    ev.preventDefault();
    if (form.dataset.inplace) {
      inplace(request, form, ev.submitter, form.dataset.inplace);
      return;
    }
    const live = form.hasAttribute('data-live');
    go(request, { push: true, live, form, submitter: ev.submitter, focus: live ? document.activeElement : null });
  });

  // A `data-live` form applies a change at once; typing waits for a pause.
  // "At once" is after the next frame: what an island drew for the change
  // (the filter's new counts) is painted before the form is sent.
  let typing;
  document.addEventListener('change', (ev) => {
    const form = ev.target.form;
    if (form && form.hasAttribute('data-live') && ev.target.type !== 'search' && ev.target.type !== 'text') {
      requestAnimationFrame(() => setTimeout(() => form.requestSubmit(), 0));
    }
  });
  document.addEventListener('input', (ev) => {
    const form = ev.target.form;
    if (!form || !form.hasAttribute('data-live') || (ev.target.type !== 'search' && ev.target.type !== 'text')) return;
    clearTimeout(typing);
    // The form of the page shown when the pause ends: an answer that came
    // meanwhile has swapped in a new one (and kept the typed text).
    const id = ev.target.id;
    typing = setTimeout(() => {
      const field = id ? document.getElementById(id) : null;
      const current = field && field.form ? field.form : form;
      if (current.isConnected) current.requestSubmit();
    }, 350);
  });

  // ── Back and forward ─────────────────────────────────────────────────
  window.addEventListener('popstate', (ev) => {
    go(new Request(location.href), { push: false, scrollY: ev.state && ev.state.scrollY });
  });

  async function go(request, how) {
    const mine = ++navigation;
    request.headers.set('X-Bli-Navigation', '1');
    request.headers.set('Accept', 'text/html');
    if (how.push) remember();
    let response, html;
    try {
      response = await fetch(request, { credentials: 'same-origin' });
      const type = response.headers.get('Content-Type') || '';
      // Any page is shown, a form's page with its problems too (the server
      // sends those as 200 with X-Bli-Status); anything else is the browser's.
      if (!type.startsWith('text/html')) throw new Error(`${response.status} ${type}`);
      html = await response.text();
    } catch (e) {
      // Let the browser try: the same request as an ordinary load.
      if (mine === navigation) fallback(request, how);
      return;
    }
    if (mine !== navigation) return;
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const target = new URL(response.url || request.url);
    if (target.origin !== location.origin || !handled(target)) {
      location.assign(target.href);
      return;
    }
    const samePage = target.pathname === location.pathname;
    const keep = how.live ? describe(how.focus) : null;
    const region = how.live ? document.querySelector('[data-announce]') : null;
    const disclosed = samePage ? disclosures() : null;
    swap(doc);
    if (disclosed) reopen(disclosed);
    if (how.push) {
      // A form answered in place (the next step of a flow) replaces the
      // entry, as a reload would show it; anything else is a new entry.
      const inPlace = request.method === 'POST' && !response.redirected;
      if (inPlace) history.replaceState({ scrollY: 0 }, '', target.href);
      else history.pushState({ scrollY: 0 }, '', target.href);
    }
    settle(target, how, samePage, keep, region);
  }

  // The browser's own way: a link or a GET as a page load, a form posted
  // again without the navigator.
  function fallback(request, how) {
    if (request.method === 'GET') {
      location.assign(request.url);
    } else if (how.form) {
      how.form.dataset.navigator = 'off';
      how.form.requestSubmit(how.submitter || undefined);
    } else {
      location.reload();
    }
  }

  // The new page's body replaces the old one.
  function swap(doc) {
    document.title = doc.title;
    const lang = doc.documentElement.getAttribute('lang');
    if (lang) document.documentElement.setAttribute('lang', lang);
    for (const name of ['description']) {
      const mine = document.head.querySelector(`meta[name="${name}"]`);
      const theirs = doc.head.querySelector(`meta[name="${name}"]`);
      if (mine && theirs) mine.setAttribute('content', theirs.getAttribute('content'));
    }
    const canonical = doc.head.querySelector('link[rel="canonical"]');
    const ours = document.head.querySelector('link[rel="canonical"]');
    if (canonical && ours) ours.setAttribute('href', canonical.getAttribute('href'));
    document.body.replaceChildren(...document.adoptNode(doc.body).childNodes);
  }

  // A fragment as an element id. A malformed escape (`#%E0%A4%A`) makes
  // decodeURIComponent throw, which here, after the page has been swapped,
  // skipped focus and the announcement (review 3, I-5): use it as typed.
  function fragmentId(hash) {
    try {
      return decodeURIComponent(hash.slice(1));
    } catch (_) {
      return hash.slice(1);
    }
  }

  // Focus, scroll and what is announced, as after a page load.
  function settle(target, how, samePage, keep, region) {
    let focus = null;
    if (keep) focus = restore(keep);
    if (!focus) focus = document.querySelector('[data-focus]');
    if (!focus && !(samePage && how.form)) focus = document.querySelector('main h1');
    // At once, as a page load does (the stylesheet's smooth scrolling is for
    // links within a page).
    const anchor = target.hash ? document.getElementById(fragmentId(target.hash)) : null;
    if (typeof how.scrollY === 'number') {
      window.scrollTo({ top: how.scrollY, behavior: 'instant' });
    } else if (anchor) {
      anchor.scrollIntoView({ behavior: 'instant' });
    } else if (!(samePage && how.form)) {
      window.scrollTo({ top: 0, behavior: 'instant' });
    }
    if (focus) {
      if (!focus.hasAttribute('tabindex') && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA|SUMMARY)$/.test(focus.tagName)) {
        focus.setAttribute('tabindex', '-1');
      }
      focus.focus({ preventScroll: typeof how.scrollY === 'number' || (samePage && how.form && !focus.hasAttribute('data-focus')) });
      if (keep && keep.selection && typeof focus.setSelectionRange === 'function') {
        try { focus.setSelectionRange(keep.selection[0], keep.selection[1]); } catch (e) { /* not a text field */ }
      }
    }
    // The live region the screen reader already knows stays, with new words.
    // Said once: not again when an island has already said these words.
    const fresh = region && document.getElementById(region.id);
    if (fresh) {
      const words = fresh.getAttribute('data-announce');
      fresh.replaceWith(region);
      region.setAttribute('data-announce', words);
      if (region.getAttribute('data-said') !== words) region.textContent = words;
      region.removeAttribute('data-said');
    }
    window.dispatchEvent(new CustomEvent('bli:navigated', { detail: { url: target.href } }));
    islands.wake();
  }

  // What the visitor has typed is theirs: a text field keeps its value as
  // it is when the answer arrives, which may be newer than what was sent
  // (typing on while a slow answer was on its way, whose own request is
  // already waiting to go); without this the answer put the old text back
  // and the next keys landed in the middle of it.
  function describe(el) {
    if (!el || !el.id) return null;
    const selection = typeof el.selectionStart === 'number' ? [el.selectionStart, el.selectionEnd] : null;
    const text = el.tagName === 'INPUT' && (el.type === 'search' || el.type === 'text');
    return { id: el.id, selection, value: text ? el.value : null };
  }

  function restore(keep) {
    const el = document.getElementById(keep.id);
    if (el && keep.value !== null && el.value !== keep.value) el.value = keep.value;
    return el;
  }

  // On the same page, what the visitor opened stays open: the filter panel
  // (a `data-toggle`) and the facet groups (`<details>` with an id).
  function disclosures() {
    return {
      toggles: [...document.querySelectorAll('a[data-toggle][aria-expanded="true"]')].map((a) => a.getAttribute('aria-controls')),
      details: [...document.querySelectorAll('details[id]')].map((d) => [d.id, d.open]),
    };
  }

  function reopen(kept) {
    for (const id of kept.toggles) {
      const toggle = document.querySelector(`a[data-toggle][aria-controls="${CSS.escape(id)}"]`);
      const panel = document.getElementById(id);
      if (toggle && panel) {
        toggle.setAttribute('aria-expanded', 'true');
        panel.classList.add('open');
      }
    }
    for (const [id, open] of kept.details) {
      const details = document.getElementById(id);
      if (details && details.tagName === 'DETAILS') details.open = open || details.open;
    }
  }

  // ── Forms answered in place ──────────────────────────────────────────
  async function inplace(request, form, submitter, id) {
    let html;
    try {
      const response = await fetch(request, { credentials: 'same-origin' });
      const type = response.headers.get('Content-Type') || '';
      if (!response.ok || response.headers.get('X-Bli-Status') || !type.startsWith('text/html')) {
        throw new Error(`${response.status} ${type}`);
      }
      html = await response.text();
    } catch (e) {
      // The browser's own way shows whatever the server said.
      form.dataset.navigator = 'off';
      form.requestSubmit(submitter || undefined);
      return;
    }
    const fresh = new DOMParser().parseFromString(html, 'text/html').getElementById(id);
    const old = document.getElementById(id);
    if (!fresh || !old) {
      location.reload();
      return;
    }
    old.replaceWith(document.adoptNode(fresh));
    const focus = fresh.querySelector('[data-focus]');
    if (focus) {
      if (!focus.hasAttribute('tabindex') && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(focus.tagName)) {
        focus.setAttribute('tabindex', '-1');
      }
      focus.focus({ preventScroll: true });
    }
  }

  // ── The visitors' islands ────────────────────────────────────────────
  // scripts/build.sh writes the bundle's hashed file names in here.
  const islands = (() => {
    const JS = '/pkg/__VISITORS_JS__';
    const WASM = '/pkg/__VISITORS_WASM__';
    let bundle = null;
    let idle = false;
    const pending = () => [...document.querySelectorAll('leptos-island')].filter((el) => !el.__bli);
    // Starts the bundle (once) and hydrates every island not yet hydrated,
    // one per task, so no single task grows with the number of islands.
    function start() {
      if (!bundle) {
        bundle = import(JS).then(async (m) => {
          const wasm = await m.default({ module_or_path: WASM });
          m.hydrate();
          // For the benchmarks: Leptos 0.8 never frees an island's state.
          window.__islandsMemory = () => wasm.memory.buffer.byteLength;
          return m;
        });
        bundle.catch((e) => console.warn('bli: the islands stay plain HTML', e));
      }
      bundle.then(async (m) => {
        for (const el of pending()) {
          el.__bli = true;
          const hydrate = m[el.dataset.component];
          if (hydrate) hydrate(el);
          await new Promise((r) => setTimeout(r, 0));
        }
        window.__islands = (window.__islands || 0) + 1;
      }, () => {});
    }
    // A visitor who touches an island does not wait for the idle moment.
    for (const type of ['pointerdown', 'focusin', 'keydown']) {
      document.addEventListener(type, (ev) => {
        if (ev.target.closest && ev.target.closest('leptos-island')) start();
      }, { capture: true, passive: true });
    }
    function wake() {
      if (pending().length && (idle || bundle)) start();
    }
    function whenIdle() {
      const later = window.requestIdleCallback || ((f) => setTimeout(f, 200));
      later(() => { idle = true; wake(); }, { timeout: 3000 });
    }
    if (document.readyState === 'complete') whenIdle();
    else window.addEventListener('load', whenIdle, { once: true });
    return { wake };
  })();

  // ── Disclosures ──────────────────────────────────────────────────────
  // A link with `data-toggle` shows and hides the element it points to
  // (without JavaScript it jumps to it, and CSS shows it by `:target`).
  document.addEventListener('click', (ev) => {
    const toggle = ev.target.closest && ev.target.closest('a[data-toggle]');
    if (!toggle) return;
    const panel = document.getElementById(toggle.getAttribute('aria-controls') || '');
    if (!panel) return;
    ev.preventDefault();
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    toggle.setAttribute('aria-expanded', String(open));
    panel.classList.toggle('open', open);
    if (open) {
      const first = panel.querySelector('[tabindex="-1"], input, select, button, a');
      if (first) first.focus();
    }
  }, true);

  window.__hydrated = true;
})();
