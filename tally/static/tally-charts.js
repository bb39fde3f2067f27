/* Draws every chart on a page from its inert JSON spec, with the vega bundle
   served from this book's own _static folder (tally/sphinx.py adds both files
   to pages that contain charts). No other host is contacted. */
(function () {
  "use strict";
  var options = {
    renderer: "svg",
    actions: { export: true, source: false, compiled: false, editor: false },
  };
  // vega-embed's "..." export menu is a <summary> holding only an icon: give it a name.
  function nameMenu(el) {
    var summary = el.querySelector("details > summary");
    if (summary) { summary.setAttribute("aria-label", "Export this chart (SVG or PNG)"); }
  }
  function draw(el) {
    var specEl = document.getElementById(el.id + "-spec");
    if (!specEl) { console.error("chart " + el.id + ": spec not found"); return; }
    var opts = Object.assign({ downloadFileName: el.id.replace(/^fig-/, "") }, options);
    window.vegaEmbed(el, JSON.parse(specEl.textContent), opts)
      .then(function (result) { nameMenu(el); el.setAttribute("data-rendered", "true"); el.vegaView = result.view; })
      .catch(function (err) { console.error("chart " + el.id + ": " + err); });
  }
  function drawAll() {
    if (typeof window.vegaEmbed !== "function") { console.error("vega bundle not loaded"); return; }
    document.querySelectorAll(".tally-chart").forEach(draw);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", drawAll); }
  else { drawAll(); }
})();
