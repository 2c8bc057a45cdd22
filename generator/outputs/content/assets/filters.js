/* Filters on the record listings (practices/index, cases/index): province, city, theme,
 * year and a search query, combinable; the state lives in the query string
 * (?q=…&province=…&city=…&theme=…&year=…) so a filtered view can be shared.
 * The filters list the matching records of the whole set (a long listing's own page shows only
 * the newest, each letter having a page of its own), in place of what the page shows: facets from
 * search/facets.js, and titles and places, in A–Z order, from search/titles.js, loaded once a
 * filter is set. */
(function () {
  "use strict";
  var FIELDS = ["q", "province", "city", "theme", "year"];

  function setup() {
    var bar = document.querySelector("[data-cg-filters]");
    var cg = window.cgSearch;
    if (!bar || !cg) return;
    var article = bar.parentNode.querySelector("article") || document.querySelector("article");
    if (!article) return;
    cg.loadFacets().then(function (f) { if (f) build(bar, article, f, cg); });
  }

  function option(value, text) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = text;
    return o;
  }
  function button(className, text) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "md-button " + className;
    b.textContent = text;
    return b;
  }
  function select(name, label, first) {
    var wrap = document.createElement("label");
    wrap.className = "cg-filters__field";
    wrap.appendChild(document.createTextNode(label));
    var s = document.createElement("select");
    s.name = name;
    s.setAttribute("data-cg-filter", name);
    s.appendChild(option("", first));
    wrap.appendChild(s);
    return { wrap: wrap, el: s };
  }

  var KINDS = { "practices/": "经验做法", "cases/": "典型案例" };
  var STEP = 200; /* matches drawn at a time; "显示更多" draws the next ones */

  function build(bar, article, f, cg) {
    var root = cg.root.href;
    /* The listing's records: those under this page's folder (practices/ or cases/). */
    var here = location.href.split(/[?#]/)[0];
    if (here.indexOf(root) !== 0) return;
    var folder = here.slice(root.length).split("/")[0] + "/";
    if (!KINDS[folder]) return;
    var total = 0, years = new Set();
    Object.keys(f.records).forEach(function (url) {
      if (url.indexOf(folder) !== 0) return;
      total++;
      years.add(f.records[url][3]);
    });
    if (!total) return;

    var q = document.createElement("input");
    q.type = "search";
    q.name = "q";
    q.placeholder = "在列表中搜索";
    q.className = "md-input cg-filters__query";
    q.id = "cg-filter-q";
    q.setAttribute("data-cg-filter", "q");
    var qLabel = document.createElement("label");
    qLabel.className = "cg-filters__field cg-filters__search";
    qLabel.htmlFor = q.id;
    qLabel.textContent = "搜索";
    var province = select("province", "省份", "全部省份");
    f.provinces.forEach(function (p) { province.el.appendChild(option(p[0], p[1])); });
    var city = select("city", "城市", "全部城市");
    var theme = select("theme", "主题", "全部主题");
    f.themes.forEach(function (t) { theme.el.appendChild(option(t[0], "\u3000".repeat(t[2]) + t[1])); });
    var year = select("year", "年份", "全部年份");
    Array.from(years).sort().reverse()
      .forEach(function (y) { year.el.appendChild(option(String(y), y + " 年")); });
    var count = document.createElement("span");
    count.className = "cg-filters__count";
    count.setAttribute("data-cg-filter-count", "");
    count.setAttribute("role", "status"); /* screen readers announce each new count */
    bar.setAttribute("role", "search");
    bar.setAttribute("aria-label", "筛选列表");
    var reset = button("cg-filters__reset", "清除筛选");

    qLabel.appendChild(q);
    bar.appendChild(qLabel);
    [province, city, theme, year].forEach(function (s) { bar.appendChild(s.wrap); });
    bar.appendChild(reset);
    bar.appendChild(count);
    /* After the page's introduction, before the letters; the matches below the bar. */
    var intro = article.querySelector("h1 + p");
    article.insertBefore(bar, intro ? intro.nextSibling : article.firstChild);
    var list = document.createElement("ul");
    list.className = "cg-filters__results";
    list.setAttribute("data-cg-filter-results", "");
    list.setAttribute("aria-label", "筛选结果");
    var more = button("cg-filters__more", "显示更多");
    more.hidden = true;
    bar.parentNode.insertBefore(list, bar.nextSibling);
    list.parentNode.insertBefore(more, list.nextSibling);
    bar.hidden = false;

    var controls = { q: q, province: province.el, city: city.el, theme: theme.el, year: year.el };
    var listing = article.querySelector(".cg-listing"); /* what the page shows unfiltered */

    function fillCities() {
      var keep = city.el.value, p = province.el.value;
      city.el.textContent = "";
      city.el.appendChild(option("", "全部城市"));
      f.cities.forEach(function (c) { if (!p || c[2] === p) city.el.appendChild(option(c[0], c[1])); });
      city.el.value = Array.from(city.el.options).some(function (o) { return o.value === keep; }) ? keep : "";
    }

    function state() {
      var s = {};
      FIELDS.forEach(function (k) { var v = controls[k].value.trim(); if (v) s[k] = v; });
      return s;
    }
    function writeUrl(s) {
      var params = new URLSearchParams();
      FIELDS.forEach(function (k) { if (s[k]) params.set(k, s[k]); });
      var qs = params.toString();
      var url = location.pathname + (qs ? "?" + qs : "") + location.hash;
      try { history.replaceState(null, "", url); } catch (e) { /* some file:// setups refuse; the view still filters */ }
    }

    function item(r, t) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = new URL(r[0], root).href;
      a.textContent = r[1];
      li.appendChild(a);
      li.appendChild(document.createTextNode("（" + KINDS[folder] + " · " + (t.places[r[2]] || "") + "）"));
      return li;
    }

    var seq = 0, matches = [], drawn = 0, titles = null;
    function draw(upTo) {
      var frag = document.createDocumentFragment();
      for (; drawn < Math.min(upTo, matches.length); drawn++) frag.appendChild(item(matches[drawn], titles));
      list.appendChild(frag);
      more.hidden = drawn >= matches.length;
    }
    async function apply(fromUrl) {
      var mine = ++seq, s = state();
      var hits = null;
      if (!Object.keys(s).length) {
        matches = [];
        list.textContent = "";
        list.hidden = true;
        drawn = 0;
        more.hidden = true;
        count.textContent = "共 " + total + " 条，可按首字母浏览或筛选";
        if (listing) listing.hidden = false;
      } else {
        if (s.q) hits = new Set((await cg.match(s.q)).map(function (r) { return r.doc; }));
        if (!titles) titles = await cg.loadTitles();
        if (mine !== seq) return;
        matches = (titles ? titles.records : []).filter(function (t) {
          var r = t[0].indexOf(folder) === 0 && f.records[t[0]];
          return r && (!s.province || r[0] === s.province) && (!s.city || r[1] === s.city) &&
            (!s.theme || r[2].indexOf(s.theme) >= 0) && (!s.year || String(r[3]) === s.year) &&
            (!hits || hits.has(r[4]));
        });
        list.textContent = "";
        list.hidden = !matches.length;
        if (listing) listing.hidden = true;
        drawn = 0;
        draw(STEP);
        count.textContent = "显示 " + matches.length + " / " + total + " 条";
      }
      bar.setAttribute("data-cg-state", "done");
      if (!fromUrl) writeUrl(s);
    }
    more.addEventListener("click", function () {
      var first = drawn;
      draw(drawn + STEP);
      var a = list.children[first] && list.children[first].querySelector("a");
      if (a) a.focus(); /* the keyboard goes on where the new entries begin */
    });

    var params = new URLSearchParams(location.search);
    province.el.value = params.get("province") || "";
    fillCities();
    FIELDS.forEach(function (k) { if (k !== "province") controls[k].value = params.get(k) || ""; });
    province.el.addEventListener("change", function () { fillCities(); apply(); });
    [city.el, theme.el, year.el].forEach(function (s) { s.addEventListener("change", function () { apply(); }); });
    q.addEventListener("input", function () { apply(); });
    reset.addEventListener("click", function () {
      FIELDS.forEach(function (k) { controls[k].value = ""; });
      fillCities();
      apply();
    });
    apply(true);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup, { once: true }); else setup();
})();
