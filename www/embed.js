/* Kafka compaction playground: the embed loader for tutorial pages.
 *
 *   <script src="embed.js" defer></script>
 *   <div class="kafka-playground" data-script="topic t cleanup.policy=compact
 *   produce t k:v1"></div>
 *
 * turns every .kafka-playground element into an iframe of embed.html (found
 * next to this script) running the scenario, sized to its content. The
 * scenario is the element's data-script attribute, or the text of a
 * <script type="text/plain"> child (indentation is removed). Options:
 *
 *   data-load="lazy"     default: load when it scrolls near the viewport
 *   data-load="click"    show the scenario and a button; load on click
 *   data-load="eager"    load at once
 *   data-panels="log,cleaner,state"   panels shown (embed.html's panels=)
 *   data-readonly        no controls that change the log
 *   data-step            step through the scenario one line at a time
 *   data-theme="dark"    or "light"
 *   data-height="420"    height (px) until the embed reports its own
 *   data-title="..."     the iframe's accessible title
 *   data-src="path/embed.html"   another copy of the playground
 *
 * data-src is only ever a page to frame, never script: it must resolve to an
 * http: or https: URL of the same origin as this script (embed.js), or of an
 * origin the site lists on the loader's own script tag:
 *
 *   <script src="embed.js" data-allow-origins="https://kafka-playground.example"></script>
 *
 * (space-separated http(s) origins). The list lives on the <script> tag, not
 * on the elements, because whoever may write the elements (authors of
 * sanitised HTML that keeps class and data-*) must not widen it. An element
 * whose data-src is refused shows why, and gets data-kcp-state="error".
 *
 * window.KafkaPlayground.scan(root) processes elements added later;
 * KafkaPlayground.send(element, {type: "kcp:step"}) talks to one embed; each
 * element fires "kcp:ready" and "kcp:state" DOM events (detail: the message).
 * Messages count only from the embed's window at the embed's origin, and the
 * loader posts only to that origin. A page opened from file:// cannot run
 * the playground (browsers do not load WebAssembly from files): each element
 * says so and points to playground-standalone.html.
 * No network access beyond embed.html and its files; no cookies, no storage.
 */
