/* The ratings map: draw /-/map.geojson with Leaflet (served locally, no tiles, no CDN), colour
   each area by its rating, count the legend, and open an area's page when it is clicked. Areas
   that existed but cannot be drawn are listed, with the older areas under them shaded.
   A module: datasette-leaflet ships Leaflet as an ES module, imported from data-leaflet. */
var element = document.getElementById("stp-map");
var status = document.getElementById("stp-map-status");
if (element) {
  import(element.getAttribute("data-leaflet"))
    .then(draw)
    .catch(function (error) {
      status.textContent = "Could not load the map: " + error.message;
    });
}

function draw(L) {
  var map = L.map(element, { zoomSnap: 0.25, attributionControl: true });
  map.attributionControl.setPrefix(false);
  map.setView([52.8, -1.6], 6);

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function tooltip(properties) {
    var lines = ["<strong>" + escapeHtml(properties.name) + "</strong> (" + escapeHtml(properties.code) + ")",
                 escapeHtml(properties.rating)];
    if (properties.ratings.length > 1) {
      properties.ratings.forEach(function (r) {
        lines.push("<span class=\"stp-muted\">" + escapeHtml(r.source) + ": " + escapeHtml(r.rating) +
                   " from " + escapeHtml(r.valid_from) + "</span>");
      });
    } else if (properties.ratings.length === 1) {
      lines.push("<span class=\"stp-muted\">" + escapeHtml(properties.ratings[0].source) + ", from " +
                 escapeHtml(properties.ratings[0].valid_from) + "</span>");
    }
    return lines.join("<br>");
  }

  fetch(element.getAttribute("data-geojson"), { headers: { Accept: "application/geo+json" } })
    .then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    })
    .then(function (data) {
      if (data.attribution) {
        map.attributionControl.addAttribution(escapeHtml(data.attribution));
        document.getElementById("stp-map-credit").textContent = data.attribution;
      }
      var context = L.geoJSON(data.context, {
        style: function () {
          return { color: "#777", weight: 1, dashArray: "4 3", fillColor: "#dddddd",
                   fillOpacity: 0.6, className: "stp-context" };
        },
        onEachFeature: function (feature, featureLayer) {
          var p = feature.properties;
          featureLayer.bindTooltip("<strong>" + escapeHtml(p.name) + "</strong> (" + escapeHtml(p.code) +
            ")<br><span class=\"stp-muted\">until " + escapeHtml(p.until) +
            "; now part of areas that cannot be drawn</span>", { sticky: true });
          featureLayer.on("click", function () { window.location.href = p.url; });
        }
      }).addTo(map);
      var notDrawn = document.getElementById("stp-not-drawn");
      if (data.not_drawn.length) {
        var list = notDrawn.querySelector("ul");
        data.not_drawn.forEach(function (area) {
          var item = document.createElement("li");
          var link = document.createElement("a");
          link.href = area.url;
          link.textContent = area.name + " (" + area.code + ")";
          item.appendChild(link);
          item.appendChild(document.createTextNode(" — " + area.rating + ": " + area.reason + "."));
          list.appendChild(item);
        });
        notDrawn.style.display = "block";
      }
      var counts = {};
      var layers = {};
      var layer = L.geoJSON(data, {
        style: function (feature) {
          return { color: "#444", weight: 1, fillColor: feature.properties.colour, fillOpacity: 0.85,
                   className: "stp-area stp-area-" + feature.properties.code };
        },
        onEachFeature: function (feature, featureLayer) {
          var p = feature.properties;
          counts[p.rating] = (counts[p.rating] || 0) + 1;
          layers[p.code] = featureLayer;
          featureLayer.bindTooltip(tooltip(p), { sticky: true });
          featureLayer.on("click", function () { window.location.href = p.url; });
          featureLayer.on("mouseover", function () { featureLayer.setStyle({ weight: 3 }); });
          featureLayer.on("mouseout", function () { featureLayer.setStyle({ weight: 1 }); });
        }
      }).addTo(map);
      document.querySelectorAll("#stp-legend li").forEach(function (item) {
        var n = counts[item.getAttribute("data-label")] || 0;
        item.querySelector(".stp-count").textContent = "(" + n + ")";
      });
      var focus = element.getAttribute("data-focus");
      if (focus && layers[focus]) {
        map.fitBounds(layers[focus].getBounds(), { padding: [40, 40] });
        layers[focus].openTooltip();
      } else if (data.features.length || data.context.features.length) {
        var bounds = layer.getBounds();
        if (data.context.features.length) { bounds.extend(context.getBounds()); }
        map.fitBounds(bounds, { padding: [10, 10] });
      }
      status.textContent = data.features.length + " areas (" + String(data.kind || "").toUpperCase() +
        ") coloured by their rating on " + data.as_of + "." +
        (data.not_drawn.length ? " " + data.not_drawn.length + " not drawn (listed below)." : "") +
        (data.unmapped ? " " + data.unmapped + " more existed with no boundary known." : "");
      element.setAttribute("data-loaded", "true");
    })
    .catch(function (error) {
      status.textContent = "Could not load the map data: " + error.message;
    });
}
