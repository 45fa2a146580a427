/*
 * Participatory budgeting maps (EUPL-1.2): after map.js has drawn the round's area, mark the
 * place of one proposal (data-pb-point="lon,lat", data-pb-point-label="title").
 * The proposals map itself needs nothing extra: its GeoJSON has the proposals as points.
 */
(function () {
  "use strict";
  document.addEventListener("wijkwijs:map-ready", function (ev) {
    var el = ev.target;
    var map = ev.detail && ev.detail.map;
    if (!map || !el.dataset.pbPoint || typeof L === "undefined") return;
    var parts = el.dataset.pbPoint.split(",").map(Number);
    if (parts.length !== 2 || !isFinite(parts[0]) || !isFinite(parts[1])) return;
    var label = el.dataset.pbPointLabel || "";
    L.marker([parts[1], parts[0]], { alt: label, title: label, keyboard: false }).addTo(map);
    map.setView([parts[1], parts[0]], Math.max(map.getZoom(), 15));
  });
})();
