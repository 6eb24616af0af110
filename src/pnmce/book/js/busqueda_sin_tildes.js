// Accent-blind search (pnmce.book.search_es): each query word is folded and stemmed exactly as
// the index was built, so «exportacion», «exportación» and «EXPORTACIÓN» find the same pages.
var PNMCE_PLEGADO = {"á": "a", "à": "a", "ä": "a", "â": "a", "é": "e", "è": "e", "ë": "e", "ê": "e",
  "í": "i", "ì": "i", "ï": "i", "î": "i", "ó": "o", "ò": "o", "ö": "o", "ô": "o",
  "ú": "u", "ù": "u", "ü": "u", "û": "u"};
function pnmcePlegar(palabra) {
  return palabra.normalize("NFC").toLowerCase().replace(/[áàäâéèëêíìïîóòöôúùüû]/g, function (c) {
    return PNMCE_PLEGADO[c];
  });
}
Stemmer = function () {
  var espanol = new SpanishStemmer();
  this.stemWord = function (palabra) {
    return pnmcePlegar(espanol.stemWord(pnmcePlegar(palabra).replace(/([cs])ion$/, "$1ión")));
  };
};
// The whole query is folded too: Sphinx also matches the query as typed against page titles and
// object names, which made «exportacion» find one page more than «exportación».
if (typeof Search !== "undefined" && Search.performSearch) {
  Search.performSearch = (function (search) {
    return function (query) {
      return search(pnmcePlegar(query));
    };
  })(Search.performSearch);
}
