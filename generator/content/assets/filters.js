/* Filters on the record listings (practices/index, cases/index): province, city, theme,
 * year and a search query, combinable; the state lives in the query string
 * (?q=…&province=…&city=…&theme=…&year=…) so a filtered view can be shared. */
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

  function build(bar, article, f, cg) {
    var root = cg.root.href;
    /* Every list item that links to a record, with the record's facets. */
    var items = [];
    article.querySelectorAll("li").forEach(function (li) {
      var a = li.querySelector("a[href]");
      if (!a) return;
      var key = a.href.split("#")[0].split("?")[0];
      if (key.indexOf(root) !== 0) return;
      var rec = f.records[key.slice(root.length)];
      if (rec) items.push({ li: li, rec: rec });
    });
    if (!items.length) return;

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
    Array.from(new Set(items.map(function (i) { return i.rec[3]; }))).sort().reverse()
      .forEach(function (y) { year.el.appendChild(option(String(y), y + " 年")); });
    var count = document.createElement("span");
    count.className = "cg-filters__count";
    count.setAttribute("data-cg-filter-count", "");
    count.setAttribute("role", "status"); /* screen readers announce each new count */
    bar.setAttribute("role", "search");
    bar.setAttribute("aria-label", "筛选列表");
    var reset = document.createElement("button");
    reset.type = "button";
    reset.className = "md-button cg-filters__reset";
    reset.textContent = "清除筛选";

    qLabel.appendChild(q);
    bar.appendChild(qLabel);
    [province, city, theme, year].forEach(function (s) { bar.appendChild(s.wrap); });
    bar.appendChild(reset);
    bar.appendChild(count);
    /* After the page's introduction, before the A–Z list. */
    var intro = article.querySelector("h1 + p");
    article.insertBefore(bar, intro ? intro.nextSibling : article.firstChild);
    bar.hidden = false;

    var controls = { q: q, province: province.el, city: city.el, theme: theme.el, year: year.el };

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

    var seq = 0;
    async function apply(fromUrl) {
      var mine = ++seq, s = state();
      var hits = null;
      if (s.q) {
        hits = new Set((await cg.match(s.q)).map(function (r) { return r.doc; }));
        if (mine !== seq) return;
      }
      var shown = 0;
      items.forEach(function (it) {
        var r = it.rec;
        var ok = (!s.province || r[0] === s.province) && (!s.city || r[1] === s.city) &&
          (!s.theme || r[2].indexOf(s.theme) >= 0) && (!s.year || String(r[3]) === s.year) &&
          (!hits || hits.has(r[4]));
        it.li.hidden = !ok;
        if (ok) shown++;
      });
      /* Hide letter sections left empty. */
      article.querySelectorAll("h2").forEach(function (h) {
        var list = h.nextElementSibling;
        if (!list || !/^(UL|OL)$/.test(list.tagName)) return;
        var any = Array.from(list.children).some(function (li) { return !li.hidden; });
        h.hidden = list.hidden = !any;
      });
      count.textContent = "显示 " + shown + " / " + items.length + " 条";
      bar.setAttribute("data-cg-state", "done");
      if (!fromUrl) writeUrl(s);
    }

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

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup); else setup();
})();
