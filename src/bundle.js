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
      // Only the latest question's answer is shown (src/search.rs): one
      // that a newer question has overtaken fetches nothing more.
      "var base = " + JSON.stringify(base) + ", coming = {}, newest = 0;" +
      "function get(paths) { return Promise.all(paths.map(function (p) {" +
      "  return coming[p] = coming[p] || fetch(new URL(p, base)).then(function (r) { if (!r.ok) throw r.status; return r.arrayBuffer(); })" +
      "    .then(function (b) { delete coming[p]; engine.put(p, new Uint8Array(b)); }, function (e) { delete coming[p]; throw e; }); })); }" +
      // A few rounds of fetching answer any question; more means the
      // files do not fit together (a bundle replaced meanwhile).
      "function ask(m, rounds) { if (m.seq < newest) return; var a = engine.answer(m.q, m.hash, m.key, m.size);" +
      "  if (a.charAt(0) != '?') return postMessage({ seq: m.seq, page: a });" +
      "  if (rounds > 6) return postMessage({ seq: m.seq, page: '!' });" +
      "  get(a.slice(1).split('\\n')).then(function () { ask(m, rounds + 1); }, function () { postMessage({ seq: m.seq, page: '!' }); }); }",
      "engine = new wasm_bindgen.BundleEngine(new Uint8Array(m.bytes)); get([engine.directory()]).catch(function () {});",
      "newest = Math.max(newest, m.seq); ask(m, 0);",
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
    "zh-CN": ["zh-CN", "政府信息公开目录", "", "更新于 ", "搜索", "标题、文号或正文中的字词", "目录分类", "全部信息",
      "筛选", ["共 ", " 条"], "信息列表", "村级", ["", "失效", "废止"], "分页", "上一页", ["第 ", " 页，共 ", " 页"], "下一页",
      "目录的其余部分未能加载，请刷新页面重试。", "正在加载公开目录……", ["有 ", " 条信息因数据有误未能显示（点击查看详情）"]],
    "zh-Hant": ["zh-Hant", "政府資訊公開目錄", "", "更新於 ", "搜尋", "標題、文號或全文中的字詞", "目錄分類", "全部資訊",
      "篩選", ["共 ", " 筆"], "資訊列表", "村級", ["", "失效", "廢止"], "分頁", "上一頁", ["第 ", " 頁，共 ", " 頁"], "下一頁",
      "目錄的其餘部分未能載入，請重新整理頁面後再試。", "正在載入公開目錄……", ["有 ", " 筆資訊因資料有誤未能顯示（點選查看詳情）"]],
    en: ["en", "Government Information Disclosure", "", "Updated ", "Search", "Words from a title, number or text",
      "Categories", "All entries", "Filters", ["Entries: ", ""], "Entries", "Village", ["", "Expired", "Repealed"], "Pages", "Previous",
      ["Page ", " of ", ""], "Next", "The rest of the catalogue could not be loaded. Please reload the page.", "Loading the catalogue…",
      ["Entries not shown because of errors in the data: ", " (details)"]],
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
  var failed;
  function draw(host) {
    function data(name) {
      return (host.getAttribute("data-" + name) || "").trim();
    }
    // The key the module will give it (crates/core Config::default_id).
    var key = /^[\w-]+$/.test(data("id")) ? data("id") : ++unnamed > 1 ? "xxgk" + unnamed : "xxgk";
    // As crates/core Config::read takes it (an unsigned integer, 1-100).
    var size = /^\+?\d+$/.test(data("page-size")) ? +data("page-size") : 10;
    if (size < 1 || size > 100) size = 10;
    var started;
    try {
      started = api.prefetched[new URL(data("catalogue"), read("baseURI", Node.prototype)).href];
    } catch (e) {}
    // The page's hash parameters: this widget's, or the others'.
    function params(own) {
      return location.hash.slice(1).split("&").filter(function (p) {
        return p && (p.indexOf(key + ".") == 0) == own;
      });
    }
    if (!started || data("category") || params(true).length) return;
    // A link to a view (`key.p=…` and so on), as the module writes it: the
    // other widgets' parameters, as they are when it is followed, kept in
    // place, then this one's.
    function href(mine) {
      return location.href.split("#")[0] + "#" + params(false).concat(mine.map(function (p) {
        return key + "." + p;
      })).join("&");
    }
    function link(parent, cls, text, mine) {
      var a = el(parent, "a", cls, text, { href: href(mine) });
      a.mine = mine;
      return a;
    }
    started.then(function (got) {
      // Not over the loader's message when the module could not start.
      if (!got.body || failed || host.hasAttribute("data-xxgk-mounted")) return;
      var m = JSON.parse(new TextDecoder().decode(got.body));
      var pages = Math.ceil(m.entries / size);
      var rows = m.first.slice(0, size);
      if (m.schema != "xxgk-bundle/2" || !m.entries || (rows.length < size && m.first.length < m.entries)) return;
      var w = WORDS[WORDS.hasOwnProperty(data("xxgk-lang")) ? data("xxgk-lang") : "zh-CN"], en = w == WORDS.en;
      // Dates and numbers as the module writes them (src/i18n): English
      // 5 Mar 2016 and 12,345; Chinese 2016-03-05 and 12345.
      function date(d) {
        var p = d.split("-");
        return en ? +p[2] + " " + "JanFebMarAprMayJunJulAugSepOctNovDec".substr(p[1] * 3 - 3, 3) + " " + p[0] : d;
      }
      function number(n) {
        return en ? String(n).replace(/\B(?=(\d{3})+$)/g, ",") : n;
      }
      var wrapper = el(null, "div", "", null, { "data-xxgk-drawn": "" });
      el(wrapper, "style", "", style + "[data-xxgk-drawn]~div{display:none}");
      var root = el(wrapper, "div", "xxgk", null, { lang: w[0] });
      var colour = data("theme-color");
      if (colour && !/[;{}]/.test(colour) && CSS.supports("color", colour)) root.setAttribute("style", "--xxgk-accent:" + colour);
      var header = el(root, "header", "xxgk__header");
      el(header, "h2", "xxgk__heading", data("title") || w[1]);
      api.settings(root, host);
      var site = el(root, "p", "xxgk__site");
      el(site, "span", "", m.site.name);
      if (m.site.updated) el(site, "span", "", w[3] + date(m.site.updated));
      var form = el(root, "form", "xxgk-search", null, { role: "search" });
      form.onsubmit = function (e) {
        e.preventDefault();
      };
      var input = el(form, "input", "xxgk-search__input", null, { type: "search", "aria-label": w[4], placeholder: w[5] });
      // While an input method composes, the drawing waits for the choice.
      input.addEventListener("compositionstart", function () {
        input.composing = 1;
      });
      input.addEventListener("compositionend", function () {
        input.composing = 0;
      });
      el(form, "button", "xxgk-button", w[4], { type: "submit" });
      var layout = el(root, "div", "xxgk__layout");
      var tree = el(el(layout, "nav", "xxgk-tree", null, { "aria-label": w[6] }), "ul");
      var depth = [];
      [{ name: w[7], count: m.entries }].concat(m.categories).forEach(function (c, i) {
        var deep = i ? (depth[i - 1] = c.parent == null ? 0 : depth[c.parent] + 1) : 0;
        var a = link(el(tree, "li", "", null, { style: "--xxgk-depth:" + deep }), "xxgk-tree__link", null, i ? ["c=" + encoded(c.id), "p=1"] : ["p=1"]);
        if (!i) a.setAttribute("aria-current", "page");
        el(a, "span", "", c.name);
        el(a, "span", "xxgk-tree__count", number(c.count));
      });
      var main = el(layout, "div", "xxgk__main");
      el(el(main, "details", "xxgk-filters"), "summary", "xxgk-filters__summary", w[8]);
      var total = w[9][0] + number(m.entries) + w[9][1];
      var count = el(main, "p", "xxgk-list__count", total, { tabindex: -1, role: "status" });
      var list = el(main, "ul", "xxgk-list", null, { "aria-label": w[10] });
      rows.forEach(function (r) {
        var item = el(list, "li", "xxgk-list__item");
        link(item, "xxgk-list__title", r[1], ["p=1", "i=" + encoded(r[0])]);
        var meta = el(item, "span", "xxgk-list__meta", date(r[3]) + "　" + r[2] + (r[4] ? "　" + r[4] : ""));
        if (r[5]) el(meta, "span", "xxgk-tag", r[5].slice(2) || w[11]);
        if (r[6]) el(meta, "span", "xxgk-badge xxgk-badge--" + ["", "expired", "repealed"][r[6]], w[12][r[6]]);
      });
      if (pages > 1) {
        var nav = el(main, "nav", "xxgk-pages", null, { "aria-label": w[13] });
        el(nav, "span", "xxgk-pages__link xxgk-pages__link--previous", w[14], { "aria-disabled": true });
        el(nav, "span", "xxgk-pages__status", w[15][0] + 1 + w[15][1] + number(pages) + w[15][2]);
        link(nav, "xxgk-pages__link xxgk-pages__link--next", w[16], ["p=2"]);
      }
      if (m.skipped.length) {
        var skipped = el(root, "details", "xxgk-skipped");
        el(skipped, "summary", "xxgk-skipped__summary", w[19][0] + m.skipped.length + w[19][1]);
        var lines = el(skipped, "ul");
        m.skipped.forEach(function (problem) {
          el(lines, "li", "", problem[en ? "en" : "zh"]);
          if (w[0] == "zh-Hant") lines.lang = "zh-CN";
        });
      }
      // A link followed takes the other widgets' parameters as they are
      // then; until the module shows the view it leads to, the drawing
      // says that it is loading.
      root.addEventListener("click", function (e) {
        var a = e.target.closest && e.target.closest("a");
        if (a && a.mine) a.href = href(a.mine);
      });
      function loading() {
        if (params(true).length) {
          count.textContent = w[18];
          count.setAttribute("aria-busy", "true");
        }
      }
      addEventListener("hashchange", loading);
      // No longer: the module has taken over, or cannot.
      function stop() {
        removeEventListener("hashchange", loading);
        count.textContent = total;
        count.removeAttribute("aria-busy");
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
      if (data("feedback")) api.showPanel(root, data("feedback"), key, false, href(["p=1", "f=write"]), "");
      var d = { host: host, wrapper: wrapper, root: target, input: input, mode: root.querySelector(".xxgk__mode"), words: w, moved: params, stop: stop };
      drawn.push(d);
      takeOver(d);
    }).catch(function () {});
  }
  // The hosts there now and, while the page is still being parsed, those
  // the loader marks once it is (its listener comes before this one).
  function drawAll() {
    var hosts = D.querySelectorAll.call(document, "[data-xxgk][data-xxgk-bundle]:not([data-xxgk-mounted]):not([data-xxgk-drawing])");
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
   * drawing's style (each has the way to the feedback form in its own
   * header). Each frame, before it is painted, checks whether the
   * module shows its catalogue (or says why it cannot); then the drawing
   * goes and the module's view shows in its place, with what was typed.
   */
  function takeOver(d) {
    var container = d.root.lastElementChild;
    if (failed) return;
    // A widget taken off the page is drawn no more: put back, it is the
    // module's to draw.
    if (!d.host.isConnected) {
      d.stop();
      return d.wrapper.remove();
    }
    if (d.input.composing || container == d.wrapper || !container.querySelector(".xxgk__layout, .xxgk-failure")) return requestAnimationFrame(function () {
      takeOver(d);
    });
    // Focus goes to the module's element of the same kind and place.
    var was = focused(d.root), kind, at;
    if (was && d.wrapper.contains(was)) {
      kind = was.classList.length ? "." + was.classList[0] : was.localName;
      at = [].indexOf.call(d.wrapper.querySelectorAll(kind), was);
    }
    d.wrapper.remove();
    d.stop();
    var mode = container.querySelector(".xxgk__mode");
    if (mode && mode.getAttribute("aria-pressed") != d.mode.getAttribute("aria-pressed")) mode.click();
    var input = container.querySelector(".xxgk-search__input");
    // What was typed, unless a link has been followed since.
    if (input && d.input.value && !d.moved(true).length) {
      input.value = d.input.value;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }
    var to = kind && container.querySelectorAll(kind)[at];
    if (to) to.focus({ preventScroll: true });
  }
  api.bundle = wasm_bindgen({ module_or_path: new URL("xxgk-bundle_bg.wasm", here) }).then(
    function () {
      return wasm_bindgen;
    },
    function (error) {
      // The drawn first page stays, saying at its top that the rest is
      // missing (and marked, so that the loader's message does not
      // replace it); no page is drawn from now on.
      failed = 1;
      drawn.forEach(function (d) {
        d.stop();
        var root = d.wrapper.lastChild;
        root.insertBefore(el(null, "p", "xxgk-failure", d.words[17], { role: "alert" }), root.children[1]);
        d.host.setAttribute("data-xxgk-mounted", "");
      });
      throw error;
    }
  );
})();
