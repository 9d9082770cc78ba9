/*
 * xxgk-bundle.js: the glue of the widget module that reads published
 * bundles (xxgk-bundle_bg.wasm, docs/bundle.md), which the loader
 * (xxgk.js) runs when a widget on the page reads one. It adds to
 * `window.xxgk` only `bundle`, a promise of the started module's glue, and `startBundle`. The build puts the wasm-bindgen glue where the
 * marker below is.
 */
(function () {
  "use strict";

  /* @@WASM_BINDGEN_GLUE@@ */

  var here = Object.getOwnPropertyDescriptor(Document.prototype, "currentScript").get.call(document).src;
  var api = window.xxgk;
  /**
   * Starts a widget's engine (crates/search, `BundleEngine`) in a Web
   * Worker on a published bundle's manifest (its bytes handed over, `base`
   * its URL). The engine answers every view from the bundle's files, and
   * first says which to fetch (`?` and their paths, one a line), which the
   * worker does, all at once, before asking again. `answer(seq, page)`
   * hears it: seq 0 when the engine is ready, -1 if it failed, else the
   * number of the question answered, with the answer as the engine wrote
   * it (`!` when a file could not be fetched). Returns the worker, for
   * `xxgk.askSearch`.
   */
  api.startBundle = function (bytes, base, answer) {
    var glue = JSON.stringify(new URL("xxgk-search.js", here).href);
    var module = JSON.stringify(new URL("xxgk-search_bg.wasm", here).href);
    var source =
      // Offline or blocked: say so, rather than throw in the worker.
      "try { importScripts(" + glue + "); } catch (e) { postMessage({ seq: -1 }); close(); }" +
      "var engine, base = " + JSON.stringify(base) + ";" +
      "function get(paths) { return Promise.all(paths.map(function (p) {" +
      "  return fetch(new URL(p, base)).then(function (r) { if (!r.ok) throw r.status; return r.arrayBuffer(); })" +
      "    .then(function (b) { engine.put(p, new Uint8Array(b)); }); })); }" +
      // A few rounds of fetching answer any question; more means the
      // files do not fit together (a bundle replaced meanwhile).
      "function ask(m, rounds) { var a = engine.answer(m.q, m.hash, m.key, m.size);" +
      "  if (a.charAt(0) != '?') return postMessage({ seq: m.seq, page: a });" +
      "  if (rounds > 6) return postMessage({ seq: m.seq, page: '!' });" +
      "  get(a.slice(1).split('\\n')).then(function () { ask(m, rounds + 1); }, function () { postMessage({ seq: m.seq, page: '!' }); }); }" +
      "var built = new Promise(function (done) {" +
      "  onmessage = function (e) { var m = e.data;" +
      "    if (m.bytes) wasm_bindgen({ module_or_path: " + module + " }).then(function () {" +
      "      engine = new wasm_bindgen.BundleEngine(new Uint8Array(m.bytes));" +
      "      get([engine.directory()]).catch(function () {});" +
      "      postMessage({ seq: 0 }); done();" +
      "    }).catch(function () { postMessage({ seq: -1 }); });" +
      "    else built.then(function () { ask(m, 0); });" +
      "  };" +
      "});";
    var worker = new Worker(URL.createObjectURL(new Blob([source], { type: "text/javascript" })));
    worker.onmessage = function (e) {
      answer(e.data.seq, e.data.page || "");
    };
    // The engine's script could not load (offline, blocked).
    worker.onerror = function () {
      answer(-1, "");
    };
    worker.postMessage({ bytes: bytes }, [bytes]);
    return worker;
  };
  api.bundle = wasm_bindgen({ module_or_path: new URL("xxgk-bundle_bg.wasm", here) }).then(function () {
    return wasm_bindgen;
  });
})();
