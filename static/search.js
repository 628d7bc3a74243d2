// boke's search box. It reads the index `boke build` writes to search/ (the format is described
// in src/search.rs), looks the query up by the same keys (pairs of CJK characters, words by
// prefix), confirms the exact phrase in the text of each post's page and lists the posts with
// a snippet from it.
// Labels come from the form's data- attributes, so they stay in the templates; text from the
// site is only ever inserted as text.
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  var panel = document.querySelector(".search-results");
  if (!form || !panel || !window.fetch) return;
  var input = form.querySelector("input");
  var dir = new URL(form.getAttribute("data-index") || "search/", document.baseURI);

  // Must match src/search.rs.
  var VERSION = 1;
  var MAX_WORD = 32;
  // What a posting's weight (its number's two low bits) adds to a post's score: the key is in
  // the body once, two or three times, four times or more, or in the title.
  var WEIGHTS = [1, 2, 4, 12];
  // Results shown, and candidates checked for the exact phrase before giving up.
  var SHOWN = 10;
  var CHECKED = 60;
  // Characters of context before the first match, and the snippet's length.
  var BEFORE = 30;
  var LENGTH = 110;

  var WORD = /^[\p{Alphabetic}\p{N}_]$/u;

  function isCjk(cp) {
    return (cp >= 0x3040 && cp <= 0x30ff) || (cp >= 0x3400 && cp <= 0x4dbf) ||
      (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xac00 && cp <= 0xd7af) ||
      (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x20000 && cp <= 0x3ffff);
  }

  function fold(ch) {
    var cp = ch.codePointAt(0);
    if (cp >= 0xff01 && cp <= 0xff5e) ch = String.fromCodePoint(cp - 0xfee0);
    var lower = ch.toLowerCase();
    return Array.from(lower).length === 1 ? lower : ch;
  }

  function foldStr(s) {
    return Array.from(s, fold).join("");
  }

  function kind(ch) {
    if (isCjk(ch.codePointAt(0))) return "cjk";
    return WORD.test(ch) ? "word" : "other";
  }

  // The query's terms (runs of one kind of character) and the keys a post must have.
  function parse(query) {
    var chars = Array.from(foldStr(query));
    var terms = [];
    var lookups = [];
    for (var i = 0; i < chars.length && terms.length < 16;) {
      var k = kind(chars[i]);
      var j = i + 1;
      while (j < chars.length && kind(chars[j]) === k) j++;
      var run = chars.slice(i, j);
      i = j;
      if (k === "other") continue;
      terms.push(run.join(""));
      if (k === "cjk" && run.length > 1) {
        for (var p = 0; p + 1 < run.length; p++) add(run[p] + run[p + 1], false);
      } else if (k === "cjk") {
        add(run[0], true);
      } else {
        // One letter is looked up whole: its shard holds no other words starting with it.
        var word = run.slice(0, MAX_WORD);
        add(word.join(""), word.length > 1);
      }
    }
    function add(key, prefix) {
      var same = lookups.some(function (l) { return l.key === key && l.prefix === prefix; });
      if (!same) lookups.push({ key: key, prefix: prefix });
    }
    return { terms: terms, lookups: lookups };
  }

  var cache = {};
  function load(name) {
    if (!cache[name]) {
      cache[name] = fetch(new URL(name, dir)).then(function (r) {
        if (!r.ok) throw new Error(name + ": " + r.status);
        return r.json();
      });
      cache[name].catch(function () { delete cache[name]; });
    }
    return cache[name];
  }

  function index() {
    return load("index.json").then(function (ix) {
      if (ix.version !== VERSION) throw new Error("index version " + ix.version);
      return ix;
    });
  }

  function shardOf(key, shards) {
    var cps = Array.from(key, function (c) { return c.codePointAt(0); });
    if (cps.length > 1 && !isCjk(cps[0])) return (cps[0] * 31 + cps[1]) % shards;
    return cps[0] % shards;
  }

  // Post number → score, for the posts having `lookup`.
  function matches(ix, shard, lookup) {
    var found = new Map();
    var keys = lookup.prefix ? Object.keys(shard).filter(function (k) { return k.startsWith(lookup.key); })
      : (Object.prototype.hasOwnProperty.call(shard, lookup.key) ? [lookup.key] : []);
    keys.forEach(function (key) {
      var list = shard[key];
      var idf = Math.log(1 + ix.docs.length / list.length);
      for (var i = 0, doc = 0; i < list.length; i++) {
        doc += Math.floor(list[i] / 4);
        var score = idf * WEIGHTS[list[i] % 4];
        if (!(found.get(doc) >= score)) found.set(doc, score);
      }
    });
    return found;
  }

  // Candidate posts, best first: those having every key.
  function rank(ix, lookups) {
    var names = lookups.map(function (l) { return "shard-" + shardOf(l.key, ix.shards) + ".json"; });
    return Promise.all(names.map(load)).then(function (shards) {
      var total = null;
      lookups.forEach(function (l, i) {
        var m = matches(ix, shards[i], l);
        if (total === null) { total = m; return; }
        var next = new Map();
        total.forEach(function (score, doc) {
          if (m.has(doc)) next.set(doc, score + m.get(doc));
        });
        total = next;
      });
      return Array.from(total || new Map()).sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; })
        .map(function (e) { return e[0]; });
    });
  }

  var CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff";
  var CJK_LINE_BREAK = new RegExp("([" + CJK + "])[ \\t]*\\n\\s*(?=[" + CJK + "])", "g");

  // A post's text as the index saw it: a line break between two CJK characters is no space
  // (as in src/search.rs), other white space one space.
  var pages = {};
  function pageText(url) {
    if (!pages[url]) {
      pages[url] = fetch(url).then(function (r) {
        if (!r.ok) throw new Error(url + ": " + r.status);
        return r.text();
      }).then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var body = page.querySelector(".post-body") || page.querySelector("article") ||
          page.querySelector("main") || page.body;
        var text = body ? body.textContent : "";
        return text.replace(CJK_LINE_BREAK, "$1").replace(/\s+/g, " ").trim();
      });
      pages[url].catch(function () { delete pages[url]; });
    }
    return pages[url];
  }

  // The posts among `candidates` that have every term, as {doc, text}, at most SHOWN of them.
  function confirm(ix, candidates, terms) {
    var hits = [];
    function next(from) {
      if (hits.length >= SHOWN || from >= Math.min(candidates.length, CHECKED)) return Promise.resolve(hits);
      var batch = candidates.slice(from, Math.min(from + SHOWN, CHECKED));
      var texts = batch.map(function (d) {
        return pageText(ix.docs[d][1]).catch(function () { return ""; });
      });
      return Promise.all(texts).then(function (texts) {
        batch.forEach(function (doc, i) {
          var hay = foldStr(ix.docs[doc][0]) + "\n" + foldStr(texts[i]);
          var all = terms.every(function (t) { return hay.indexOf(t) >= 0; });
          if (all && hits.length < SHOWN) hits.push({ doc: doc, text: texts[i] });
        });
        return next(from + batch.length);
      });
    }
    return next(0);
  }

  // The snippet: text around the first match, each term occurrence in a <mark>.
  function snippet(text, terms) {
    var folded = foldStr(text);
    if (folded.length !== text.length) folded = text.toLowerCase().length === text.length ? text.toLowerCase() : text;
    var first = -1;
    terms.forEach(function (t) {
      var at = folded.indexOf(t);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    });
    var start = first > BEFORE ? first - BEFORE : 0;
    var end = Math.min(text.length, start + LENGTH);
    if (start > 0 && /[\uDC00-\uDFFF]/.test(text[start])) start--;
    if (end < text.length && /[\uDC00-\uDFFF]/.test(text[end])) end++;
    var p = document.createElement("p");
    p.className = "search-snippet";
    var at = start;
    var prefix = start > 0 ? "…" : "";
    while (at < end) {
      var best = -1;
      var len = 0;
      terms.forEach(function (t) {
        var i = folded.indexOf(t, at);
        if (i >= 0 && i < end && (best < 0 || i < best || (i === best && t.length > len))) {
          best = i;
          len = t.length;
        }
      });
      if (best < 0) break;
      p.appendChild(document.createTextNode(prefix + text.slice(at, best)));
      prefix = "";
      var mark = document.createElement("mark");
      mark.textContent = text.slice(best, best + len);
      p.appendChild(mark);
      at = best + len;
    }
    p.appendChild(document.createTextNode(prefix + text.slice(at, Math.max(at, end)) + (end < text.length ? "…" : "")));
    return p;
  }

  function label(name, values) {
    var s = form.getAttribute("data-" + name) || "";
    Object.keys(values).forEach(function (k) { s = s.split("{" + k + "}").join(values[k]); });
    return s;
  }

  function status(text) {
    var p = document.createElement("p");
    p.className = "search-status";
    p.textContent = text;
    return p;
  }

  function show(query, nodes) {
    panel.replaceChildren.apply(panel, nodes);
    panel.setAttribute("data-query", query);
    panel.hidden = false;
  }

  var latest = 0;
  function search() {
    var query = input.value.trim();
    var run = ++latest;
    if (!query) {
      panel.hidden = true;
      panel.replaceChildren();
      return;
    }
    var q = parse(query);
    if (!q.lookups.length) {
      show(query, [status(label("none", { q: query }))]);
      return;
    }
    show(query, [status(label("loading", {}))]);
    index().then(function (ix) {
      var candidates = [];
      return rank(ix, q.lookups).then(function (ranked) {
        candidates = ranked;
        return confirm(ix, candidates, q.terms);
      }).then(function (hits) {
        if (run !== latest) return;
        if (!hits.length) {
          show(query, [status(label("none", { q: query }))]);
          return;
        }
        var list = document.createElement("ol");
        list.className = "search-list";
        hits.forEach(function (hit) {
          var doc = ix.docs[hit.doc];
          var li = document.createElement("li");
          li.className = "search-hit";
          var a = document.createElement("a");
          a.className = "search-title";
          a.href = doc[1];
          a.textContent = doc[0];
          var time = document.createElement("time");
          time.className = "search-time";
          time.textContent = doc[2];
          li.append(a, " ", time, snippet(hit.text, q.terms));
          list.appendChild(li);
        });
        // All candidates checked: the count is exact; else there may be more than shown.
        var exact = hits.length < SHOWN ? candidates.length <= CHECKED : candidates.length === hits.length;
        show(query, [status(label(exact ? "found" : "more", { n: String(hits.length) })), list]);
      });
    }).catch(function () {
      if (run === latest) show(query, [status(label("failed", {}))]);
    });
  }

  var timer = 0;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 120);
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    search();
  });
  input.addEventListener("focus", function () {
    if (input.value.trim() && panel.childNodes.length) panel.hidden = false;
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") panel.hidden = true;
  });
  document.addEventListener("click", function (e) {
    if (!form.contains(e.target) && !panel.contains(e.target)) panel.hidden = true;
  });
})();
