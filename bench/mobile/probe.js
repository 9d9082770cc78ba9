// Installed by bench/mobile/run.mjs before any script of the page runs
// (Page.addScriptToEvaluateOnNewDocument) and in every worker before its
// first line runs (the worker waits for the debugger on start). It only
// watches: it notes WebAssembly memories as modules are instantiated,
// keeps every resource timing entry, notes main-thread long tasks, and in
// the page waits for the subject's first page. `READY` is replaced by the
// subject's { event, selector }.
(function (READY) {
  if (self.__probe) return;
  var P = (self.__probe = { memories: [], longTasks: [], events: {}, inputs: [], pointers: [] });

  // Every WebAssembly memory the page or worker makes or is handed by an
  // instance: linear memory is the bulk of a wasm module's footprint.
  var W = self.WebAssembly;
  if (W) {
    var note = function (m) { if (m instanceof W.Memory && P.memories.indexOf(m) < 0) P.memories.push(m); };
    var noteInstance = function (i) { if (i && i.exports) for (var k in i.exports) note(i.exports[k]); };
    var noteImports = function (imports) {
      if (imports) for (var a in imports) { var ns = imports[a]; if (ns && typeof ns === 'object') for (var b in ns) note(ns[b]); }
    };
    var instantiate = W.instantiate;
    W.instantiate = function (source, imports) {
      noteImports(imports);
      return instantiate.apply(this, arguments).then(function (r) { noteInstance(r && r.instance ? r.instance : r); return r; });
    };
    if (W.instantiateStreaming) {
      var streaming = W.instantiateStreaming;
      W.instantiateStreaming = function (source, imports) {
        noteImports(imports);
        return streaming.apply(this, arguments).then(function (r) { noteInstance(r.instance); return r; });
      };
    }
    var Instance = W.Instance;
    var Wrapped = function Instance(module, imports) {
      var i = new Instance(module, imports);
      noteImports(imports);
      noteInstance(i);
      return i;
    };
    Wrapped.prototype = Instance.prototype;
    W.Instance = Wrapped;
    var Memory = W.Memory;
    var WrappedMemory = function Memory(descriptor) { var m = new Memory(descriptor); note(m); return m; };
    WrappedMemory.prototype = Memory.prototype;
    W.Memory = WrappedMemory;
  }
  P.wasm = function () {
    var sum = 0;
    for (var i = 0; i < P.memories.length; i++) sum += P.memories[i].buffer.byteLength;
    return sum;
  };
  // Pagefind fetches a result's fragment per result: keep every entry.
  if (performance.setResourceTimingBufferSize) performance.setResourceTimingBufferSize(1000000);
  /** [url, start, responseEnd, encoded body bytes] of every response so far,
   * the page's own document included; times in ms since this realm's
   * time origin (given too, to align workers with the page). */
  P.resources = function () {
    var list = performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'));
    return {
      origin: performance.timeOrigin,
      entries: list.map(function (e) { return [e.name, e.startTime, e.responseEnd, e.encodedBodySize || 0]; }),
    };
  };
  if (typeof document === 'undefined') return; // a worker: nothing more

  try {
    new PerformanceObserver(function (list) {
      list.getEntries().forEach(function (e) { P.longTasks.push([e.startTime, e.duration]); });
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) { P.noLongTasks = String(e); }

  /** The first element matching `selector` in the document or any open
   * shadow root in it. */
  P.deep = function (selector, root) {
    root = root || document;
    var hit = root.querySelector(selector);
    if (hit) return hit;
    var all = root.querySelectorAll('*');
    for (var i = 0; i < all.length; i++) {
      if (all[i].shadowRoot) { hit = P.deep(selector, all[i].shadowRoot); if (hit) return hit; }
    }
    return null;
  };
  /** Resolves to the time (ms since navigation start) at which `test()`,
   * checked each animation frame, was true and the frame showing it was
   * painted: a task queued from the next frame. */
  P.until = function (test, timeout) {
    var start = performance.now();
    return new Promise(function (done, fail) {
      (function tick() {
        var ok = false;
        try { ok = test(); } catch (e) { ok = false; }
        if (ok) requestAnimationFrame(function () { setTimeout(function () { done(performance.now()); }, 0); });
        else if (performance.now() - start > timeout) fail(new Error('timed out after ' + timeout + ' ms'));
        else requestAnimationFrame(tick);
      })();
    });
  };
  /** The centre of the element, scrolled into view, for a tap. */
  P.centre = function (selector) {
    var el = P.deep(selector);
    if (!el) return null;
    el.scrollIntoView({ block: 'center', inline: 'nearest' });
    var r = el.getClientRects()[0] || el.getBoundingClientRect();
    return { x: r.left + Math.min(r.width / 2, 20), y: r.top + r.height / 2 };
  };
  /** Forget the input and pointer events seen so far; the time now. */
  P.arm = function () { P.inputs = []; P.pointers = []; return performance.now(); };
  // Events cross shadow roots (input, pointer and mouse events are
  // composed), so the document sees them in the capture phase.
  document.addEventListener('input', function (e) { P.inputs.push(e.timeStamp || performance.now()); }, true);
  document.addEventListener('pointerdown', function (e) { P.pointers.push(e.timeStamp || performance.now()); }, true);
  document.addEventListener('mousedown', function (e) { P.pointers.push(e.timeStamp || performance.now()); }, true);

  // When the widget's module first shows its own view (for a bundle, its
  // first page may be drawn before the module arrives).
  document.addEventListener('xxgk:ready', function () { if (!P.moduleAt) P.moduleAt = performance.now(); }, true);

  // The first page: the subject's event (if any) has fired and its
  // selector matches. (Waiting for the event, not polling, so that the
  // wait adds no work to the frames while the page loads.)
  var watch = function () {
    P.until(function () { return P.deep(READY.selector); }, 600000)
      .then(function (t) { P.readyAt = t; }, function (e) { P.readyError = String(e); });
  };
  if (READY.event) {
    document.addEventListener(READY.event, function () { P.events[READY.event] = performance.now(); watch(); }, { capture: true, once: true });
  } else watch();
})(READY);
