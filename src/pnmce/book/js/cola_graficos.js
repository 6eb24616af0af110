// Charts wait for the Vega bundle (pnmce.book.light_pages): the bundle loads with `defer`, after
// the page has been parsed, while each chart calls `vegaEmbed` where it stands. Until the bundle
// arrives, `vegaEmbed` queues the call; `_static/graficos.js` draws the queued charts.
window.pnmceGraficos = [];
window.vegaEmbed = function (el, spec, opts) {
  return new Promise(function (resolve, reject) {
    window.pnmceGraficos.push([el, spec, opts, resolve, reject]);
  });
};