(function () {
  'use strict';
  // Loaded twice: the first copy stays. (An element with id="KafkaPlayground"
  // also shows up as window.KafkaPlayground: only our own object counts.)
  if (window.KafkaPlayground && typeof window.KafkaPlayground.scan === 'function') return;

  // document.currentScript can be shadowed by a named element of the page
  // (<img name="currentScript" src="https://elsewhere/">): only a real
  // <script> element may say where embed.js, and so embed.html, lives.
  var me = document.currentScript instanceof HTMLScriptElement ? document.currentScript : null;
  var here = me && me.src ? me.src : location.href;
  var DEFAULT_SRC = new URL('embed.html', here).href;
  var MAX_SCRIPT = 256 * 1024;
  var frames = []; // { el, frame, origin }
  var states = new WeakMap(); // element -> { script, frame, origin, error }

  /** The origin of an http(s) URL; null for any other scheme or a malformed URL. */
  function httpOrigin(url, base) {
    try {
      var u = new URL(url, base);
      return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
    } catch (e) {
      return null;
    }
  }

  // Where embeds may come from: embed.js's own origin, and the origins its
  // <script> tag lists in data-allow-origins (never an element's attribute).
  var allowed = [];
  if (httpOrigin(here)) allowed.push(httpOrigin(here));
  ((me && me.getAttribute('data-allow-origins')) || '').split(/\s+/).forEach(function (o) {
    var origin = o && httpOrigin(o);
    if (origin) allowed.push(origin);
    else if (o) console.warn('embed.js: data-allow-origins takes http(s) origins; ignoring ' + JSON.stringify(o));
  });

  function css() {
    if (document.getElementById('kafka-playground-css')) return;
    var s = document.createElement('style');
    s.id = 'kafka-playground-css';
    s.textContent =
      '.kafka-playground{display:block;margin:1.2em 0;border:1px solid #d5dae1;border-radius:8px;overflow:hidden;background:#f4f5f7}' +
      '.kafka-playground iframe{display:block;width:100%;border:0;transition:height .15s}' +
      '.kafka-playground .kcp-placeholder{padding:14px 16px;font:14px/1.45 system-ui,sans-serif;color:#1b1f24}' +
      '.kafka-playground .kcp-placeholder pre{margin:0 0 10px;padding:8px 10px;max-height:12em;overflow:auto;background:#fff;border:1px solid #d5dae1;border-radius:6px;font:12.5px/1.4 ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap}' +
      '.kafka-playground .kcp-load{font:inherit;font-weight:600;padding:6px 14px;border-radius:6px;border:1px solid #1d5bbf;background:#1d5bbf;color:#fff;cursor:pointer}' +
      '.kafka-playground .kcp-load:focus-visible{outline:3px solid #1d5bbf;outline-offset:2px}' +
      '.kafka-playground .kcp-error{color:#a4201a}';
    document.head.appendChild(s);
  }

  /** The scenario of an element: a text/plain script child, else data-script. */
  function scenarioOf(el) {
    var child = el.querySelector('script[type="text/plain"], script[type="text/x-kafka-scenario"]');
    var text = child ? child.textContent : el.getAttribute('data-script') || '';
    // Drop blank lines around it and the indentation common to all lines.
    var lines = text.replace(/\r\n?/g, '\n').split('\n');
    while (lines.length && !lines[0].trim()) lines.shift();
    while (lines.length && !lines[lines.length - 1].trim()) lines.pop();
    var indent = Math.min.apply(null, lines.filter(function (l) { return l.trim(); }).map(function (l) { return l.match(/^[ \t]*/)[0].length; }).concat([Infinity]));
    if (!isFinite(indent)) indent = 0;
    return lines.map(function (l) { return l.slice(indent); }).join('\n') + (lines.length ? '\n' : '');
  }

  /**
   * The embed page of an element, { url } (a URL object), or { error } when
   * it may not be framed: data-src must be http(s) and of an allowed origin
   * (a javascript: or data: URL would run the author's markup as script in,
   * or over, this page).
   */
  function pageOf(el) {
    var raw = el.getAttribute('data-src');
    var url;
    try {
      url = new URL(raw ? raw : DEFAULT_SRC, location.href);
    } catch (e) {
      return { error: 'This playground cannot load: its data-src is not a URL.' };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      if (location.protocol === 'file:' && url.protocol === 'file:') {
        return { error: 'The playground cannot run from a file:// page: browsers do not load its WebAssembly from files. ' +
          'Serve this folder over http (for example: python3 -m http.server), or open playground-standalone.html, which works from disk.' };
      }
      return { error: 'This playground cannot load: data-src must be an http: or https: address, not ' + url.protocol };
    }
    if (allowed.indexOf(url.origin) < 0) {
      return { error: 'This playground cannot load: data-src is on ' + url.origin + ', and embed.js only frames ' + allowed.join(', ') +
        ' (list more origins in data-allow-origins on the embed.js script tag).' };
    }
    return { url: url };
  }

  function urlOf(el, page, script) {
    var src = new URL(page.href);
    var q = [];
    var panels = el.getAttribute('data-panels');
    if (panels) q.push('panels=' + encodeURIComponent(panels));
    if (el.hasAttribute('data-readonly')) q.push('readonly');
    if (el.hasAttribute('data-step')) q.push('step');
    var theme = el.getAttribute('data-theme');
    if (theme === 'dark' || theme === 'light') q.push('theme=' + theme);
    src.search = q.join('&');
    src.hash = 'script=' + encodeURIComponent(script);
    return src.href;
  }

  function heightOf(el) {
    var h = parseInt(el.getAttribute('data-height'), 10) || 420;
    return Math.max(80, Math.min(h, 20000));
  }

  /** Replaces the element's content with a message saying why it cannot load. */
  function fail(el, text) {
    states.set(el, { error: text });
    el.setAttribute('data-kcp-state', 'error');
    el.textContent = '';
    el.style.minHeight = '';
    var p = document.createElement('p');
    p.className = 'kcp-placeholder kcp-error';
    p.setAttribute('role', 'alert');
    p.textContent = text;
    el.appendChild(p);
  }

  /** The element's iframe, made now if need be; null if it cannot load. */
  function load(el) {
    if (!states.has(el)) setUp(el, 'eager');
    var st = states.get(el);
    if (!st || st.error) return null;
    if (st.frame) return st.frame;
    el.textContent = '';
    var frame = document.createElement('iframe');
    frame.title = el.getAttribute('data-title') || 'Kafka compaction playground';
    frame.style.height = heightOf(el) + 'px';
    frame.src = urlOf(el, st.page, st.script);
    el.appendChild(frame);
    st.frame = frame;
    el.setAttribute('data-kcp-state', 'loading');
    frames.push({ el: el, frame: frame, origin: st.page.origin });
    return frame;
  }

  function placeholder(el, script) {
    var box = document.createElement('div');
    box.className = 'kcp-placeholder';
    var pre = document.createElement('pre');
    pre.textContent = script.split('\n').slice(0, 12).join('\n');
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'kcp-load';
    button.textContent = '\u25b6 Load the playground';
    button.setAttribute('aria-label', 'Load the interactive playground for this scenario');
    button.addEventListener('click', function () {
      var f = load(el);
      if (f) f.addEventListener('load', function () { f.focus(); }, { once: true });
    });
    box.appendChild(pre);
    box.appendChild(button);
    el.textContent = '';
    el.appendChild(box);
  }

  var observer = 'IntersectionObserver' in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (e) {
      if (e.isIntersecting) {
        observer.unobserve(e.target);
        load(e.target);
      }
    });
  }, { rootMargin: '200px 0px' }) : null;

  function setUp(el, forceMode) {
    if (states.has(el)) return;
    css();
    var page = pageOf(el);
    if (page.error) return fail(el, page.error);
    var script = scenarioOf(el);
    if (script.length > MAX_SCRIPT) return fail(el, 'This scenario is too long to embed (at most 256 KiB).');
    states.set(el, { script: script, page: page.url });
    el.setAttribute('data-kcp-state', 'waiting');
    var mode = forceMode || el.getAttribute('data-load') || 'lazy';
    if (mode === 'click') placeholder(el, script);
    else if (mode === 'eager' || !observer) load(el);
    else {
      el.style.minHeight = heightOf(el) + 'px';
      observer.observe(el);
    }
  }

  function scan(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll('.kafka-playground'), function (el) { setUp(el); });
  }

  // One listener for every embed: a message counts only from the window of
  // one of our iframes while it shows a page of the embed's origin (the
  // frame may have navigated elsewhere since), and only in the documented
  // shapes.
  window.addEventListener('message', function (e) {
    for (var i = 0; i < frames.length; i++) {
      var f = frames[i];
      if (e.source !== f.frame.contentWindow) continue;
      if (e.origin !== f.origin) return;
      var d = e.data;
      if (!d || typeof d !== 'object' || typeof d.type !== 'string') return;
      if (d.type === 'kcp:resize' && typeof d.height === 'number' && isFinite(d.height)) {
        f.frame.style.height = Math.max(80, Math.min(Math.ceil(d.height), 20000)) + 'px';
        f.el.style.minHeight = '';
      } else if (d.type === 'kcp:ready') {
        f.el.setAttribute('data-kcp-state', 'ready');
        f.el.dispatchEvent(new CustomEvent('kcp:ready', { detail: d }));
      } else if (d.type === 'kcp:state') {
        f.el.dispatchEvent(new CustomEvent('kcp:state', { detail: d }));
      }
      return;
    }
  });

  /**
   * Posts a message to the embed of `el` (loading it first if needed), and
   * only to the embed's origin: if its frame has navigated elsewhere, the
   * browser drops the message. False if the element cannot load.
   */
  function send(el, message) {
    var frame = load(el);
    if (!frame) return false;
    var origin = states.get(el).page.origin;
    var post = function () {
      if (frame.contentWindow) frame.contentWindow.postMessage(message, origin);
    };
    if (el.getAttribute('data-kcp-state') === 'ready') post();
    else el.addEventListener('kcp:ready', post, { once: true });
    return true;
  }

  window.KafkaPlayground = { scan: scan, load: load, send: send };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', function () { scan(); });
  else scan();
})();
