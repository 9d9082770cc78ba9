/*
 * xxgk plain view, xxgk-plain.js: what a widget shows where its module
 * cannot run (no WebAssembly in old engines and some locked-down
 * browsers, its compilation refused, as by a Content-Security-Policy
 * without 'wasm-unsafe-eval', or its file blocked). The loader
 * (src/loader.js) fetches this file only then, beside itself, and calls
 * `xxgk.plain(kind, reason, tools)` for the hosts of that kind it could
 * not mount, with its own ways to reach the page (`tools`: all, make,
 * catalogueOf, origin, origins, base).
 *
 * Each host shows, in plain elements, the latest entries: a catalogue
 * file's newest items, each a link to its original or, without one, its
 * metadata opened in place; a bundle's first page from its manifest.
 * Then the catalogue file's address, and the feedback server's where the
 * page trusts it. The host is marked as mounted, so that no module draws
 * in it as well. It runs in engines without fetch, Promise, TextDecoder
 * or shadow roots (Chromium from about 2013 on); not in Internet Explorer.
 */
(function () {
  "use strict";

  var api = window.xxgk;
  // The words, per language (api.lang's tags).
  var WORDS = {
    "zh-CN": ["政府信息公开目录", "请使用较新版本的浏览器查看完整的公开目录。以下为最新信息：", "完整目录（JSON）", "留言咨询：", "公开目录暂时无法显示。",
      ["索引号", "文号", "发布机构", "成文日期", "发布日期"], "附件："],
    "zh-Hant": ["政府資訊公開目錄", "請使用較新版本的瀏覽器查看完整的公開目錄。以下為最新資訊：", "完整目錄（JSON）", "留言諮詢：", "公開目錄暫時無法顯示。",
      ["索引號", "文號", "發布機構", "成文日期", "發布日期"], "附件："],
    en: ["Government Information Disclosure", "Please use a newer browser to see the full catalogue. The latest entries:", "The whole catalogue (JSON)",
      "Write to us: ", "The catalogue cannot be shown right now.",
      ["Index number", "Document number", "Publisher", "Date written", "Date published"], "Attachment: "],
  };
  // Its own few rules, under its own block name, so that in the light DOM
  // they reach nothing else on the page.
  var STYLE =
    ".xxgk-plain{font:16px/1.6 sans-serif;color:#1a1a1a;background:#fff}.xxgk-plain--large{font-size:24px}" +
    ".xxgk-plain a{color:#8e1c16}.xxgk-plain ul{padding:0;list-style:none}.xxgk-plain li{margin:0 0 .8em}" +
    ".xxgk-plain summary{cursor:pointer;color:#8e1c16;text-decoration:underline}" +
    ".xxgk-plain__meta{display:block;color:#555}.xxgk-plain__text{white-space:pre-line}";

  function el(make, parent, tag, cls, text, attributes) {
    var e = make(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    for (var name in attributes) e.setAttribute(name, attributes[name]);
    return parent.appendChild(e);
  }
  // A link from the catalogue as the module takes it: http(s) or relative
  // (resolved against the catalogue's address), never another scheme.
  function safe(link, against) {
    try {
      var to = typeof link == "string" && /\S/.test(link) && new URL(link, against);
      if (/^https?:$/.test(to.protocol)) return to.href;
    } catch (e) {}
  }
  // A date as the catalogue may write it (2016-03-05, 2016/3/5,
  // 2016年3月5日), as 2016-03-05; "" if it is none.
  function day(text) {
    var n = String(text).match(/\d+/g) || [];
    return n[2] ? n[0] + "-" + ("0" + n[1]).slice(-2) + "-" + ("0" + n[2]).slice(-2) : "";
  }
  // The catalogue's text: the copy the loader started fetching, else
  // fetched here (engines without WebAssembly may have no fetch).
  function get(url, done) {
    var started = api.prefetched && api.prefetched[url];
    if (started && typeof TextDecoder == "function") {
      return started.then(function (got) {
        done(got.body && new TextDecoder().decode(got.body));
      }, done);
    }
    var request = new XMLHttpRequest();
    request.open("GET", url);
    request.onload = request.onerror = function () {
      done(request.status == 200 && request.responseText);
    };
    request.send();
  }
  /*
   * The rows to list, newest first, from a manifest or a catalogue file's
   * text; none for anything else. A catalogue's entries without a title or
   * a date are left out, as the module skips them; within a day they keep
   * the file's order, as the module lists them.
   */
  function rows(text) {
    var m, found = [];
    try {
      m = JSON.parse(text);
      if (m.schema == "xxgk-bundle/2") {
        return m.first.map(function (r) {
          return { id: r[0], title: r[1], publisher: r[2], date: r[3], doc_number: r[4] };
        });
      }
      if (m.schema == "xxgk-catalogue/1") {
        m.items.forEach(function (item, i) {
          if (item && typeof item.title == "string" && (item.date = day(item.published))) {
            item.i = i;
            item.publisher = item.publisher || m.site.name;
            found.push(item);
          }
        });
        found.sort(function (a, b) {
          return a.date < b.date ? 1 : a.date > b.date ? -1 : a.i - b.i;
        });
      }
    } catch (e) {}
    return found;
  }

  api.plain = function (kind, reason, tools) {
    var all = tools[0], make = tools[1], catalogueOf = tools[2], origin = tools[3], origins = tools[4], base = tools[5];
    var hosts = all("[data-xxgk]" + kind + ":not([data-xxgk-mounted])");
    [].forEach.call(hosts, plainly);
    if (hosts.length) console.error("xxgk: the widget could not start:", reason);

    function plainly(host) {
      function data(name) {
        return (host.getAttribute("data-" + name) || "").trim();
      }
      function add(parent, tag, cls, text, attributes) {
        return el(make, parent, tag, cls, text, attributes);
      }
      var lang = api.lang(host), w = WORDS[lang], url = catalogueOf(host).href, target = host;
      // As crates/core Config::read takes it (1-100), else 20.
      var size = /^\+?\d+$/.test(data("page-size")) && +data("page-size");
      // Elderly mode as the visitor last chose it here, else as set.
      var large = /^(|true|1|yes)$/i.test(host.getAttribute("data-large-text") || "0");
      try {
        large = localStorage.getItem("xxgk-elderly") ? localStorage.getItem("xxgk-elderly") == "1" : large;
      } catch (e) {}
      host.setAttribute("data-xxgk-mounted", "");
      if (!/^none$/i.test(data("isolation"))) {
        try {
          target = host.attachShadow({ mode: "open" });
        } catch (e) {}
      }
      target.textContent = "";
      add(target, "style", "", STYLE);
      var root = add(target, "div", "xxgk-plain" + (large ? " xxgk-plain--large" : ""), null, { lang: lang });
      add(root, "h2", "", data("title") || w[0]);
      add(root, "p", "", w[1]);
      var place = add(root, "div");
      if (url) add(add(root, "p"), "a", "", w[2], { href: url });
      var endpoint = data("feedback"), server = safe(endpoint, base());
      if (server && origins.indexOf(origin(endpoint)) >= 0) {
        add(add(root, "p", "", w[3]), "a", "", server, { href: server });
      }
      function show(text) {
        var found = rows(text);
        if (!found.length) return add(place, "p", "", w[4], { role: "alert" });
        var list = add(place, "ul");
        found.slice(0, size > 0 && size < 101 ? size : 20).forEach(function (e) {
          var item = add(list, "li"), to = safe(e.link, url);
          var meta = e.date + "　" + (e.publisher || "") + (e.doc_number ? "　" + e.doc_number : "");
          if (to) {
            add(item, "a", "", e.title, { href: to });
            return add(item, "span", "xxgk-plain__meta", meta);
          }
          var more = add(item, "details");
          add(add(more, "summary", "", e.title), "span", "xxgk-plain__meta", meta);
          var facts = add(more, "dl");
          [e.id, e.doc_number, e.publisher, e.written && day(e.written), e.date].forEach(function (value, k) {
            if (value) {
              add(facts, "dt", "", w[5][k]);
              add(facts, "dd", "", value);
            }
          });
          [e.summary, e.body].forEach(function (text) {
            if (typeof text == "string") add(more, "p", "xxgk-plain__text", text);
          });
          (e.attachments || []).forEach(function (a) {
            var file = a && safe(a.url, url);
            if (file) add(add(more, "p", "", w[6]), "a", "", a.name || file, { href: file });
          });
        });
      }
      if (url) get(url, show);
      else show();
    }
  };
})();
