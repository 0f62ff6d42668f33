// xmtj 项目驾驶舱: the project table's filters and sorting. The page works without this file: the table is
// whole, in the order it was written. Nothing here fetches anything or writes anywhere.
"use strict";
(function () {
  function rows(table) { return Array.prototype.slice.call(table.tBodies[0].rows); }

  function key(cell, kind) {
    if (kind === "text") { return cell.textContent.trim(); }
    var v = cell.getAttribute("data-value");
    return v === null || v === "" ? null : parseFloat(v);
  }

  function sortBy(table, index, kind, th) {
    var descending = th.getAttribute("aria-sort") === "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    var list = rows(table).map(function (r) { return [key(r.cells[index], kind), r]; });
    list.sort(function (a, b) {
      if (a[0] === b[0]) { return 0; }
      if (a[0] === null) { return 1; }
      if (b[0] === null) { return -1; }
      var order = kind === "text" ? String(a[0]).localeCompare(String(b[0]), "zh-CN") : a[0] - b[0];
      return descending ? -order : order;
    });
    var body = table.tBodies[0];
    list.forEach(function (pair) { body.appendChild(pair[1]); });
  }

  function sortable(table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      var kind = th.getAttribute("data-sort");
      if (!kind) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = th.textContent;
      button.title = "按" + th.textContent + "排序";
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, index, kind === "light" ? "number" : kind, th); });
    });
  }

  function filter(form, table) {
    var shown = 0;
    var want = {};
    ["light", "branch", "stage", "level"].forEach(function (name) { want[name] = form.elements[name].value; });
    var text = form.elements.text.value.trim().toLowerCase();
    rows(table).forEach(function (r) {
      var ok = (!want.light || r.getAttribute("data-light") === want.light) &&
        (!want.branch || r.getAttribute("data-branch") === want.branch) &&
        (!want.stage || r.getAttribute("data-stage") === want.stage) &&
        (!want.level || r.getAttribute("data-level").split("|").indexOf(want.level) >= 0) &&
        (!text || r.textContent.toLowerCase().indexOf(text) >= 0);
      r.hidden = !ok;
      if (ok) { shown += 1; }
    });
    form.elements.count.value = "显示" + shown + "个项目";
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), sortable);
    var form = document.getElementById("filters");
    var table = document.querySelector("table.projects");
    if (form && table) {
      form.hidden = false;
      // a link may choose the filters: projects.html#light=红灯&branch=…
      new URLSearchParams(location.hash.slice(1)).forEach(function (value, name) {
        var field = form.elements[name];
        if (field && name !== "count") { field.value = value; }
      });
      form.addEventListener("input", function () { filter(form, table); });
      form.addEventListener("submit", function (e) { e.preventDefault(); });
      filter(form, table);
    }
  });
})();
