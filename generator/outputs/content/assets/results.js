/* The search page (search.html): every result of a query, 20 to a page, narrowed by kind,
 * province, theme and year, with the count of results under each. The query, the filters and the
 * page live in the address (?q=…&kind=…&province=…&theme=…&year=…&page=…): a link can be sent,
 * and back and forward go through the searches made. Facets come from search/doc-facets.js (a few
 * bytes per document, by document number), loaded after the first results are drawn (before them
 * only when the address filters). */
(function () {
  "use strict";
  var FACETS = ["kind", "province", "theme", "year"];
  var KINDS = [["p", "经验做法"], ["c", "典型案例"], ["r", "地区"], ["t", "主题"]];
  var PER_PAGE = 20;
  var THEMES_SHOWN = 8; /* themes listed before "更多主题" */

  /* The theme's script (Material's) waits until the first page of results is drawn: on a cold open
   * it was a third of the main thread's work before them. On this page overrides/main.html writes
   * only search.js and this file, and the theme's scripts block in a <template>; what is not on the
   * page yet is loaded from there, in order, and as the theme starts on DOMContentLoaded, that is
   * given once more when they have run (our own scripts listen to it once). On other pages there is
   * no template and nothing to do. */
  var themeLoaded = false;
  function loadTheme() {
    if (themeLoaded) return;
    /* Called while the page is parsed (no query), the template is not there yet. */
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", loadTheme, { once: true });
      return;
    }
    themeLoaded = true;
    var later = document.querySelector("template[data-cg-later]");
    if (!later) return;
    var have = new Set();
    Array.prototype.forEach.call(document.scripts, function (s) {
      if (s.getAttribute("src")) have.add(new URL(s.getAttribute("src"), document.baseURI).href);
    });
    var todo = Array.prototype.filter.call(later.content.querySelectorAll("script"), function (old) {
      var src = old.getAttribute("src");
      return !src || !have.has(new URL(src, document.baseURI).href);
    });
    if (!todo.length) return;
    (function next(i) {
      if (i === todo.length) { document.dispatchEvent(new Event("DOMContentLoaded")); return; }
      var old = todo[i], s = document.createElement("script"), src = old.getAttribute("src");
      Array.prototype.forEach.call(old.attributes, function (a) { s.setAttribute(a.name, a.value); });
      if (src) s.onload = s.onerror = function () { next(i + 1); };
      else s.textContent = old.textContent;
      later.parentNode.insertBefore(s, later);
      if (!src) next(i + 1);
    })(0);
  }

  function setup() {
    var form = document.querySelector("[data-cg-find]");
    var cg = window.cgSearch;
    if (!form || !cg) { loadTheme(); return; }
    var input = form.querySelector("input[name=q]");
    var body = document.querySelector("[data-cg-find-body]");
    var facetsBox = body.querySelector("[data-cg-find-facets]");
    var status = body.querySelector("[data-cg-find-status]");
    var list = body.querySelector("[data-cg-find-list]");
    var pager = body.querySelector("[data-cg-find-pager]");
    var el = cg.el, seq = 0, facetData = null, last = { q: null, ranked: [] };
    var siteName = document.title.split(" - ").slice(1).join(" - ");
    /* On a phone the filters fold behind a button, so that the results come first. */
    var toggle = el("button", "md-button cg-find__toggle", "筛选");
    toggle.type = "button";
    toggle.hidden = true;
    facetsBox.id = "cg-find-facets";
    toggle.setAttribute("aria-controls", facetsBox.id);
    toggle.setAttribute("aria-expanded", "false");
    facetsBox.classList.add("cg-find__facets--folded");
    toggle.addEventListener("click", function () {
      var open = facetsBox.classList.toggle("cg-find__facets--folded") === false;
      toggle.setAttribute("aria-expanded", String(open));
    });
    body.insertBefore(toggle, facetsBox);

    /* --- the address ---------------------------------------------------------------------- */
    function read() {
      var params = new URLSearchParams(location.search), s = { q: (params.get("q") || "").trim() };
      FACETS.forEach(function (k) { s[k] = params.get(k) || ""; });
      s.page = Math.max(1, parseInt(params.get("page") || "1", 10) || 1);
      return s;
    }
    function address(s) {
      var params = { q: s.q };
      FACETS.forEach(function (k) { params[k] = s[k]; });
      if (s.page > 1) params.page = String(s.page);
      return cg.pageUrl(params);
    }
    function go(s, how) {
      try { history[how](null, "", address(s)); } catch (e) { /* a browser that refuses: the view still changes */ }
      show(s);
    }

    /* --- facets of a document, from doc-facets.js ----------------------------------------- */
    function parse(f) {
      var w = f.widths, slots = f.docs.split(","), cache = {};
      function num(text) { return parseInt(text, 36); }
      f.of = function (doc) {
        if (cache[doc]) return cache[doc];
        var e = slots[doc] || "", at = 1 + w.province + w.year, themes = [];
        for (var i = at; i < e.length; i += w.theme) themes.push(f.themes[num(e.slice(i, i + w.theme)) - 1][0]);
        var p = num(e.slice(1, 1 + w.province)), y = num(e.slice(1 + w.province, at));
        return (cache[doc] = {
          kind: e.charAt(0), province: p ? f.provinces[p - 1][0] : "", year: y ? String(f.years[y - 1]) : "", theme: themes,
        });
      };
      return f;
    }
    function holds(facets, key, value) {
      return key === "theme" ? facets.theme.indexOf(value) >= 0 : facets[key] === value;
    }

    /* The results that pass every filter, and for each filter the count of each value among the
     * results that pass the other filters. */
    function narrow(ranked, s) {
      var counts = {}, passing = [];
      FACETS.forEach(function (k) { counts[k] = {}; });
      ranked.forEach(function (r) {
        var f = facetData.of(r.doc), failed = FACETS.filter(function (k) { return s[k] && !holds(f, k, s[k]); });
        if (failed.length > 1) return;
        FACETS.forEach(function (k) {
          if (failed.length && failed[0] !== k) return;
          (k === "theme" ? f.theme : [f[k]]).forEach(function (v) { if (v) counts[k][v] = (counts[k][v] || 0) + 1; });
        });
        if (!failed.length) passing.push(r);
      });
      return { passing: passing, counts: counts };
    }

    /* --- drawing ------------------------------------------------------------------------- */
    function facetLink(s, key, value, text, count, depth) {
      var next = Object.assign({}, s, { page: 1 });
      next[key] = value;
      var a = el("a", "cg-facet__link");
      if (depth) a.style.marginLeft = depth + "em"; /* a narrower theme under its broader one */
      a.href = address(next);
      a.appendChild(document.createTextNode(text));
      if (count !== undefined) a.appendChild(el("span", "cg-facet__count", String(count)));
      if (s[key] === value) a.setAttribute("aria-current", "true");
      a.addEventListener("click", function (e) {
        if (e.ctrlKey || e.metaKey || e.shiftKey || e.button) return;
        e.preventDefault();
        go(next, "pushState");
      });
      return a;
    }
    function facetGroup(s, key, title, values, counts) {
      var shown = values.filter(function (v) { return counts[v[0]] || s[key] === v[0]; });
      if (!shown.length) return null;
      var group = el("div", "cg-facet");
      group.setAttribute("role", "group");
      var id = "cg-facet-" + key;
      var h = el("h2", "cg-facet__title", title);
      h.id = id;
      group.setAttribute("aria-labelledby", id);
      group.appendChild(h);
      var ul = el("ul", "cg-facet__list");
      var all = el("li");
      all.appendChild(facetLink(s, key, "", "全部"));
      ul.appendChild(all);
      var hidden = [];
      shown.forEach(function (v, i) {
        var li = el("li");
        li.appendChild(facetLink(s, key, v[0], v[1], counts[v[0]] || 0, v[2]));
        if (key === "theme" && i >= THEMES_SHOWN && s[key] !== v[0]) hidden.push(li); else ul.appendChild(li);
      });
      group.appendChild(ul);
      if (hidden.length) {
        var more = el("details", "cg-facet__more");
        more.appendChild(el("summary", "", "更多主题（" + hidden.length + "）"));
        var rest = el("ul", "cg-facet__list");
        hidden.forEach(function (li) { rest.appendChild(li); });
        more.appendChild(rest);
        group.appendChild(more);
      }
      return group;
    }
    function drawFacets(s, counts) {
      facetsBox.textContent = "";
      var chosen = FACETS.filter(function (k) { return s[k]; }).length;
      toggle.textContent = chosen ? "筛选（已选 " + chosen + " 项）" : "筛选";
      toggle.hidden = false;
      var f = facetData;
      var groups = [
        facetGroup(s, "kind", "类别", KINDS, counts.kind),
        facetGroup(s, "province", "省份", f.provinces, counts.province),
        facetGroup(s, "theme", "主题", f.themes, counts.theme),
        facetGroup(s, "year", "年份", f.years.map(function (y) { return [String(y), y + " 年"]; }), counts.year),
      ];
      groups.forEach(function (g) { if (g) facetsBox.appendChild(g); });
    }
    function drawPager(s, pages) {
      pager.textContent = "";
      if (pages < 2) return;
      var ul = el("ul", "cg-pager__list");
      function item(page, text, label) {
        var li = el("li");
        if (page === s.page && !label) {
          var here = el("span", "cg-pager__here", text);
          here.setAttribute("aria-current", "page");
          li.appendChild(here);
        } else {
          var next = Object.assign({}, s, { page: page });
          var a = el("a", "cg-pager__link", text);
          a.href = address(next);
          if (label) a.setAttribute("aria-label", label);
          a.addEventListener("click", function (e) {
            if (e.ctrlKey || e.metaKey || e.shiftKey || e.button) return;
            e.preventDefault();
            go(next, "pushState");
            list.focus();
          });
          li.appendChild(a);
        }
        ul.appendChild(li);
      }
      if (s.page > 1) item(s.page - 1, "上一页", "上一页");
      var from = Math.max(1, s.page - 3), to = Math.min(pages, from + 6);
      for (var p = from; p <= to; p++) item(p, String(p));
      if (s.page < pages) item(s.page + 1, "下一页", "下一页");
      pager.appendChild(ul);
    }

    async function show(s) {
      var mine = ++seq;
      if (window.performance && performance.mark) performance.mark("cg-query"); /* the benchmark times from here */
      input.value = s.q;
      body.setAttribute("data-cg-state", "busy");
      body.removeAttribute("data-cg-facets");
      body.removeAttribute("data-cg-excerpts");
      document.title = (s.q ? "搜索：" + s.q : "搜索") + (siteName ? " - " + siteName : "");
      if (!s.q) {
        list.textContent = "";
        facetsBox.textContent = "";
        toggle.hidden = true;
        pager.textContent = "";
        status.textContent = "输入词语、地名、简称或拼音，按回车搜索。";
        body.setAttribute("data-cg-state", "done");
        loadTheme();
        return;
      }
      /* The facets of every document (doc-facets.js) are needed first only to filter; else they
       * load after the first results are drawn, for the counts. */
      var filtered = FACETS.some(function (k) { return s[k]; });
      var facetsLoad = filtered && !facetData ? cg.loadDocFacets() : null;
      var ranked = last.q === s.q ? last.ranked : await cg.match(s.q);
      if (mine !== seq) return;
      last = { q: s.q, ranked: ranked };
      if (facetsLoad) facetData = parse(await facetsLoad);
      if (mine !== seq) return;
      var passing = filtered ? narrow(ranked, s).passing : ranked;
      var pages = Math.max(1, Math.ceil(passing.length / PER_PAGE));
      var page = Math.min(s.page, pages), top = passing.slice((page - 1) * PER_PAGE, page * PER_PAGE);
      var needles = await cg.needles(s.q);
      if (mine !== seq) return;
      status.textContent = !ranked.length ? "没有找到“" + s.q + "”。试试更短的词、同义词或拼音。"
        : !passing.length ? "找到 " + ranked.length + " 条结果，筛选后没有结果。"
        : "找到 " + passing.length + " 条结果" + (filtered ? "（筛选自 " + ranked.length + " 条）" : "") +
          (pages > 1 ? "，第 " + page + " / " + pages + " 页" : "") + "。";
      list.textContent = "";
      list.start = (page - 1) * PER_PAGE + 1;
      /* Each result is drawn as soon as its document shard is in, in its place in the list. */
      var shown = top.map(function (r) {
        var li = el("li", "cg-find__item");
        var a = el("a", "cg-find__link");
        var art = el("article", "cg-find__result");
        a.appendChild(art);
        li.appendChild(a);
        list.appendChild(li);
        return { doc: null, into: art, tag: "h2", link: a, ranked: r };
      });
      await Promise.all(shown.map(async function (one) {
        var d = (await cg.docs([one.ranked.doc]))[0];
        if (mine !== seq) return;
        d.via = one.ranked.via;
        one.doc = d;
        one.link.href = d.url;
        one.link.setAttribute("data-cg-result", d.path);
        cg.drawResult(one.into, d, needles, one.tag);
      }));
      if (mine !== seq) return;
      drawPager(Object.assign({}, s, { page: page }), pages);
      body.setAttribute("data-cg-state", "done");
      loadTheme();
      /* Then the counts (once the facets are in) and the excerpts. */
      var drawn = cg.addExcerpts(shown, needles, function () { return mine === seq; });
      if (!facetData) facetData = parse(await cg.loadDocFacets());
      if (mine !== seq) return;
      drawFacets(s, narrow(ranked, s).counts);
      body.setAttribute("data-cg-facets", "done");
      if (await drawn) body.setAttribute("data-cg-excerpts", "done");
    }

    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var s = read(), q = input.value.trim();
      if (q !== s.q) { s = { q: q, page: 1 }; FACETS.forEach(function (k) { s[k] = ""; }); }
      go(s, "pushState");
    });
    window.addEventListener("popstate", function () { show(read()); });
    list.tabIndex = -1; /* the pager moves focus to the new page's results */
    show(read());
  }

  /* The page's form and lists come before the scripts: start at once, not when the whole page is
   * ready, so that the index files load while the rest of the page's scripts run. */
  if (document.querySelector("[data-cg-find-body]") || document.readyState !== "loading") setup();
  else document.addEventListener("DOMContentLoaded", setup, { once: true });
  /* Whatever happens to the query, the theme's script runs within a few seconds (on the search
   * page: no other page has the form, nor the template). */
  if (document.querySelector("[data-cg-find]")) setTimeout(loadTheme, 3000);
})();
