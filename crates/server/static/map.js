// Tessera maritime map: watched vessels, their tracks, watched areas and alerts.
// Leaflet draws on a canvas over the embedded Natural Earth basemap; every
// datum comes from the audited /api/maritime reads and is written as text.
"use strict";

(function () {
  const root = document.getElementById("maritime");
  const canvas = document.getElementById("map-canvas");
  if (!root || !canvas || typeof L === "undefined" || typeof topojson === "undefined") return;

  const csrf = root.dataset.csrf || "";
  const $ = (id) => document.getElementById(id);
  const statusLine = $("map-status-line");
  const errorLine = $("map-error");

  const KIND_LABELS = {
    gap: "AIS gap (going dark)",
    encounter: "Encounter at sea",
    loitering: "Loitering",
    short_stop: "Short stop (possible launch)",
    area_entry: "Entered a watched area",
    area_exit: "Left a watched area",
    identity_change: "Identity change",
    speed_jump: "Impossible speed or position jump",
    retracted: "Retracted",
  };
  const KIND_COLOURS = {
    gap: "#b3261e",
    encounter: "#7b1fa2",
    loitering: "#c25400",
    short_stop: "#d81b60",
    area_entry: "#2e7d32",
    area_exit: "#558b2f",
    identity_change: "#1565c0",
    speed_jump: "#6d4c41",
    retracted: "#757575",
  };
  const TRACK_COLOURS = ["#1f4e79", "#00838f", "#6a1b9a", "#ef6c00", "#2e7d32", "#ad1457", "#4e342e", "#283593"];

  const state = {
    watches: [],
    alerts: [],
    tracks: new Map(), // watch id -> L.Polyline
    selected: null, // alert id
    evidence: null, // L.LayerGroup of the selected alert
  };

  // ---------- helpers ----------

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function showError(message) {
    errorLine.textContent = message;
    errorLine.hidden = !message;
  }

  function utc(seconds) {
    if (seconds === null || seconds === undefined || !isFinite(seconds)) return "—";
    const d = new Date(seconds * 1000);
    return d.toISOString().slice(0, 16).replace("T", " ") + "Z";
  }

  function fixed(v, digits) {
    return typeof v === "number" && isFinite(v) ? v.toFixed(digits) : "—";
  }

  async function getJson(url) {
    const r = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    let body = null;
    try {
      body = await r.json();
    } catch (_) {
      body = null;
    }
    if (!r.ok) {
      const msg = body && body.error && body.error.message ? body.error.message : r.status + " " + r.statusText;
      throw new Error(url.split("?")[0] + ": " + msg);
    }
    return body;
  }

  async function postJson(url, payload) {
    const headers = { "Content-Type": "application/json", Accept: "application/json" };
    if (csrf) headers["X-CSRF-Token"] = csrf;
    const r = await fetch(url, { method: "POST", credentials: "same-origin", headers, body: JSON.stringify(payload) });
    const body = await r.json().catch(() => null);
    if (!r.ok) {
      const msg = body && body.error && body.error.message ? body.error.message : r.status + " " + r.statusText;
      throw new Error(msg);
    }
    return body;
  }

  function vesselName(w) {
    if (!w) return "unknown vessel";
    if (w.vessel && w.vessel.caption) return w.vessel.caption;
    if (w.name) return w.name;
    return "MMSI " + w.mmsi;
  }

  function watchOf(alert) {
    return state.watches.find((w) => w.id === alert.watch) || null;
  }

  // ---------- the map ----------

  const map = L.map(canvas, {
    preferCanvas: true,
    zoomControl: true,
    attributionControl: true,
    worldCopyJump: false,
    minZoom: 2,
    maxZoom: 16,
  });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Natural Earth (public domain), world-atlas");
  map.setView([51.0, 1.6], 8);
  const renderer = L.canvas({ padding: 0.3 });
  const landPane = map.createPane("land");
  landPane.style.zIndex = 200;
  const areaLayer = L.layerGroup().addTo(map);
  const trackLayer = L.layerGroup().addTo(map);
  const alertLayer = L.layerGroup().addTo(map);
  const vesselLayer = L.layerGroup().addTo(map);

  async function drawBasemap() {
    const started = performance.now();
    const topo = await getJson("/static/world-10m.json");
    const countries = topojson.feature(topo, topo.objects.countries);
    L.geoJSON(countries, {
      pane: "land",
      renderer: L.canvas({ pane: "land", padding: 0.3 }),
      interactive: false,
      style: { color: "#8c8f91", weight: 0.7, fillColor: "#ece8dc", fillOpacity: 1 },
    }).addTo(map);
    canvas.dataset.land = String(countries.features.length);
    canvas.dataset.landMs = String(Math.round(performance.now() - started));
  }

  function drawAreas(collection) {
    areaLayer.clearLayers();
    const features = (collection && collection.features) || [];
    for (const f of features) {
      const layer = L.geoJSON(f, {
        renderer,
        style: { color: "#c25400", weight: 1.5, dashArray: "4 3", fillColor: "#ffb74d", fillOpacity: 0.15 },
      });
      const name = (f.properties && f.properties.name) || "watched area";
      layer.bindTooltip(name, { sticky: true });
      layer.addTo(areaLayer);
    }
    canvas.dataset.areas = String(features.length);
  }

  async function drawTracks() {
    trackLayer.clearLayers();
    vesselLayer.clearLayers();
    state.tracks.clear();
    let drawn = 0;
    for (let i = 0; i < state.watches.length; i++) {
      const w = state.watches[i];
      const colour = TRACK_COLOURS[i % TRACK_COLOURS.length];
      let answer;
      try {
        answer = await getJson("/api/maritime/tracks/" + encodeURIComponent(w.id) + "?max_points=2000");
      } catch (e) {
        showError(e.message);
        continue;
      }
      const points = (answer && answer.points) || [];
      if (points.length > 1) {
        const line = L.polyline(
          points.map((p) => [p.lat, p.lon]),
          { renderer, color: colour, weight: 2, opacity: 0.8 },
        );
        line.bindTooltip(vesselName(w) + " (MMSI " + w.mmsi + ")", { sticky: true });
        line.addTo(trackLayer);
        state.tracks.set(w.id, line);
        drawn++;
      }
      const last = w.last_position || points[points.length - 1];
      if (last) {
        const marker = L.circleMarker([last.lat, last.lon], {
          renderer,
          radius: 6,
          color: "#ffffff",
          weight: 2,
          fillColor: colour,
          fillOpacity: 1,
        });
        marker.bindTooltip(vesselName(w) + " — last seen " + utc(last.time), { direction: "top" });
        marker.on("click", () => focusWatch(w.id));
        marker.addTo(vesselLayer);
      }
    }
    canvas.dataset.tracks = String(drawn);
  }

  function drawAlertMarkers() {
    alertLayer.clearLayers();
    for (const a of state.alerts) {
      if (!isFinite(a.lat) || !isFinite(a.lon)) continue;
      const m = L.circleMarker([a.lat, a.lon], {
        renderer,
        radius: 7,
        color: KIND_COLOURS[a.kind] || "#333",
        weight: 3,
        fillColor: "#ffffff",
        fillOpacity: 0.9,
      });
      m.bindTooltip((KIND_LABELS[a.kind] || a.kind) + " — " + vesselName(watchOf(a)) + ", " + utc(a.start), {
        direction: "top",
      });
      m.on("click", () => openAlert(a.id));
      m.addTo(alertLayer);
    }
    canvas.dataset.alerts = String(state.alerts.length);
  }

  function fitToVessels() {
    const bounds = L.latLngBounds([]);
    for (const line of state.tracks.values()) bounds.extend(line.getBounds());
    for (const a of state.alerts) if (isFinite(a.lat) && isFinite(a.lon)) bounds.extend([a.lat, a.lon]);
    if (bounds.isValid()) map.fitBounds(bounds.pad(0.15), { maxZoom: 11 });
  }

  function focusWatch(id) {
    const line = state.tracks.get(id);
    if (line) map.fitBounds(line.getBounds().pad(0.2), { maxZoom: 12 });
    for (const li of document.querySelectorAll("#map-watchlist li")) {
      li.classList.toggle("selected", li.dataset.watch === String(id));
    }
  }

  // ---------- lists ----------

  function renderWatchlist() {
    const list = $("map-watchlist");
    list.replaceChildren();
    $("map-watch-count").textContent = String(state.watches.length);
    if (!state.watches.length) {
      list.append(el("li", "empty", "No watched vessel is visible to you."));
      return;
    }
    for (const w of state.watches) {
      const li = el("li", "map-watch");
      li.dataset.watch = String(w.id);
      const head = el("button", "map-watch-name", vesselName(w));
      head.type = "button";
      head.addEventListener("click", () => focusWatch(w.id));
      li.append(head);
      const facts = el("span", "map-watch-facts", "MMSI " + w.mmsi + (w.flag ? " · " + w.flag : ""));
      li.append(" ", facts);
      if (w.open_alerts) li.append(" ", el("span", "count alert-count", w.open_alerts + " open"));
      const links = el("div", "map-watch-links");
      if (w.vessel) {
        const a = el("a", "entity-link", "vessel record");
        a.href = "/entity/" + encodeURIComponent(w.vessel.id);
        links.append(a);
      }
      if (w.group) {
        const g = el("a", "group-link", w.group.caption || w.group.id);
        g.href = "/groups/" + encodeURIComponent(w.group.id);
        if (links.childNodes.length) links.append(" · ");
        links.append("group: ", g);
      }
      if (links.childNodes.length) li.append(links);
      li.append(el("div", "map-watch-reason", w.reason));
      const seen = w.last_position ? "last seen " + utc(w.last_position.time) : "no position yet";
      li.append(el("div", "map-watch-seen", seen + " · " + w.owner + " · " + w.classification));
      list.append(li);
    }
  }

  function renderAlerts(total) {
    const list = $("map-alerts");
    list.replaceChildren();
    $("map-alert-count").textContent = total > state.alerts.length ? state.alerts.length + " of " + total : String(total);
    if (!state.alerts.length) {
      list.append(el("li", "empty", "No alert matches the filters."));
      return;
    }
    for (const a of state.alerts) {
      const li = el("li", "map-alert-item status-" + a.status);
      li.dataset.alert = String(a.id);
      const b = el("button", "map-alert-open");
      b.type = "button";
      const swatch = el("span", "kind-swatch");
      swatch.style.backgroundColor = KIND_COLOURS[a.kind] || "#333";
      b.append(swatch, el("span", "map-alert-kind", KIND_LABELS[a.kind] || a.kind));
      b.addEventListener("click", () => openAlert(a.id));
      li.append(b);
      li.append(el("div", "map-alert-meta", vesselName(watchOf(a)) + " · " + utc(a.start) + " · " + a.status));
      if (a.id === state.selected) li.classList.add("selected");
      list.append(li);
    }
  }

  // ---------- one alert ----------

  function detailRows(alert) {
    const d = alert.details || {};
    const rows = [
      ["Vessel", vesselName(watchOf(alert)) + " (MMSI " + alert.mmsi + ")"],
      ["Start", utc(alert.start)],
      ["End", utc(alert.end)],
      ["Position", fixed(alert.lat, 4) + ", " + fixed(alert.lon, 4)],
      ["Status", alert.status],
    ];
    if (alert.other_mmsi) rows.push(["Other vessel", "MMSI " + alert.other_mmsi]);
    if (typeof d.hours === "number") rows.push(["Silent for", fixed(d.hours, 1) + " h"]);
    if (typeof d.distance_nm === "number") rows.push(["Distance", fixed(d.distance_nm, 1) + " nm"]);
    if (typeof d.implied_knots === "number") rows.push(["Implied speed", fixed(d.implied_knots, 1) + " kn"]);
    if (typeof d.min_distance_m === "number") rows.push(["Closest approach", fixed(d.min_distance_m, 0) + " m"]);
    if (typeof d.median_knots === "number") rows.push(["Median speed", fixed(d.median_knots, 1) + " kn"]);
    if (typeof d.average_knots === "number") rows.push(["Average speed", fixed(d.average_knots, 1) + " kn"]);
    if (typeof d.minutes === "number") rows.push(["Stopped for", fixed(d.minutes, 0) + " min"]);
    if (d.area) rows.push(["Area", d.area]);
    if (d.field) rows.push(["Changed", d.field + ": " + (d.old || "—") + " → " + (d.new || "—")]);
    rows.push(["Raised", utc(alert.raised_at)]);
    return rows;
  }

  function drawEvidence(alert) {
    if (state.evidence) state.evidence.remove();
    const group = L.layerGroup();
    const pts = (alert.evidence || []).filter((p) => isFinite(p.lat) && isFinite(p.lon));
    const colour = KIND_COLOURS[alert.kind] || "#333";
    if (pts.length > 1) {
      const before = pts.filter((p) => p.time <= alert.start);
      const during = pts.filter((p) => p.time >= alert.start && p.time <= alert.end);
      const after = pts.filter((p) => p.time >= alert.end);
      L.polyline(pts.map((p) => [p.lat, p.lon]), { renderer, color: "#000", weight: 5, opacity: 0.25 }).addTo(group);
      if (during.length > 1) {
        L.polyline(during.map((p) => [p.lat, p.lon]), { renderer, color: colour, weight: 4 }).addTo(group);
      }
      if (alert.kind === "gap" && before.length && after.length) {
        const a = before[before.length - 1];
        const b = after[0];
        L.polyline([[a.lat, a.lon], [b.lat, b.lon]], { renderer, color: colour, weight: 3, dashArray: "6 6" })
          .bindTooltip("silent " + fixed(alert.details && alert.details.hours, 1) + " h")
          .addTo(group);
      }
    }
    if (isFinite(alert.lat) && isFinite(alert.lon)) {
      L.circleMarker([alert.lat, alert.lon], { renderer, radius: 10, color: colour, weight: 4, fill: false }).addTo(group);
    }
    group.addTo(map);
    state.evidence = group;
    canvas.dataset.evidence = String(pts.length);
    const bounds = L.latLngBounds(pts.map((p) => [p.lat, p.lon]));
    if (isFinite(alert.lat) && isFinite(alert.lon)) bounds.extend([alert.lat, alert.lon]);
    if (bounds.isValid()) map.fitBounds(bounds.pad(0.3), { maxZoom: 13 });
    return pts.length;
  }

  async function openAlert(id) {
    showError("");
    let alert;
    try {
      alert = await getJson("/api/maritime/alerts/" + encodeURIComponent(id));
    } catch (e) {
      showError(e.message);
      return;
    }
    state.selected = alert.id;
    const panel = $("map-alert");
    $("map-alert-title").textContent = KIND_LABELS[alert.kind] || alert.kind;
    const vessel = $("map-alert-vessel");
    vessel.replaceChildren();
    const w = watchOf(alert);
    if (alert.vessel || (w && w.vessel)) {
      const ref = alert.vessel || w.vessel;
      const a = el("a", "entity-link", ref.caption || ref.id);
      a.href = "/entity/" + encodeURIComponent(ref.id);
      vessel.append("Vessel record: ", a);
    } else {
      vessel.textContent = vesselName(w);
    }
    const facts = $("map-alert-facts");
    facts.replaceChildren();
    for (const [k, v] of detailRows(alert)) {
      const div = el("div");
      div.append(el("dt", null, k), el("dd", null, v));
      facts.append(div);
    }
    const n = drawEvidence(alert);
    $("map-alert-evidence").textContent = n
      ? "Evidence: the vessel's track from shortly before to shortly after the event (" + n + " positions), drawn on the map."
      : "No stored positions around this event.";
    $("map-alert-ack").hidden = alert.status !== "open";
    $("map-alert-reopen").hidden = alert.status !== "acknowledged";
    panel.hidden = false;
    panel.dataset.alert = String(alert.id);
    for (const li of document.querySelectorAll("#map-alerts li")) {
      li.classList.toggle("selected", li.dataset.alert === String(alert.id));
    }
  }

  async function setStatus(status) {
    const id = state.selected;
    if (id === null) return;
    try {
      await postJson("/api/maritime/alerts/" + encodeURIComponent(id) + "/status", { status });
    } catch (e) {
      showError(e.message);
      return;
    }
    await loadAlerts();
    await openAlert(id);
  }

  function closeAlert() {
    $("map-alert").hidden = true;
    state.selected = null;
    if (state.evidence) state.evidence.remove();
    state.evidence = null;
    for (const li of document.querySelectorAll("#map-alerts li.selected")) li.classList.remove("selected");
  }

  // ---------- loading ----------

  function alertQuery() {
    const q = new URLSearchParams();
    q.set("limit", "500");
    const kind = $("map-kind").value;
    const status = $("map-status").value;
    const since = $("map-since").value;
    if (kind) q.set("kind", kind);
    if (status) q.set("status", status);
    if (since) q.set("since", String(Math.floor(Date.parse(since + "T00:00:00Z") / 1000)));
    return q.toString();
  }

  async function loadAlerts() {
    const page = await getJson("/api/maritime/alerts?" + alertQuery());
    state.alerts = page.alerts || [];
    renderAlerts(page.total || 0);
    drawAlertMarkers();
    statusLine.textContent =
      state.watches.length + " watched vessels; " + state.alerts.length + " of " + (page.total || 0) +
      " matching alerts shown. Click an alert for its evidence.";
  }

  async function load() {
    canvas.dataset.state = "loading";
    try {
      const [watchlist, areas] = await Promise.all([
        getJson("/api/maritime/watchlist"),
        getJson("/api/maritime/areas"),
        drawBasemap(),
      ]);
      state.watches = watchlist.watches || [];
      renderWatchlist();
      drawAreas(areas);
      await loadAlerts();
      await drawTracks();
      fitToVessels();
      canvas.dataset.state = "ready";
    } catch (e) {
      showError(e.message);
      statusLine.textContent = "The map could not be loaded.";
      canvas.dataset.state = "error";
    }
  }

  for (const id of ["map-kind", "map-status", "map-since"]) {
    $(id).addEventListener("change", () => {
      loadAlerts().catch((e) => showError(e.message));
    });
  }
  $("map-show-tracks").addEventListener("change", (e) => {
    if (e.target.checked) trackLayer.addTo(map);
    else trackLayer.remove();
  });
  $("map-show-areas").addEventListener("change", (e) => {
    if (e.target.checked) areaLayer.addTo(map);
    else areaLayer.remove();
  });
  $("map-fit").addEventListener("click", fitToVessels);
  $("map-alert-close").addEventListener("click", closeAlert);
  $("map-alert-ack").addEventListener("click", () => setStatus("acknowledged"));
  $("map-alert-reopen").addEventListener("click", () => setStatus("open"));
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape") closeAlert();
  });

  load();
})();
