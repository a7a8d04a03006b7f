// Tessera link chart: the web UI's one script, embedded in the binary and served from
// /static/network.js. Vanilla JavaScript, nothing fetched from elsewhere, no inline handlers
// (the page's Content-Security-Policy allows scripts and fetch from this server only).
//
// Data: GET /api/network (nodes, edges, link types, period) and GET /api/network/edge (the
// statements behind one link); the analyst's tools read GET /api/network/paths (how two entities
// are linked), /api/network/removal (disruption planning) and /api/network/timeline (change over
// time, who replaced whom); saving the chart as an image POSTs /api/network/pictures first, for
// the marking it must carry and the audit record of the export. Every value reaches the page
// through textContent or an attribute, never as markup.
//
// Drawing: one <canvas>; a force-directed layout (springs on links, Barnes–Hut repulsion over a
// quadtree, a pull to the centre or to each community's anchor) advanced in
// requestAnimationFrame within a time budget per frame, and cooled until it settles.
'use strict';

(() => {
  const root = document.getElementById('network');
  if (!root) return;
  const $ = (id) => document.getElementById(id);
  const canvas = $('net-canvas');
  const ctx = canvas.getContext('2d');
  const API = root.dataset.api || '/api/network';
  const EDGE_API = root.dataset.edgeApi || '/api/network/edge';
  const PATHS_API = root.dataset.pathsApi || '/api/network/paths';
  const REMOVAL_API = root.dataset.removalApi || '/api/network/removal';
  const TIMELINE_API = root.dataset.timelineApi || '/api/network/timeline';
  const LIMIT = Number(root.dataset.limit) || 2000;
  /** Most seeds the API takes in one request. */
  const MAX_SEEDS = 50;
  let seedIds = [];
  try {
    const parsed = JSON.parse(root.dataset.seeds || '[]');
    if (Array.isArray(parsed)) seedIds = parsed.filter((s) => typeof s === 'string');
  } catch {
    seedIds = [];
  }

  // ---------------------------------------------------------------- colours

  /** Community colours (colour-blind-friendly first, then more); null community is grey. */
  const COMMUNITY = ['#4477aa', '#ee6677', '#228833', '#ccbb44', '#66ccee', '#aa3377', '#e07b00', '#6b4c9a',
    '#2f9e8f', '#b5651d', '#8c9c00', '#d45087', '#3b5b92', '#9e2a2b', '#5f7f3f', '#c27ba0'];
  const NO_COMMUNITY = '#9aa3ad';
  /** Link-type colours, given in the order types are first seen. */
  const TYPE_COLOURS = ['#5b6470', '#c0392b', '#2471a3', '#1e8449', '#af601a', '#7d3c98', '#148f77', '#b7950b',
    '#a93226', '#2e4053', '#ca6f1e', '#6c3483'];

  const communityColour = (c) => (c === null || c === undefined ? NO_COMMUNITY : COMMUNITY[Math.abs(c) % COMMUNITY.length]);

  // ---------------------------------------------------------------- state

  /** @type {Array<object>} every node loaded; `byId` indexes them. */
  const nodes = [];
  const byId = new Map();
  /** @type {Array<object>} every edge loaded; `edgeById` indexes them. */
  const edges = [];
  const edgeById = new Map();
  /** Edges of each node id. */
  const incident = new Map();
  const linkTypes = [];
  const typeColour = new Map();
  const enabledTypes = new Set();
  const period = { first: null, last: null };
  let truncated = false;

  const filter = { from: '', until: '', undated: true };
  let sizeBy = 'degree';
  let grouped = false;
  let paused = false;
  let maxBetweenness = 0;

  /** Nodes and edges passing the filters, recomputed when data or filters change. */
  let shownNodes = [];
  let shownEdges = [];

  let selected = null;
  let hoverNode = null;
  let hoverEdge = null;
  let provenanceEdge = null;
  let provenanceRequest = 0;

  /** The path drawn on the chart: `{ index, nodes, set }` (nodes in order), or null. */
  let highlight = null;
  /** Path finding: the entity a path starts from; while `picking`, a click on a node chooses the other end. */
  let pathFrom = null;
  let picking = false;
  /** Disruption: ids of the removed nodes, and the shown nodes cut off from the largest remaining component. */
  const removedIds = new Set();
  let cutOff = new Set();
  /** The last "who replaced them?" answer: `{ id, state, message, departure, windows, days }`. */
  let successors = null;
  /** Path drawn over the chart. */
  const PATH_COLOUR = '#e8590c';
  /** Link types without a direction. */
  const UNDIRECTED = new Set(['associate', 'family', 'communicated_with']);

  /** The view: screen = world * k + (tx, ty), in CSS pixels. */
  const view = { k: 1, tx: 0, ty: 0 };
  let autoFit = true;
  let width = 0;
  let height = 0;
  let dpr = 1;

  const sim = {
    alpha: 1,
    alphaMin: 0.004,
    alphaDecay: 1 - Math.pow(0.004, 1 / 300),
    alphaTarget: 0,
    velocityDecay: 0.4,
    charge: -60,
    theta2: 0.81,
    distanceMin2: 1,
    linkDistance: 45,
  };
  let ticks = 0;
  const perf = { drawMs: 0, tickMs: 0, frames: 0, labelsHidden: 0 };
  /** Font of the node labels, and half the height of the box a label takes on screen (pixels). */
  const LABEL_FONT = '12px system-ui, "DejaVu Sans", sans-serif';
  const LABEL_HALF_HEIGHT = 7;
  /** Screen boxes of the labels drawn in the last frame (what `labels()` reports). */
  let labelBoxes = [];

  /**
   * The labels placed so far in a frame, bucketed by screen cell, so that checking a new label
   * against them costs a few comparisons instead of one per label drawn.
   */
  class LabelGrid {
    constructor() {
      this.cell = 64;
      this.cells = new Map();
    }
    keys(box) {
      const out = [];
      for (let cx = Math.floor(box.x0 / this.cell); cx <= Math.floor(box.x1 / this.cell); cx++) {
        for (let cy = Math.floor(box.y0 / this.cell); cy <= Math.floor(box.y1 / this.cell); cy++) out.push(`${cx},${cy}`);
      }
      return out;
    }
    overlaps(box) {
      for (const key of this.keys(box)) {
        for (const b of this.cells.get(key) || []) {
          if (box.x0 < b.x1 && b.x0 < box.x1 && box.y0 < b.y1 && b.y0 < box.y1) return true;
        }
      }
      return false;
    }
    add(box) {
      for (const key of this.keys(box)) {
        const list = this.cells.get(key);
        if (list) list.push(box);
        else this.cells.set(key, [box]);
      }
    }
  }

  /** A small seeded generator, so that the same data gives the same picture. */
  let rngState = 0x9e3779b9;
  const random = () => {
    rngState |= 0;
    rngState = (rngState + 0x6d2b79f5) | 0;
    let t = Math.imul(rngState ^ (rngState >>> 15), 1 | rngState);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  // ---------------------------------------------------------------- data

  /** GET `url` as JSON; throws an Error whose message is the API's error message. */
  function getJSON(url) {
    return requestJSON(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  }

  /** Fetches `url` with `init` and reads the JSON answer; throws an Error whose message is the API's error message. */
  async function requestJSON(url, init) {
    let response;
    try {
      response = await fetch(url, init);
    } catch {
      throw new Error('The server could not be reached.');
    }
    let body = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    if (!response.ok) {
      const message = body && body.error && typeof body.error.message === 'string' ? body.error.message : `${response.status} ${response.statusText}`;
      if (response.status === 401) throw new Error(`Your session has ended: log in again. (${message})`);
      throw new Error(message);
    }
    if (!body || typeof body !== 'object') throw new Error('The server sent no data.');
    return body;
  }

  /** The network query for `seeds` (all the visible network when empty). */
  function networkUrl(seeds) {
    const q = new URLSearchParams();
    for (const s of seeds) q.append('seed', s);
    if (seeds.length) q.set('depth', '1');
    q.set('limit', String(LIMIT));
    return `${API}?${q}`;
  }

  const text = (v) => (v === null || v === undefined ? '' : String(v));
  const dateOrNull = (v) => (typeof v === 'string' && v.length >= 4 ? v.slice(0, 10) : null);

  function addLinkType(type) {
    if (typeColour.has(type)) return;
    typeColour.set(type, TYPE_COLOURS[linkTypes.length % TYPE_COLOURS.length]);
    linkTypes.push(type);
    enabledTypes.add(type);
  }

  /**
   * Community labels are numbered afresh by every /api/network answer. Maps the answer's labels
   * onto the chart's by greatest overlap (greedily, one to one) so that colours stay put; labels
   * without overlap get numbers no loaded node uses.
   */
  function communityMapping(rawNodes) {
    const overlap = new Map();
    const fresh = new Set();
    for (const raw of rawNodes) {
      if (!Number.isInteger(raw.community)) continue;
      fresh.add(raw.community);
      const old = byId.get(text(raw.id));
      if (!old || old.community === null) continue;
      let m = overlap.get(raw.community);
      if (!m) overlap.set(raw.community, (m = new Map()));
      m.set(old.community, (m.get(old.community) || 0) + 1);
    }
    const pairs = [];
    for (const [c, m] of overlap) for (const [o, k] of m) pairs.push([k, c, o]);
    pairs.sort((a, b) => b[0] - a[0] || a[1] - b[1] || a[2] - b[2]);
    const mapping = new Map();
    const taken = new Set();
    for (const [, c, o] of pairs) {
      if (mapping.has(c) || taken.has(o)) continue;
      mapping.set(c, o);
      taken.add(o);
    }
    for (const n of nodes) if (n.community !== null) taken.add(n.community);
    let next = 0;
    for (const c of [...fresh].sort((a, b) => a - b)) {
      if (mapping.has(c)) continue;
      while (taken.has(next)) next++;
      mapping.set(c, next);
      taken.add(next);
    }
    return mapping;
  }

  /**
   * Merges an /api/network answer into the chart; new nodes are placed next to a loaded
   * neighbour or `around`. Only the first answer says which nodes are the seeds.
   */
  function merge(data, around, first) {
    const fresh = [];
    const rawNodes = Array.isArray(data.nodes) ? data.nodes : [];
    const communities = communityMapping(rawNodes);
    for (const t of Array.isArray(data.link_types) ? data.link_types : []) addLinkType(text(t));
    if (data.period) {
      const f = dateOrNull(data.period.first);
      const l = dateOrNull(data.period.last);
      if (f && (!period.first || f < period.first)) period.first = f;
      if (l && (!period.last || l > period.last)) period.last = l;
    }
    truncated = Boolean(data.truncated) || (truncated && !data.whole);
    for (const raw of rawNodes) {
      const id = text(raw.id);
      if (!id) continue;
      let n = byId.get(id);
      if (!n) {
        n = { id, x: NaN, y: NaN, vx: 0, vy: 0, fx: null, fy: null, pinned: false, expanded: false, seed: false, index: nodes.length };
        nodes.push(n);
        byId.set(id, n);
        incident.set(id, []);
        fresh.push(n);
      }
      n.kind = text(raw.kind) || 'Thing';
      n.caption = text(raw.caption) || id;
      n.members = Array.isArray(raw.members) ? raw.members.map(text) : [id];
      n.community = Number.isInteger(raw.community) ? communities.get(raw.community) : null;
      n.degree = Number.isFinite(raw.degree) ? raw.degree : 0;
      n.betweenness = Number.isFinite(raw.betweenness) ? raw.betweenness : 0;
      if (first) n.seed = raw.seed === true;
    }
    for (const raw of Array.isArray(data.edges) ? data.edges : []) {
      const source = text(raw.source);
      const target = text(raw.target);
      const type = text(raw.type);
      if (!byId.has(source) || !byId.has(target) || source === target) continue;
      addLinkType(type);
      const id = text(raw.id) || `${source}|${target}|${type}`;
      let e = edgeById.get(id);
      if (!e) {
        e = { id, source, target, type, s: byId.get(source), t: byId.get(target) };
        edges.push(e);
        edgeById.set(id, e);
        incident.get(source).push(e);
        incident.get(target).push(e);
      }
      e.weight = Number.isFinite(raw.weight) ? Math.max(0, Math.min(1, raw.weight)) : 0.5;
      e.agencies = Number.isFinite(raw.agencies) ? raw.agencies : null;
      e.statements = Number.isFinite(raw.statements) ? raw.statements : null;
      e.first = dateOrNull(raw.first);
      e.last = dateOrNull(raw.last);
    }
    placeNew(fresh, around);
    maxBetweenness = nodes.reduce((m, n) => Math.max(m, n.betweenness), 0);
    buildTypeControls();
    updatePeriodControls();
    updateFindList();
    refilter();
    reheat(fresh.length ? 1 : 0.3);
    return fresh;
  }

  /** Gives new nodes a position: next to an already placed neighbour, else around `around`, else in a disc. */
  function placeNew(fresh, around) {
    const spread = 10 * Math.sqrt(nodes.length) + 40;
    let pending = fresh.slice();
    for (let pass = 0; pass < 3 && pending.length; pass++) {
      const later = [];
      for (const n of pending) {
        let anchor = null;
        for (const e of incident.get(n.id)) {
          const other = e.s === n ? e.t : e.s;
          if (Number.isFinite(other.x)) {
            anchor = other;
            break;
          }
        }
        if (!anchor && pass === 2) anchor = around && Number.isFinite(around.x) ? around : null;
        if (anchor) {
          const a = random() * 2 * Math.PI;
          const r = sim.linkDistance * (0.6 + random() * 0.8);
          n.x = anchor.x + r * Math.cos(a);
          n.y = anchor.y + r * Math.sin(a);
        } else if (pass === 2 || !incident.get(n.id).length) {
          const a = random() * 2 * Math.PI;
          const r = spread * Math.sqrt(random());
          n.x = r * Math.cos(a);
          n.y = r * Math.sin(a);
        } else {
          later.push(n);
        }
      }
      // Place one unanchored node of a fresh component so that its neighbours can follow it.
      if (later.length && later.length === pending.length) {
        const n = later.shift();
        const a = random() * 2 * Math.PI;
        const r = spread * Math.sqrt(random());
        n.x = r * Math.cos(a);
        n.y = r * Math.sin(a);
        pass--;
      }
      pending = later;
    }
  }

  /** Whether an edge passes the link-type and time filters. */
  function edgeShown(e) {
    if (!enabledTypes.has(e.type)) return false;
    const first = e.first || e.last;
    const last = e.last || e.first;
    if (!first) return filter.undated;
    if (filter.from && last < filter.from) return false;
    if (filter.until && first > filter.until) return false;
    return true;
  }

  /** Recomputes what is shown: edges passing the filters, and nodes with a shown edge (or seeds, the selection, isolated nodes). */
  function refilter() {
    shownEdges = edges.filter(edgeShown);
    for (const e of edges) e.shown = false;
    for (const e of shownEdges) e.shown = true;
    const degree = new Map();
    for (const e of shownEdges) {
      degree.set(e.s, (degree.get(e.s) || 0) + 1);
      degree.set(e.t, (degree.get(e.t) || 0) + 1);
    }
    for (const n of nodes) {
      n.shownDegree = degree.get(n) || 0;
      n.shown = n.shownDegree > 0 || n.seed || n === selected || incident.get(n.id).length === 0 || Boolean(highlight && highlight.set.has(n));
    }
    shownNodes = nodes.filter((n) => n.shown);
    computeCutOff();
    if (provenanceEdge && !edgeShown(provenanceEdge)) closeProvenance();
    computeAnchors();
    renderNodePanel();
    updateStatus();
  }

  // ---------------------------------------------------------------- layout

  /** Restarts the layout at temperature `alpha` (at least). */
  function reheat(alpha) {
    sim.alpha = Math.max(sim.alpha, alpha);
    canvas.dataset.settled = 'false';
    schedule();
  }

  /** Community anchors for "Group by community": the largest community in the middle, the others on a sunflower spiral. */
  let anchors = new Map();
  function computeAnchors() {
    anchors = new Map();
    if (!grouped) return;
    const sizes = new Map();
    for (const n of shownNodes) {
      const key = n.community === null ? 'none' : n.community;
      sizes.set(key, (sizes.get(key) || 0) + 1);
    }
    const order = [...sizes.entries()].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
    const biggest = order.length ? order[0][1] : 1;
    const spacing = sim.linkDistance * (1.2 + 0.9 * Math.sqrt(biggest));
    order.forEach(([key], i) => {
      const r = spacing * Math.sqrt(i);
      const a = i * 2.399963229728653;
      anchors.set(key, { x: r * Math.cos(a), y: r * Math.sin(a) });
    });
  }

  /** A Barnes–Hut quadtree in flat typed arrays, reused from step to step (no allocation per step). */
  const quad = { cap: 0, n: 0, x0: null, y0: null, s: null, mass: null, cx: null, cy: null, kid: null, body: null, leaf: null, next: null, px: null, py: null, stack: null };

  function quadCapacity(cells, bodies) {
    if (quad.cap < cells) {
      const cap = Math.max(cells, quad.cap * 2, 1024);
      const grow = (old, Type, per) => {
        const a = new Type(cap * per);
        if (old) a.set(old);
        return a;
      };
      quad.x0 = grow(quad.x0, Float64Array, 1);
      quad.y0 = grow(quad.y0, Float64Array, 1);
      quad.s = grow(quad.s, Float64Array, 1);
      quad.mass = grow(quad.mass, Float64Array, 1);
      quad.cx = grow(quad.cx, Float64Array, 1);
      quad.cy = grow(quad.cy, Float64Array, 1);
      quad.kid = grow(quad.kid, Int32Array, 4);
      quad.body = grow(quad.body, Int32Array, 1);
      quad.leaf = grow(quad.leaf, Uint8Array, 1);
      quad.stack = new Int32Array(cap);
      quad.cap = cap;
    }
    if (!quad.next || quad.next.length < bodies) {
      quad.next = new Int32Array(bodies * 2);
      quad.px = new Float64Array(bodies * 2);
      quad.py = new Float64Array(bodies * 2);
    }
  }

  function quadCell(x0, y0, s) {
    if (quad.n === quad.cap) quadCapacity(quad.cap + 1, 0);
    const c = quad.n++;
    quad.x0[c] = x0;
    quad.y0[c] = y0;
    quad.s[c] = s;
    quad.kid.fill(-1, 4 * c, 4 * c + 4);
    quad.body[c] = -1;
    quad.leaf[c] = 1;
    return c;
  }

  /** The child of cell `c` holding (x, y), made (an empty leaf) if missing. */
  function quadKid(c, x, y) {
    const h = quad.s[c] / 2;
    const right = x >= quad.x0[c] + h ? 1 : 0;
    const down = y >= quad.y0[c] + h ? 1 : 0;
    const slot = 4 * c + right + 2 * down;
    let k = quad.kid[slot];
    if (k === -1) {
      k = quadCell(quad.x0[c] + right * h, quad.y0[c] + down * h, h);
      quad.kid[slot] = k;
    }
    return k;
  }

  function quadInsert(i) {
    const { px, py } = quad;
    let c = 0;
    for (let depth = 0; ; depth++) {
      if (quad.leaf[c]) {
        const b = quad.body[c];
        if (b === -1) {
          quad.body[c] = i;
          quad.next[i] = -1;
          return;
        }
        if (depth > 32 || (px[b] === px[i] && py[b] === py[i])) {
          quad.next[i] = b;
          quad.body[c] = i;
          return;
        }
        // Split: the leaf's bodies (all at one point) move down to one child.
        quad.leaf[c] = 0;
        quad.body[c] = -1;
        const k = quadKid(c, px[b], py[b]);
        quad.body[k] = b;
      }
      c = quadKid(c, px[i], py[i]);
    }
  }

  /** Barnes–Hut repulsion of every shown node. */
  function repel(list, alpha) {
    const n = list.length;
    if (n < 2) return;
    quadCapacity(2 * n + 16, n);
    const { px, py } = quad;
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    for (let i = 0; i < n; i++) {
      const x = (px[i] = list[i].x);
      const y = (py[i] = list[i].y);
      if (x < x0) x0 = x;
      if (y < y0) y0 = y;
      if (x > x1) x1 = x;
      if (y > y1) y1 = y;
    }
    quad.n = 0;
    quadCell(x0, y0, Math.max(x1 - x0, y1 - y0) + 1);
    for (let i = 0; i < n; i++) quadInsert(i);
    // Masses and centres, children before parents (children always have higher indices).
    const { mass, cx, cy, kid, body, leaf, next } = quad;
    for (let c = quad.n - 1; c >= 0; c--) {
      let m = 0;
      let x = 0;
      let y = 0;
      if (leaf[c]) {
        for (let b = body[c]; b !== -1; b = next[b]) {
          m++;
          x += px[b];
          y += py[b];
        }
      } else {
        for (let j = 4 * c; j < 4 * c + 4; j++) {
          const k = kid[j];
          if (k === -1) continue;
          m += mass[k];
          x += cx[k] * mass[k];
          y += cy[k] * mass[k];
        }
      }
      mass[c] = m;
      cx[c] = m ? x / m : 0;
      cy[c] = m ? y / m : 0;
    }
    const s = quad.s;
    const stack = quad.stack;
    const strength = sim.charge * alpha;
    // A coarser approximation for large networks keeps a step within a frame.
    const theta2 = n > 2000 ? 1.44 : sim.theta2;
    const dmin2 = sim.distanceMin2;
    for (let i = 0; i < n; i++) {
      const xi = px[i];
      const yi = py[i];
      let fx = 0;
      let fy = 0;
      let top = 0;
      stack[top++] = 0;
      while (top) {
        const c = stack[--top];
        if (!leaf[c]) {
          const dx = cx[c] - xi;
          const dy = cy[c] - yi;
          let l = dx * dx + dy * dy;
          if ((s[c] * s[c]) / theta2 < l) {
            if (l < dmin2) l = Math.sqrt(dmin2 * l);
            const w = (strength * mass[c]) / l;
            fx += dx * w;
            fy += dy * w;
          } else {
            for (let j = 4 * c; j < 4 * c + 4; j++) if (kid[j] !== -1) stack[top++] = kid[j];
          }
          continue;
        }
        for (let b = body[c]; b !== -1; b = next[b]) {
          if (b === i) continue;
          let dx = px[b] - xi;
          let dy = py[b] - yi;
          let l = dx * dx + dy * dy;
          if (l === 0) {
            dx = (random() - 0.5) * 1e-3;
            dy = (random() - 0.5) * 1e-3;
            l = dx * dx + dy * dy;
          }
          if (l < dmin2) l = Math.sqrt(dmin2 * l);
          const w = strength / l;
          fx += dx * w;
          fy += dy * w;
        }
      }
      list[i].vx += fx;
      list[i].vy += fy;
    }
  }

  /** One step of the layout. */
  function tick() {
    sim.alpha += (sim.alphaTarget - sim.alpha) * sim.alphaDecay;
    const alpha = sim.alpha;
    // Springs on shown links, stiffer between sparsely linked nodes.
    for (const e of shownEdges) {
      const s = e.s;
      const t = e.t;
      let dx = t.x + t.vx - s.x - s.vx || (random() - 0.5) * 1e-3;
      let dy = t.y + t.vy - s.y - s.vy || (random() - 0.5) * 1e-3;
      let l = Math.sqrt(dx * dx + dy * dy);
      const strength = 1 / Math.max(1, Math.min(s.shownDegree, t.shownDegree));
      l = ((l - sim.linkDistance) / l) * alpha * strength;
      dx *= l;
      dy *= l;
      const bias = s.shownDegree / (s.shownDegree + t.shownDegree || 1);
      t.vx -= dx * bias;
      t.vy -= dy * bias;
      s.vx += dx * (1 - bias);
      s.vy += dy * (1 - bias);
    }
    repel(shownNodes, alpha);
    // Gravity: to the centre, or (grouped) to the community's anchor.
    const pull = grouped ? 0.12 : 0.015;
    for (const n of shownNodes) {
      let gx = 0;
      let gy = 0;
      if (grouped) {
        const a = anchors.get(n.community === null ? 'none' : n.community);
        if (a) {
          gx = a.x;
          gy = a.y;
        }
      }
      n.vx += (gx - n.x) * pull * alpha;
      n.vy += (gy - n.y) * pull * alpha;
    }
    for (const n of shownNodes) {
      if (n.pinned) {
        n.x = n.fx;
        n.y = n.fy;
        n.vx = 0;
        n.vy = 0;
      } else {
        n.vx *= 1 - sim.velocityDecay;
        n.vy *= 1 - sim.velocityDecay;
        n.x += n.vx;
        n.y += n.vy;
      }
    }
    ticks++;
  }

  const running = () => !paused && shownNodes.length > 0 && (sim.alpha >= sim.alphaMin || sim.alphaTarget > 0);

  // ---------------------------------------------------------------- frames

  let frameRequested = false;
  function schedule() {
    if (frameRequested) return;
    frameRequested = true;
    requestAnimationFrame(frame);
  }

  let lastFrameAt = 0;

  /**
   * One animation frame: layout steps within a time budget, then one drawing. When frames come
   * slowly (drawing a large network without a GPU), more of each is given to the layout, so that
   * it settles in fewer frames.
   */
  function frame() {
    frameRequested = false;
    const now = performance.now();
    const gap = lastFrameAt ? Math.min(1000, now - lastFrameAt) : 16;
    lastFrameAt = now;
    if (running()) {
      const budget = Math.min(48, Math.max(12, gap * 0.4));
      const start = performance.now();
      let steps = 0;
      do {
        tick();
        steps++;
      } while (running() && steps < 30 && performance.now() - start < budget);
      perf.tickMs = (performance.now() - start) / steps;
      if (autoFit) fit(false);
    }
    draw();
    if (running()) schedule();
    else canvas.dataset.settled = 'true';
  }

  // ---------------------------------------------------------------- drawing

  function resize() {
    const rect = canvas.getBoundingClientRect();
    dpr = window.devicePixelRatio || 1;
    width = Math.max(1, rect.width);
    height = Math.max(1, rect.height);
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    if (autoFit) fit(false);
    schedule();
  }

  const radius = (n) => {
    if (sizeBy === 'betweenness') return 4 + (maxBetweenness > 0 ? 16 * Math.sqrt(n.betweenness / maxBetweenness) : 0);
    return Math.min(24, 4 + 2.2 * Math.sqrt(n.degree));
  };

  /** Below this radius (world units; a few pixels on screen) every node is drawn as a square: cheaper to rasterise. */
  let tiny = 0;

  function shapePath(n, r) {
    if (r < tiny) {
      ctx.rect(n.x - r, n.y - r, 2 * r, 2 * r);
    } else if (n.kind === 'Person') {
      ctx.moveTo(n.x + r, n.y);
      ctx.arc(n.x, n.y, r, 0, 2 * Math.PI);
    } else if (n.kind === 'Organization' || n.kind === 'Company' || n.kind === 'LegalEntity') {
      ctx.rect(n.x - r, n.y - r, 2 * r, 2 * r);
    } else {
      ctx.moveTo(n.x, n.y - r * 1.2);
      ctx.lineTo(n.x + r * 1.2, n.y);
      ctx.lineTo(n.x, n.y + r * 1.2);
      ctx.lineTo(n.x - r * 1.2, n.y);
      ctx.closePath();
    }
  }

  /** The nodes next to the selection (labelled and highlighted). */
  function neighbourhood() {
    const near = new Set();
    if (!selected) return near;
    near.add(selected);
    for (const e of incident.get(selected.id) || []) {
      if (!e.shown) continue;
      near.add(e.s);
      near.add(e.t);
    }
    return near;
  }

  function draw() {
    const start = performance.now();
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    const k = view.k;
    tiny = 2.5 / k;
    ctx.setTransform(dpr * k, 0, 0, dpr * k, dpr * view.tx, dpr * view.ty);
    // World bounds of the screen, for culling.
    const wx0 = -view.tx / k - 30;
    const wy0 = -view.ty / k - 30;
    const wx1 = (width - view.tx) / k + 30;
    const wy1 = (height - view.ty) / k + 30;
    const inView = (n) => n.x >= wx0 && n.x <= wx1 && n.y >= wy0 && n.y <= wy1;

    if (grouped) drawHulls();

    // Links, batched by type and weight band.
    const batches = new Map();
    const cut = [];
    for (const e of shownEdges) {
      const s = e.s;
      const t = e.t;
      if ((s.x < wx0 && t.x < wx0) || (s.x > wx1 && t.x > wx1) || (s.y < wy0 && t.y < wy0) || (s.y > wy1 && t.y > wy1)) continue;
      if (removedIds.size && (removedIds.has(s.id) || removedIds.has(t.id))) {
        cut.push(e);
        continue;
      }
      const band = e.weight >= 0.66 ? 2 : e.weight >= 0.33 ? 1 : 0;
      // Links among the entities a disruption plan cuts off are faded with them.
      const faded = cutOff.size > 0 && (cutOff.has(s) || cutOff.has(t));
      const key = `${e.type}\u0000${band}\u0000${faded}`;
      let list = batches.get(key);
      if (!list) batches.set(key, (list = { type: e.type, band, faded, edges: [] }));
      list.edges.push(e);
    }
    const near = neighbourhood();
    const edgeAlpha = highlight ? 0.15 : selected ? 0.35 : 0.75;
    for (const b of batches.values()) {
      ctx.globalAlpha = b.faded && !highlight ? 0.15 : edgeAlpha;
      ctx.strokeStyle = typeColour.get(b.type) || TYPE_COLOURS[0];
      ctx.lineWidth = (0.8 + b.band * 0.9) / k;
      ctx.beginPath();
      for (const e of b.edges) {
        ctx.moveTo(e.s.x, e.s.y);
        ctx.lineTo(e.t.x, e.t.y);
      }
      ctx.stroke();
    }
    // Links of removed nodes: dashed and faint.
    if (cut.length) {
      ctx.globalAlpha = 0.5;
      ctx.strokeStyle = NO_COMMUNITY;
      ctx.lineWidth = 1 / k;
      ctx.setLineDash([4 / k, 4 / k]);
      ctx.beginPath();
      for (const e of cut) {
        ctx.moveTo(e.s.x, e.s.y);
        ctx.lineTo(e.t.x, e.t.y);
      }
      ctx.stroke();
      ctx.setLineDash([]);
    }
    ctx.globalAlpha = 1;
    // Highlighted links: the selection's (unless a path is shown), the hovered one, the one whose provenance is open.
    const strong = new Set();
    if (selected && !highlight && !removedIds.size) for (const e of incident.get(selected.id)) if (e.shown) strong.add(e);
    if (hoverEdge && hoverEdge.shown) strong.add(hoverEdge);
    if (provenanceEdge && provenanceEdge.shown) strong.add(provenanceEdge);
    for (const e of strong) {
      ctx.strokeStyle = typeColour.get(e.type) || TYPE_COLOURS[0];
      ctx.lineWidth = (e === provenanceEdge || e === hoverEdge ? 4 : 2.2) / k;
      ctx.beginPath();
      ctx.moveTo(e.s.x, e.s.y);
      ctx.lineTo(e.t.x, e.t.y);
      ctx.stroke();
    }
    // The path shown: a thick line from end to end, on a white casing.
    if (highlight) {
      const list = highlight.nodes;
      ctx.lineCap = 'round';
      ctx.lineJoin = 'round';
      for (const [colour, w] of [['#ffffff', 9], [PATH_COLOUR, 5]]) {
        ctx.strokeStyle = colour;
        ctx.lineWidth = w / k;
        ctx.beginPath();
        ctx.moveTo(list[0].x, list[0].y);
        for (let i = 1; i < list.length; i++) ctx.lineTo(list[i].x, list[i].y);
        ctx.stroke();
      }
      ctx.lineCap = 'butt';
      ctx.lineJoin = 'miter';
    }

    // Nodes, batched by colour and opacity: a shown path dims every other node; a disruption plan
    // dims the removed and those cut off from the largest remaining component; a selection dims
    // what is not next to it.
    const alphaOf = (n) => {
      if (highlight) return highlight.set.has(n) ? 1 : 0.18;
      if (removedIds.size) return removedIds.has(n.id) ? 0.45 : cutOff.has(n) ? 0.2 : 1;
      if (selected) return near.has(n) ? 1 : 0.45;
      return 1;
    };
    const nodeBatches = new Map();
    const visible = [];
    for (const n of shownNodes) {
      if (!inView(n)) continue;
      visible.push(n);
      const colour = communityColour(n.community);
      const alpha = alphaOf(n);
      const key = `${colour}|${alpha}`;
      let b = nodeBatches.get(key);
      if (!b) nodeBatches.set(key, (b = { colour, alpha, list: [] }));
      b.list.push(n);
    }
    for (const b of [...nodeBatches.values()].sort((x, y) => x.alpha - y.alpha)) {
      ctx.fillStyle = b.colour;
      ctx.globalAlpha = b.alpha;
      ctx.beginPath();
      for (const n of b.list) shapePath(n, radius(n));
      ctx.fill();
    }
    ctx.globalAlpha = 1;
    // A white rim separates nodes that are large enough on screen to overlap visibly.
    ctx.lineWidth = 1 / k;
    ctx.strokeStyle = '#ffffff';
    ctx.beginPath();
    for (const n of visible) {
      const r = radius(n);
      if (r * k >= 4) shapePath(n, r);
    }
    ctx.stroke();
    // Seeds: dark outline; selection: amber ring; hover: thin ring.
    ctx.strokeStyle = '#16202b';
    ctx.lineWidth = 2 / k;
    ctx.beginPath();
    for (const n of visible) if (n.seed) shapePath(n, radius(n) + 1 / k);
    ctx.stroke();
    // Path nodes: a ring in the path's colour; removed nodes: crossed out.
    if (highlight) {
      ctx.strokeStyle = PATH_COLOUR;
      ctx.lineWidth = 3 / k;
      ctx.beginPath();
      for (const n of highlight.nodes) {
        const r = radius(n) + 3 / k;
        ctx.moveTo(n.x + r, n.y);
        ctx.arc(n.x, n.y, r, 0, 2 * Math.PI);
      }
      ctx.stroke();
    }
    if (removedIds.size) {
      ctx.strokeStyle = '#b00020';
      ctx.lineWidth = 2.5 / k;
      ctx.beginPath();
      for (const n of visible) {
        if (!removedIds.has(n.id)) continue;
        const r = radius(n) + 3 / k;
        ctx.moveTo(n.x - r, n.y - r);
        ctx.lineTo(n.x + r, n.y + r);
        ctx.moveTo(n.x + r, n.y - r);
        ctx.lineTo(n.x - r, n.y + r);
      }
      ctx.stroke();
    }
    for (const [n, colour, w] of [[selected, '#f0b400', 3.5], [hoverNode, '#16202b', 1.2]]) {
      if (!n || !n.shown) continue;
      ctx.strokeStyle = colour;
      ctx.lineWidth = w / k;
      ctx.beginPath();
      ctx.arc(n.x, n.y, radius(n) + 4 / k, 0, 2 * Math.PI);
      ctx.stroke();
    }
    // Pinned: a dark pin head above and to the right.
    ctx.fillStyle = '#16202b';
    ctx.strokeStyle = '#ffffff';
    ctx.lineWidth = 1 / k;
    ctx.beginPath();
    for (const n of visible) {
      if (!n.pinned) continue;
      const r = radius(n);
      const px = n.x + r * 0.8;
      const py = n.y - r * 0.8;
      ctx.moveTo(px + 3.5 / k, py);
      ctx.arc(px, py, 3.5 / k, 0, 2 * Math.PI);
    }
    ctx.fill();
    ctx.stroke();

    drawLabels(visible, near);
    perf.drawMs = performance.now() - start;
    perf.frames++;
    canvas.dataset.nodes = String(shownNodes.length);
    canvas.dataset.edges = String(shownEdges.length);
    canvas.dataset.frames = String(perf.frames);
  }

  /**
   * Faint discs around each community when grouped: centred on its members, as wide as they
   * spread (root mean square, so that a straggler still on its way does not blow it up), and
   * left out while a community is still scattered.
   */
  function drawHulls() {
    const groups = new Map();
    for (const n of shownNodes) {
      if (n.community === null) continue;
      let g = groups.get(n.community);
      if (!g) groups.set(n.community, (g = { n: 0, x: 0, y: 0, list: [] }));
      g.n++;
      g.x += n.x;
      g.y += n.y;
      g.list.push(n);
    }
    for (const [community, g] of groups) {
      if (g.n < 3) continue;
      const cx = g.x / g.n;
      const cy = g.y / g.n;
      let sum = 0;
      for (const n of g.list) sum += (n.x - cx) ** 2 + (n.y - cy) ** 2;
      const r = 1.4 * Math.sqrt(sum / g.n) + 10;
      if (r > sim.linkDistance * (2 + 1.5 * Math.sqrt(g.n))) continue;
      ctx.globalAlpha = 0.1;
      ctx.fillStyle = communityColour(community);
      ctx.beginPath();
      ctx.arc(cx, cy, r, 0, 2 * Math.PI);
      ctx.fill();
      ctx.globalAlpha = 1;
    }
  }

  /**
   * Labels: every node on screen once zoomed in (up to a cap), else the selection, its neighbours,
   * seeds and the hovered node. Drawn in order of importance (the selected and hovered nodes, the
   * highlighted path, seeds, the selection's neighbours, then larger nodes first); a label that
   * would overlap one already drawn goes to the left of its node instead, or is left out when that
   * overlaps too, so that a dense chart stays readable (hovering a node, or zooming in, shows the
   * ones left out). The selected and hovered nodes' labels are always drawn.
   */
  function drawLabels(visible, near) {
    const wanted = [];
    if (view.k >= 1.3 && visible.length <= 1500) {
      for (const n of visible) wanted.push(n);
    } else {
      for (const n of visible) if (n.seed || near.has(n) || removedIds.has(n.id) || (highlight && highlight.set.has(n))) wanted.push(n);
    }
    if (hoverNode && hoverNode.shown && !wanted.includes(hoverNode)) wanted.push(hoverNode);
    const rank = (n) => (n === selected || n === hoverNode ? 0 : highlight && highlight.set.has(n) ? 1 : n.seed ? 2 : near.has(n) ? 3 : 4);
    const ranked = wanted.map((n) => ({ n, rank: rank(n), r: radius(n) }));
    ranked.sort((a, b) => a.rank - b.rank || b.r - a.r);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.font = LABEL_FONT;
    ctx.textBaseline = 'middle';
    ctx.lineJoin = 'round';
    const placed = new LabelGrid();
    labelBoxes = [];
    let hidden = 0;
    for (const { n, rank: importance, r } of ranked) {
      if (labelBoxes.length >= 600) break;
      const label = n.caption.length > 34 ? `${n.caption.slice(0, 33)}…` : n.caption;
      if (n.labelText !== label) {
        n.labelText = label;
        n.labelWidth = ctx.measureText(label).width;
      }
      // Right of the node, or else left of it; left out when both would overlap.
      const cx = n.x * view.k + view.tx;
      const sy = n.y * view.k + view.ty;
      const gap = r * view.k + 4;
      const at = (sx) => ({ id: n.id, x0: sx - 1, y0: sy - LABEL_HALF_HEIGHT, x1: sx + n.labelWidth + 1, y1: sy + LABEL_HALF_HEIGHT });
      let box = at(cx + gap);
      if (importance > 0 && placed.overlaps(box)) {
        box = at(cx - gap - n.labelWidth);
        if (placed.overlaps(box)) {
          hidden++;
          continue;
        }
      }
      const sx = box.x0 + 1;
      placed.add(box);
      labelBoxes.push(box);
      ctx.lineWidth = 3;
      ctx.strokeStyle = 'rgba(255,255,255,0.9)';
      ctx.strokeText(label, sx, sy);
      ctx.fillStyle = n === selected || (highlight && highlight.set.has(n)) ? '#000000' : highlight ? '#8a9099' : '#1b1f24';
      ctx.fillText(label, sx, sy);
    }
    perf.labelsHidden = hidden;
  }

  // ---------------------------------------------------------------- view

  /** Fits the shown nodes into the canvas; `manual` ends automatic fitting. */
  function fit(manual) {
    if (manual) autoFit = false;
    const list = shownNodes.length ? shownNodes : nodes;
    if (!list.length || width < 2) return;
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    for (const n of list) {
      if (!Number.isFinite(n.x)) continue;
      const r = radius(n);
      x0 = Math.min(x0, n.x - r);
      y0 = Math.min(y0, n.y - r);
      x1 = Math.max(x1, n.x + r);
      y1 = Math.max(y1, n.y + r);
    }
    if (!Number.isFinite(x0)) return;
    const margin = 40;
    const k = Math.min((width - 2 * margin) / Math.max(1, x1 - x0), (height - 2 * margin) / Math.max(1, y1 - y0), 2.5);
    view.k = Math.max(0.02, k);
    view.tx = width / 2 - ((x0 + x1) / 2) * view.k;
    view.ty = height / 2 - ((y0 + y1) / 2) * view.k;
    if (manual) schedule();
  }

  /** Zooms by `factor` keeping the screen point (px, py) still. */
  function zoomAt(px, py, factor) {
    autoFit = false;
    const k = Math.max(0.02, Math.min(12, view.k * factor));
    const wx = (px - view.tx) / view.k;
    const wy = (py - view.ty) / view.k;
    view.k = k;
    view.tx = px - wx * k;
    view.ty = py - wy * k;
    schedule();
  }

  /** Centres the view on a node. */
  function centreOn(n) {
    autoFit = false;
    view.k = Math.max(view.k, 1.4);
    view.tx = width / 2 - n.x * view.k;
    view.ty = height / 2 - n.y * view.k;
    schedule();
  }

  const toWorld = (px, py) => ({ x: (px - view.tx) / view.k, y: (py - view.ty) / view.k });

  /** The shown node under the screen point, if any (the topmost). */
  function nodeAt(px, py) {
    const w = toWorld(px, py);
    const slack = 3 / view.k;
    for (let i = shownNodes.length - 1; i >= 0; i--) {
      const n = shownNodes[i];
      const r = radius(n) * (n.kind === 'Person' ? 1 : 1.2) + slack;
      const dx = n.x - w.x;
      const dy = n.y - w.y;
      if (dx * dx + dy * dy <= r * r) return n;
    }
    return null;
  }

  /** The shown edge within 5 screen pixels of the point, the nearest one. */
  function edgeAt(px, py) {
    let best = null;
    let bestD = 5;
    for (const e of shownEdges) {
      const ax = e.s.x * view.k + view.tx;
      const ay = e.s.y * view.k + view.ty;
      const bx = e.t.x * view.k + view.tx;
      const by = e.t.y * view.k + view.ty;
      const dx = bx - ax;
      const dy = by - ay;
      const len2 = dx * dx + dy * dy;
      let u = len2 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
      u = Math.max(0, Math.min(1, u));
      const d = Math.hypot(ax + u * dx - px, ay + u * dy - py);
      if (d < bestD) {
        bestD = d;
        best = e;
      }
    }
    return best;
  }

  // ---------------------------------------------------------------- pointer and keyboard

  let gesture = null;
  const local = (ev) => {
    const rect = canvas.getBoundingClientRect();
    return { x: ev.clientX - rect.left, y: ev.clientY - rect.top };
  };

  canvas.addEventListener('pointerdown', (ev) => {
    if (ev.button !== 0) return;
    const p = local(ev);
    gesture = { node: nodeAt(p.x, p.y), start: p, last: p, moved: false };
    canvas.setPointerCapture(ev.pointerId);
  });

  canvas.addEventListener('pointermove', (ev) => {
    const p = local(ev);
    if (gesture) {
      if (!gesture.moved && Math.hypot(p.x - gesture.start.x, p.y - gesture.start.y) > 3) {
        gesture.moved = true;
        autoFit = false;
        if (gesture.node) {
          sim.alphaTarget = 0.3;
          reheat(0.3);
        }
      }
      if (gesture.moved) {
        if (gesture.node) {
          const w = toWorld(p.x, p.y);
          const n = gesture.node;
          n.pinned = true;
          n.fx = n.x = w.x;
          n.fy = n.y = w.y;
        } else {
          view.tx += p.x - gesture.last.x;
          view.ty += p.y - gesture.last.y;
        }
        gesture.last = p;
        schedule();
      }
      return;
    }
    const n = nodeAt(p.x, p.y);
    const e = n ? null : edgeAt(p.x, p.y);
    if (n !== hoverNode || e !== hoverEdge) {
      hoverNode = n;
      hoverEdge = e;
      canvas.classList.toggle('pointing', Boolean(n || e));
      canvas.title = n ? `${n.caption} (${n.kind})` : e ? `${e.type}: ${e.s.caption} – ${e.t.caption}` : '';
      schedule();
    }
  });

  function endGesture(ev) {
    if (!gesture) return;
    const g = gesture;
    gesture = null;
    if (canvas.hasPointerCapture(ev.pointerId)) canvas.releasePointerCapture(ev.pointerId);
    if (g.moved) {
      if (g.node) {
        sim.alphaTarget = 0;
        if (g.node === selected) renderNodePanel();
      }
      return;
    }
    if (ev.type === 'pointercancel') return;
    const p = local(ev);
    const n = nodeAt(p.x, p.y);
    if (n) {
      if (picking) pickTarget(n);
      else select(n);
      return;
    }
    const e = edgeAt(p.x, p.y);
    if (e) openEdge(e);
    else select(null);
  }
  canvas.addEventListener('pointerup', endGesture);
  canvas.addEventListener('pointercancel', endGesture);
  canvas.addEventListener('pointerleave', () => {
    if (hoverNode || hoverEdge) {
      hoverNode = null;
      hoverEdge = null;
      schedule();
    }
  });

  canvas.addEventListener('dblclick', (ev) => {
    const p = local(ev);
    const n = nodeAt(p.x, p.y);
    if (n) {
      ev.preventDefault();
      select(n);
      expand(n);
    }
  });

  canvas.addEventListener(
    'wheel',
    (ev) => {
      ev.preventDefault();
      const p = local(ev);
      const delta = ev.deltaMode === 1 ? ev.deltaY * 16 : ev.deltaY;
      zoomAt(p.x, p.y, Math.exp(-delta * 0.0015));
    },
    { passive: false },
  );

  canvas.addEventListener('keydown', (ev) => {
    if (ev.key === '+' || ev.key === '=') zoomAt(width / 2, height / 2, 1.25);
    else if (ev.key === '-' || ev.key === '_') zoomAt(width / 2, height / 2, 0.8);
    else if (ev.key === '0') fit(true);
    else if (ev.key === 'Enter' && selected) expand(selected);
    else return;
    ev.preventDefault();
  });

  document.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Escape') return;
    if (picking) stopPicking();
    else if (!$('net-provenance').hidden) closeProvenance();
    else if (selected) select(null);
    else return;
    ev.preventDefault();
  });

  // ---------------------------------------------------------------- panels

  function setError(message) {
    const el = $('net-error');
    el.textContent = message || '';
    el.hidden = !message;
  }

  function updateStatus() {
    let s = `${shownNodes.length} of ${nodes.length} entities and ${shownEdges.length} of ${edges.length} links shown.`;
    const pinned = nodes.filter((n) => n.pinned).length;
    if (pinned) s += ` ${pinned} pinned.`;
    if (truncated) s += ` The network was cut at ${LIMIT} entities: expand nodes to see further.`;
    $('net-status').textContent = s;
    $('net-placeholder').hidden = [...root.querySelectorAll('.network-panel')].some((p) => !p.hidden);
  }

  /** Selects a node (or nothing) and shows its panel. */
  function select(n) {
    selected = n;
    if (n && !n.shown) refilter();
    renderNodePanel();
    updateStatus();
    schedule();
  }

  const fmt = (v, digits) => (Number.isFinite(v) ? (Number.isInteger(v) ? String(v) : v.toFixed(digits)) : '–');
  const span = (cls, value) => {
    const el = document.createElement('span');
    el.className = cls;
    el.textContent = value;
    return el;
  };

  function renderNodePanel() {
    const panel = $('net-node');
    if (!selected) {
      panel.hidden = true;
      return;
    }
    const n = selected;
    panel.hidden = false;
    panel.dataset.entity = n.id;
    $('net-node-caption').textContent = n.caption;
    const kind = $('net-node-kind');
    kind.textContent = n.kind;
    kind.className = `kind kind-${n.kind}`;
    $('net-node-id').textContent = n.id;
    $('net-node-degree').textContent = fmt(n.degree, 0);
    $('net-node-betweenness').textContent = Number.isFinite(n.betweenness) ? n.betweenness.toFixed(3) : '–';
    $('net-node-community').textContent = n.community === null ? 'none' : String(n.community);
    $('net-node-community').dataset.community = n.community === null ? '' : String(n.community);
    $('net-node-link').href = `/entity/${encodeURIComponent(n.id)}`;
    const expandButton = $('net-expand');
    expandButton.disabled = n.expanded || n.loading === true;
    expandButton.textContent = n.loading ? 'Expanding…' : n.expanded ? 'Expanded' : 'Expand';
    $('net-pin').textContent = n.pinned ? 'Unpin' : 'Pin';
    $('net-pin').setAttribute('aria-pressed', String(n.pinned));
    $('net-path-start').setAttribute('aria-pressed', String(picking && pathFrom === n));
    $('net-path-start').textContent = picking && pathFrom === n ? 'Choosing the other end… (Escape)' : 'Path to…';
    renderSuccessors();

    const members = $('net-node-members');
    members.replaceChildren();
    for (const m of n.members.length ? n.members : [n.id]) {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = `/entity/${encodeURIComponent(m)}`;
      a.className = 'member-link';
      a.textContent = m;
      li.append(a);
      if (m === n.id) li.append(' ', span('id', '(representative)'));
      members.append(li);
    }

    const list = $('net-node-links');
    list.replaceChildren();
    const mine = incident.get(n.id) || [];
    const shown = mine.filter(edgeShown).sort((a, b) => b.weight - a.weight || a.type.localeCompare(b.type));
    for (const e of shown) {
      const other = e.s === n ? e.t : e.s;
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'net-link';
      b.dataset.edge = e.id;
      const swatch = span('net-swatch', '');
      swatch.style.backgroundColor = typeColour.get(e.type) || TYPE_COLOURS[0];
      b.append(swatch, span('net-link-type', e.type), ` ${e.s === n ? '→' : '←'} `, span('net-link-other', other.caption));
      const facts = [];
      if (e.statements !== null) facts.push(`${e.statements} statement${e.statements === 1 ? '' : 's'}`);
      if (e.agencies !== null) facts.push(`${e.agencies} agenc${e.agencies === 1 ? 'y' : 'ies'}`);
      if (e.first) facts.push(e.first === e.last || !e.last ? e.first : `${e.first} – ${e.last}`);
      facts.push(`weight ${e.weight.toFixed(2)}`);
      b.append(span('net-link-facts', facts.join(' · ')));
      if (e === provenanceEdge) b.setAttribute('aria-current', 'true');
      li.append(b);
      list.append(li);
    }
    $('net-node-link-count').textContent = String(shown.length);
    const hidden = mine.length - shown.length;
    const note = $('net-node-hidden');
    note.hidden = hidden === 0;
    note.textContent = hidden ? `${hidden} more link${hidden === 1 ? '' : 's'} hidden by the filters.` : '';
  }

  $('net-node-links').addEventListener('click', (ev) => {
    const b = ev.target instanceof Element ? ev.target.closest('button.net-link') : null;
    if (!b) return;
    const e = edgeById.get(b.dataset.edge);
    if (e) openEdge(e);
  });
  $('net-node-close').addEventListener('click', () => select(null));
  $('net-prov-close').addEventListener('click', () => closeProvenance());
  $('net-expand').addEventListener('click', () => {
    if (selected) expand(selected);
  });
  $('net-pin').addEventListener('click', () => {
    if (!selected) return;
    togglePin(selected);
  });

  function togglePin(n) {
    n.pinned = !n.pinned;
    n.fx = n.pinned ? n.x : null;
    n.fy = n.pinned ? n.y : null;
    if (!n.pinned) reheat(0.2);
    renderNodePanel();
    updateStatus();
    schedule();
  }

  const CLASSIFICATIONS = ['OFFICIAL', 'OFFICIAL-SENSITIVE', 'SECRET', 'TOP SECRET'];
  const CLASS_CSS = ['cls-official', 'cls-official-sensitive', 'cls-secret', 'cls-top-secret'];
  /** The classification a banner starts with, as an index into CLASSIFICATIONS. */
  function classificationOf(banner) {
    const b = text(banner).trimStart().toUpperCase();
    if (b.startsWith('TOP SECRET')) return 3;
    if (b.startsWith('SECRET')) return 2;
    if (b.startsWith('OFFICIAL-SENSITIVE')) return 1;
    return 0;
  }

  function closeProvenance() {
    provenanceEdge = null;
    provenanceRequest++;
    $('net-provenance').hidden = true;
    renderNodePanel();
    updateStatus();
    schedule();
  }

  /** Opens the provenance panel of an edge: every statement behind it, with its report, agency, grading, marking, date and origin. */
  async function openEdge(e) {
    provenanceEdge = e;
    const request = ++provenanceRequest;
    const panel = $('net-provenance');
    panel.hidden = false;
    panel.scrollIntoView({ block: 'nearest' });
    panel.dataset.edge = e.id;
    panel.dataset.state = 'loading';
    $('net-prov-banner').replaceChildren();
    $('net-prov-title').textContent = `${e.s.caption} — ${e.type} — ${e.t.caption}`;
    $('net-prov-weight').textContent = 'Loading the statements…';
    $('net-prov-explanation').textContent = '';
    $('net-prov-statements').replaceChildren();
    renderNodePanel();
    updateStatus();
    schedule();
    const q = new URLSearchParams({ source: e.source, target: e.target, type: e.type });
    let data;
    try {
      data = await getJSON(`${EDGE_API}?${q}`);
    } catch (err) {
      if (request !== provenanceRequest) return;
      panel.dataset.state = 'error';
      $('net-prov-weight').textContent = `Could not load the provenance: ${err.message}`;
      return;
    }
    if (request !== provenanceRequest) return;
    const statements = Array.isArray(data.statements) ? data.statements : [];
    let highest = -1;
    for (const s of statements) highest = Math.max(highest, classificationOf(s.banner));
    if (highest >= 0) {
      const b = document.createElement('div');
      b.className = `banner page-banner ${CLASS_CSS[highest]}`;
      b.setAttribute('role', 'note');
      b.append(CLASSIFICATIONS[highest], ' ', span('owner', 'highest marking in this panel'));
      $('net-prov-banner').replaceChildren(b);
    }
    const weight = Number.isFinite(data.weight) ? data.weight : e.weight;
    $('net-prov-weight').textContent = `Weight ${weight.toFixed(2)} · ${statements.length} statement${statements.length === 1 ? '' : 's'}`;
    $('net-prov-explanation').textContent = text(data.explanation);
    const list = $('net-prov-statements');
    for (const s of statements) {
      const li = document.createElement('li');
      li.className = 'prov-statement';
      li.dataset.statement = text(s.id);
      li.dataset.report = text(s.report_id);
      li.dataset.agency = text(s.agency);
      const top = document.createElement('div');
      top.className = 'prov-line';
      const marking = span(`marking ${CLASS_CSS[classificationOf(s.banner)]}`, text(s.banner) || 'OFFICIAL');
      const report = document.createElement('a');
      report.className = 'report-link';
      report.href = `/report/${encodeURIComponent(text(s.report_id))}`;
      report.textContent = text(s.report_id);
      const grading = document.createElement('abbr');
      grading.className = 'grading';
      grading.textContent = text(s.grading);
      grading.title = 'Grading of the source report';
      top.append(marking, ' ', report, ' ', span('agency', text(s.agency)), ' ', grading, ' ', span('date', s.observed ? `observed ${text(s.observed)}` : 'no observed date'), ' ', span(`origin origin-${text(s.origin)}`, text(s.origin)));
      const what = document.createElement('div');
      what.className = 'prov-what';
      const entity = document.createElement('a');
      entity.href = `/entity/${encodeURIComponent(text(s.entity))}`;
      entity.className = 'entity-link';
      entity.textContent = captionOf(text(s.entity));
      const value = document.createElement('a');
      value.href = `/entity/${encodeURIComponent(text(s.value))}`;
      value.className = 'entity-link';
      value.textContent = captionOf(text(s.value));
      what.append(entity, ' ', span('property', text(s.property)), ' ', value);
      li.append(top, what);
      list.append(li);
    }
    if (!statements.length) {
      const li = document.createElement('li');
      li.className = 'empty';
      li.textContent = 'No statement behind this link is visible to you.';
      list.append(li);
    }
    panel.dataset.state = 'ready';
  }

  /** A node's caption for an entity id (a member of a loaded node), else the id. */
  function captionOf(id) {
    const n = byId.get(id);
    if (n) return n.caption;
    for (const m of nodes) if (m.members.includes(id)) return `${m.caption} (${id})`;
    return id;
  }

  /** Fetches the neighbours of a node and merges them into the chart. */
  async function expand(n) {
    if (n.expanded || n.loading) return;
    n.loading = true;
    renderNodePanel();
    setError('');
    try {
      // The chart as one answer (the seeds and every expanded node, one hop around each), so that
      // communities, degree and betweenness are computed over all of it; only the node's own
      // neighbourhood when the chart started from the whole network or has too many expansions.
      const scope = chartSeeds([n.id]);
      const data = await getJSON(networkUrl(scope.whole ? scope.seeds : [n.id]));
      data.whole = scope.whole;
      n.expanded = true;
      merge(data, n, false);
    } catch (err) {
      setError(`Could not expand ${n.caption}: ${err.message}`);
    } finally {
      n.loading = false;
      renderNodePanel();
    }
  }

  // ---------------------------------------------------------------- toolbar

  function buildTypeControls() {
    const box = $('net-types');
    const have = new Set([...box.querySelectorAll('input[data-type]')].map((i) => i.dataset.type));
    if (!have.size && linkTypes.length) box.replaceChildren();
    for (const type of linkTypes) {
      if (have.has(type)) continue;
      const label = document.createElement('label');
      label.className = 'net-type';
      const input = document.createElement('input');
      input.type = 'checkbox';
      input.checked = enabledTypes.has(type);
      input.dataset.type = type;
      const swatch = span('net-swatch', '');
      swatch.style.backgroundColor = typeColour.get(type);
      label.append(input, swatch, type);
      box.append(label);
    }
  }

  $('net-types').addEventListener('change', (ev) => {
    const input = ev.target;
    if (!(input instanceof HTMLInputElement) || !input.dataset.type) return;
    if (input.checked) enabledTypes.add(input.dataset.type);
    else enabledTypes.delete(input.dataset.type);
    refilter();
    reheat(0.3);
  });

  function updatePeriodControls() {
    for (const id of ['net-from', 'net-until']) {
      const input = $(id);
      if (period.first) input.min = period.first;
      if (period.last) input.max = period.last;
    }
    $('net-period').textContent = period.first && period.last ? `links observed ${period.first} – ${period.last}` : '';
  }

  function readTime() {
    filter.from = $('net-from').value || '';
    filter.until = $('net-until').value || '';
    filter.undated = $('net-undated').checked;
    refilter();
    reheat(0.3);
  }
  for (const id of ['net-from', 'net-until', 'net-undated']) $(id).addEventListener('change', readTime);
  $('net-time-reset').addEventListener('click', () => {
    $('net-from').value = '';
    $('net-until').value = '';
    $('net-undated').checked = true;
    readTime();
  });

  $('net-size').addEventListener('change', () => {
    sizeBy = $('net-size').value === 'betweenness' ? 'betweenness' : 'degree';
    schedule();
  });
  $('net-group').addEventListener('change', () => {
    grouped = $('net-group').checked;
    computeAnchors();
    reheat(0.8);
  });
  $('net-zoom-in').addEventListener('click', () => zoomAt(width / 2, height / 2, 1.25));
  $('net-zoom-out').addEventListener('click', () => zoomAt(width / 2, height / 2, 0.8));
  $('net-fit').addEventListener('click', () => fit(true));
  $('net-unpin-all').addEventListener('click', () => {
    for (const n of nodes) {
      n.pinned = false;
      n.fx = null;
      n.fy = null;
    }
    renderNodePanel();
    updateStatus();
    reheat(0.3);
  });
  $('net-pause').addEventListener('click', () => {
    paused = !paused;
    $('net-pause').textContent = paused ? 'Resume layout' : 'Pause layout';
    $('net-pause').setAttribute('aria-pressed', String(paused));
    if (!paused) reheat(0.1);
    schedule();
  });

  function updateFindList() {
    const list = $('net-captions');
    const options = [];
    for (const n of nodes.slice(0, 5000)) {
      const o = document.createElement('option');
      o.value = n.id;
      o.label = `${n.caption} (${n.kind})`;
      o.textContent = `${n.caption} (${n.kind})`;
      options.push(o);
    }
    list.replaceChildren(...options);
  }

  $('net-find').addEventListener('change', () => {
    const q = $('net-find').value.trim();
    if (!q) return;
    const n = findNode(q, true);
    if (!n) {
      setError(`Nothing on the chart matches “${q}”.`);
      return;
    }
    setError('');
    if (picking) {
      pickTarget(n);
      return;
    }
    select(n);
    centreOn(n);
  });

  // ---------------------------------------------------------------- analysis tools: shared

  /** The node a typed name or id stands for: an id, a caption, a member id, then (when `loose`) part of a caption. */
  function findNode(q, loose) {
    const lower = q.toLowerCase();
    return (
      byId.get(q) ||
      nodes.find((m) => m.caption.toLowerCase() === lower) ||
      nodes.find((m) => m.members.includes(q)) ||
      (loose ? nodes.find((m) => m.caption.toLowerCase().includes(lower)) : null) ||
      null
    );
  }

  /** The seeds that describe the chart in one request: the chosen entities and every expanded one (and `extra`); `whole` when one request can name them all. */
  function chartSeeds(extra) {
    const expanded = nodes.filter((m) => m.expanded).map((m) => m.id);
    const union = [...new Set([...seedIds, ...expanded, ...extra])];
    return { seeds: union, whole: seedIds.length > 0 && union.length <= MAX_SEEDS };
  }

  /** Adds the chart's scope (seeds and depth, or none for the whole network) to a query; says in words what it covers. */
  function addScope(q) {
    q.set('limit', String(LIMIT));
    if (!seedIds.length) return `the whole network visible to you (up to ${LIMIT} entities), as on the chart`;
    const scope = chartSeeds([]);
    if (!scope.whole) return `the whole network visible to you: the chart has more than ${MAX_SEEDS} chosen and expanded entities`;
    for (const id of scope.seeds) q.append('seed', id);
    q.set('depth', '1');
    const n = scope.seeds.length;
    return `the chart: ${n} chosen or expanded entit${n === 1 ? 'y' : 'ies'} and their direct links`;
  }

  /** Adds the chart's link-type filter (and, with `fromKey`, its time window) to a query; says in words what it adds. */
  function addFilters(q, fromKey) {
    const words = [];
    if (linkTypes.length && enabledTypes.size && enabledTypes.size < linkTypes.length) {
      const types = linkTypes.filter((t) => enabledTypes.has(t));
      q.set('types', types.join(','));
      words.push(`links of type ${types.join(', ')}`);
    }
    if (fromKey && filter.from) q.set(fromKey, filter.from);
    if (fromKey && filter.until) q.set('until', filter.until);
    if (fromKey && (filter.from || filter.until)) words.push(`observed ${filter.from || '…'} – ${filter.until || '…'}`);
    return words.length ? ` (only ${words.join(', ')}, as the chart's filters)` : '';
  }

  function toolError(id, message) {
    const el = $(id);
    el.textContent = message || '';
    el.hidden = !message;
  }

  function openTool(id) {
    const panel = $(id);
    panel.hidden = false;
    updateStatus();
    panel.scrollIntoView({ block: 'nearest' });
  }

  /** A button naming an entity, which selects and centres it on the chart; plain text when it is not on the chart. */
  function entityRef(id, caption) {
    const n = byId.get(id);
    if (!n) {
      const s = span('net-ref off-chart', caption || id);
      s.title = `${id}: not on the chart`;
      return s;
    }
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'net-ref';
    b.dataset.id = id;
    b.textContent = caption || n.caption;
    b.title = `${id}: select it on the chart`;
    return b;
  }

  root.querySelector('.network-side').addEventListener('click', (ev) => {
    const b = ev.target instanceof Element ? ev.target.closest('button.net-ref') : null;
    if (!b || !b.dataset.id) return;
    const n = byId.get(b.dataset.id);
    if (!n) return;
    select(n);
    centreOn(n);
  });

  const plural = (n, one, many) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
  const percent = (x) => `${Math.round(100 * x)}%`;

  /**
   * Brings entities not yet on the chart onto it, as Expand does: the chart is asked for again
   * with them as further seeds (one hop around each), or only around them when the chart is the
   * whole network or too many seeds.
   */
  async function bringIn(ids, around) {
    const missing = [...new Set(ids)].filter((id) => !byId.has(id));
    if (!missing.length) return;
    const scope = chartSeeds(missing);
    const data = await getJSON(networkUrl(scope.whole ? scope.seeds : missing.slice(0, MAX_SEEDS)));
    data.whole = scope.whole;
    merge(data, around, false);
    for (const id of missing) {
      const n = byId.get(id);
      if (n) n.expanded = true;
    }
  }

  // ---------------------------------------------------------------- how are these two linked?

  let pathRequest = 0;
  /** The last answer: `{ from, toCaption, ordered, paths }`. */
  let pathAnswer = null;

  function startPath(n) {
    if (picking && pathFrom === n) {
      stopPicking();
      return;
    }
    if (pathFrom !== n) $('net-path-to').value = '';
    pathFrom = n;
    picking = true;
    canvas.classList.add('picking');
    $('net-path-from').textContent = n.caption;
    $('net-path-from').dataset.id = n.id;
    $('net-path-hint').textContent = 'Click the other entity on the chart, or type or choose its name or id here or in Find. Escape cancels.';
    toolError('net-path-error', '');
    openTool('net-path');
    renderNodePanel();
  }

  function stopPicking() {
    picking = false;
    canvas.classList.remove('picking');
    $('net-path-hint').textContent = '';
    renderNodePanel();
  }

  function pickTarget(n) {
    if (n === pathFrom) {
      $('net-path-hint').textContent = 'That is where the path starts: choose another entity.';
      return;
    }
    $('net-path-to').value = n.id;
    findPaths();
  }

  /** Shows path `index` of the last answer on the chart (null: none), dimming everything else. */
  function setHighlight(index, list) {
    highlight = list && list.length ? { index, nodes: list, set: new Set(list) } : null;
    for (const b of $('net-path-list').querySelectorAll('button.path-show')) {
      const on = highlight !== null && Number(b.dataset.path) === index;
      b.setAttribute('aria-pressed', String(on));
      b.textContent = on ? 'Shown on the chart' : 'Show on the chart';
    }
    canvas.dataset.path = highlight ? String(highlight.nodes.length) : '0';
    refilter();
    schedule();
  }

  async function findPaths() {
    if (!pathFrom) return;
    const panel = $('net-path');
    const raw = $('net-path-to').value.trim();
    if (picking) stopPicking();
    if (!raw) {
      toolError('net-path-error', 'Choose the other entity: click it on the chart, or type its name or id.');
      return;
    }
    const target = findNode(raw, false);
    const to = target ? target.id : raw;
    const ordered = $('net-path-ordered').checked;
    const q = new URLSearchParams({ from: pathFrom.id, to, k: '3' });
    if (ordered) q.set('ordered', 'true');
    const filters = addFilters(q, 'after');
    const request = ++pathRequest;
    const from = pathFrom;
    toolError('net-path-error', '');
    setHighlight(null, null);
    pathAnswer = null;
    panel.dataset.state = 'loading';
    $('net-path-summary').textContent = 'Looking for paths…';
    $('net-path-list').replaceChildren();
    let data;
    try {
      data = await getJSON(`${PATHS_API}?${q}`);
    } catch (err) {
      if (request !== pathRequest) return;
      panel.dataset.state = 'error';
      $('net-path-summary').textContent = '';
      toolError('net-path-error', `Could not look for paths: ${err.message}`);
      return;
    }
    if (request !== pathRequest) return;
    const paths = (Array.isArray(data.paths) ? data.paths : []).filter((p) => Array.isArray(p.nodes) && p.nodes.length >= 2 && Array.isArray(p.hops) && Array.isArray(p.captions));
    const toCaption = target ? target.caption : paths.length ? text(paths[0].captions.at(-1)) : raw;
    pathAnswer = { from, toCaption, ordered, paths };
    panel.dataset.paths = String(paths.length);
    if (!paths.length) {
      $('net-path-summary').textContent = ordered
        ? `No path in time order from ${from.caption} to ${toCaption}: no chain of links observed one after the other joins them${filters}.`
        : `No path between ${from.caption} and ${toCaption} in the network visible to you${filters}.`;
      $('net-path-summary').classList.add('no-path');
      panel.dataset.state = 'ready';
      return;
    }
    $('net-path-summary').classList.remove('no-path');
    const hops = paths[0].hops.length;
    $('net-path-summary').textContent = ordered
      ? `The earliest path in time order: ${plural(hops, 'hop', 'hops')}, arriving ${text(paths[0].hops.at(-1).observed) || 'undated'}${filters}.`
      : `${plural(paths.length, 'path', 'paths')} found; the shortest has ${plural(hops, 'hop', 'hops')}${filters}.`;
    renderPaths();
    await showPath(0, request);
    panel.dataset.state = 'ready';
  }

  /** One edge of a hop, as "A —type→ B" with its evidence and a button to its provenance. */
  function hopEdge(path, h, j, raw) {
    const div = document.createElement('div');
    div.className = 'hop-edge';
    const type = text(raw.type);
    const forward = text(raw.source) === text(path.hops[j].from);
    const arrow = UNDIRECTED.has(type) ? `—${type}—` : forward ? `—${type}→` : `←${type}—`;
    const route = document.createElement('div');
    route.className = 'hop-route';
    const swatch = span('net-swatch', '');
    swatch.dataset.type = type;
    swatch.style.backgroundColor = typeColour.get(type) || NO_COMMUNITY;
    route.append(span('hop-end', text(path.captions[j])), ' ', swatch, span('hop-type', arrow), ' ', span('hop-end', text(path.captions[j + 1])));
    const facts = [];
    if (Number.isFinite(raw.agencies)) facts.push(plural(raw.agencies, 'agency', 'agencies'));
    if (Number.isFinite(raw.statements)) facts.push(plural(raw.statements, 'statement', 'statements'));
    if (Number.isFinite(raw.weight)) facts.push(`weight ${raw.weight.toFixed(2)}`);
    const first = dateOrNull(raw.first);
    const last = dateOrNull(raw.last);
    if (first) facts.push(first === last || !last ? first : `${first} – ${last}`);
    const line = document.createElement('div');
    line.className = 'hop-facts';
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'hop-prov';
    b.dataset.edge = text(raw.id);
    b.dataset.source = text(raw.source);
    b.dataset.target = text(raw.target);
    b.dataset.type = type;
    b.textContent = 'Provenance';
    b.title = 'The statements behind this link';
    line.append(span('hop-evidence', facts.join(' · ')), ' ', b);
    div.append(route, line);
    return div;
  }

  function renderPaths() {
    const box = $('net-path-list');
    box.replaceChildren();
    pathAnswer.paths.forEach((path, i) => {
      const section = document.createElement('section');
      section.className = 'path-item';
      section.dataset.path = String(i);
      const head = document.createElement('div');
      head.className = 'path-head';
      const title = pathAnswer.ordered ? 'Path in time order' : `Path ${i + 1}`;
      const show = document.createElement('button');
      show.type = 'button';
      show.className = 'path-show';
      show.dataset.path = String(i);
      show.setAttribute('aria-pressed', 'false');
      show.textContent = 'Show on the chart';
      head.append(span('path-title', `${title} · ${plural(path.hops.length, 'hop', 'hops')}`), ' ', show);
      const list = document.createElement('ol');
      list.className = 'path-hops';
      path.hops.forEach((h, j) => {
        const li = document.createElement('li');
        li.className = 'path-hop';
        li.dataset.from = text(h.from);
        li.dataset.to = text(h.to);
        if (pathAnswer.ordered) li.append(span('hop-date', h.observed ? `observed ${text(h.observed)}` : 'undated'));
        for (const raw of Array.isArray(h.edges) ? h.edges : []) li.append(hopEdge(path, h, j, raw));
        list.append(li);
      });
      section.append(head, list);
      box.append(section);
    });
  }

  /** Draws path `i` of the last answer on the chart, first bringing in its entities that are not there yet. */
  async function showPath(i, request) {
    const path = pathAnswer && pathAnswer.paths[i];
    if (!path) return;
    const ids = path.nodes.map(text);
    try {
      await bringIn(ids, pathAnswer.from);
    } catch (err) {
      if (request !== pathRequest) return;
      toolError('net-path-error', `Could not bring the path's entities onto the chart: ${err.message}`);
    }
    if (request !== pathRequest) return;
    // The hop's links join the chart too (the expansion may have stopped at its size limit).
    merge({ nodes: [], edges: path.hops.flatMap((h) => (Array.isArray(h.edges) ? h.edges : [])) }, null, false);
    // Link types new to the chart have their colour now.
    for (const sw of $('net-path-list').querySelectorAll('.net-swatch[data-type]')) sw.style.backgroundColor = typeColour.get(sw.dataset.type) || NO_COMMUNITY;
    const list = ids.map((id) => byId.get(id));
    if (list.some((n) => !n)) {
      toolError('net-path-error', 'Some entities of this path could not be placed on the chart.');
      setHighlight(null, null);
      return;
    }
    setHighlight(i, list);
  }

  $('net-path-start').addEventListener('click', () => {
    if (selected) startPath(selected);
  });
  $('net-path-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    findPaths();
  });
  $('net-path-ordered').addEventListener('change', () => {
    if (pathFrom && $('net-path-to').value.trim()) findPaths();
  });
  $('net-path-list').addEventListener('click', (ev) => {
    const el = ev.target instanceof Element ? ev.target : null;
    const show = el && el.closest('button.path-show');
    if (show) {
      showPath(Number(show.dataset.path), pathRequest);
      return;
    }
    const prov = el && el.closest('button.hop-prov');
    if (!prov) return;
    const { edge: id, source, target, type } = prov.dataset;
    const raw = pathAnswer && pathAnswer.paths.flatMap((p) => p.hops.flatMap((h) => h.edges || [])).find((e) => text(e.id) === id);
    const e = edgeById.get(id) || {
      id, source, target, type,
      s: byId.get(source) || { caption: captionOf(source) },
      t: byId.get(target) || { caption: captionOf(target) },
      weight: raw && Number.isFinite(raw.weight) ? raw.weight : 0,
      first: raw ? dateOrNull(raw.first) : null,
      last: raw ? dateOrNull(raw.last) : null,
    };
    openEdge(e);
  });
  function clearPath() {
    pathRequest++;
    pathAnswer = null;
    if (picking) stopPicking();
    setHighlight(null, null);
    $('net-path-list').replaceChildren();
    $('net-path-summary').textContent = '';
    $('net-path').dataset.state = '';
    toolError('net-path-error', '');
  }
  $('net-path-clear').addEventListener('click', clearPath);
  $('net-path-close').addEventListener('click', () => {
    clearPath();
    $('net-path').hidden = true;
    updateStatus();
  });

  // ---------------------------------------------------------------- disruption planning

  let removalRequest = 0;

  /**
   * Marks the shown nodes that the removals cut off from the largest remaining component (every
   * component of that size counts as largest; when none has two nodes, every node is cut off).
   */
  function computeCutOff() {
    cutOff = new Set();
    if (!removedIds.size) return;
    const component = new Map();
    const sizes = [];
    for (const start of shownNodes) {
      if (removedIds.has(start.id) || component.has(start)) continue;
      const c = sizes.length;
      let size = 0;
      const stack = [start];
      component.set(start, c);
      while (stack.length) {
        const n = stack.pop();
        size++;
        for (const e of incident.get(n.id)) {
          if (!e.shown) continue;
          const o = e.s === n ? e.t : e.s;
          if (removedIds.has(o.id) || component.has(o)) continue;
          component.set(o, c);
          stack.push(o);
        }
      }
      sizes.push(size);
    }
    const largest = Math.max(0, ...sizes);
    for (const [n, c] of component) if (largest < 2 || sizes[c] < largest) cutOff.add(n);
  }

  function disruptScope() {
    const q = new URLSearchParams();
    const scope = addScope(q);
    return `The plan covers ${scope}${addFilters(q, 'from')}.`;
  }

  async function planRemoval() {
    const panel = $('net-disrupt');
    const k = Number($('net-disrupt-k').value);
    if (!Number.isInteger(k) || k < 1 || k > 20) {
      toolError('net-disrupt-error', 'Choose between 1 and 20 removals.');
      return;
    }
    const kinds = [$('net-disrupt-person'), $('net-disrupt-org')].filter((c) => c.checked).map((c) => c.value);
    if (!kinds.length) {
      toolError('net-disrupt-error', 'Choose who may be removed: people, organisations or both.');
      return;
    }
    const q = new URLSearchParams({ k: String(k), kinds: kinds.join(',') });
    const scope = addScope(q);
    $('net-disrupt-scope').textContent = `The plan covers ${scope}${addFilters(q, 'from')}.`;
    const request = ++removalRequest;
    toolError('net-disrupt-error', '');
    panel.dataset.state = 'loading';
    $('net-disrupt-summary').textContent = 'Planning…';
    $('net-disrupt-steps').replaceChildren();
    let data;
    try {
      data = await getJSON(`${REMOVAL_API}?${q}`);
    } catch (err) {
      if (request !== removalRequest) return;
      panel.dataset.state = 'error';
      $('net-disrupt-summary').textContent = '';
      toolError('net-disrupt-error', `Could not plan the removals: ${err.message}`);
      return;
    }
    if (request !== removalRequest) return;
    const steps = Array.isArray(data.steps) ? data.steps : [];
    const initial = data.initial || {};
    const start = Number.isFinite(initial.connected_pairs) ? initial.connected_pairs : 0;
    removedIds.clear();
    for (const s of steps) if (s.node) removedIds.add(text(s.node.id));
    const summary = $('net-disrupt-summary');
    summary.replaceChildren(span('summary-line', `Before: ${plural(start, 'connected pair', 'connected pairs')} of entities, in ${plural(initial.components || 0, 'component', 'components')}, the largest of ${plural(initial.largest_component || 0, 'entity', 'entities')}.`));
    if (!steps.length) summary.append(span('summary-line', 'Nobody of the chosen kinds can be removed.'));
    else {
      const left = Number(steps.at(-1).after && steps.at(-1).after.connected_pairs) || 0;
      summary.append(span('summary-line summary-result', `After ${plural(steps.length, 'removal', 'removals')}: ${start ? percent(left / start) : '–'} of them remain connected.`));
    }
    const list = $('net-disrupt-steps');
    for (const s of steps) {
      const after = s.after || {};
      const pairs = Number.isFinite(after.connected_pairs) ? after.connected_pairs : 0;
      const share = start ? pairs / start : 0;
      const li = document.createElement('li');
      li.className = 'disrupt-step';
      li.dataset.entity = text(s.node && s.node.id);
      li.dataset.pairs = String(pairs);
      const head = document.createElement('div');
      head.className = 'step-head';
      head.append(entityRef(text(s.node.id), text(s.node.caption)), ' ', span(`kind kind-${text(s.kind)}`, text(s.kind)), ' ', span('step-degree', plural(s.degree || 0, 'link', 'links')));
      if (!byId.has(text(s.node.id))) head.append(' ', span('hint', '(not on the chart)'));
      const bar = document.createElement('div');
      bar.className = 'step-bar';
      bar.setAttribute('role', 'img');
      bar.setAttribute('aria-label', `${percent(share)} of the connected pairs left`);
      const fill = span('step-bar-fill', '');
      fill.style.width = `${Math.max(0, Math.min(100, 100 * share)).toFixed(1)}%`;
      bar.append(fill);
      const facts = document.createElement('div');
      facts.className = 'step-facts';
      facts.textContent = `${percent(share)} of the connected pairs left (${pairs.toLocaleString('en-GB')} of ${start.toLocaleString('en-GB')}) · ${plural(after.components || 0, 'component', 'components')} · largest ${plural(after.largest_component || 0, 'entity', 'entities')}`;
      li.append(head, bar, facts);
      list.append(li);
    }
    panel.dataset.state = 'ready';
    refilter();
    if (steps.length) summary.append(span('summary-line hint', `On the chart the removed are crossed out, and the ${plural(cutOff.size, 'entity', 'entities')} cut off from the largest remaining group are faded.`));
    schedule();
  }

  function clearRemoval() {
    removalRequest++;
    removedIds.clear();
    $('net-disrupt-steps').replaceChildren();
    $('net-disrupt-summary').textContent = '';
    $('net-disrupt').dataset.state = '';
    toolError('net-disrupt-error', '');
    refilter();
    schedule();
  }

  $('net-disrupt-open').addEventListener('click', () => {
    $('net-disrupt-scope').textContent = disruptScope();
    openTool('net-disrupt');
    $('net-disrupt-k').focus();
  });
  $('net-disrupt-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    planRemoval();
  });
  $('net-disrupt-clear').addEventListener('click', clearRemoval);
  $('net-disrupt-close').addEventListener('click', () => {
    clearRemoval();
    $('net-disrupt').hidden = true;
    updateStatus();
  });

  // ---------------------------------------------------------------- change over time

  let timelineRequest = 0;
  /** The loaded timeline: `{ days, windows, index }`. */
  let timeline = null;
  const spark = $('net-timeline-chart');
  const sparkCanvas = document.createElement('canvas');
  sparkCanvas.className = 'timeline-spark';
  sparkCanvas.height = 96;
  sparkCanvas.setAttribute('role', 'img');
  spark.append(sparkCanvas);

  async function loadTimeline() {
    const panel = $('net-timeline');
    const days = Number($('net-timeline-window').value) || 91;
    const q = new URLSearchParams({ window: String(days) });
    const scope = addScope(q);
    $('net-timeline-scope').textContent = `Windows of ${days} days over the observation dates of ${scope}${addFilters(q, null)}. Each window sets the chart's time filter.`;
    const request = ++timelineRequest;
    toolError('net-timeline-error', '');
    panel.dataset.state = 'loading';
    let data;
    try {
      data = await getJSON(`${TIMELINE_API}?${q}`);
    } catch (err) {
      if (request !== timelineRequest) return;
      panel.dataset.state = 'error';
      toolError('net-timeline-error', `Could not load the timeline: ${err.message}`);
      return;
    }
    if (request !== timelineRequest) return;
    const windows = (Array.isArray(data.windows) ? data.windows : []).filter((w) => dateOrNull(w.start) && dateOrNull(w.end));
    if (!windows.length) {
      timeline = null;
      $('net-timeline-body').hidden = true;
      toolError('net-timeline-error', 'No link here carries an observation date, so there is no timeline.');
      panel.dataset.state = 'ready';
      return;
    }
    timeline = { days, windows, index: 0 };
    const slider = $('net-timeline-slider');
    slider.max = String(windows.length - 1);
    $('net-timeline-body').hidden = false;
    selectWindow(0);
    panel.dataset.state = 'ready';
  }

  /** Steps to window `i`: the chart's time filter becomes the window, the panel lists who entered and left. */
  function selectWindow(i) {
    if (!timeline) return;
    const { windows } = timeline;
    i = Math.max(0, Math.min(windows.length - 1, i));
    timeline.index = i;
    const w = windows[i];
    $('net-timeline-slider').value = String(i);
    $('net-timeline-prev').disabled = i === 0;
    $('net-timeline-next').disabled = i === windows.length - 1;
    $('net-from').value = dateOrNull(w.start);
    $('net-until').value = dateOrNull(w.end);
    readTime();
    $('net-timeline').dataset.window = String(i);
    $('net-timeline-label').textContent = `Window ${i + 1} of ${windows.length}: ${dateOrNull(w.start)} – ${dateOrNull(w.end)}`;
    $('net-timeline-nodes').textContent = fmt(w.nodes, 0);
    $('net-timeline-edges').textContent = fmt(w.edges, 0);
    $('net-timeline-central').textContent = Number.isFinite(w.betweenness_centralization) ? w.betweenness_centralization.toFixed(2) : '–';
    $('net-timeline-components').textContent = fmt(w.components, 0);
    const broker = $('net-timeline-broker');
    broker.replaceChildren(w.top_broker ? entityRef(text(w.top_broker.id), text(w.top_broker.caption)) : span('empty', 'none (no link in this window)'));
    fillRefs('net-timeline-entered', w.entered, i === 0 ? 'the first window: everyone in it is counted from here' : 'nobody new');
    fillRefs('net-timeline-left', w.left, i === 0 ? 'the first window' : 'nobody left');
    drawSpark();
  }

  /** Lists entities as buttons that find them on the chart (the first 80, then a count). */
  function fillRefs(id, refs, none) {
    const list = $(id);
    const all = Array.isArray(refs) ? refs : [];
    $(`${id}-count`).textContent = String(all.length);
    const items = all.slice(0, 80).map((r) => {
      const li = document.createElement('li');
      li.append(entityRef(text(r.id), text(r.caption)));
      return li;
    });
    if (!all.length) {
      const li = document.createElement('li');
      li.className = 'empty';
      li.textContent = none;
      items.push(li);
    } else if (all.length > 80) {
      const li = document.createElement('li');
      li.className = 'empty';
      li.textContent = `and ${all.length - 80} more`;
      items.push(li);
    }
    list.replaceChildren(...items);
  }

  /** The sparkline: entities per window (blue, against the most in any window) and betweenness centralisation (0 to 1, red); the chosen window shaded. */
  function drawSpark() {
    if (!timeline) return;
    const { windows, index } = timeline;
    const cssWidth = Math.max(120, spark.clientWidth || 360);
    const cssHeight = 96;
    const ratio = window.devicePixelRatio || 1;
    sparkCanvas.width = Math.round(cssWidth * ratio);
    sparkCanvas.height = Math.round(cssHeight * ratio);
    sparkCanvas.style.width = `${cssWidth}px`;
    sparkCanvas.style.height = `${cssHeight}px`;
    const c = sparkCanvas.getContext('2d');
    c.setTransform(ratio, 0, 0, ratio, 0, 0);
    c.clearRect(0, 0, cssWidth, cssHeight);
    const left = 6;
    const right = cssWidth - 6;
    const top = 20;
    const bottom = cssHeight - 16;
    const n = windows.length;
    const step = (right - left) / n;
    const xOf = (i) => left + step * (i + 0.5);
    const most = Math.max(1, ...windows.map((w) => (Number.isFinite(w.nodes) ? w.nodes : 0)));
    c.fillStyle = '#fff4d6';
    c.fillRect(left + step * index, top - 4, step, bottom - top + 8);
    c.strokeStyle = '#d8dce2';
    c.lineWidth = 1;
    c.beginPath();
    c.moveTo(left, bottom + 0.5);
    c.lineTo(right, bottom + 0.5);
    c.stroke();
    const series = [
      ['#2471a3', (w) => (Number.isFinite(w.nodes) ? w.nodes / most : 0)],
      ['#c0392b', (w) => (Number.isFinite(w.betweenness_centralization) ? Math.max(0, Math.min(1, w.betweenness_centralization)) : 0)],
    ];
    for (const [colour, value] of series) {
      c.strokeStyle = colour;
      c.fillStyle = colour;
      c.lineWidth = 1.8;
      c.beginPath();
      windows.forEach((w, i) => {
        const y = bottom - value(w) * (bottom - top);
        if (i === 0) c.moveTo(xOf(i), y);
        else c.lineTo(xOf(i), y);
      });
      c.stroke();
      if (n <= 60) {
        windows.forEach((w, i) => {
          c.beginPath();
          c.arc(xOf(i), bottom - value(w) * (bottom - top), i === index ? 3.5 : 2, 0, 2 * Math.PI);
          c.fill();
        });
      }
    }
    c.fillStyle = '#5b6470';
    c.font = '10px system-ui, "DejaVu Sans", sans-serif';
    c.textBaseline = 'alphabetic';
    c.textAlign = 'left';
    c.fillText(`${most} entities at most`, left, 10);
    c.fillText(dateOrNull(windows[0].start), left, cssHeight - 3);
    c.textAlign = 'right';
    c.fillText(dateOrNull(windows[n - 1].end), right, cssHeight - 3);
    c.fillText('centralisation 0–1', right, 10);
    const w = windows[index];
    sparkCanvas.setAttribute('aria-label', `${n} windows of ${timeline.days} days; window ${index + 1}: ${fmt(w.nodes, 0)} entities, betweenness centralisation ${Number.isFinite(w.betweenness_centralization) ? w.betweenness_centralization.toFixed(2) : '–'}`);
  }

  sparkCanvas.addEventListener('click', (ev) => {
    if (!timeline) return;
    const rect = sparkCanvas.getBoundingClientRect();
    const i = Math.floor(((ev.clientX - rect.left - 6) / Math.max(1, rect.width - 12)) * timeline.windows.length);
    selectWindow(i);
  });
  window.addEventListener('resize', () => drawSpark());
  $('net-timeline-slider').addEventListener('input', () => selectWindow(Number($('net-timeline-slider').value)));
  $('net-timeline-prev').addEventListener('click', () => timeline && selectWindow(timeline.index - 1));
  $('net-timeline-next').addEventListener('click', () => timeline && selectWindow(timeline.index + 1));
  $('net-timeline-open').addEventListener('click', () => {
    openTool('net-timeline');
    if (!timeline) loadTimeline();
  });
  $('net-timeline-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    loadTimeline();
  });
  $('net-timeline-clear').addEventListener('click', () => $('net-time-reset').click());
  $('net-timeline-close').addEventListener('click', () => {
    $('net-timeline').hidden = true;
    updateStatus();
  });

  // ---------------------------------------------------------------- who replaced them?

  let successorsRequest = 0;

  async function whoReplaced(n) {
    const days = Number($('net-timeline-window').value) || 91;
    const q = new URLSearchParams({ window: String(days), replaced: n.id });
    addScope(q);
    addFilters(q, null);
    const request = ++successorsRequest;
    successors = { id: n.id, state: 'loading', days };
    renderSuccessors();
    let data;
    try {
      data = await getJSON(`${TIMELINE_API}?${q}`);
    } catch (err) {
      if (request !== successorsRequest) return;
      successors = { id: n.id, state: 'error', message: err.message, days };
      renderSuccessors();
      return;
    }
    if (request !== successorsRequest) return;
    successors = { id: n.id, state: 'ready', departure: data.departure, windows: Array.isArray(data.windows) ? data.windows : [], days };
    renderSuccessors();
  }

  function renderSuccessors() {
    const box = $('net-node-successors');
    if (!successors || !selected || successors.id !== selected.id) {
      box.hidden = true;
      return;
    }
    box.hidden = false;
    box.dataset.state = successors.state;
    const status = $('net-successors-status');
    const list = $('net-successors-list');
    toolError('net-successors-error', successors.state === 'error' ? successors.message : '');
    list.replaceChildren();
    if (successors.state === 'loading') {
      status.textContent = `Comparing ${successors.days}-day windows…`;
      return;
    }
    if (successors.state === 'error') {
      status.textContent = '';
      return;
    }
    const d = successors.departure;
    if (!d) {
      status.textContent = 'The server said nothing about this entity.';
      return;
    }
    const w = successors.windows[d.last_window];
    const when = w ? ` (${dateOrNull(w.start)} – ${dateOrNull(w.end)})` : '';
    const found = Array.isArray(d.successors) ? d.successors : [];
    status.textContent = `Last seen in window ${Number(d.last_window) + 1} of ${successors.windows.length}${when}, in ${successors.days}-day windows. ${found.length ? 'Who took over their contacts and their brokerage, best first:' : 'Nobody newly linked to their contacts or took over their brokerage in the next window.'}`;
    for (const s of found) {
      const li = document.createElement('li');
      li.className = 'successor';
      li.dataset.entity = text(s.node && s.node.id);
      li.append(entityRef(text(s.node.id), text(s.node.caption)));
      const facts = [`score ${Number.isFinite(s.score) ? s.score.toFixed(2) : '–'}`, `took ${plural(s.contacts_taken || 0, 'contact', 'contacts')} (${percent(s.contacts_share || 0)})`, `brokerage share ${percent(s.brokerage_share || 0)}`];
      li.append(span('successor-facts', facts.join(' · ')));
      list.append(li);
    }
  }

  $('net-replaced').addEventListener('click', () => {
    if (selected) whoReplaced(selected);
  });

  // ---------------------------------------------------------------- saving the chart as an image

  const PICTURE_API = root.dataset.pictureApi || '/api/network/pictures';
  const CSRF = root.dataset.csrf || '';
  /** Band and text colours of each classification: the pages' banner colours, read from tessera.css. */
  function classColours(level) {
    const css = getComputedStyle(document.documentElement);
    const v = (name) => css.getPropertyValue(name).trim();
    return [[v('--official-bg'), v('--official')], [v('--os-bg'), v('--os')], [v('--secret'), '#ffffff'], [v('--ts'), '#ffffff']][level];
  }
  /** Height of the marking bands above and below a saved image (CSS pixels). */
  const BAND = 30;
  /** The last image saved: its marking, reference and size (for tests). */
  let lastPicture = null;
  let saving = false;

  /** POSTs `payload` as JSON, with the session's CSRF token; throws an Error whose message is the API's error message. */
  function postJSON(url, payload) {
    const headers = { Accept: 'application/json', 'Content-Type': 'application/json' };
    if (CSRF) headers['X-CSRF-Token'] = CSRF;
    return requestJSON(url, { method: 'POST', credentials: 'same-origin', headers, body: JSON.stringify(payload) });
  }

  /**
   * Saves the chart as it is on screen as a PNG image. The server marks it first: the highest
   * classification of every entity and link the chart shows (on screen or scrolled off) as this
   * user sees them, and it writes the export to the audit log. The image carries that marking in
   * a band above and below, and who exported it, when, and the audit record's reference.
   */
  async function saveImage() {
    if (saving) return;
    if (!shownNodes.length) {
      setError('Nothing is shown: there is no chart to save.');
      return;
    }
    saving = true;
    setError('');
    $('net-save').disabled = true;
    try {
      const stamp = await postJSON(PICTURE_API, {
        nodes: shownNodes.map((n) => n.id),
        edges: shownEdges.map((e) => ({ source: e.source, target: e.target, type: e.type })),
      });
      const level = CLASSIFICATIONS.indexOf(text(stamp.classification));
      if (level < 0) throw new Error('The server sent no marking.');
      const reference = text(stamp.reference);
      draw();
      const band = Math.round(BAND * dpr);
      const out = document.createElement('canvas');
      out.width = canvas.width;
      out.height = canvas.height + 2 * band;
      const c = out.getContext('2d');
      const [background, colour] = classColours(level);
      c.fillStyle = background;
      c.fillRect(0, 0, out.width, band);
      c.fillRect(0, out.height - band, out.width, band);
      c.drawImage(canvas, 0, band);
      c.fillStyle = colour;
      c.textBaseline = 'middle';
      c.textAlign = 'center';
      c.font = `700 ${Math.round(15 * dpr)}px system-ui, sans-serif`;
      c.fillText(CLASSIFICATIONS[level], out.width / 2, band / 2);
      c.fillText(CLASSIFICATIONS[level], out.width / 2, out.height - band / 2);
      c.font = `${Math.round(11 * dpr)}px system-ui, sans-serif`;
      c.textAlign = 'left';
      c.fillText(`Tessera link chart: ${plural(shownNodes.length, 'entity', 'entities')}, ${plural(shownEdges.length, 'link', 'links')}`, 8 * dpr, out.height - band / 2);
      c.textAlign = 'right';
      const at = text(stamp.at).replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');
      c.fillText(`${text(stamp.user)} (${text(stamp.agency)}), ${at}, ${reference}`, out.width - 8 * dpr, out.height - band / 2);
      const blob = await new Promise((resolve) => out.toBlob(resolve, 'image/png'));
      if (!blob) throw new Error('The browser could not make the image.');
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = `link-chart-${reference.replace(/[^A-Za-z0-9._-]/g, '_')}.png`;
      link.hidden = true;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
      lastPicture = { reference, classification: CLASSIFICATIONS[level], file: link.download, width: out.width, height: out.height, nodes: shownNodes.length, edges: shownEdges.length };
      $('net-status').textContent = `Saved ${link.download}, marked ${CLASSIFICATIONS[level]}; the export is in the audit log as ${reference}.`;
    } catch (err) {
      setError(`Could not save the image: ${err.message}`);
    } finally {
      saving = false;
      $('net-save').disabled = false;
    }
  }

  $('net-save').addEventListener('click', saveImage);

  // ---------------------------------------------------------------- read-only state for tests and tools

  /** Client (page) coordinates of a world point. */
  function client(x, y) {
    const rect = canvas.getBoundingClientRect();
    return { x: rect.left + x * view.k + view.tx, y: rect.top + y * view.k + view.ty };
  }

  window.tesseraChart = Object.freeze({
    /** Every loaded node. */
    nodes: () => nodes.map((n) => ({ id: n.id, caption: n.caption, kind: n.kind, community: n.community, degree: n.degree, seed: n.seed, shown: Boolean(n.shown), pinned: n.pinned, expanded: n.expanded })),
    /** Every loaded edge. */
    edges: () => edges.map((e) => ({ id: e.id, source: e.source, target: e.target, type: e.type, weight: e.weight, first: e.first, last: e.last, shown: Boolean(e.shown) && edgeShown(e) })),
    /** Where a node is drawn, in client coordinates (null if not shown). */
    screenPosition: (id) => {
      const n = byId.get(id);
      return n && n.shown ? client(n.x, n.y) : null;
    },
    /** The middle of an edge, in client coordinates (null if not shown). */
    edgeMidpoint: (id) => {
      const e = edgeById.get(id);
      return e && edgeShown(e) && e.s.shown && e.t.shown ? client((e.s.x + e.t.x) / 2, (e.s.y + e.t.y) / 2) : null;
    },
    /** What a click at client coordinates would hit. */
    hitTest: (x, y) => {
      const rect = canvas.getBoundingClientRect();
      const n = nodeAt(x - rect.left, y - rect.top);
      const e = n ? null : edgeAt(x - rect.left, y - rect.top);
      return { node: n ? n.id : null, edge: e ? e.id : null };
    },
    /** The selected node's id. */
    selected: () => (selected ? selected.id : null),
    /** Whether the layout has come to rest. */
    settled: () => !running(),
    /** The ids of the path shown on the chart, in order (null when none). */
    highlightedPath: () => (highlight ? highlight.nodes.map((n) => n.id) : null),
    /** Whether a click on the chart picks the other end of a path. */
    picking: () => picking,
    /** The ids of the nodes a disruption plan removes. */
    removed: () => [...removedIds],
    /** The ids of the shown nodes cut off from the largest component by the removals. */
    cutOff: () => [...cutOff].map((n) => n.id),
    /** Timings of the last frame and layout step (milliseconds), and how many labels the last frame left out. */
    stats: () => ({ drawMs: perf.drawMs, tickMs: perf.tickMs, frames: perf.frames, ticks, alpha: sim.alpha, labelsHidden: perf.labelsHidden }),
    /** The labels drawn in the last frame: node id and screen box (canvas pixels). */
    labels: () => labelBoxes.map((b) => ({ ...b })),
    /** The last image saved (its marking, audit reference, file name and size), or null. */
    picture: () => (lastPicture ? { ...lastPicture } : null),
  });

  // ---------------------------------------------------------------- start

  if ('ResizeObserver' in window) new ResizeObserver(resize).observe(canvas);
  window.addEventListener('resize', resize);
  resize();

  (async () => {
    canvas.dataset.state = 'loading';
    try {
      const data = await getJSON(networkUrl(seedIds));
      data.whole = true;
      merge(data, null, true);
      const first = nodes.find((n) => n.seed);
      if (first && seedIds.length) select(first);
      if (!nodes.length) {
        $('net-status').textContent = seedIds.length ? 'Nothing visible to you is linked to these entities.' : 'No network is visible to you yet.';
      }
      canvas.dataset.state = 'ready';
    } catch (err) {
      canvas.dataset.state = 'error';
      $('net-status').textContent = '';
      setError(`Could not load the network: ${err.message}`);
    }
    schedule();
  })();
})();
