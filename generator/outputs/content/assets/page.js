/* Page behaviour that Material leaves to the mouse, and what printing needs:
 * - the header's menu and search buttons (labels with role="button") press with Enter and Space;
 * - tables of three columns or more get the roles and labels that let them stack into cards on
 *   a phone (site.css) without losing their table semantics;
 * - when printing, the print date and address, and the address of each link in the text that
 *   leads to another page of the site (print.css prints those of links to other sites). */
(function () {
  "use strict";

  function buttons() {
    document.querySelectorAll("label.md-header__button[role=button]").forEach(function (b) {
      b.addEventListener("keydown", function (e) {
        if (e.key !== "Enter" && e.key !== " ") return;
        e.preventDefault();
        var target = document.getElementById(b.htmlFor);
        var before = target ? target.checked : null;
        /* Material presses a focused label on Enter itself; press it only when nothing did. */
        setTimeout(function () {
          if (target && target.checked === before) b.click();
          if (b.htmlFor === "__search") {
            var input = document.querySelector("[data-cg-search-query]");
            if (input) input.focus();
          } else if (target && target.checked) {
            var first = document.querySelector(".md-nav--primary a[href], .md-nav--primary label[for]");
            if (first) first.focus();
          }
        }, 0);
      });
    });
  }

  function cards() {
    document.querySelectorAll(".md-typeset table:not([class])").forEach(function (table) {
      var heads = Array.from(table.querySelectorAll("thead th")).map(function (th) { return th.textContent.trim(); });
      if (heads.length < 3) return;
      table.classList.add("cg-cards");
      table.setAttribute("role", "table");
      table.querySelectorAll("thead, tbody").forEach(function (g) { g.setAttribute("role", "rowgroup"); });
      table.querySelectorAll("tr").forEach(function (tr) { tr.setAttribute("role", "row"); });
      table.querySelectorAll("th").forEach(function (th) { th.setAttribute("role", "columnheader"); });
      table.querySelectorAll("tbody tr").forEach(function (tr) {
        Array.from(tr.children).forEach(function (td, i) {
          td.setAttribute("role", "cell");
          if (heads[i]) td.setAttribute("data-label", heads[i]);
        });
      });
    });
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function beforePrint() {
    var now = new Date();
    document.querySelectorAll("[data-cg-print-date]").forEach(function (e) {
      e.textContent = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
    });
    document.querySelectorAll("[data-cg-print-url]").forEach(function (e) { e.textContent = location.href.split("#")[0]; });
    /* Links to other pages of the site print their full address (external ones do so in CSS). */
    var here = location.href.split("#")[0];
    document.querySelectorAll(".md-content a[href]").forEach(function (a) {
      var href = a.getAttribute("href");
      if (!href || href.charAt(0) === "#" || /^[a-z]+:/i.test(href)) return;
      if (a.href.split("#")[0] === here) return;
      /* Not in tables, the facts card, charts, the A–Z row or its previous/next links: there the addresses would bury the text. */
      if (a.closest("table, .cg-facts, .cg-chart, .cg-letters, .cg-pager, nav")) return;
      a.setAttribute("data-cg-print-href", a.href);
    });
    /* Collapsed sections print open, and close again afterwards. */
    document.querySelectorAll("details:not([open])").forEach(function (d) {
      d.setAttribute("data-cg-print-opened", "");
      d.open = true;
    });
  }
  function afterPrint() {
    document.querySelectorAll("details[data-cg-print-opened]").forEach(function (d) {
      d.removeAttribute("data-cg-print-opened");
      d.open = false;
    });
  }

  function setup() {
    buttons();
    cards();
    window.addEventListener("beforeprint", beforePrint);
    window.addEventListener("afterprint", afterPrint);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup, { once: true }); else setup();
})();
