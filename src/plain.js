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
 * or shadow roots (from Chrome 32, for URL); not in Internet Explorer.
 */
(function () {
  "use strict";

  var api = window.xxgk;
  /*
   * The words, per language (api.lang's tags): the heading; the note
   * where the browser has no WebAssembly, and where it has but the module
   * could not start; the catalogue file's link; the feedback server's;
   * the failure; the metadata's names; attachments; validity's marks.
   */
  var WORDS = {
    "zh-CN": ["政府信息公开目录", "请使用较新版本的浏览器查看完整的公开目录。以下为最新信息：", "公开目录暂时只能以简易方式显示。以下为最新信息：",
      "完整目录（JSON）", "留言咨询：", "公开目录暂时无法显示。", ["索引号", "文号", "发布机构", "成文日期", "发布日期"], "附件：",
      ["", "失效", "废止"]],
    "zh-Hant": ["政府資訊公開目錄", "請使用較新版本的瀏覽器查看完整的公開目錄。以下為最新資訊：", "公開目錄暫時只能以簡易方式顯示。以下為最新資訊：",
      "完整目錄（JSON）", "留言諮詢：", "公開目錄暫時無法顯示。", ["索引號", "文號", "發布機構", "成文日期", "發布日期"], "附件：",
      ["", "失效", "廢止"]],
    en: ["Government Information Disclosure", "Please use a newer browser to see the full catalogue. The latest entries:",
      "The catalogue can only be shown in a simple form for now. The latest entries:", "The whole catalogue (JSON)",
      "Write to us: ", "The catalogue cannot be shown right now.",
      ["Index number", "Document number", "Publisher", "Date written", "Date published"], "Attachment: ", ["", "Expired", "Repealed"]],
  };
  // Its own few rules, under its own block name, so that in the light DOM
  // they reach nothing else on the page; its elements take their sizes
  // from it, not from the page's rules for every element.
  var STYLE =
    ".xxgk-plain{display:block;float:none;width:auto;font:16px/1.6 sans-serif;color:#1a1a1a;background:#fff;text-align:left}" +
    ".xxgk-plain--large{font-size:24px}" +
    ".xxgk-plain *{font:inherit;color:inherit;letter-spacing:normal;text-transform:none;text-indent:0;float:none;" +
    "width:auto;height:auto;overflow:visible;margin:0;padding:0;border:0}" +
    ".xxgk-plain h2{font-size:1.4em;font-weight:bold;margin:0 0 .5em}" +
    ".xxgk-plain p,.xxgk-plain ul,.xxgk-plain li,.xxgk-plain dl,.xxgk-plain details,.xxgk-plain dt,.xxgk-plain dd{display:block}" +
    ".xxgk-plain p,.xxgk-plain li{margin:0 0 .8em}.xxgk-plain li{list-style:none}.xxgk-plain summary{display:list-item}" +
    ".xxgk-plain dt{font-weight:bold}.xxgk-plain dd{margin:0 0 .3em 1em}" +
    ".xxgk-plain a,.xxgk-plain summary{color:#8e1c16;text-decoration:underline;cursor:pointer}" +
    ".xxgk-plain .xxgk-plain__meta{display:block;color:#555;text-decoration:none}.xxgk-plain .xxgk-plain__text{white-space:pre-line}";

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
  // 2016.3.5, 2016年3月5日; a real day of 1900-2100, as crates/core
  // Date::parse reads it), as 2016-03-05; "" if it is none.
  function day(text) {
    var n = typeof text == "string" && text.trim().match(/^(\d{4})(?:([-/.])(\d\d?)\2(\d\d?)|年(\d\d?)月(\d\d?)日)$/);
    if (!n) return "";
    var y = +n[1], m = +(n[3] || n[5]), d = +(n[4] || n[6]), check = new Date(Date.UTC(y, m - 1, d));
    return y >= 1900 && y <= 2100 && check.getUTCMonth() == m - 1 && check.getUTCDate() == d
      ? n[1] + "-" + ("0" + m).slice(-2) + "-" + ("0" + d).slice(-2)
      : "";
  }
  // Text as the catalogue gives it (a number is text too), trimmed; ""
  // for none, false for a member of another type.
  function text(value) {
    return value == null ? "" : /^(string|number)$/.test(typeof value) ? String(value).trim() : false;
  }
  // The catalogue's text: the copy the loader started fetching, else
  // fetched here (engines without WebAssembly may have no fetch).
  function get(url, done) {
    var started = api.prefetched && api.prefetched[url];
    if (started && typeof TextDecoder == "function") {
      return started.then(function (got) {
        var text;
        try {
          text = got.body && new TextDecoder("utf-8", { fatal: true }).decode(got.body);
        } catch (e) {}
        done(text);
      }, done);
    }
    var request = new XMLHttpRequest();
    request.open("GET", url);
    request.onload = request.onerror = function () {
      // Bytes that are not UTF-8 (a GBK file) come as U+FFFD: refused, as
      // the module refuses them.
      done(request.status == 200 && !/\uFFFD/.test(request.responseText) && request.responseText);
    };
    request.send();
  }
  /*
   * The rows to list, newest first, from a manifest or a catalogue file's
   * text (of the category `only` and those under it, where it names one);
   * none for anything else. A catalogue's entries are checked as the
   * module checks them (docs/catalogue.md, "What happens with a bad
   * file"), and those it would skip are left out; within a day they keep
   * the file's order, as the module lists them.
   */
  function rows(source, only, against) {
    var m, found = [], known = {}, seen = {}, wanted = null;
    function walk(nodes, inside) {
      (Array.isArray(nodes) ? nodes : []).forEach(function (node) {
        var id = node && text(node.id);
        if (!id || !text(node.name) || known.hasOwnProperty(id)) return;
        var mine = inside || id == only;
        known[id] = 1;
        if (mine) (wanted = wanted || {})[id] = 1;
        walk(node.children, mine);
      });
    }
    function entry(item, i) {
      if (!item || typeof item != "object" || Array.isArray(item)) return;
      var id = text(item.id), title = text(item.title), date = day(item.published), category = text(item.category);
      var e = { i: i, id: id, title: title, date: date, validity: { 失效: 1, expired: 1, 废止: 2, repealed: 2 }[item.validity] || 0 };
      var ok = id && id.length <= 100 && !/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/.test(id) &&
        !seen.hasOwnProperty(id) && title && date && known.hasOwnProperty(category) &&
        (item.written == null || (e.written = day(item.written))) &&
        (item.link == null || (e.link = safe(item.link, against))) &&
        /^(|township|village|乡镇级|村级)$/.test(item.level == null ? "" : item.level) &&
        /^(|valid|expired|repealed|有效|失效|废止)$/.test(item.validity == null ? "" : item.validity) &&
        /^(|proactive|on_request|主动公开|依申请公开)$/.test(item.disclosure == null ? "" : item.disclosure);
      ["doc_number", "publisher", "summary", "body", "village", "topic", "genre"].forEach(function (name) {
        if ((e[name] = text(item[name])) === false) ok = false;
      });
      var files = item.attachments == null ? [] : item.attachments;
      e.attachments = Array.isArray(files) ? files.map(function (a) {
        var file = a && typeof a == "object" && text(a.name) && safe(a.url, against);
        // A size is a whole number of bytes, where there is one.
        if (!file || (a.size != null && !(typeof a.size == "number" && a.size >= 0 && a.size % 1 == 0))) ok = false;
        return { name: a && text(a.name), url: file };
      }) : (ok = false);
      seen[id] = 1;
      return ok && (!wanted || wanted.hasOwnProperty(category)) && e;
    }
    try {
      m = JSON.parse(source);
      if (m.schema == "xxgk-bundle/2") {
        return m.first.map(function (r) {
          return { id: r[0], title: r[1], publisher: r[2], date: r[3], doc_number: r[4], validity: r[6] };
        });
      }
      var site = m.schema == "xxgk-catalogue/1" && m.site && text(m.site.name);
      if (!site || !Array.isArray(m.items) || !Array.isArray(m.categories)) return [];
      walk(m.categories);
      m.items.forEach(function (item, i) {
        var e = entry(item, i);
        if (e) {
          e.publisher = e.publisher || site;
          found.push(e);
        }
      });
      found.sort(function (a, b) {
        return a.date < b.date ? 1 : a.date > b.date ? -1 : a.i - b.i;
      });
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
      // The catalogue's address, if it is one (http or https).
      var lang = api.lang(host), w = WORDS[lang], url = safe(catalogueOf(host).href), target = host;
      // As crates/core Config::read takes it (1-100); else 20, more than
      // the module's 10, as this is the only page.
      var size = /^\+?\d+$/.test(data("page-size")) && +data("page-size");
      var large = api.elderly(host);
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
      add(root, "p", "", w[typeof WebAssembly == "object" ? 2 : 1]);
      var place = add(root, "div");
      if (url) add(add(root, "p"), "a", "", w[3], { href: url });
      var endpoint = data("feedback"), server = safe(endpoint, base());
      if (server && origins.indexOf(origin(endpoint)) >= 0) {
        add(add(root, "p", "", w[4]), "a", "", server, { href: server });
      }
      function show(source) {
        var found = rows(source, data("category"), url);
        if (!found.length) return add(place, "p", "", w[5], { role: "alert" });
        var list = add(place, "ul");
        found.slice(0, size > 0 && size < 101 ? size : 20).forEach(function (e) {
          var item = add(list, "li");
          var meta = e.date + "　" + (e.publisher || "") + (e.doc_number ? "　" + e.doc_number : "") + (e.validity ? "　" + w[8][e.validity] : "");
          if (e.link) {
            add(item, "a", "", e.title, { href: e.link });
            return add(item, "span", "xxgk-plain__meta", meta);
          }
          var more = add(item, "details");
          add(add(more, "summary", "", e.title), "span", "xxgk-plain__meta", meta);
          var facts = add(more, "dl");
          [e.id, e.doc_number, e.publisher, e.written, e.date].forEach(function (value, k) {
            if (value) {
              add(facts, "dt", "", w[6][k]);
              add(facts, "dd", "", value);
            }
          });
          [e.summary, e.body].forEach(function (paragraphs) {
            if (paragraphs) add(more, "p", "xxgk-plain__text", paragraphs);
          });
          (e.attachments || []).forEach(function (a) {
            add(add(more, "p", "", w[7]), "a", "", a.name, { href: a.url });
          });
        });
      }
      if (url) get(url, show);
      else show();
    }
  };
})();
