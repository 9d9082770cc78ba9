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
      // A file already on its way (the directory, fetched as the engine
      // starts, when the first question comes before it) is not fetched
      // twice; once it has come, the engine says whether it needs it again.
      "var base = " + JSON.stringify(base) + ", coming = {};" +
      "function get(paths) { return Promise.all(paths.map(function (p) {" +
      "  return coming[p] = coming[p] || fetch(new URL(p, base)).then(function (r) { if (!r.ok) throw r.status; return r.arrayBuffer(); })" +
      "    .then(function (b) { delete coming[p]; engine.put(p, new Uint8Array(b)); }, function (e) { delete coming[p]; throw e; }); })); }" +
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

  /*
   * The first page, drawn here while the module downloads and compiles:
   * the manifest (which the loader is already fetching) holds it, and this
   * script arrives long before the module. It is drawn in the widget's
   * own elements, classes and words, so that when the module has drawn
   * the same view behind it, the one replaces the other in one frame
   * without anything moving. Links work as the module's do (they are the
   * same hash links, which the module reads when it starts); what is
   * typed in the search box, and the large-text switch, are handed over.
   * Only the default view is drawn: nothing when the page's hash already
   * has a view for this widget, or data-category starts it elsewhere.
   */
  /* @@STYLESHEET@@ */
  api.style = function () {
    return style;
  };
  var D = Document.prototype;
  // Read from the prototypes, as the loader does: the page's content may
  // name elements after document's properties.
  function read(name, proto) {
    return Object.getOwnPropertyDescriptor(proto || D, name).get.call(document);
  }
  function el(parent, tag, cls, text, attributes) {
    var e = D.createElement.call(document, tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    for (var name in attributes) e.setAttribute(name, attributes[name]);
    if (parent) parent.appendChild(e);
    return e;
  }
  // The module's words (src/i18n) for what the first page shows.
  var WORDS = {
    zh: ["zh-CN", "政府信息公开目录", ["大字模式", "标准字号"], "更新于 ", "搜索", "标题、文号或正文中的字词", "目录分类", "全部信息",
      "筛选", ["共 ", " 条"], "信息列表", "村级", ["", "失效", "废止"], "分页", "上一页", ["第 ", " 页，共 ", " 页"], "下一页",
      "目录的其余部分未能加载，请刷新页面重试。"],
    en: ["en", "Government Information Disclosure", ["Large text", "Normal text"], "Updated ", "Search", "Words from a title, number or text",
      "Categories", "All entries", "Filters", ["", " entries"], "Entries", "Village", ["", "Expired", "Repealed"], "Pages", "Previous",
      ["Page ", " of ", ""], "Next", "The rest of the catalogue could not be loaded. Please reload the page."],
  };
  // A value as the module writes it in the hash (form-encoded).
  function encoded(value) {
    return encodeURIComponent(value)
      .replace(/[!'()~]/g, function (c) {
        return "%" + c.charCodeAt(0).toString(16).toUpperCase();
      })
      .replace(/%20/g, "+");
  }
  var drawn = [];
  var unnamed = 0;
  function draw(host) {
    function data(name) {
      return (host.getAttribute("data-" + name) || "").trim();
    }
    // The key the module will give it (crates/core Config::default_id).
    var key = /^[\w-]+$/.test(data("id")) ? data("id") : ++unnamed > 1 ? "xxgk" + unnamed : "xxgk";
    var size = +data("page-size");
    if (!(size >= 1 && size <= 100 && size % 1 == 0)) size = 10;
    var others = location.hash.slice(1).split("&").filter(Boolean);
    var started = api.prefetched && api.prefetched[new URL(data("catalogue"), read("baseURI", Node.prototype)).href];
    if (!started || data("category") || others.some(function (p) { return p.indexOf(key + ".") == 0; })) return;
    // A link to a view, as the module writes it: the other widgets'
    // parameters kept in place, then this one's.
    function href() {
      return location.href.split("#")[0] + "#" + others.concat([].map.call(arguments, function (p) {
        return key + "." + p;
      })).join("&");
    }
    started.then(function (got) {
      if (!got.body || host.hasAttribute("data-xxgk-mounted")) return;
      var m = JSON.parse(new TextDecoder().decode(got.body));
      var pages = Math.ceil(m.entries / size);
      var rows = m.first.slice(0, size);
      if (m.schema != "xxgk-bundle/1" || !m.entries || (rows.length < size && m.first.length < m.entries)) return;
      var w = WORDS[/^en(-|$)/i.test(data("lang")) ? "en" : "zh"];
      var large = /^(|true|1|yes)$/i.test(data("large-text")) && host.hasAttribute("data-large-text");
      var wrapper = el(null, "div", "", null, { "data-xxgk-drawn": "" });
      el(wrapper, "style", "", style + "[data-xxgk-drawn]~div{display:none}");
      var root = el(wrapper, "div", large ? "xxgk xxgk--large" : "xxgk", null, { lang: w[0] });
      var colour = data("theme-color");
      if (colour && !/[;{}]/.test(colour) && CSS.supports("color", colour)) root.setAttribute("style", "--xxgk-accent:" + colour);
      var header = el(root, "header", "xxgk__header");
      el(header, "h2", "xxgk__heading", data("title") || w[1]);
      var mode = el(header, "button", "xxgk__mode", w[2][+large], { type: "button", "aria-pressed": large });
      mode.onclick = function () {
        large = !large;
        root.classList.toggle("xxgk--large", large);
        mode.textContent = w[2][+large];
        mode.setAttribute("aria-pressed", large);
      };
      var site = el(root, "p", "xxgk__site");
      el(site, "span", "", m.site.name);
      if (m.site.updated) el(site, "span", "", w[3] + m.site.updated);
      var form = el(root, "form", "xxgk-search", null, { role: "search" });
      form.onsubmit = function (e) {
        e.preventDefault();
      };
      var input = el(form, "input", "xxgk-search__input", null, { type: "search", "aria-label": w[4], placeholder: w[5] });
      el(form, "button", "xxgk-button", w[4], { type: "submit" });
      var layout = el(root, "div", "xxgk__layout");
      var tree = el(el(layout, "nav", "xxgk-tree", null, { "aria-label": w[6] }), "ul");
      var depth = [];
      [{ name: w[7], count: m.entries }].concat(m.categories).forEach(function (c, i) {
        var d = i ? (depth[i - 1] = c.parent == null ? 0 : depth[c.parent] + 1) : 0;
        var link = el(el(tree, "li", "", null, { style: "--xxgk-depth:" + d }), "a", "xxgk-tree__link", null, {
          href: i ? href("c=" + encoded(c.id), "p=1") : href("p=1"),
        });
        if (!i) link.setAttribute("aria-current", "page");
        el(link, "span", "", c.name);
        el(link, "span", "xxgk-tree__count", c.count);
      });
      var main = el(layout, "div", "xxgk__main");
      el(el(main, "details", "xxgk-filters"), "summary", "xxgk-filters__summary", w[8]);
      el(main, "p", "xxgk-list__count", w[9][0] + m.entries + w[9][1], { tabindex: -1, role: "status" });
      var list = el(main, "ul", "xxgk-list", null, { "aria-label": w[10] });
      rows.forEach(function (r) {
        var item = el(list, "li", "xxgk-list__item");
        el(item, "a", "xxgk-list__title", r[1], { href: href("p=1", "i=" + encoded(r[0])) });
        var meta = el(item, "span", "xxgk-list__meta", r[3] + "　" + r[2] + (r[4] ? "　" + r[4] : ""));
        if (r[5]) el(meta, "span", "xxgk-tag", r[5].slice(2) || w[11]);
        if (r[6]) el(meta, "span", "xxgk-badge xxgk-badge--" + ["", "expired", "repealed"][r[6]], w[12][r[6]]);
      });
      if (pages > 1) {
        var nav = el(main, "nav", "xxgk-pages", null, { "aria-label": w[13] });
        el(nav, "span", "xxgk-pages__link xxgk-pages__link--previous", w[14], { "aria-disabled": true });
        el(nav, "span", "xxgk-pages__status", w[15][0] + 1 + w[15][1] + pages + w[15][2]);
        el(nav, "a", "xxgk-pages__link xxgk-pages__link--next", w[16], { href: href("p=2") });
      }
      var target = host;
      if (!/^none$/i.test(data("isolation"))) {
        try {
          target = host.shadowRoot || host.attachShadow({ mode: "open" });
        } catch (e) {}
      }
      target.appendChild(wrapper);
      host.dispatchEvent(new Event("xxgk:drawn"));
      // The way to the feedback form, put in the drawn header by the
      // loader as the module will have it put in its own.
      if (data("feedback")) api.showPanel(wrapper, data("feedback"), key, false, href("p=1", "f=write"), "");
      var d = { host: host, wrapper: wrapper, root: target, input: input, mode: mode, words: w };
      drawn.push(d);
      takeOver(d);
    }).catch(function () {});
  }
  // The hosts there now and, while the page is still being parsed, those
  // the loader marks once it is (its listener comes before this one).
  function drawAll() {
    var hosts = D.querySelectorAll.call(document, "[data-xxgk-bundle]:not([data-xxgk-mounted]):not([data-xxgk-drawing])");
    for (var i = 0; i < hosts.length; i++) {
      hosts[i].setAttribute("data-xxgk-drawing", "");
      draw(hosts[i]);
    }
  }
  drawAll();
  addEventListener("DOMContentLoaded", drawAll);

  var here = read("currentScript").src;

  /** Where focus is in a widget's root (its shadow root, or the page). */
  function focused(root) {
    return root.activeElement !== undefined ? root.activeElement : read("activeElement");
  }
  /*
   * The module mounts its container after the drawing, hidden by the
   * drawing's style (the loader's xxgk.showPanel takes the last root, the
   * module's). Each frame, before it is painted, checks whether the
   * module shows its catalogue (or says why it cannot); then the drawing
   * goes and the module's view shows in its place, with what was typed.
   */
  function takeOver(d) {
    var container = d.root.lastElementChild;
    if (d.failed) return;
    if (container == d.wrapper || !container.querySelector(".xxgk__layout, .xxgk-failure")) return requestAnimationFrame(function () {
      takeOver(d);
    });
    var was = focused(d.root);
    d.wrapper.remove();
    var mode = container.querySelector(".xxgk__mode");
    if (mode && mode.getAttribute("aria-pressed") != d.mode.getAttribute("aria-pressed")) mode.click();
    var input = container.querySelector(".xxgk-search__input");
    if (input && d.input.value) {
      input.value = d.input.value;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }
    if (input && was == d.input) input.focus();
  }
  api.bundle = wasm_bindgen({ module_or_path: new URL("xxgk-bundle_bg.wasm", here) }).then(
    function () {
      return wasm_bindgen;
    },
    function (error) {
      // The drawn first page stays, saying that the rest is missing (and
      // marked, so that the loader's message does not replace it).
      drawn.forEach(function (d) {
        el(d.wrapper.lastChild, "p", "xxgk-failure", d.words[17], { role: "alert" });
        d.host.setAttribute("data-xxgk-mounted", "");
        d.failed = 1;
      });
      throw error;
    }
  );
})();
