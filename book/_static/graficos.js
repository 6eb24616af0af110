// Draws the charts queued before the Vega bundle arrived (pnmce.book.light_pages). Loaded with
// `defer` right after vega-bundle.js, which replaced the queueing `vegaEmbed` with Vega's.
// A chart wider than its column scrolls sideways: it then takes the keyboard's focus, so that
// it can be scrolled without a mouse (WCAG 2.1.1), and loses it again when it fits.
(function () {
  function focusable() {
    document.querySelectorAll("figure.pnmce-chart").forEach(function (figure) {
      if (figure.scrollWidth > figure.clientWidth) {
        figure.setAttribute("tabindex", "0");
      } else {
        figure.removeAttribute("tabindex");
      }
    });
  }
  var queued = window.pnmceGraficos || [];
  window.pnmceGraficos = [];
  Promise.allSettled(queued.map(function (call) {
    return window.vegaEmbed(call[0], call[1], call[2]).then(call[3], call[4]);
  })).then(focusable);
  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(focusable, 200);
  });
})();
