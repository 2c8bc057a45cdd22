/* 产改经验库 search: a chunked index written by generator/search/ into search/.
 * Every index file is a script calling cgSearch.meta/shard/facets/titles, so search works
 * over http and from file:// alike, and a query loads only the shards it needs. */
(function () {
  "use strict";
  var cg = (window.cgSearch = window.cgSearch || {});
  var here = document.currentScript && document.currentScript.src;
  var root = new URL("..", here || document.baseURI); /* this file lives in assets/ */
  var promises = {};
  var waiting = {};
  var HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
  var RUNS = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+/g;

  cg.root = root;
  cg.bytes = 0; /* bytes of index scripts requested so far (for the benchmark) */

  function load(name, path) {
    if (!promises[name]) {
      promises[name] = new Promise(function (resolve) {
        waiting[name] = resolve;
        var s = document.createElement("script");
        s.src = new URL(path, root).href;
        s.async = true;
        s.onerror = function () { delete waiting[name]; resolve(null); };
        document.head.appendChild(s);
      });
    }
    return promises[name];
  }
  function deliver(name, data) {
    var resolve = waiting[name];
    if (resolve) { delete waiting[name]; resolve(data); }
  }
  cg.meta = function (m) { deliver("meta", m); };
  cg.shard = function (kind, n, data) { deliver(kind + n, data); };
  cg.facets = function (f) { deliver("facets", f); };
  cg.loadFacets = function () { return load("facets", "search/facets.js"); };
  cg.titles = function (t) { deliver("titles", t); };
  cg.loadTitles = function () { return load("titles", "search/titles.js"); };

  var metaP = null, t2s = null;
  function meta() {
    if (!metaP) {
      metaP = load("meta", "search/meta.js").then(function (m) {
        t2s = {};
        if (m) {
          var from = Array.from(m.t2s[0]), to = Array.from(m.t2s[1]);
          for (var i = 0; i < from.length; i++) t2s[from[i]] = to[i];
        }
        return m;
      });
    }
    return metaP;
  }

  function fnv(s) {
    var h = 0x811c9dc5;
    for (var ch of s) h = Math.imul(h ^ ch.codePointAt(0), 16777619) >>> 0;
    return h;
  }
  function termShard(m, key) {
    var n = fnv(key) % m.termShards;
    return load("t" + n, "search/t/" + n + ".js").then(function (d) { return d || {}; });
  }
  function docShard(n) {
    return load("d" + n, "search/d/" + n + ".js").then(function (d) { return d || []; });
  }
  function decode(s) {
    var out = [], last = 0, parts = s.split(",");
    for (var i = 0; i < parts.length; i++) {
      last += parseInt(parts[i], 36);
      out.push(last);
    }
    return out; /* doc*4 + flags */
  }

  /* NFKC, lower case, Traditional -> Simplified (same as the index). */
  function normalise(q) {
    var s = q.normalize("NFKC").toLowerCase(), out = "";
    for (var ch of s) out += (t2s && t2s[ch]) || ch;
    return out;
  }
  cg.normalise = function (q) { return meta().then(function () { return normalise(q); }); };

  /* The query as groups of index terms: a document must match one term of every group. */
  async function groups(m, q) {
    var out = [], missing = 0;
    var runs = normalise(q).match(RUNS) || [];
    for (var run of runs) {
      if (!HAN.test(run)) {
        var sh = await termShard(m, run.slice(0, 2));
        var terms = Object.keys(sh).filter(function (t) { return t.startsWith(run); });
        if (terms.length) out.push(terms); else return null;
        continue;
      }
      var chars = Array.from(run);
      /* Longest match against the terms that exist, two-character shards fetched together. */
      var keys = [];
      for (var k = 0; k + 1 < chars.length; k++) keys.push(chars[k] + chars[k + 1]);
      var shards = await Promise.all(keys.map(function (key) { return termShard(m, key); }));
      var i = 0;
      while (i < chars.length) {
        var rest = chars.slice(i).join("");
        if (i + 1 < chars.length) {
          var key = keys[i], best = "", prefixed = [];
          for (var t in shards[i]) {
            if (!t.startsWith(key)) continue;
            if (rest.startsWith(t)) { if (t.length > best.length) best = t; }
            else if (t.startsWith(rest)) prefixed.push(t);
          }
          if (best) { out.push([best]); i += Array.from(best).length; continue; }
          if (prefixed.length) { out.push(prefixed); break; }
        }
        var single = await termShard(m, chars[i]);
        /* A character in no term fails the query, unless it is a function word we do not index. */
        if (single[chars[i]] !== undefined) out.push([chars[i]]);
        else if (m.stop.indexOf(chars[i]) >= 0) missing++;
        else return null;
        i += 1;
      }
    }
    if (!out.length && missing) return null;
    return out;
  }

  /* Ranked document numbers for a query: [{doc, score}], best first. */
  cg.match = async function (q) {
    var m = await meta();
    if (!m) return [];
    var gs = await groups(m, q);
    if (!gs || !gs.length) return [];
    var scores = null;
    for (var g of gs) {
      var flags = new Map();
      for (var t of g) {
        var sh = await termShard(m, Array.from(t).slice(0, 2).join(""));
        for (var v of decode(sh[t] || "")) {
          var d = v >> 2;
          flags.set(d, (flags.get(d) || 0) | (v & 3));
        }
      }
      var idf = Math.log(1 + m.docs / Math.max(1, flags.size));
      var next = new Map();
      flags.forEach(function (f, d) {
        if (scores && !scores.has(d)) return;
        var w = idf * (1 + (f & 2 ? 4 : 0) + (f & 1 ? 2 : 0));
        next.set(d, (scores ? scores.get(d) : 0) + w);
      });
      scores = next;
    }
    var list = [];
    scores.forEach(function (s, d) { list.push({ doc: d, score: s }); });
    list.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
    return list;
  };

  /* Titles, urls, context lines, excerpt text and places of document numbers. A document shard
   * holds a range of numbers, 0 where a number is free. */
  cg.docs = async function (nums) {
    var m = await meta();
    var per = m.docSlotsPerShard;
    var need = Array.from(new Set(nums.map(function (d) { return Math.floor(d / per); })));
    var got = {};
    await Promise.all(need.map(function (n) { return docShard(n).then(function (d) { got[n] = d; }); }));
    return nums.map(function (d) {
      var e = got[Math.floor(d / per)][d % per];
      return { doc: d, url: new URL(e[0], root).href, path: e[0], title: e[1], line: e[2], excerpt: [], places: [] };
    });
  };

  /* The start of the text and the places of document numbers (loaded after the results show). */
  cg.excerpts = async function (nums) {
    var m = await meta();
    var per = m.excerptSlotsPerShard;
    var need = Array.from(new Set(nums.map(function (d) { return Math.floor(d / per); })));
    var got = {};
    await Promise.all(need.map(function (n) {
      return load("x" + n, "search/x/" + n + ".js").then(function (x) { got[n] = x || []; });
    }));
    return nums.map(function (d) {
      var e = got[Math.floor(d / per)][d % per] || [[], []];
      return { excerpt: e[0], places: e[1] };
    });
  };

  /* What a query's hits are marked by: the index terms it matched (a group of several terms that
   * share a beginning marks that beginning) and its Latin runs (pinyin or digits). */
  cg.needles = async function (q) {
    var m = await meta();
    var gs = (m && (await groups(m, q))) || [];
    var han = [], latin = [];
    gs.forEach(function (g) {
      var t = g.reduce(function (a, b) { var i = 0; while (i < a.length && a[i] === b[i]) i++; return a.slice(0, i); });
      if (t && HAN.test(t)) han.push(t);
    });
    (normalise(q).match(RUNS) || []).forEach(function (run) { if (!HAN.test(run)) latin.push(run); });
    return { han: han, latin: latin };
  };

  cg.search = async function (q, limit) {
    var ranked = await cg.match(q);
    var top = await cg.docs(ranked.slice(0, limit || 20).map(function (r) { return r.doc; }));
    return { total: ranked.length, results: top, needles: await cg.needles(q) };
  };

  /* --- excerpts and highlighting -------------------------------------------------------------- */
  /* The text normalised as the index is (NFKC, lower case, Simplified), with where each of its
   * characters came from in the original, so a match found in the one is marked in the other. */
  function folded(text) {
    var norm = "", from = [], to = [], at = 0;
    for (var ch of text) {
      var n = ch.normalize("NFKC").toLowerCase(), out = "";
      for (var c of n) out += (t2s && t2s[c]) || c;
      for (var i = 0; i < out.length; i++) { from.push(at); to.push(at + ch.length); }
      norm += out;
      at += ch.length;
    }
    return { norm: norm, from: from, to: to };
  }
  /* Spans [start, end) of the original text where any needle occurs, merged, in order. */
  function spans(text, words) {
    var f = folded(text), found = [];
    words.forEach(function (w) {
      if (!w) return;
      for (var i = f.norm.indexOf(w); i >= 0; i = f.norm.indexOf(w, i + w.length)) {
        found.push([f.from[i], f.to[i + w.length - 1]]);
      }
    });
    found.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var out = [];
    found.forEach(function (s) {
      var last = out[out.length - 1];
      if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]); else out.push(s.slice());
    });
    return out;
  }
  /* The needles for one result: its terms, its Latin runs, and the names of its places whose
   * pinyin a Latin run begins (xiaoshan marks 萧山区). */
  function wordsFor(needles, places) {
    var words = needles.han.slice();
    needles.latin.forEach(function (run) {
      if (run.length > 1 || /[0-9]/.test(run)) words.push(run);
      places.forEach(function (p) {
        if (p[1].some(function (k) { return k.startsWith(run); })) words.push(folded(p[0]).norm);
      });
    });
    return words;
  }
  /* A fragment of text with the spans wrapped in <mark> (text nodes only: nothing is parsed). */
  function marked(text, ranges) {
    var frag = document.createDocumentFragment(), at = 0;
    ranges.forEach(function (s) {
      if (s[0] > at) frag.appendChild(document.createTextNode(text.slice(at, s[0])));
      var mk = document.createElement("mark");
      mk.textContent = text.slice(s[0], s[1]);
      frag.appendChild(mk);
      at = s[1];
    });
    if (at < text.length) frag.appendChild(document.createTextNode(text.slice(at)));
    return frag;
  }
  var BEFORE = 24, LENGTH = 96;
  /* The section of the document's text with the first match, cut around it: [label, text, spans]. */
  function excerpt(sections, words) {
    for (var i = 0; i < sections.length; i++) {
      var text = sections[i][1], ranges = spans(text, words);
      if (!ranges.length) continue;
      var start = Math.max(0, ranges[0][0] - BEFORE), end = Math.min(text.length, start + LENGTH);
      var cut = (start > 0 ? "…" : "") + text.slice(start, end) + (end < text.length ? "…" : "");
      var shift = start > 0 ? 1 - start : 0;
      var inside = ranges
        .filter(function (s) { return s[0] >= start && s[1] <= end; })
        .map(function (s) { return [s[0] + shift, s[1] + shift]; });
      return [sections[i][0], cut, inside];
    }
    if (!sections.length) return null;
    var first = sections[0][1];
    return [sections[0][0], first.slice(0, LENGTH) + (first.length > LENGTH ? "…" : ""), []];
  }
  cg.excerpt = function (doc, needles) {
    var words = wordsFor(needles, doc.places);
    return { title: spans(doc.title, words), line: spans(doc.line, words), excerpt: excerpt(doc.excerpt, words) };
  };

  /* --- the search box in the header ------------------------------------------------------ */
  function setupBox() {
    var box = document.querySelector("[data-cg-search]");
    if (!box) return;
    var input = box.querySelector("[data-cg-search-query]");
    var list = box.querySelector("[data-cg-search-list]");
    var info = box.querySelector("[data-cg-search-meta]");
    var toggle = document.getElementById("__search");
    var form = box.querySelector("form");
    var seq = 0;

    function open() { if (toggle && !toggle.checked) { toggle.checked = true; toggle.dispatchEvent(new Event("change")); } }
    function close() { if (toggle && toggle.checked) { toggle.checked = false; toggle.dispatchEvent(new Event("change")); } }

    function el(tag, cls, text) {
      var e = document.createElement(tag);
      if (cls) e.className = cls;
      if (text !== undefined) e.textContent = text;
      return e;
    }
    async function run() {
      var mine = ++seq, q = input.value.trim();
      box.removeAttribute("data-cg-excerpts");
      if (!q) { list.textContent = ""; info.textContent = info.getAttribute("data-empty"); box.removeAttribute("data-cg-state"); return; }
      box.setAttribute("data-cg-state", "busy");
      var res = await cg.search(q, 20);
      if (mine !== seq) return;
      list.textContent = "";
      info.textContent = res.total ? "找到 " + res.total + " 条结果" : "没有找到结果";
      var shown = [];
      res.results.forEach(function (r) {
        var li = el("li", "md-search-result__item");
        var a = el("a", "md-search-result__link");
        a.href = r.url;
        a.setAttribute("data-cg-result", r.path);
        var art = el("article", "md-search-result__article md-typeset");
        var h = el("h1");
        var where = el("p", "cg-result__where");
        art.appendChild(h);
        art.appendChild(where);
        a.appendChild(art);
        li.appendChild(a);
        list.appendChild(li);
        shown.push({ doc: r, art: art, h: h, where: where });
        draw(shown[shown.length - 1], res.needles);
      });
      box.setAttribute("data-cg-state", "done");
      /* Then why each matched: excerpts and the places a pinyin query names (a second, small load). */
      var more = await cg.excerpts(res.results.map(function (r) { return r.doc; }));
      if (mine !== seq) return;
      shown.forEach(function (s, i) {
        s.doc.excerpt = more[i].excerpt;
        s.doc.places = more[i].places;
        draw(s, res.needles);
      });
      box.setAttribute("data-cg-excerpts", "done");
    }
    function draw(s, needles) {
      var why = cg.excerpt(s.doc, needles);
      s.h.textContent = "";
      s.h.appendChild(marked(s.doc.title, why.title));
      s.where.textContent = "";
      s.where.appendChild(marked(s.doc.line, why.line));
      var old = s.art.querySelector("[data-cg-excerpt]");
      if (old) old.remove();
      if (why.excerpt && s.doc.excerpt.length) {
        var p = el("p", "cg-result__excerpt");
        p.setAttribute("data-cg-excerpt", "");
        p.appendChild(el("span", "cg-result__section", why.excerpt[0] + "："));
        p.appendChild(marked(why.excerpt[1], why.excerpt[2]));
        s.art.appendChild(p);
      }
    }
    input.addEventListener("focus", function () { open(); meta(); });
    input.addEventListener("input", function () { open(); run(); });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var first = list.querySelector("a");
      if (first) location.href = first.href;
    });
    form.addEventListener("reset", function () { setTimeout(run, 0); });

    /* Keyboard: arrows move between the box and the results, Escape goes back to the box and
     * then closes; the dialog closes when focus leaves it (Tab onwards, or a click elsewhere). */
    function links() { return Array.from(list.querySelectorAll("a")); }
    function visible(e) { return !!(e && e.offsetParent !== null); }
    box.addEventListener("keydown", function (e) {
      var all = links(), at = all.indexOf(document.activeElement);
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        if (!all.length) return;
        e.preventDefault();
        var next = e.key === "ArrowDown" ? (at < 0 ? 0 : Math.min(at + 1, all.length - 1)) : at - 1;
        if (next < 0) input.focus(); else all[next].focus();
      } else if (e.key === "Escape") {
        e.preventDefault();
        e.stopPropagation();
        if (at >= 0) { input.focus(); return; }
        close();
        /* On a phone the box slides away and its header button takes focus; on a desk it stays. */
        var button = document.querySelector("label.md-header__button[for='__search']");
        if (visible(button)) button.focus(); else input.focus();
      }
    });
    box.addEventListener("focusout", function (e) {
      var to = e.relatedTarget;
      if (to && box.contains(to)) return;
      if (!to) {
        /* Focus went nowhere yet (a click on the results' empty space, or the window lost it). */
        setTimeout(function () { if (!box.contains(document.activeElement) && document.hasFocus()) close(); }, 0);
        return;
      }
      close();
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && toggle && toggle.checked && !box.contains(e.target)) close();
      var t = e.target;
      var typing = t && (t.isContentEditable || /^(input|textarea|select)$/i.test(t.tagName));
      if (!typing && (e.key === "/" || e.key === "s") && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault(); input.focus();
      }
    });
    if (toggle) toggle.addEventListener("change", function () { if (toggle.checked && document.activeElement !== input) input.focus(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setupBox); else setupBox();
})();
