/* smokewatch charts: small SVG charts drawn from JSON data blocks, no library, no CDN.
 * A chart is a <div data-chart="bars|radar|line|graph" data-source="ID"> whose data sits in
 * <script type="application/json" id="ID">. All text goes in through textContent, never HTML. */
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  // The colour bands come from the page (smoke.labels, config/labels.yaml): one place.
  var BANDS = (function () {
    var node = document.getElementById("smoke-levels");
    try { return node ? JSON.parse(node.textContent) : []; } catch (e) { return []; }
  })();
  var LEVEL_COLORS = {};
  BANDS.forEach(function (b) { LEVEL_COLORS[b.level] = b.colour; });
  var HIGH = BANDS.filter(function (b) { return b.high; });
  var HIGH_LINE = HIGH.length ? HIGH[0].lo : 60, HIGH_COLOR = HIGH.length ? HIGH[HIGH.length - 1].colour : "#000";
  var ACCENT = "#1d5fbf";

  function el(tag, attrs, parent) {
    var node = document.createElementNS(NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(node);
    return node;
  }
  function text(parent, x, y, value, attrs) {
    var t = el("text", Object.assign({ x: x, y: y }, attrs || {}), parent);
    t.textContent = String(value);
    return t;
  }
  function svg(container, w, h) {
    var s = el("svg", { viewBox: "0 0 " + w + " " + h, preserveAspectRatio: "xMidYMid meet" });
    container.appendChild(s);
    return s;
  }
  function clip(s, n) { s = String(s); return s.length > n ? s.slice(0, n - 1) + "…" : s; }
  function levelOf(v) {
    var found = BANDS.length ? BANDS[0].level : "";
    BANDS.forEach(function (b) { if (v >= b.lo) found = b.level; });
    return found;
  }
  function empty(s, w, h) { text(s, w / 2, h / 2, "暂无数据", { "text-anchor": "middle", class: "empty" }); }

  function bars(container, data) {
    // drawn at the container's own width so 12px text stays 12px
    var rows = data.length || 1, rowH = 28, w = Math.max(280, container.clientWidth || 420), labelW = 88, h = rows * rowH + 8;
    var s = svg(container, w, h);
    if (!data.length) { s.setAttribute("viewBox", "0 0 " + w + " 60"); empty(s, w, 60); return; }
    var max = Math.max.apply(null, data.map(function (d) { return d.count; }).concat([1]));
    var link = container.getAttribute("data-link");
    data.forEach(function (d, i) {
      var y = 4 + i * rowH;
      var g = link ? el("a", { href: link + encodeURIComponent(d.key) }, s) : s;
      var bw = Math.max(2, (w - labelW - 50) * d.count / max);
      text(g, labelW - 8, y + 18, clip(d.label, 7), { "text-anchor": "end" });
      var r = el("rect", { x: labelW, y: y + 4, width: bw, height: rowH - 9, rx: 3, fill: LEVEL_COLORS[d.key] || ACCENT }, g);
      el("title", {}, r).textContent = d.label + ": " + d.count;
      text(g, labelW + bw + 6, y + 18, d.count);
    });
  }

  function radar(container, data) {
    var w = 400, h = 360, cx = w / 2, cy = h / 2 + 4, R = 125, n = data.length;
    var s = svg(container, w, h);
    if (!n) { empty(s, w, h); return; }
    function pt(i, v) {
      var a = -Math.PI / 2 + 2 * Math.PI * i / n;
      return [cx + R * v / 100 * Math.cos(a), cy + R * v / 100 * Math.sin(a)];
    }
    [20, 40, 60, 80, 100].forEach(function (ring) {
      var pts = data.map(function (_, i) { return pt(i, ring).join(","); }).join(" ");
      el("polygon", { points: pts, class: "grid", stroke: ring === HIGH_LINE ? "#f0b48a" : "#e3e8ee" }, s);
    });
    data.forEach(function (d, i) {
      var p = pt(i, 100), q = pt(i, 118);
      el("line", { x1: cx, y1: cy, x2: p[0], y2: p[1], class: "axis" }, s);
      var anchor = Math.abs(q[0] - cx) < 5 ? "middle" : q[0] > cx ? "start" : "end";
      text(s, q[0], q[1] + 4, d.label, { "text-anchor": anchor, "font-weight": "600" });
      text(s, q[0], q[1] + 19, d.value.toFixed(0), { "text-anchor": anchor, fill: LEVEL_COLORS[levelOf(d.value)] });
    });
    var shape = data.map(function (d, i) { return pt(i, Math.max(0, Math.min(100, d.value))).join(","); }).join(" ");
    var top = Math.max.apply(null, data.map(function (d) { return d.value; }));
    var color = LEVEL_COLORS[levelOf(top)];
    el("polygon", { points: shape, fill: color, "fill-opacity": "0.22", stroke: color, "stroke-width": 2, class: "radar-shape" }, s);
    data.forEach(function (d, i) {
      var p = pt(i, Math.max(0, Math.min(100, d.value)));
      el("title", {}, el("circle", { cx: p[0], cy: p[1], r: 3.5, fill: color }, s)).textContent = d.label + " " + d.value;
    });
  }

  function line(container, data) {
    var w = Math.max(360, container.clientWidth || 560), h = 300, L = 40, Rm = 16, T = 14, B = 34, iw = w - L - Rm, ih = h - T - B;
    var s = svg(container, w, h);
    if (!data.length) { empty(s, w, h); return; }
    function y(v) { return T + ih * (1 - v / 100); }
    BANDS.forEach(function (b) {
      el("rect", { x: L, y: y(b.hi), width: iw, height: y(b.lo) - y(b.hi), fill: b.colour, "fill-opacity": "0.07" }, s);
    });
    [0, 20, 40, 60, 80, 100].forEach(function (v) {
      el("line", { x1: L, x2: L + iw, y1: y(v), y2: y(v), class: "grid" }, s);
      text(s, L - 6, y(v) + 4, v, { "text-anchor": "end" });
    });
    el("line", { x1: L, x2: L + iw, y1: y(HIGH_LINE), y2: y(HIGH_LINE), stroke: HIGH_COLOR, "stroke-dasharray": "5 4", "stroke-width": 1.2 }, s);
    text(s, L + iw, y(HIGH_LINE) - 5, "高风险线 " + HIGH_LINE, { "text-anchor": "end", fill: HIGH_COLOR });
    var n = data.length;
    function x(i) { return n === 1 ? L + iw / 2 : L + iw * i / (n - 1); }
    var d = data.map(function (p, i) { return (i ? "L" : "M") + x(i).toFixed(1) + "," + y(p.smoke_index).toFixed(1); }).join(" ");
    el("path", { d: d, fill: "none", stroke: "#17263a", "stroke-width": 2, class: "history-line" }, s);
    data.forEach(function (p, i) {
      var c = el("circle", { cx: x(i), cy: y(p.smoke_index), r: 3.5, fill: LEVEL_COLORS[levelOf(p.smoke_index)], class: "history-point" }, s);
      el("title", {}, c).textContent = p.as_of + ": " + p.smoke_index;
    });
    var step = Math.max(1, Math.ceil(n / 6));
    data.forEach(function (p, i) {
      if (i % step === 0 || i === n - 1) text(s, x(i), h - 12, p.as_of.slice(5), { "text-anchor": "middle" });
    });
  }

  var KIND_ZH = { person: "人员", address: "地址", phone: "电话", website: "网站" };
  function graph(container, data) {
    var w = 560, h = 330, cx = w / 2, cy = h / 2;
    var s = svg(container, w, h);
    var nodes = data.nodes || [], edges = data.edges || [];
    var links = nodes.filter(function (n) { return n.type !== "company"; });
    if (!links.length) {
      text(s, cx, cy, "未发现共用人员、地址、电话或网站的企业", { "text-anchor": "middle", class: "empty" });
      s.setAttribute("viewBox", "0 0 560 80"); s.querySelector("text").setAttribute("y", 40);
      return;
    }
    var pos = {};
    var center = nodes.filter(function (n) { return n.center; })[0];
    if (center) pos[center.id] = [cx, cy];
    links.forEach(function (n, i) {
      var a = Math.PI + 2 * Math.PI * i / links.length;  // first link to the left: wide cards, short labels
      pos[n.id] = [cx + 110 * Math.cos(a), cy + 70 * Math.sin(a)];
      n._angle = a;
    });
    var placed = {};
    links.forEach(function (ln) {
      var members = edges.filter(function (e) { return e.target === ln.id && e.source !== (center && center.id); })
        .map(function (e) { return e.source; }).filter(function (id) { return !placed[id]; });
      members.forEach(function (id, j) {
        var spread = 0.35, a = ln._angle + (j - (members.length - 1) / 2) * spread / Math.max(1, members.length / 3);
        pos[id] = [cx + 215 * Math.cos(a), cy + 135 * Math.sin(a)];
        placed[id] = true;
      });
    });
    // fit the view to what was placed: a small network gets a short strip, not an empty square
    var xs = Object.keys(pos).map(function (k) { return pos[k][0]; });
    var ys = Object.keys(pos).map(function (k) { return pos[k][1]; });
    var minY = Math.min.apply(null, ys) - 40, maxY = Math.max.apply(null, ys) + 40;
    var vh = Math.max(160, maxY - minY), top = (minY + maxY) / 2 - vh / 2;
    var minX = Math.min(0, Math.min.apply(null, xs) - 80), maxX = Math.max(w, Math.max.apply(null, xs) + 80);
    s.setAttribute("viewBox", minX + " " + top + " " + (maxX - minX) + " " + vh);
    edges.forEach(function (e) {
      var a = pos[e.source], b = pos[e.target];
      if (a && b) el("line", { x1: a[0], y1: a[1], x2: b[0], y2: b[1], stroke: "#b8c3cf", "stroke-width": 1.2 }, s);
    });
    nodes.forEach(function (n) {
      var p = pos[n.id];
      if (!p) return;
      var g = n.type === "company" && !n.center ? el("a", { href: "/company/" + encodeURIComponent(n.id) }, s) : s;
      var node;
      if (n.type === "company") {
        node = el("circle", { cx: p[0], cy: p[1], r: n.center ? 13 : 9, fill: LEVEL_COLORS[n.level] || "#98a2ad",
          stroke: "#fff", "stroke-width": 2, class: "graph-node" }, g);
        text(g, p[0], p[1] + (n.center ? 28 : 22), clip(n.label, 12), { "text-anchor": "middle", "font-weight": n.center ? "700" : "400" });
      } else {
        node = el("rect", { x: p[0] - 6, y: p[1] - 6, width: 12, height: 12, rx: 2, fill: "#fff", stroke: "#6b7785", class: "graph-link" }, g);
        text(g, p[0], p[1] - 10, (KIND_ZH[n.type] || n.type) + "：" + clip(n.label, 10), { "text-anchor": "middle", fill: "#6b7785" });
      }
      el("title", {}, node).textContent = n.label + (n.smoke_index != null ? " · " + n.smoke_index : "");
    });
  }

  var KINDS = { bars: bars, radar: radar, line: line, graph: graph };
  function draw() {
    document.querySelectorAll("[data-chart]").forEach(function (c) {
      var src = document.getElementById(c.getAttribute("data-source"));
      var fn = KINDS[c.getAttribute("data-chart")];
      if (!src || !fn) return;
      try { fn(c, JSON.parse(src.textContent)); c.setAttribute("data-drawn", "1"); }
      catch (err) { c.textContent = "图表无法显示"; if (window.console) console.error(err); }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
