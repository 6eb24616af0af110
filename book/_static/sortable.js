/* Click a header of a table with class "sortable" to sort by that column (again to reverse).
   Numbers written the Peruvian way (23 237,5) sort as numbers. No network, no dependencies. */
(function () {
  function key(cell) {
    var text = (cell.getAttribute("data-sort") || cell.textContent || "").trim();
    var num = text.replace(/[\s\u00a0%]/g, "").replace(/\((\d{4})\)$/, "").replace(",", ".");
    return /^-?\d+(\.\d+)?$/.test(num) ? [0, parseFloat(num)] : [1, text.toLowerCase()];
  }
  function sortBy(table, index, th) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var asc = th.getAttribute("aria-sort") !== "ascending";
    rows.sort(function (a, b) {
      var x = key(a.cells[index]), y = key(b.cells[index]);
      var r = x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0);
      return asc ? r : -r;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("table.sortable").forEach(function (table) {
      if (!table.tHead) return;
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
        th.style.cursor = "pointer";
        th.title = "Ordenar";
        th.addEventListener("click", function () { sortBy(table, i, th); });
      });
    });
  });
})();
