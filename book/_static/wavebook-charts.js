/* Draw every wavebook chart on the page with the vendored Vega bundle (no network).
   The bundle (about 900 KB) is loaded only on pages that hold a chart. */
(function () {
  "use strict";
  var here = document.currentScript && document.currentScript.src;
  function draw() {
    var charts = document.querySelectorAll(".wavebook-chart");
    charts.forEach(function (el) {
      var specNode = el.parentNode.querySelector("script.wavebook-chart-spec");
      if (!specNode || el.dataset.drawn) { return; }
      el.dataset.drawn = "1";
      var spec = JSON.parse(specNode.textContent);
      window.vegaEmbed(el, spec, { actions: false, renderer: "svg" }).catch(function (err) {
        el.textContent = "This chart could not be drawn: " + err;
      });
    });
  }
  function start() {
    if (!document.querySelector(".wavebook-chart")) { return; }
    if (window.vegaEmbed) { draw(); return; }
    var script = document.createElement("script");
    script.src = new URL("../_vendor/vega/vega-bundle.js", here).href;
    script.onload = draw;
    document.head.appendChild(script);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
