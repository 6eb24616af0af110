/* Edition switcher and banner (pnmce.edition.publish); data in _build/ediciones/versiones.js */
(function () {
  var EDITION = /*EDICION*/0;
  var me = document.currentScript && document.currentScript.src;
  if (!me) { return; }
  var book = new URL("..", me);  /* the book's root folder: _static/.. */
  /* _build/ediciones/AAAA/html/ reads the list two folders up; _build/html/ reads ../ediciones/ */
  var inEdition = /\/ediciones\/\d+\/html\/$/.test(book.pathname);
  var candidates = [new URL(inEdition ? "../../versiones.js" : "../ediciones/versiones.js", book)];
  function style() {
    var css = document.createElement("style");
    css.textContent = ".pnmce-ediciones{display:flex;gap:1rem;align-items:center;font-size:.9rem;margin:0 0 .75rem}" +
      ".pnmce-aviso-edicion{background:#fff3cd;border:1px solid #d9b84a;border-radius:4px;padding:.5rem .75rem;" +
      "margin:0 0 1rem}@media print{.pnmce-ediciones,.pnmce-aviso-edicion{display:none}}";
    document.head.appendChild(css);
  }
  function draw(list) {
    style();
    var latest = list.editions[list.editions.length - 1];
    var here = new URL(location.href);
    var page = here.href.indexOf(book.href) === 0 ? here.href.slice(book.href.length) : "index.html";
    var box = document.createElement("nav");
    box.className = "pnmce-ediciones";
    box.setAttribute("aria-label", "Ediciones");
    var label = document.createElement("label");
    label.textContent = "Edición ";
    var select = document.createElement("select");
    select.id = "pnmce-selector-edicion";
    list.editions.forEach(function (e) {
      var o = document.createElement("option");
      o.value = new URL(e.ruta + "/" + page, list.base).href;
      o.textContent = e.anio + (e.anio === latest.anio ? " (última)" : "");
      if (e.anio === EDITION) { o.selected = true; }
      select.appendChild(o);
    });
    select.addEventListener("change", function () { location.href = select.value; });
    label.appendChild(select);
    box.appendChild(label);
    var all = document.createElement("a");
    all.href = new URL("index.html", list.base).href;
    all.textContent = "Todas las ediciones";
    box.appendChild(all);
    var article = document.querySelector(".bd-article") || document.body;
    article.insertBefore(box, article.firstChild);
    if (latest.anio > EDITION) {
      var banner = document.createElement("div");
      banner.className = "pnmce-aviso-edicion";
      banner.setAttribute("role", "note");
      banner.appendChild(document.createTextNode("Esta es la edición " + EDITION +
        ". Hay una edición más reciente: "));
      var link = document.createElement("a");
      link.href = new URL(latest.ruta + "/index.html", list.base).href;
      link.textContent = "edición " + latest.anio;
      banner.appendChild(link);
      banner.appendChild(document.createTextNode("."));
      article.insertBefore(banner, article.firstChild);
    }
  }
  function load(i) {
    if (i >= candidates.length) { return; }
    var s = document.createElement("script");
    s.src = candidates[i].href;
    s.onload = function () {
      if (window.PNMCE_EDICIONES) {
        draw({editions: window.PNMCE_EDICIONES, base: new URL(".", s.src)});
      } else { load(i + 1); }
    };
    s.onerror = function () { load(i + 1); };
    document.head.appendChild(s);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { load(0); });
  } else { load(0); }
})();
