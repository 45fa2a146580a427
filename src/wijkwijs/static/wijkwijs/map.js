/*
 * Wijkwijs maps (EUPL-1.2). Plain ES2017, no build step; needs the global `L` from the
 * vendored Leaflet. Progressive enhancement: every map sits next to a table that carries
 * the same information, so without JavaScript (or without Leaflet) nothing is lost.
 *
 * Area map:
 *   <div class="ww-map" aria-label="Kaart van de wijken"
 *        data-geojson-url="/api/..."            (or data-geojson-script="<id of json_script>")
 *        data-highlight="WK082801"             area code(s) to outline, comma-separated
 *        data-choropleth-property="value"      numeric property that sets the fill colour
 *        data-class-property="class"           optional: class index given by the server
 *        data-class-label-property="class_label"  optional: legend label for that class
 *        data-classes="5"                      number of quantile classes (2..5)
 *        data-group-property="cluster"        optional: categories (legend per value)
 *        data-fill-property="fill"             a feature's own colour, used when no
 *                                              choropleth is set (default "fill")
 *        data-legend-title="Inwoners"  data-unit="%"
 *        data-disagree-label / data-highlight-label / data-no-data-label   legend texts
 *        data-link-template="/gebieden/{code}" any {property} is filled in
 *        data-label-property="name"  data-code-property="code"
 *        data-tile-url="..." data-tile-attribution="..."   optional background tiles
 *        data-leaflet-images="/static/vendor/leaflet/images/"></div>
 * Features with the property `disagree: true` get a hatched fill and a dashed outline
 * ("compare" mode).
 *
 * Point picker (.ww-map--picker): see map-picker.js, loaded after this file.
 *
 * When ready a map has data-state="ready" (or "error"); tests wait for that.
 * Maps inside content swapped in by htmx are set up on the htmx:load event.
 */
