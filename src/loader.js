/*
 * xxgk loader. A portal embeds the widget with one classic script tag:
 *
 *   <script src="https://any-host/xxgk/xxgk.js" data-catalogue="catalogue.json"></script>
 *
 * A tag with data-catalogue renders a widget right where it stands; any
 * <div data-xxgk data-catalogue="..."> on the page gets one too. The
 * WebAssembly module is fetched from beside this file, so the widget can
 * live on another path or origin than the page. The build puts the
 * wasm-bindgen glue where the marker below is, inside this function, so
 * nothing but `window.xxgk` reaches the page's global scope.
 */
(function () {
  "use strict";

  // The page's content may name elements after document's own properties
  // (<img name="currentScript">, "DOM clobbering", which sanitisers let
  // through): what the loader needs of document is read from the
  // prototypes, never from document itself.
  var D = Document.prototype;
  // Engines from before about 2015 (Chromium 43) keep them on document
  // itself, where they are read then.
  function read(name, proto) {
    var own = Object.getOwnPropertyDescriptor(proto || D, name);
    return own ? own.get.call(document) : document[name];
  }
  function all(selector) {
    return D.querySelectorAll.call(document, selector);
  }
  function make(tag) {
    return D.createElement.call(document, tag);
  }
  function base() {
    return read("baseURI", Node.prototype);
  }
  var script = read("currentScript");
  var api = window.xxgk;
  // An element with id="xxgk" in the page's content (named access makes it
  // window.xxgk) is not an earlier copy of this loader.
  if (!api || !api.ready || typeof api.ready.then != "function") api = window.xxgk = {};

  function hostForScriptTag() {
    if (!script || !script.hasAttribute("data-catalogue")) return;
    var host = make("div");
    host.setAttribute("data-xxgk", "");
    for (var i = 0; i < script.attributes.length; i++) {
      var a = script.attributes[i];
      if (a.name.indexOf("data-") === 0) host.setAttribute(a.name, a.value);
    }
    var parent = script.parentNode;
    if (parent && parent !== read("head")) {
      parent.insertBefore(host, script.nextSibling);
    } else {
      addEventListener("DOMContentLoaded", function () {
        read("body").appendChild(host);
      });
    }
  }

  /*
   * Where a module cannot run (no WebAssembly, its compilation refused or
   * its file blocked), the hosts of its `kind` that have no widget show
   * the plain view instead (src/plain.js, fetched from beside this file
   * only then; by a script tag with callbacks, as the engine may have no
   * Promise), given the loader's own ways to reach the page.
   */
  var plainView;
  function fallBack(kind, reason) {
    function run() {
      api.plain(kind, reason, [all, make, catalogueOf, origin, origins, base]);
    }
    if (api.plain) return run();
    if (!plainView) {
      plainView = make("script");
      plainView.src = new URL("xxgk-plain.js", script ? script.src : base()).href;
      plainView.onerror = function () {
        console.error("xxgk: the widget could not start, nor its plain view:", reason);
      };
      read("head").appendChild(plainView);
    }
    plainView.addEventListener("load", run);
  }

  // An address that is no URL gives nothing here (the module then says
  // what is wrong with it), rather than stop every widget on the page.
  function catalogueOf(host) {
    try {
      return new URL((host.getAttribute("data-catalogue") || "").trim() || "catalogue.json", base());
    } catch (e) {
      return {};
    }
  }

  // Start fetching the catalogues of the hosts on the page (api.mount,
  // as the loader starts and once the page is parsed) while the module
  // downloads and compiles; each widget takes its response.
  function prefetchCatalogues() {
    var started = (api.prefetched = api.prefetched || {});
    var hosts = all("[data-xxgk]:not([data-xxgk-mounted])");
    for (var i = 0; i < hosts.length; i++) {
      var url = catalogueOf(hosts[i]).href;
      if (url && !started[url]) {
        // Resolves to { status, body }: the body is read now too, while
        // the module compiles.
        started[url] = fetch(url, { cache: "no-cache" }).then(function (response) {
          if (!response.ok) return { status: response.status, body: null };
          return response.arrayBuffer().then(function (body) {
            return { status: response.status, body: body };
          });
        });
        // A failure is reported by the widget that takes it, not here.
        started[url].catch(function () {});
      }
    }
  }

  /*
   * The language of a host's widget: the visitor's choice on this device,
   * else data-lang, else the page's lang, else the browser's languages,
   * else 简体 (the tag of each as `speaks` reads it). Kept on the host as
   * data-xxgk-lang, where the modules read it.
   */
  var LANG = "xxgk-lang";
  function kept(key, value) {
    try {
      if (value == null) return localStorage.getItem(key);
      localStorage.setItem(key, value);
    } catch (e) {}
  }
  function speaks(tag) {
    tag = String(tag || "").toLowerCase().replace(/_/g, "-") + "-";
    return /^en-/.test(tag) ? "en" : /^zh-/.test(tag) ? (/-hant-/.test(tag) || (!/-hans-/.test(tag) && /-(tw|hk|mo)-/.test(tag)) ? "zh-Hant" : "zh-CN") : "";
  }
  api.lang = function (host) {
    var tags = [kept(LANG), host.getAttribute("data-lang"), read("documentElement").getAttribute("lang")].concat(navigator.languages || []);
    for (var i = 0; i < tags.length; i++) if (speaks(tags[i])) return speaks(tags[i]);
    return "zh-CN";
  };
  // Whether `host` starts in elderly mode: the visitor's last choice on
  // this device, else as data-large-text says.
  api.elderly = function (host) {
    var setting = host.getAttribute("data-large-text"), stored = kept("xxgk-elderly");
    return stored ? stored == "1" : setting != null && /^(|true|1|yes)$/i.test(setting.trim());
  };
  /*
   * Where a feedback form may post: this page's origin, the widget's, and
   * those that a loader's script tag lists in data-feedback-origins or
   * names in its own data-feedback. Anyone who can put a [data-xxgk]
   * element on the page (user content keeps data- attributes through
   * most sanitisers) could otherwise make an official-looking form that
   * posts ID numbers elsewhere.
   */
  var origins = [location.origin];
  var warned = {};
  // The origin the form posts to, as crates/form resolves it (against the
  // page's base, by default).
  function origin(url, against) {
    try {
      return new URL(url.replace(/\/+$/, "") + "/api/feedback", against || base()).origin;
    } catch (e) {}
  }
  /**
   * Trusts the origins a loader's script tag names, read against the
   * page's own address: a <base> in the page's content changes nothing.
   */
  function trust(tag) {
    // size: a missing attribute reads "null", which resolves to this page.
    if (tag) {
      (tag.getAttribute("data-feedback-origins") + " " + tag.getAttribute("data-feedback") + " " + tag.src)
        .split(/\s+/)
        .forEach(function (named) {
          origins.push(origin(named, location.href));
        });
    }
  }
  hostForScriptTag();

  // A second copy of this tag on the page only adds its host (and the
  // feedback origins it trusts).
  if (api.ready) {
    api.trust(script);
    api.mount();
    return;
  }

  if (typeof WebAssembly !== "object" || typeof Promise === "undefined") {
    // What a second copy of this tag looks for (api.ready, as soon as
    // awaited: there is nothing to wait for) and then calls.
    api.ready = {
      then: function (done) {
        done();
      },
    };
    api.trust = trust;
    trust(script);
    // Hosts added later, and those parsed after this script.
    api.mount = function () {
      fallBack("", "no WebAssembly");
    };
    api.mount();
    addEventListener("DOMContentLoaded", api.mount);
    return;
  }

  /* @@WASM_BINDGEN_GLUE@@ */

  var wasmUrl = new URL("xxgk_bg.wasm", script ? script.src : base());
  api.trust = trust;
  trust(script);
  // Chosen for every host not yet mounted, whatever its content says.
  function chooseLanguages() {
    var hosts = all("[data-xxgk]:not([data-xxgk-mounted])");
    for (var i = 0; i < hosts.length; i++) hosts[i].setAttribute("data-xxgk-lang", api.lang(hosts[i]));
  }
  /*
   * Prints what the widget in `host` shows (an entry, or the list as a
   * table: the stylesheet's print rules) alone on A4, with the page's
   * address under it: while it prints, everything on the page beside the
   * host and its ancestors is marked and left out of the printout (not
   * merely hidden, which would print its space). All of it is undone
   * after printing, or at the next print if the browser never says so.
   */
  var printing;
  function printOut(root, host, words) {
    unprint();
    var style = make("style"), address = make("p"), hidden = [];
    style.textContent = "@media print{@page{size:A4;margin:18mm}[data-xxgk-hidden]{display:none!important}}";
    read("head").appendChild(style);
    for (var at = host; at.parentElement; at = at.parentElement) {
      [].forEach.call(at.parentElement.children, function (e) {
        if (e != at && !e.hasAttribute("data-xxgk-hidden")) hidden.push(e), e.setAttribute("data-xxgk-hidden", "");
      });
    }
    address.className = "xxgk__address";
    address.textContent = words + location.href;
    root.appendChild(address);
    host.setAttribute("data-xxgk-printing", "");
    printing = [style, address, host, hidden];
    addEventListener("afterprint", unprint);
    print();
  }
  function unprint() {
    if (printing) {
      printing[0].remove();
      printing[1].remove();
      printing[2].removeAttribute("data-xxgk-printing");
      printing[3].forEach(function (e) {
        e.removeAttribute("data-xxgk-hidden");
      });
      printing = removeEventListener("afterprint", unprint);
    }
  }
  // The words of the language chosen for `host` (NAMES below).
  function words(host) {
    var tag = host.getAttribute("data-xxgk-lang");
    return NAMES.hasOwnProperty(tag) ? NAMES[tag] : NAMES["zh-CN"];
  }
  /*
   * The visitor's settings in a widget's header (its module's, or a
   * bundle's drawn first page): elderly mode (长者模式; the visitor's
   * last choice on this device, else as data-large-text says) and the
   * language, each button named by its visible text, a language by its own
   * name in its own language. A switch of language tells the module with
   * an xxgk:lang event on the host, which the settings follow too. NAMES holds, per language, the
   * settings' words, then those of the way to the feedback panels
   * (`showPanel`): the link about an entry, the link, loading, failed, back.
   */
  var NAMES = {
    "zh-CN": ["简体", "长者模式", "语言", "打印", "本页地址：", "就此信息留言咨询", "我要留言 · 申请公开 · 查询办理结果", "正在加载……", "此栏目未能加载，请检查网络连接后重试。", "返回公开目录"],
    "zh-Hant": ["繁體", "長者模式", "語言", "列印", "本頁網址：", "就此資訊留言諮詢", "我要留言 · 申請公開 · 查詢辦理結果", "正在載入……", "此專區未能載入，請檢查網路連線後重試。", "返回公開目錄"],
    en: ["English", "Larger text", "Language", "Print", "Address of this page: ", "Ask about this entry", "Write to us · Request information · Check a submission", "Loading…", "Could not be loaded. Please check the connection and try again. ", "Back to the catalogue"],
  };
  api.settings = function (root, host) {
    var box = make("div"), mode = make("button"), group = make("div"), printer = make("button"), buttons = [];
    var large = api.elderly(host);
    function show() {
      var said = words(host);
      root.classList.toggle("xxgk--large", large);
      mode.setAttribute("aria-pressed", large);
      mode.textContent = said[1];
      group.setAttribute("aria-label", said[2]);
      printer.textContent = said[3];
      buttons.forEach(function (b) {
        b.setAttribute("aria-pressed", NAMES[b.lang] == said);
      });
    }
    box.className = "xxgk__settings";
    mode.type = "button";
    mode.className = "xxgk__mode";
    mode.onclick = function () {
      large = !large;
      kept("xxgk-elderly", large ? "1" : "0");
      show();
    };
    group.className = "xxgk__langs";
    group.setAttribute("role", "group");
    for (var tag in NAMES) {
      var b = make("button");
      b.type = "button";
      b.className = "xxgk__lang";
      b.lang = tag;
      b.textContent = NAMES[tag][0];
      b.onclick = function () {
        var pressed = this;
        kept(LANG, pressed.lang);
        host.setAttribute("data-xxgk-lang", pressed.lang);
        host.dispatchEvent(new Event("xxgk:lang"));
        // The widget is drawn again in the new language; focus stays here.
        requestAnimationFrame(function () {
          requestAnimationFrame(function () {
            pressed.focus();
          });
        });
      };
      buttons.push(group.appendChild(b));
    }
    printer.type = "button";
    printer.className = "xxgk__print";
    printer.onclick = function () {
      printOut(root, host, words(host)[4]);
    };
    box.appendChild(mode);
    box.appendChild(printer);
    box.appendChild(group);
    root.firstElementChild.insertBefore(box, root.firstElementChild.children[1] || null);
    host.addEventListener("xxgk:lang", show);
    show();
  };

  /*
   * A catalogue file is read by xxgk_bg.wasm, whose glue is above; a
   * published bundle (docs/bundle.md), known by its manifest's name
   * index.json, by xxgk-bundle_bg.wasm, whose glue comes in
   * xxgk-bundle.js (src/bundle.js). A module starts only when a widget on
   * the page needs it, and mounts the hosts of its kind (the loader marks
   * a bundle's data-xxgk-bundle, and clears it from any other, whatever
   * the page's content put there).
   */
  var plain, bundle;
  /** Mounts widgets into [data-xxgk] hosts added after the page loaded. */
  api.mount = function () {
    // The modules the hosts need, by the hosts they mount.
    var hosts = all("[data-xxgk]:not([data-xxgk-mounted])"), started = {};
    chooseLanguages();
    prefetchCatalogues();
    for (var i = 0; i < hosts.length; i++) {
      if (/(^|\/)index\.json$/.test(catalogueOf(hosts[i]).pathname)) {
        hosts[i].setAttribute("data-xxgk-bundle", "");
        started["[data-xxgk-bundle]"] = bundle = bundle || load("xxgk-bundle.js").then(function () {
          return api.bundle;
        });
      } else {
        hosts[i].removeAttribute("data-xxgk-bundle");
        started[":not([data-xxgk-bundle])"] = plain = plain || wasm_bindgen({ module_or_path: wasmUrl }).then(function () {
          return wasm_bindgen;
        });
      }
    }
    return Promise.all(
      Object.keys(started).map(function (kind) {
        return started[kind].then(
          function (glue) {
            glue.mountAll();
          },
          function (reason) {
            fallBack(kind, reason);
          }
        );
      })
    );
  };
  /** Resolves once the modules the page needs have started, or failed to. */
  api.ready = api.mount();
  // Hosts parsed after this script are sorted before the modules mount
  // them (this listener comes before the modules'; it is never called if
  // the page is parsed already).
  addEventListener("DOMContentLoaded", api.mount);
  /**
   * Starts a widget's search engine (crates/search) in a Web Worker on the
   * catalogue file's bytes (handed over, not copied). The worker is made
   * from a small script in a blob, so the engine's files may come from
   * another origin, like this one. `answer(seq, page)` hears it: seq 0
   * when the engine is ready, -1 if it failed, else the number of the
   * question answered, with the page of results as the engine wrote it.
   * `engine`, the worker's own lines for another engine (src/bundle.js),
   * is what it declares, how it starts the engine on the bytes `m.bytes`
   * and how it answers the question `m`. Returns the worker, for
   * `askSearch`.
   */
  api.startSearch = function (bytes, answer, engine) {
    engine = engine || [
      "",
      "engine = new wasm_bindgen.SearchEngine(new Uint8Array(m.bytes)); engine.build();",
      "postMessage({ seq: m.seq, page: engine.page(m.q, m.hash, m.key, m.size) });",
    ];
    var glue = JSON.stringify(new URL("xxgk-search.js", wasmUrl).href);
    var module = JSON.stringify(new URL("xxgk-search_bg.wasm", wasmUrl).href);
    var source =
      // Offline or blocked: say so, rather than throw in the worker.
      "try { importScripts(" + glue + "); } catch (e) { postMessage({ seq: -1 }); close(); }" +
      engine[0] +
      "var engine, built = new Promise(function (done) {" +
      "  onmessage = function (e) { var m = e.data;" +
      "    if (m.bytes) wasm_bindgen({ module_or_path: " + module + " }).then(function () {" +
      engine[1] +
      "      postMessage({ seq: 0 }); done();" +
      "    }).catch(function () { postMessage({ seq: -1 }); });" +
      "    else built.then(function () {" + engine[2] + "});" +
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
  /**
   * Why the catalogue at `url` cannot be shown, or why its skipped entries
   * were, in the language `lang`: the search engine's module writes the
   * messages (crates/search explain.rs), in a worker of its own, on the
   * file fetched again (from the browser's cache). Resolves to the
   * messages separated by U+001E, or to nothing when it cannot say.
   */
  api.explain = function (url, lang) {
    return fetch(url).then(function (response) {
      return response.arrayBuffer();
    }).then(function (bytes) {
      return new Promise(function (done) {
        var worker = api.startSearch(bytes, function (seq, page) {
          if (seq) {
            done(page);
            worker.terminate();
          } else {
            api.askSearch(worker, 1, lang, url);
          }
        }, ["var bytes;", "bytes = new Uint8Array(m.bytes);", "try { postMessage({ seq: m.seq, page: wasm_bindgen.explain(m.hash, bytes, m.q) }); } catch (e) { postMessage({ seq: -1 }); }"]);
      });
    }).catch(function () {
      return "";
    });
  };
  /** Asks question number `seq` of a worker from `startSearch`. */
  api.askSearch = function (worker, seq, q, hash, key, size) {
    worker.postMessage({ seq: seq, q: q, hash: hash, key: key, size: size });
  };
  /**
   * The feedback panels of a widget with data-feedback, told by the widget
   * whenever its view changes (`open`: a panel, not the catalogue) or the
   * title of the entry a question is about comes. In the widget's `root`
   * the loader keeps the way in: a link to the form (`link`) in its header
   * while the catalogue shows ("ask about this entry" when `title` is
   * given), and while a panel is open, the place that covers the
   * catalogue. The feedback module (crates/form), fetched the first time,
   * draws the panels there, one root per widget for as long as the page
   * (`Feedback`), and follows the view from then on; until it has come,
   * or if it cannot, the place says so and `link` leads back.
   */
  var form = null;
  api.showPanel = function (root, endpoint, key, open, link, title) {
    var to = origin(endpoint);
    if (!to || origins.indexOf(to) < 0) {
      // Once per server, for the web team.
      if (!warned[to]) {
        warned[to] = 1;
        console.warn(
          'xxgk: data-feedback="' + endpoint + '" 既非本页或组件的来源，也未列入 script 标签的 data-feedback-origins，不提供留言表单 (not this origin nor listed: no form)'
        );
      }
      return;
    }
    var said = NAMES.hasOwnProperty(root.lang) ? NAMES[root.lang] : NAMES["zh-CN"];
    var w = root.xxgkFeedback = root.xxgkFeedback || { button: make("a") };
    var button = w.button, panel = w.panel, header = root.firstElementChild;
    button.className = "xxgk-button xxgk-feedback";
    button.href = link;
    button.textContent = said[title ? 5 : 6];
    if (!open) {
      if (button.parentNode != header) header.appendChild(button);
      root.removeAttribute("data-panel");
      if (panel) panel.remove();
      if (w.module) w.module.show(title);
      return;
    }
    button.remove();
    root.setAttribute("data-panel", "");
    if (!panel) {
      panel = w.panel = make("div");
      panel.className = "xxgk-panel";
    }
    if (!w.module) {
      // Again on a retry, after a failure was said.
      panel.textContent = said[7];
      panel.removeAttribute("role");
    }
    if (panel.parentNode != root) root.appendChild(panel);
    form = form || load("xxgk-form.js").then(function () {
      return api.form;
    });
    form.then(
      function (m) {
        // The widget's root, always on the page, tells the module where
        // the widget is and how it is set (data-shared-device), even when
        // the panel was closed before the module came.
        (w.module = w.module || new m.Feedback(panel, root, endpoint, key)).show(title);
      },
      function (error) {
        // Offline or blocked: said in the panel, with the way back; the
        // next opening tries again.
        form = null;
        panel.textContent = said[8];
        panel.setAttribute("role", "alert");
        var back = make("a");
        back.href = link;
        back.textContent = said[9];
        panel.appendChild(back);
        console.error("xxgk:", error);
      }
    );
  };
  /** A script beside this one, run in the page; resolves when it has run. */
  function load(name) {
    return new Promise(function (done, fail) {
      var tag = make("script");
      tag.src = new URL(name, wasmUrl).href;
      tag.onload = done;
      tag.onerror = fail;
      read("head").appendChild(tag);
    });
  }
})();
