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
 * window.KafkaPlayground.scan(root) processes elements added later;
 * KafkaPlayground.send(element, {type: "kcp:step"}) talks to one embed; each
 * element fires "kcp:ready" and "kcp:state" DOM events (detail: the message).
 * No network access beyond embed.html and its files; no cookies, no storage.
 */
(function () {
  'use strict';
  if (window.KafkaPlayground) return;

  var here = document.currentScript && document.currentScript.src ? document.currentScript.src : location.href;
  var DEFAULT_SRC = new URL('embed.html', here).href;
  var MAX_SCRIPT = 256 * 1024;
  var frames = []; // { el, frame }

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

  function urlOf(el, script) {
    var src = new URL(el.getAttribute('data-src') || DEFAULT_SRC, location.href);
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

  function load(el) {
    if (el.kcpFrame) return el.kcpFrame;
    var script = el.kcpScript;
    el.textContent = '';
    var frame = document.createElement('iframe');
    frame.title = el.getAttribute('data-title') || 'Kafka compaction playground';
    frame.style.height = (parseInt(el.getAttribute('data-height'), 10) || 420) + 'px';
    frame.src = urlOf(el, script);
    el.appendChild(frame);
    el.kcpFrame = frame;
    el.setAttribute('data-kcp-state', 'loading');
    frames.push({ el: el, frame: frame });
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
      f.addEventListener('load', function () { f.focus(); }, { once: true });
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

  function setUp(el) {
    if (el.hasAttribute('data-kcp-state')) return;
    css();
    var script = scenarioOf(el);
    if (script.length > MAX_SCRIPT) {
      el.setAttribute('data-kcp-state', 'error');
      el.innerHTML = '';
      var p = document.createElement('p');
      p.className = 'kcp-placeholder kcp-error';
      p.textContent = 'This scenario is too long to embed (at most 256 KiB).';
      el.appendChild(p);
      return;
    }
    el.kcpScript = script;
    el.setAttribute('data-kcp-state', 'waiting');
    var mode = el.getAttribute('data-load') || 'lazy';
    if (mode === 'click') placeholder(el, script);
    else if (mode === 'eager' || !observer) load(el);
    else {
      el.style.minHeight = (parseInt(el.getAttribute('data-height'), 10) || 420) + 'px';
      observer.observe(el);
    }
  }

  function scan(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll('.kafka-playground'), setUp);
  }

  // One listener for every embed: a message counts only from the window of
  // one of our iframes, and only in the documented shapes.
  window.addEventListener('message', function (e) {
    var d = e.data;
    if (!d || typeof d !== 'object' || typeof d.type !== 'string') return;
    for (var i = 0; i < frames.length; i++) {
      var f = frames[i];
      if (e.source !== f.frame.contentWindow) continue;
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

  /** Posts a message to the embed of `el` (loading it first if needed). */
  function send(el, message) {
    var frame = load(el);
    // Address the embed's origin (any origin for file:// pages, whose origin is opaque).
    var origin = new URL(frame.src).origin;
    var post = function () { frame.contentWindow.postMessage(message, origin === 'null' ? '*' : origin); };
    if (el.getAttribute('data-kcp-state') === 'ready') post();
    else el.addEventListener('kcp:ready', post, { once: true });
  }

  window.KafkaPlayground = { scan: scan, load: load, send: send };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', function () { scan(); });
  else scan();
})();
