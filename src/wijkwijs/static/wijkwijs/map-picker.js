/*
 * Wijkwijs point picker (EUPL-1.2). Load after map.js; plain ES2017, no build step.
 *
 *   <div class="ww-map ww-map--picker" data-target-lon="id_lon" data-target-lat="id_lat"
 *        data-target-area="id_area"   optional: gets the code of the area under the point
 *        data-geojson-url="..."       optional context areas (or data-geojson-script)
 *        data-center="51.76,5.52" data-zoom="13"   used when there are no areas
 *        data-submit-on-pick="form-id"   optional: submit that form after each pick
 *        data-code-property="code" data-label-property="name"></div>
 *
 * A click, or Enter/space on the focused map (the map centre; arrow keys pan), sets the
 * inputs (6 decimals, fires "change"), shows a marker and announces the choice in a
 * role="status" line after the map. Existing input values show a marker on load.
 */
(function () {
  "use strict";

  var M = window.Wijkwijs && window.Wijkwijs.map;
  if (!M || typeof L === "undefined") return;

  function ringContains(ring, x, y) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  }

  function polygonContains(rings, x, y) {
    if (!ringContains(rings[0], x, y)) return false;
    for (var h = 1; h < rings.length; h++) {
      if (ringContains(rings[h], x, y)) return false;
    }
    return true;
  }

  /** True if the GeoJSON (Multi)Polygon geometry contains the point lon/lat. */
  function geometryContains(geometry, lon, lat) {
    if (!geometry) return false;
    if (geometry.type === "Polygon") return polygonContains(geometry.coordinates, lon, lat);
    if (geometry.type === "MultiPolygon") {
      return geometry.coordinates.some(function (p) { return polygonContains(p, lon, lat); });
    }
    return false;
  }

  function initPicker(el, map, data) {
    var cssVar = M.internal.cssVar;
    var finiteNumber = M.internal.finiteNumber;
    var STRINGS = M.strings;
    var FALLBACK_COLOURS = M.internal.fallbackColours;
    var lonInput = document.getElementById(el.dataset.targetLon || "");
    var latInput = document.getElementById(el.dataset.targetLat || "");
    var areaInput = el.dataset.targetArea ? document.getElementById(el.dataset.targetArea) : null;
    var codeProp = el.dataset.codeProperty || "code";
    var labelProp = el.dataset.labelProperty || "name";
    var features = (data && data.features) || [];
    var marker = null;

    var status = document.createElement("p");
    status.className = "ww-map__status";
    status.setAttribute("role", "status");
    el.insertAdjacentElement("afterend", status);

    if (data) {
      var ctx = L.geoJSON(data, {
        interactive: false,
        style: function () {
          return {
            color: cssVar(el, "--ww-map-outline", "#4d4d4d"), weight: 1,
            fillColor: cssVar(el, "--ww-map-class-0", FALLBACK_COLOURS[0]), fillOpacity: 0.6,
          };
        },
      }).addTo(map);
      if (ctx.getBounds().isValid()) map.fitBounds(ctx.getBounds(), { padding: [12, 12] });
    }
    if (!data || features.length === 0) {
      var c = (el.dataset.center || "52.1,5.3").split(",").map(Number);
      map.setView([c[0], c[1]], Number(el.dataset.zoom) || 7);
    }

    function set(latlng, fromInputs) {
      var lat = Math.round(latlng.lat * 1e6) / 1e6;
      var lon = Math.round(latlng.lng * 1e6) / 1e6;
      if (!marker) {
        marker = L.marker([lat, lon], { keyboard: false, title: STRINGS.chosen, alt: STRINGS.chosen }).addTo(map);
      } else {
        marker.setLatLng([lat, lon]);
      }
      var area = null;
      for (var i = 0; i < features.length; i++) {
        if (geometryContains(features[i].geometry, lon, lat)) { area = features[i].properties || {}; break; }
      }
      if (!fromInputs) {
        [[lonInput, lon], [latInput, lat], [areaInput, area ? area[codeProp] : ""]].forEach(function (pair) {
          if (!pair[0]) return;
          pair[0].value = pair[1] === undefined || pair[1] === null ? "" : String(pair[1]);
          pair[0].dispatchEvent(new Event("change", { bubbles: true }));
        });
      }
      if (!fromInputs && el.dataset.submitOnPick) {
        var form = document.getElementById(el.dataset.submitOnPick);
        if (form) {
          if (form.requestSubmit) form.requestSubmit(); else form.submit();
        }
      }
      var where = area && area[labelProp] ? " " + STRINGS.chosenIn + " " + area[labelProp] : "";
      status.textContent = STRINGS.chosen + where + " (" + lat.toFixed(5) + ", " + lon.toFixed(5) + ")";
    }

    var lat0 = latInput ? finiteNumber(latInput.value) : null;
    var lon0 = lonInput ? finiteNumber(lonInput.value) : null;
    if (lat0 !== null && lon0 !== null) set(L.latLng(lat0, lon0), true);

    map.on("click", function (ev) { set(ev.latlng, false); });
    el.addEventListener("keydown", function (ev) {
      if (ev.target !== el) return;
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); set(map.getCenter(), false); }
    });
  }

  M.registerMode("picker", initPicker);
  M.geometryContains = geometryContains;
})();
