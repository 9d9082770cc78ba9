/*
 * xxgk-bundle.js: the glue of the widget module that reads published
 * bundles (xxgk-bundle_bg.wasm, docs/bundle.md), which the loader
 * (xxgk.js) runs when a widget on the page reads one. It adds to
 * `window.xxgk` only `bundle`, a promise of the started module's glue,
 * and `startBundle`. The build puts the wasm-bindgen glue where the
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
   * its URL), as `xxgk.startSearch` starts one on a catalogue file. The
   * engine answers every view from the bundle's files, and first says
   * which to fetch (`?` and their paths, one a line), which the worker
   * does, all at once, before asking again; `!` is the answer when a file
   * could not be fetched.
   */
  api.startBundle = function (bytes, base, answer) {
    return api.startSearch(bytes, answer, [
      "var base = " + JSON.stringify(base) + ";" +
      "function get(paths) { return Promise.all(paths.map(function (p) {" +
      "  return fetch(new URL(p, base)).then(function (r) { if (!r.ok) throw r.status; return r.arrayBuffer(); })" +
      "    .then(function (b) { engine.put(p, new Uint8Array(b)); }); })); }" +
      // A few rounds of fetching answer any question; more means the
      // files do not fit together (a bundle replaced meanwhile).
      "function ask(m, rounds) { var a = engine.answer(m.q, m.hash, m.key, m.size);" +
      "  if (a.charAt(0) != '?') return postMessage({ seq: m.seq, page: a });" +
      "  if (rounds > 6) return postMessage({ seq: m.seq, page: '!' });" +
      "  get(a.slice(1).split('\\n')).then(function () { ask(m, rounds + 1); }, function () { postMessage({ seq: m.seq, page: '!' }); }); }",
      "engine = new wasm_bindgen.BundleEngine(new Uint8Array(m.bytes)); get([engine.directory()]).catch(function () {});",
      "ask(m, 0);",
    ]);
  };
  api.bundle = wasm_bindgen({ module_or_path: new URL("xxgk-bundle_bg.wasm", here) }).then(function () {
    return wasm_bindgen;
  });
})();