(function () {
  "use strict";

  var STRINGS = Object.assign(
    {
      mapLabel: "Kaart",
      pickerLabel: "Kaart om een locatie te kiezen. Klik op de kaart, of gebruik de pijltjestoetsen en druk op Enter om het midden te kiezen.",
      loadError: "De kaart kon niet worden geladen. De gegevens staan ook in de tabel op deze pagina.",
      noData: "Geen gegevens",
      highlight: "Geselecteerd gebied",
      disagree: "Wijkt af",
      chosen: "Gekozen locatie",
      chosenIn: "in",
      zoomIn: "Inzoomen",
      zoomOut: "Uitzoomen",
    },
    window.WIJKWIJS_MAP_STRINGS || {}
  );

  var FALLBACK_COLOURS = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"];
  // Okabe-Ito: distinguishable with colour-vision deficiencies.
  var CATEGORICAL = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999"];
  var SCRIPT = document.currentScript;

  /* ---- pure helpers (exposed on window.Wijkwijs.map for tests) ---------------------- */

  function finiteNumber(value) {
    if (value === null || value === undefined || value === "") return null;
    var n = typeof value === "number" ? value : Number(value);
    return Number.isFinite(n) ? n : null;
  }

  /** Upper bounds of `classes` quantile classes (last = max); duplicates removed. */
  function quantileBreaks(values, classes) {
    var sorted = values.map(finiteNumber).filter(function (v) { return v !== null; });
    sorted.sort(function (a, b) { return a - b; });
    if (sorted.length === 0) return [];
    var k = Math.max(1, Math.min(classes || 5, sorted.length));
    var breaks = [];
    for (var i = 1; i <= k; i++) {
      var idx = Math.min(sorted.length - 1, Math.ceil((i * sorted.length) / k) - 1);
      var b = sorted[idx];
      if (breaks.length === 0 || b > breaks[breaks.length - 1]) breaks.push(b);
    }
    return breaks;
  }

  /** Index of the class a value falls in (value <= break), or -1 for no data. */
  function classIndex(value, breaks) {
    var v = finiteNumber(value);
    if (v === null || breaks.length === 0) return -1;
    for (var i = 0; i < breaks.length; i++) {
      if (v <= breaks[i]) return i;
    }
    return breaks.length - 1;
  }

  /** n colours spread over the palette (n <= palette length). */
  function spreadColours(palette, n) {
    if (n <= 1) return [palette[Math.floor(palette.length / 2)]];
    if (n >= palette.length) return palette.slice();
    var out = [];
    for (var i = 0; i < n; i++) {
      out.push(palette[Math.round((i * (palette.length - 1)) / (n - 1))]);
    }
    return out;
  }

  function formatNumber(value) {
    var v = finiteNumber(value);
    if (v === null) return "";
    var digits = Math.abs(v) >= 100 || Number.isInteger(v) ? 0 : 1;
    return new Intl.NumberFormat("nl-NL", { maximumFractionDigits: digits }).format(v);
  }

  function fillTemplate(template, properties) {
    return template.replace(/\{([A-Za-z0-9_]+)\}/g, function (_, key) {
      var v = properties[key];
      return v === undefined || v === null ? "" : encodeURIComponent(String(v));
    });
  }

  /* ---- DOM helpers ---------------------------------------------------------------- */

  /** Text for key: data-<key>-label on the map element, else STRINGS[key]. */
  function text(el, key) {
    return el.dataset[key + "Label"] || STRINGS[key];
  }

  var COLOUR_RE = /^(#[0-9a-f]{3,8}|rgba?\([0-9., %]+\))$/i;

  /** The feature's own fill colour (data-fill-property, default "fill"), if valid. */
  function ownFill(el, properties) {
    var v = properties[el.dataset.fillProperty || "fill"];
    return typeof v === "string" && COLOUR_RE.test(v.trim()) ? v.trim() : null;
  }

  function cssVar(el, name, fallback) {
    var v = getComputedStyle(el).getPropertyValue(name).trim();
    return v || fallback;
  }

  function palette(el) {
    return FALLBACK_COLOURS.map(function (c, i) { return cssVar(el, "--ww-map-class-" + i, c); });
  }

  function imagesPath(el) {
    var p = el.dataset.leafletImages || (SCRIPT && SCRIPT.dataset.leafletImages) || "";
    if (p && p.charAt(p.length - 1) !== "/") p += "/";
    return p;
  }

  function ensureHatchPattern() {
    if (document.getElementById("ww-map-hatch")) return;
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("width", "0");
    svg.setAttribute("height", "0");
    svg.style.position = "absolute";
    var pattern = document.createElementNS(ns, "pattern");
    pattern.setAttribute("id", "ww-map-hatch");
    pattern.setAttribute("patternUnits", "userSpaceOnUse");
    pattern.setAttribute("width", "8");
    pattern.setAttribute("height", "8");
    pattern.setAttribute("patternTransform", "rotate(45)");
    var line = document.createElementNS(ns, "rect");
    line.setAttribute("width", "2");
    line.setAttribute("height", "8");
    line.setAttribute("fill", "#1a1a1a");
    line.setAttribute("fill-opacity", "0.75");
    pattern.appendChild(line);
    var defs = document.createElementNS(ns, "defs");
    defs.appendChild(pattern);
    svg.appendChild(defs);
    document.body.appendChild(svg);
  }

  function loadGeoJSON(el) {
    var scriptId = el.dataset.geojsonScript;
    if (scriptId) {
      var node = document.getElementById(scriptId);
      if (!node) return Promise.reject(new Error("no element #" + scriptId));
      return Promise.resolve(JSON.parse(node.textContent));
    }
    var url = el.dataset.geojsonUrl;
    if (!url) return Promise.resolve(null);
    return fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "application/geo+json, application/json" },
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status + " for " + url);
      return response.json();
    });
  }

  function showMessage(el, text) {
    var msg = document.createElement("p");
    msg.className = "ww-map__message";
    msg.textContent = text;
    el.appendChild(msg);
  }

  function createMap(el) {
    var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var tileUrl = el.dataset.tileUrl;
    var map = L.map(el, {
      zoomSnap: 0.25,
      scrollWheelZoom: false,
      attributionControl: Boolean(tileUrl),
      zoomControl: false,
      zoomAnimation: !reduced,
      fadeAnimation: !reduced,
      markerZoomAnimation: !reduced,
    });
    L.control.zoom({ zoomInTitle: STRINGS.zoomIn, zoomOutTitle: STRINGS.zoomOut }).addTo(map);
    if (tileUrl) {
      L.tileLayer(tileUrl, { attribution: el.dataset.tileAttribution || "", maxZoom: 19 }).addTo(map);
    }
    return map;
  }

  /* ---- choropleth ------------------------------------------------------------------- */

  function buildClasses(el, features) {
    var colours = palette(el);
    var classProp = el.dataset.classProperty;
    var valueProp = el.dataset.choroplethProperty;
    var groupProp = el.dataset.groupProperty;
    var unit = el.dataset.unit || "";
    if (groupProp) {
      // Categories (e.g. clusters): colour from the features' own fill, else Okabe-Ito.
      var groups = [];
      var groupColours = [];
      features.forEach(function (f) {
        var g = f.properties[groupProp];
        if (g === undefined || g === null || g === "" || groups.indexOf(String(g)) >= 0) return;
        groups.push(String(g));
        groupColours.push(ownFill(el, f.properties) || CATEGORICAL[(groups.length - 1) % CATEGORICAL.length]);
      });
      return {
        indexOf: function (p) { return groups.indexOf(String(p[groupProp])); },
        colours: groupColours,
        labels: groups,
      };
    }
    if (classProp) {
      var labelProp = el.dataset.classLabelProperty || "class_label";
      var seen = {};
      features.forEach(function (f) {
        var c = finiteNumber(f.properties[classProp]);
        if (c !== null && !(c in seen)) seen[c] = f.properties[labelProp] || String(c + 1);
      });
      var keys = Object.keys(seen).map(Number).sort(function (a, b) { return a - b; });
      var cols = spreadColours(colours, keys.length);
      return {
        indexOf: function (p) { return keys.indexOf(finiteNumber(p[classProp])); },
        colours: cols,
        labels: keys.map(function (k) { return seen[k]; }),
      };
    }
    if (valueProp) {
      var values = features.map(function (f) { return f.properties[valueProp]; });
      var breaks = quantileBreaks(values, Number(el.dataset.classes) || 5);
      var min = Math.min.apply(null, values.map(finiteNumber).filter(function (v) { return v !== null; }));
      var labels = breaks.map(function (b, i) {
        var lo = i === 0 ? min : breaks[i - 1];
        if (i === 0) return lo === b ? formatNumber(b) + unit : formatNumber(lo) + " – " + formatNumber(b) + unit;
        return "> " + formatNumber(lo) + " – " + formatNumber(b) + unit;
      });
      return {
        indexOf: function (p) { return classIndex(p[valueProp], breaks); },
        colours: spreadColours(colours, breaks.length),
        labels: labels,
      };
    }
    return null;
  }

  /** Legend below the map (in the page flow, so it never hides areas). */
  function buildLegend(el, classes, flags) {
    var div = document.createElement("div");
    div.className = "ww-legend ww-legend--map";
    if (el.id) div.id = el.id + "-legend";
    if (el.dataset.legendTitle) {
      var title = document.createElement("p");
      title.className = "ww-legend__title";
      title.textContent = el.dataset.legendTitle;
      div.appendChild(title);
    }
    var list = document.createElement("ul");
    list.className = "ww-legend__list";
    div.appendChild(list);
    function item(text, swatchClass, colour) {
      var li = document.createElement("li");
      li.className = "ww-legend__item";
      var sw = document.createElement("span");
      sw.className = "ww-legend__swatch " + (swatchClass || "");
      sw.setAttribute("aria-hidden", "true");
      if (colour) sw.style.backgroundColor = colour;
      li.appendChild(sw);
      li.appendChild(document.createTextNode(text));
      list.appendChild(li);
    }
    if (classes) {
      classes.labels.forEach(function (label, i) { item(label, "", classes.colours[i]); });
      if (flags.noData) item(text(el, "noData"), "", cssVar(el, "--ww-map-no-data", "#d9d9d9"));
    }
    if (flags.highlight) item(text(el, "highlight"), "ww-legend__swatch--highlight");
    if (flags.disagree) item(text(el, "disagree"), "ww-legend__swatch--disagree");
    return div;
  }

  /** Name and detail lines (value, group, "differs") of a feature, for tooltip and label. */
  function describe(el, properties) {
    var name = properties[el.dataset.labelProperty || "name"];
    var details = [];
    var valueProp = el.dataset.choroplethProperty;
    if (valueProp) {
      var v = finiteNumber(properties[valueProp]);
      details.push(v === null ? text(el, "noData") : formatNumber(v) + (el.dataset.unit || ""));
    }
    var group = el.dataset.groupProperty ? properties[el.dataset.groupProperty] : null;
    if (group !== null && group !== undefined && group !== "") details.push(String(group));
    if (properties.disagree === true) details.push(text(el, "disagree"));
    return { name: name === undefined || name === null ? "" : String(name), details: details };
  }

  function tooltipHtml(el, properties) {
    var d = describe(el, properties);
    var wrap = document.createElement("div");
    var strong = document.createElement("strong");
    strong.textContent = d.name;
    wrap.appendChild(strong);
    if (d.details.length) {
      var line = document.createElement("span");
      line.textContent = d.details.join(" · ");
      wrap.appendChild(line);
    }
    return wrap;
  }

  function accessibleName(el, properties) {
    var d = describe(el, properties);
    return [d.name].concat(d.details).filter(Boolean).join(", ");
  }

  function initAreaMap(el, map, data) {
    var features = (data && data.features) || [];
    var codeProp = el.dataset.codeProperty || "code";
    var highlight = (el.dataset.highlight || "").split(",").map(function (s) { return s.trim(); }).filter(Boolean);
    var linkTemplate = el.dataset.linkTemplate;
    var classes = buildClasses(el, features);
    var outline = cssVar(el, "--ww-map-outline", "#4d4d4d");
    var highlightColour = cssVar(el, "--ww-map-highlight", "#d4351c");
    var disagreeColour = cssVar(el, "--ww-map-disagree", "#1a1a1a");
    var noDataColour = cssVar(el, "--ww-map-no-data", "#d9d9d9");
    var defaultFill = cssVar(el, "--ww-map-class-1", FALLBACK_COLOURS[1]);
    var flags = { noData: false, highlight: false, disagree: false };

    function style(feature) {
      var p = feature.properties || {};
      var fill = ownFill(el, p) || defaultFill;
      if (classes) {
        var i = classes.indexOf(p);
        if (i < 0) { fill = noDataColour; flags.noData = true; } else { fill = classes.colours[i]; }
      }
      var s = { color: outline, weight: 1, opacity: 1, fillColor: fill, fillOpacity: 0.85 };
      if (p.disagree === true) {
        s.color = disagreeColour; s.weight = 3; s.dashArray = "6 4"; flags.disagree = true;
      }
      if (highlight.indexOf(String(p[codeProp])) >= 0) {
        s.color = highlightColour; s.weight = 4; s.dashArray = null; flags.highlight = true;
      }
      return s;
    }

    var highlighted = [];
    var layer = L.geoJSON(data, {
      style: style,
      onEachFeature: function (feature, lyr) {
        var p = feature.properties || {};
        lyr.bindTooltip(tooltipHtml(el, p), { sticky: true, className: "ww-map-tooltip", direction: "top" });
        if (highlight.indexOf(String(p[codeProp])) >= 0) highlighted.push(lyr);
        if (linkTemplate) {
          var href = fillTemplate(linkTemplate, p);
          lyr.on("click", function () { window.location.assign(href); });
          lyr.on("add", function () {
            var path = lyr.getElement();
            if (!path) return;
            path.classList.add("ww-map-area--link");
            path.setAttribute("tabindex", "0");
            path.setAttribute("role", "link");
            path.setAttribute("aria-label", accessibleName(el, p));
            path.addEventListener("focus", function () { lyr.openTooltip(lyr.getBounds().getCenter()); });
            path.addEventListener("blur", function () { lyr.closeTooltip(); });
            path.addEventListener("keydown", function (ev) {
              if (ev.key === "Enter") { ev.preventDefault(); window.location.assign(href); }
            });
          });
        }
      },
    }).addTo(map);

    if (flags.disagree) {
      ensureHatchPattern();
      L.geoJSON(data, {
        filter: function (f) { return f.properties && f.properties.disagree === true; },
        interactive: false,
        style: function () {
          // app.css fills these with the #ww-map-hatch pattern; the fill here is the fallback.
          return { stroke: false, fillOpacity: 0.35, fillColor: disagreeColour, className: "ww-map-area--hatch" };
        },
      }).addTo(map);
      layer.bringToFront();
    }
    highlighted.forEach(function (l) { l.bringToFront(); });

    var bounds = layer.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [12, 12] });
    else map.setView([52.1, 5.3], 7);
    if (classes || flags.highlight || flags.disagree) {
      el.insertAdjacentElement("afterend", buildLegend(el, classes, flags));
    }
    return layer;
  }

  /* ---- set-up ------------------------------------------------------------------------ */

  function init(el) {
    if (el.dataset.state) return; // already done
    el.dataset.state = "loading";
    var picker = el.classList.contains("ww-map--picker");
    if (!el.hasAttribute("role")) el.setAttribute("role", "region");
    if (!el.hasAttribute("aria-label") && !el.hasAttribute("aria-labelledby")) {
      el.setAttribute("aria-label", picker ? STRINGS.pickerLabel : STRINGS.mapLabel);
    }
    var path = imagesPath(el);
    if (path) L.Icon.Default.imagePath = path;
    var setUp = MODES[picker ? "picker" : "area"];
    if (!setUp) {
      el.dataset.state = "error";
      if (window.console) console.error("wijkwijs map: load map-picker.js for .ww-map--picker");
      return null;
    }
    var map = createMap(el);
    el.wijkwijsMap = map;
    return loadGeoJSON(el)
      .then(function (data) {
        setUp(el, map, data);
        el.dataset.state = "ready";
        el.dispatchEvent(new CustomEvent("wijkwijs:map-ready", { bubbles: true, detail: { map: map } }));
      })
      .catch(function (err) {
        el.dataset.state = "error";
        showMessage(el, STRINGS.loadError);
        if (window.console) console.error("wijkwijs map:", err);
      });
  }

  var MODES = { area: initAreaMap };

  function initAll(root) {
    if (typeof L === "undefined") return [];
    var scope = root && root.querySelectorAll ? root : document;
    var els = Array.prototype.slice.call(scope.querySelectorAll(".ww-map"));
    if (scope.classList && scope.classList.contains("ww-map")) els.unshift(scope);
    return els.map(init);
  }

  window.Wijkwijs = window.Wijkwijs || {};
  window.Wijkwijs.map = {
    initAll: initAll,
    quantileBreaks: quantileBreaks,
    classIndex: classIndex,
    spreadColours: spreadColours,
    formatNumber: formatNumber,
    fillTemplate: fillTemplate,
    strings: STRINGS,
    registerMode: function (name, setUp) { MODES[name] = setUp; },
    internal: { cssVar: cssVar, finiteNumber: finiteNumber, fallbackColours: FALLBACK_COLOURS },
  };

  // Start after the whole document (and map-picker.js, loaded after this file) is there.
  if (document.readyState === "complete") {
    initAll(document);
  } else {
    document.addEventListener("DOMContentLoaded", function () { initAll(document); });
    window.addEventListener("load", function () { initAll(document); });
  }
  document.addEventListener("htmx:load", function (ev) { initAll(ev.detail && ev.detail.elt); });
})();
