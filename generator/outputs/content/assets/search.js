/* 产改经验库 search: a chunked index written by generator/outputs/search/ into search/.
 * Every index file is a script calling cgSearch.meta/shard/facets/titles/docFacets/synonyms, so
 * search works over http and from file:// alike, and a query loads only the shards it needs.
 * A query's words are index terms (longest match), widened by the synonyms of data/synonyms.yaml;
 * Latin words match text and the pinyin of titles and places (~ terms), pinyin ranked lower.
 * This file drives the header box; results.js the search page (search.html). */
(function () {
  "use strict";
  var cg = (window.cgSearch = window.cgSearch || {});
  var here = document.currentScript && document.currentScript.src;
  var root = new URL("..", here || document.baseURI); /* this file lives in assets/ */
  var promises = {};
  var waiting = {};
  var early = {}; /* delivered before asked: the search page's own <script> tags for meta and synonyms */
  var HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
  var RUNS = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+/g;
  var PINYIN = "~"; /* pinyin terms: ~xiaoshan (shards.shard_key: ~ and three letters) */
  var MAX_SHOWN = 10; /* results the header box shows; the search page shows them all, by pages */

  cg.root = root;
  cg.bytes = 0; /* bytes of index scripts requested so far (for the benchmark) */

  function load(name, path) {
    if (!promises[name] && name in early) {
      promises[name] = Promise.resolve(early[name]);
      delete early[name];
    }
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
    else if (!promises[name]) early[name] = data;
  }
  cg.meta = function (m) { deliver("meta", m); };
  cg.shard = function (kind, n, data) { deliver(kind + n, data); };
  cg.facets = function (f) { deliver("facets", f); };
  cg.loadFacets = function () { return load("facets", "search/facets.js"); };
  cg.titles = function (t) { deliver("titles", t); };
  cg.loadTitles = function () { return load("titles", "search/titles.js"); };
  cg.docFacets = function (f) { deliver("docFacets", f); };
  cg.loadDocFacets = function () { return load("docFacets", "search/doc-facets.js"); };
  cg.synonyms = function (s) { deliver("synonyms", s); };
  /* The search page's address for a query and its filters (search.html works from disk too). */
  cg.pageUrl = function (params) {
    var qs = new URLSearchParams();
    Object.keys(params).forEach(function (k) { if (params[k]) qs.set(k, params[k]); });
    var text = qs.toString();
    return new URL("search.html" + (text ? "?" + text : ""), root).href;
  };

  var metaP = null, t2s = null, synonymsAt = {};
  function meta() {
    if (!metaP) {
      var syn = load("synonyms", "search/synonyms.js");
      metaP = load("meta", "search/meta.js").then(function (m) {
        t2s = {};
        if (m) {
          var from = Array.from(m.t2s[0]), to = Array.from(m.t2s[1]);
          for (var i = 0; i < from.length; i++) t2s[from[i]] = to[i];
        }
        return syn.then(function (groups) {
          /* first character -> [form, its group], longest forms first */
          (groups || []).forEach(function (group) {
            group.forEach(function (form) {
              var first = Array.from(form)[0];
              (synonymsAt[first] = synonymsAt[first] || []).push([form, group]);
            });
          });
          Object.keys(synonymsAt).forEach(function (k) {
            synonymsAt[k].sort(function (a, b) { return b[0].length - a[0].length; });
          });
          return m;
        });
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
  /* The shard a term is in (shards.shard_key). */
  function shardKey(term) {
    return term.charAt(0) === PINYIN ? term.slice(0, 4) : Array.from(term).slice(0, 2).join("");
  }
  function shardOf(m, term) {
    return termShard(m, shardKey(term));
  }
  /* A term's postings: in its shard, or for a long list, in a file of their own that the shard
   * names by a number (shards.LONG_POSTINGS). */
  async function postingsOf(m, term) {
    var p = (await shardOf(m, term))[term];
    if (typeof p !== "number") return p || "";
    var name = (fnv(shardKey(term)) % m.termShards) + "-" + p;
    return (await load("p" + name, "search/p/" + name + ".js")) || "";
  }
  async function exists(m, term) {
    return (await shardOf(m, term))[term] !== undefined;
  }
  function docShard(n) {
    return load("d" + n, "search/d/" + n + ".js").then(function (d) { return d || []; });
  }
  /* A term's postings ("a,b,…": base-36 differences of doc*4 + flags) into ascending document
   * numbers and their weights: the term's weight, times 5 in a title and 3 in a keyword (flags 2
   * and 1). One pass, no array of strings: on a cold page a long list is most of the query's work. */
  function postingCount(s) {
    var n = s ? 1 : 0;
    for (var i = 0; i < s.length; i++) if (s.charCodeAt(i) === 44) n++;
    return n;
  }
  function weighted(s, weight, docs, ws) {
    var last = 0, cur = 0, n = 0, len = s.length;
    for (var i = 0; i <= len; i++) {
      var c = i < len ? s.charCodeAt(i) : 44;
      if (c !== 44) { cur = cur * 36 + (c < 58 ? c - 48 : c - 87); continue; }
      if (i === 0) break;
      last += cur;
      cur = 0;
      docs[n] = last >> 2;
      ws[n++] = weight * (1 + (last & 2 ? 4 : 0) + (last & 1 ? 2 : 0));
    }
  }

  /* NFKC, lower case, Traditional -> Simplified (same as the index). */
  function normalise(q) {
    var s = q.normalize("NFKC").toLowerCase(), out = "";
    for (var ch of s) out += (t2s && t2s[ch]) || ch;
    return out;
  }
  cg.normalise = function (q) { return meta().then(function () { return normalise(q); }); };

  /* The query as groups of index terms: a document must match one term of every group. A group is
   * a list of {t: term, w: weight}; `kind` says how it was made: "han" (a word), "prefix" (the
   * start of words, at the end of the query), "same" (a word and its synonyms; `typed` is the word
   * as typed), "latin" (text and pinyin). */
  async function latinGroup(m, run) {
    var out = [], text = await termShard(m, run.slice(0, 2)), want = PINYIN + run;
    for (var t in text) if (t.startsWith(run)) out.push({ t: t, w: t === run ? 1 : 0.8 });
    /* Pinyin of titles and places, ranked below any match of the text itself; two letters are initials
     * (xs), matched whole; three or more may be the start of a word's pinyin (xiaosh). */
    var pinyin = await termShard(m, want.slice(0, 4));
    for (var p in pinyin) {
      /* A tenth of the weight: whatever field it is in, below a match of the text as typed. */
      if (run.length < 3 ? p === want : p.startsWith(want)) out.push({ t: p, w: p === want ? 0.1 : 0.08 });
    }
    return out;
  }
  /* The forms of a word with a synonym in it: 人社局 -> 人力资源和社会保障局, where such terms exist. */
  function variants(word) {
    var chars = Array.from(word), out = [word];
    for (var i = 0; i < chars.length; i++) {
      (synonymsAt[chars[i]] || []).forEach(function (entry) {
        var form = entry[0];
        if (!word.startsWith(form, chars.slice(0, i).join("").length)) return;
        var before = chars.slice(0, i).join(""), after = word.slice(before.length + form.length);
        entry[1].forEach(function (other) { if (other !== form) out.push(before + other + after); });
      });
    }
    return Array.from(new Set(out));
  }
  /* A word's character pairs, in order: the keys of the shards its terms can be in. */
  function pairs(chars) {
    var out = [];
    for (var c = 0; c + 1 < chars.length; c++) out.push(chars[c] + chars[c + 1]);
    return out;
  }
  async function groups(m, q) {
    var out = [], missing = 0;
    var norm = normalise(q), tokens = [], re = new RegExp(RUNS.source, "g"), hit;
    while ((hit = re.exec(norm))) tokens.push({ run: hit[0], at: hit.index, end: hit.index + hit[0].length });
    /* The shards of every Chinese word's character pairs (each word below reads all of its own),
     * asked for at once: else each word's would wait for the last word's to come in. */
    tokens.forEach(function (token) {
      if (HAN.test(token.run)) pairs(Array.from(token.run)).forEach(function (key) { termShard(m, key); });
    });
    for (var k = 0; k < tokens.length; k++) {
      var run = tokens[k].run;
      if (!HAN.test(run)) {
        /* Latin words apart only by spaces are tried as one first: "xiao shan" is xiaoshan. */
        var last = k;
        while (last + 1 < tokens.length && !HAN.test(tokens[last + 1].run) &&
               !norm.slice(tokens[last].end, tokens[last + 1].at).trim()) last++;
        if (last > k) {
          var joined = tokens.slice(k, last + 1).map(function (x) { return x.run; }).join("");
          var whole = await latinGroup(m, joined);
          if (whole.length) { whole.kind = "latin"; whole.run = joined; out.push(whole); k = last; continue; }
        }
        var g = await latinGroup(m, run);
        if (!g.length) return null;
        g.kind = "latin"; g.run = run;
        out.push(g);
        continue;
      }
      var chars = Array.from(run);
      /* Longest match against the terms that exist, two-character shards fetched together. */
      var keys = pairs(chars);
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
          /* A synonym longer than any term here is a word of its own, though no text says it so. */
          var syn = (synonymsAt[chars[i]] || []).find(function (e) { return rest.startsWith(e[0]); });
          if (syn && syn[0].length > best.length) best = syn[0];
          if (best) {
            var forms = variants(best);
            if (forms.length > 1) {
              var found = await Promise.all(forms.map(function (f) { return exists(m, f); }));
              forms = forms.filter(function (f, n) { return found[n]; });
              if (!forms.length) return null;
              var same = forms.map(function (f) { return { t: f, w: 1 }; });
              same.kind = "same"; same.typed = best;
              out.push(same);
            } else {
              var one = [{ t: best, w: 1 }];
              one.kind = "han";
              out.push(one);
            }
            i += Array.from(best).length;
            continue;
          }
          if (prefixed.length) {
            var starts = prefixed.map(function (t) { return { t: t, w: 1 }; });
            starts.kind = "prefix";
            out.push(starts);
            break;
          }
        }
        var single = await termShard(m, chars[i]);
        /* A character in no term fails the query, unless it is a function word we do not index. */
        if (single[chars[i]] !== undefined) { var ch = [{ t: chars[i], w: 1 }]; ch.kind = "han"; out.push(ch); }
        else if (m.stop.indexOf(chars[i]) >= 0) missing++;
        else return null;
        i += 1;
      }
    }
    if (!out.length && missing) return null;
    return out;
  }

  /* Ranked document numbers for a query: [{doc, score, via}], best first. A document scores, for
   * each group, the group's rarity times the best weight of the terms it holds there (a title
   * counts five times, a keyword three). via: [[typed, found]] where it was found by a synonym of
   * the word typed and not by the word itself. */
  cg.match = async function (q) {
    var m = await meta();
    if (!m) return [];
    var gs = await groups(m, q);
    if (!gs || !gs.length) return [];
    /* Every term's postings at once: long lists are files of their own. */
    var lists = await Promise.all(gs.map(function (g) {
      return Promise.all(g.map(function (e) { return postingsOf(m, e.t); }));
    }));
    return rank(gs, lists, m.docs);
  };
  function rank(gs, lists, total) {
    var cand = null, candScore = null, via = new Map();
    for (var gi = 0; gi < gs.length; gi++) {
      var g = gs[gi], same = g.kind === "same", docs, ws, n, typedHit = null, other = null;
      if (g.length === 1 && !same) {
        n = postingCount(lists[gi][0]);
        docs = new Int32Array(n);
        ws = new Float64Array(n);
        weighted(lists[gi][0], g[0].w, docs, ws);
      } else {
        /* Several terms: a document takes the best weight of those it holds. */
        var best = new Map();
        typedHit = new Set();
        other = new Map();
        for (var ei = 0; ei < g.length; ei++) {
          var e = g[ei], k = postingCount(lists[gi][ei]), d1 = new Int32Array(k), w1 = new Float64Array(k);
          weighted(lists[gi][ei], e.w, d1, w1);
          for (var j = 0; j < k; j++) {
            var d = d1[j], had = best.get(d);
            if (had === undefined || had < w1[j]) best.set(d, w1[j]);
            if (!same) continue;
            if (e.t === g.typed) typedHit.add(d);
            else if (!other.has(d)) other.set(d, e.t);
          }
        }
        n = best.size;
        docs = new Int32Array(n);
        ws = new Float64Array(n);
        var at = 0;
        best.forEach(function (w, d) { docs[at++] = d; });
        docs.sort();
        for (var x = 0; x < n; x++) ws[x] = best.get(docs[x]);
      }
      var idf = Math.log(1 + total / Math.max(1, n));
      /* The documents in every group so far: two ascending lists merged. */
      var size = cand === null ? n : Math.min(n, cand.length);
      var outD = new Int32Array(size), outS = new Float64Array(size), o = 0;
      if (cand === null) {
        for (var y = 0; y < n; y++) { outD[y] = docs[y]; outS[y] = idf * ws[y]; }
        o = n;
      } else {
        for (var a = 0, b = 0; a < cand.length && b < n;) {
          if (cand[a] < docs[b]) a++;
          else if (cand[a] > docs[b]) b++;
          else { outD[o] = cand[a]; outS[o++] = candScore[a] + idf * ws[b]; a++; b++; }
        }
      }
      cand = outD.subarray(0, o);
      candScore = outS.subarray(0, o);
      if (!same) continue;
      for (var z = 0; z < o; z++) {
        var dd = cand[z];
        if (other.has(dd) && !typedHit.has(dd)) {
          if (!via.has(dd)) via.set(dd, []);
          via.get(dd).push([g.typed, other.get(dd)]);
        }
      }
    }
    /* Best first, then by document number. Scores take few values, so the documents (ascending)
     * are gathered by score and only the scores are sorted. */
    var byScore = new Map();
    for (var i = 0; i < cand.length; i++) {
      var bucket = byScore.get(candScore[i]);
      if (bucket === undefined) byScore.set(candScore[i], (bucket = []));
      bucket.push(cand[i]);
    }
    var scores = Array.from(byScore.keys()).sort(function (p, q) { return q - p; }), list = [];
    scores.forEach(function (score) {
      byScore.get(score).forEach(function (doc) { list.push({ doc: doc, score: score, via: via.get(doc) || [] }); });
    });
    return list;
  }

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

  /* The sections, places and title syllables of document numbers (loaded after the results show). */
  cg.excerpts = async function (nums) {
    var m = await meta();
    var per = m.excerptSlotsPerShard;
    var need = Array.from(new Set(nums.map(function (d) { return Math.floor(d / per); })));
    var got = {};
    await Promise.all(need.map(function (n) {
      return load("x" + n, "search/x/" + n + ".js").then(function (x) { got[n] = x || []; });
    }));
    return nums.map(function (d) {
      var e = got[Math.floor(d / per)][d % per] || [[], [], ""];
      return { excerpt: e[0], places: e[1], reading: e[2] || "" };
    });
  };

  /* What a query's hits are marked by: the index terms it matched (every form of a word with
   * synonyms; a group of several terms that share a beginning marks that beginning) and its Latin
   * runs (pinyin or digits). */
  function needlesOf(gs, q) {
    var han = [], latin = [];
    (gs || []).forEach(function (g) {
      var terms = g.map(function (e) { return e.t; });
      if (g.kind === "latin") { latin.push(g.run); return; }
      if (g.kind === "same") { terms.forEach(function (t) { han.push(t); }); return; }
      var t = terms.reduce(function (a, b) { var i = 0; while (i < a.length && a[i] === b[i]) i++; return a.slice(0, i); });
      if (t && HAN.test(t)) han.push(t);
    });
    (normalise(q).match(RUNS) || []).forEach(function (run) {
      if (!HAN.test(run) && latin.indexOf(run) < 0 && !latin.some(function (l) { return l.indexOf(run) >= 0; })) latin.push(run);
    });
    return { han: han, latin: latin };
  }
  cg.needles = async function (q) {
    var m = await meta();
    return needlesOf(m && (await groups(m, q)), q);
  };

  cg.search = async function (q, limit) {
    var ranked = await cg.match(q);
    var shown = ranked.slice(0, limit || 20);
    var top = await cg.docs(shown.map(function (r) { return r.doc; }));
    top.forEach(function (r, i) { r.via = shown[i].via; });
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
  /* Spans of a title whose syllables (reading: one per character, "-" for none) a Latin run
   * spells, as full pinyin or as initials, two characters or more: changai marks 产改. */
  function pinyinSpans(title, reading, runs) {
    var chars = Array.from(title), syl = reading ? reading.split(" ") : [], out = [];
    if (!runs.length || syl.length !== chars.length) return out;
    var at = [], n = 0;
    chars.forEach(function (ch) { at.push(n); n += ch.length; });
    at.push(n);
    runs.forEach(function (run) {
      for (var i = 0; i < chars.length; i++) {
        var full = "", initials = "";
        for (var j = i; j < chars.length && syl[j] !== "-"; j++) {
          full += syl[j];
          initials += syl[j].charAt(0);
          var spelt = (full.length >= run.length && full.startsWith(run)) || initials === run;
          if (spelt) { if (j > i) out.push([at[i], at[j + 1]]); break; }
          if (!run.startsWith(full) && !run.startsWith(initials)) break;
        }
      }
    });
    return out;
  }
  function merged(ranges) {
    ranges.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var out = [];
    ranges.forEach(function (s) {
      var last = out[out.length - 1];
      if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]); else out.push(s.slice());
    });
    return out;
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
  var BEFORE = 30, LENGTH = 120;
  /* The section that matches the query best (the most of its words, then the most matches; the
   * first of equals), cut around its first match: [label, label spans, text, text spans]. */
  function excerpt(sections, words) {
    var best = null;
    sections.forEach(function (section, i) {
      var label = spans(section[0], words), text = spans(section[1], words);
      var norm = folded(section[0] + " " + section[1]).norm;
      var distinct = words.filter(function (w) { return w && norm.indexOf(w) >= 0; }).length;
      var score = distinct * 1000 + label.length + text.length;
      if (score > 0 && (!best || score > best.score)) best = { score: score, i: i, label: label, text: text };
    });
    if (!best) {
      if (!sections.length) return null;
      var first = sections[0][1];
      return [sections[0][0], [], first.slice(0, LENGTH) + (first.length > LENGTH ? "…" : ""), []];
    }
    var body = sections[best.i][1], ranges = best.text;
    var start = ranges.length ? Math.max(0, ranges[0][0] - BEFORE) : 0;
    var end = Math.min(body.length, start + LENGTH);
    var cut = (start > 0 ? "…" : "") + body.slice(start, end) + (end < body.length ? "…" : "");
    var shift = start > 0 ? 1 - start : 0;
    var inside = ranges
      .filter(function (s) { return s[0] >= start && s[1] <= end; })
      .map(function (s) { return [s[0] + shift, s[1] + shift]; });
    return [sections[best.i][0], best.label, cut, inside];
  }
  cg.excerpt = function (doc, needles) {
    var words = wordsFor(needles, doc.places);
    var title = merged(spans(doc.title, words).concat(pinyinSpans(doc.title, doc.reading, needles.latin)));
    return { title: title, line: spans(doc.line, words), excerpt: excerpt(doc.excerpt, words) };
  };

  /* --- a result, as the header box and the search page draw it ----------------------------- */
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  cg.el = el;
  /* Fill `into` with a result: its title (in a heading of `tag`), where and when it is, which
   * synonym found it, and once its excerpt sections are in (doc.excerpt), the best of them. */
  cg.drawResult = function (into, doc, needles, tag) {
    var why = cg.excerpt(doc, needles);
    into.textContent = "";
    var h = el(tag);
    h.appendChild(marked(doc.title, why.title));
    into.appendChild(h);
    var where = el("p", "cg-result__where"), cut = doc.line.lastIndexOf(" · ");
    if (cut > 0 && /\d年/.test(doc.line.slice(cut))) {
      /* kind · place · date: the date (2023年12月28日) is never broken across two lines */
      where.appendChild(marked(doc.line.slice(0, cut), why.line.filter(function (r) { return r[1] <= cut; })));
      where.appendChild(document.createTextNode(" · "));
      where.appendChild(el("span", "cg-date", doc.line.slice(cut + 3)));
    } else {
      where.appendChild(marked(doc.line, why.line));
    }
    into.appendChild(where);
    (doc.via || []).forEach(function (v) {
      var note = el("p", "cg-result__via");
      note.setAttribute("data-cg-via", v[1]);
      note.appendChild(document.createTextNode("按同义词找到：“" + v[0] + "”即“"));
      var mk = el("mark", "", v[1]);
      note.appendChild(mk);
      note.appendChild(document.createTextNode("”"));
      into.appendChild(note);
    });
    if (why.excerpt && doc.excerpt.length) {
      var p = el("p", "cg-result__excerpt");
      p.setAttribute("data-cg-excerpt", "");
      var label = el("span", "cg-result__section");
      label.appendChild(marked(why.excerpt[0], why.excerpt[1]));
      label.appendChild(document.createTextNode("："));
      p.appendChild(label);
      p.appendChild(marked(why.excerpt[2], why.excerpt[3]));
      into.appendChild(p);
    }
  };
  /* Load the excerpts of results drawn (a second, small load) and draw them again with them. */
  cg.addExcerpts = async function (shown, needles, isCurrent) {
    var more = await cg.excerpts(shown.map(function (s) { return s.doc.doc; }));
    if (!isCurrent()) return false;
    shown.forEach(function (s, i) {
      s.doc.excerpt = more[i].excerpt;
      s.doc.places = more[i].places;
      s.doc.reading = more[i].reading;
      cg.drawResult(s.into, s.doc, needles, s.tag);
    });
    return true;
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

    async function run() {
      var mine = ++seq, q = input.value.trim();
      box.removeAttribute("data-cg-excerpts");
      if (!q) { list.textContent = ""; info.textContent = info.getAttribute("data-empty"); box.removeAttribute("data-cg-state"); return; }
      box.setAttribute("data-cg-state", "busy");
      var res = await cg.search(q, MAX_SHOWN);
      if (mine !== seq) return;
      list.textContent = "";
      info.textContent = res.total ? "找到 " + res.total + " 条结果" : "没有找到结果";
      var shown = res.results.map(function (r) {
        var li = el("li", "md-search-result__item");
        var a = el("a", "md-search-result__link");
        a.href = r.url;
        a.setAttribute("data-cg-result", r.path);
        var art = el("article", "md-search-result__article md-typeset");
        a.appendChild(art);
        li.appendChild(a);
        list.appendChild(li);
        return { doc: r, into: art, tag: "h1" };
      });
      shown.forEach(function (one) { cg.drawResult(one.into, one.doc, res.needles, one.tag); });
      if (res.total) {
        /* Every result, with filters, on the search page (also where Enter in the box leads). */
        var li = el("li", "md-search-result__item cg-search-all");
        var all = el("a", "md-search-result__link", res.total > shown.length
          ? "查看全部 " + res.total + " 条结果，可按地区、主题、年份筛选" : "在搜索页查看，可按地区、主题、年份筛选");
        all.href = cg.pageUrl({ q: q });
        all.setAttribute("data-cg-search-all", "");
        li.appendChild(all);
        list.appendChild(li);
      }
      box.setAttribute("data-cg-state", "done");
      if (await cg.addExcerpts(shown, res.needles, function () { return mine === seq; })) {
        box.setAttribute("data-cg-excerpts", "done");
      }
    }
    input.addEventListener("focus", function () { open(); meta(); });
    input.addEventListener("input", function () { open(); run(); });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var q = input.value.trim();
      if (q) location.href = cg.pageUrl({ q: q });
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
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setupBox, { once: true }); else setupBox();
})();
