/* Draws every chart on a page from its inert JSON spec, with the vega bundle served from this
   book's own _static folder. No other host is contacted.

   - Never blocks first paint: this file is loaded with `defer`, and it loads the 0.9 MB vega
     bundle itself, after the page has painted. Charts then draw nearest-to-the-viewport first,
     one per frame, until every chart on the page is drawn (`data-rendered="true"`), so printing
     and tests find them all. `window.tallyCharts.ready()` resolves when all are drawn.
   - Fits its column: each chart is drawn to the width of its container (single and layered views
     with Vega-Lite's "fit-x" autosize; concatenated views by setting their widths, measuring, and
     correcting) and redrawn when that width changes. Titles left in the spec (those that follow
     the reader's choices) are wrapped to the width; fewer x ticks and legends in columns on
     narrow screens.
   - Follows the theme: in dark mode (pydata-sphinx-theme's <html data-theme="dark">) the named
     text and line colours (tally.charts.INK, MUTED, GRID, RULE) are swapped for light ones and
     the chart is redrawn when the reader switches theme. The explorers' current choices survive
     a redraw.
   - Puts a chart's controls (vega-embed's .vega-bindings, written after the chart) in a labelled
     panel above it, and honours the spec's `usermeta.tally` (generic, any chart may use it):
       "enable_when": {"<bound param>": {"param": "<other param>", "values": [...]}, ...}
         the bound param's inputs are disabled (disabled, aria-disabled, greyed: the .vega-bind
         gets the class tally-bind-disabled) while the other param's value is not in `values`;
       "reset": "<button text>"
         a button in the panel that sets every bound param back to its value in the spec. */
(function () {
  "use strict";
  // Light colour (lower case) -> dark-mode colour. The light ones are tally.charts' INK, MUTED,
  // GRID and RULE, and the greys and black that older specs used for text.
  var DARK = {
    "#1a1a1a": "#ececec", "#595959": "#b8bcc2", "#e6e6e6": "#3b414a", "#888888": "#8d939b",
    "#000000": "#ececec", "#000": "#ececec", "black": "#ececec", "#333333": "#d6d9dd",
    "#444444": "#c9cdd2", "#666666": "#b8bcc2", "white": "#14181e", "#ffffff": "#14181e", "#fff": "#14181e"
  };
  var SKIP = { datasets: 1, data: 1, values: 1 };
  var NARROW = 560;
  var drawn = [], waiting = [];
  var readyResolve, readyPromise = new Promise(function (r) { readyResolve = r; });

  function isDark() { return document.documentElement.dataset.theme === "dark"; }

  function clone(o) { return JSON.parse(JSON.stringify(o)); }

  function recolour(node) {
    if (Array.isArray(node)) { return node.map(recolour); }
    if (node && typeof node === "object") {
      var out = {};
      Object.keys(node).forEach(function (k) { out[k] = SKIP[k] ? node[k] : recolour(node[k]); });
      return out;
    }
    if (typeof node === "string" && Object.prototype.hasOwnProperty.call(DARK, node.toLowerCase())) {
      return DARK[node.toLowerCase()];
    }
    return node;
  }

  // --- text marks in dark mode: any colour of too little contrast is lightened ------------------
  function parseHex(c) {
    var m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(c || "");
    if (!m) { return null; }
    var h = m[1].length === 3 ? m[1].replace(/(.)/g, "$1$1") : m[1];
    return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
  }
  function luminance(rgb) {
    var f = function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(rgb[0]) + 0.7152 * f(rgb[1]) + 0.0722 * f(rgb[2]);
  }
  function contrast(a, b) { var x = luminance(a), y = luminance(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); }
  function readable(colour, bg) {
    var rgb = parseHex(colour);
    if (!rgb) { return colour; }
    for (var k = 0; k <= 20 && contrast(rgb, bg) < 4.6; k++) {
      rgb = rgb.map(function (v) { return Math.round(v + (255 - v) * 0.12); });
    }
    return "#" + rgb.map(function (v) { return ("0" + v.toString(16)).slice(-2); }).join("");
  }
  function lightenTextMarks(node, bg) {
    if (Array.isArray(node)) { node.forEach(function (n) { lightenTextMarks(n, bg); }); return; }
    if (!node || typeof node !== "object") { return; }
    var mark = node.mark, type = typeof mark === "string" ? mark : mark && mark.type;
    if (type === "text") {
      if (typeof mark === "object") {
        ["color", "fill", "stroke"].forEach(function (k) { if (typeof mark[k] === "string") { mark[k] = readable(mark[k], bg); } });
      }
      var enc = node.encoding || {};
      ["color", "fill"].forEach(function (k) {
        var ch = enc[k];
        if (!ch) { return; }
        if (typeof ch.value === "string") { ch.value = readable(ch.value, bg); }
        var conds = ch.condition ? (Array.isArray(ch.condition) ? ch.condition : [ch.condition]) : [];
        conds.forEach(function (c) { if (typeof c.value === "string") { c.value = readable(c.value, bg); } });
        if (ch.scale && Array.isArray(ch.scale.range)) { ch.scale.range = ch.scale.range.map(function (c) { return readable(c, bg); }); }
      });
    }
    Object.keys(node).forEach(function (k) { if (!SKIP[k] && k !== "mark") { lightenTextMarks(node[k], bg); } });
  }
  function pageBackground(el) {
    for (var e = el; e; e = e.parentElement) {
      var m = /rgba?\(([^)]+)\)/.exec(getComputedStyle(e).backgroundColor);
      if (m) {
        var p = m[1].split(",").map(Number);
        if (p.length < 4 || p[3] > 0.5) { return p.slice(0, 3); }
      }
    }
    return [20, 24, 30];
  }

  // --- wrapping titles that stay in the spec ------------------------------------------------
  function wrapWords(text, chars) {
    var lines = [], line = "";
    String(text).split(/\s+/).forEach(function (w) {
      if (!w) { return; }
      if (line && (line + " " + w).length > chars) { lines.push(line); line = w; }
      else { line = line ? line + " " + w : w; }
    });
    if (line) { lines.push(line); }
    return lines.length > 1 ? lines : (lines[0] || "");
  }
  // The same wrapping as a Vega expression (for titles that follow the reader's choices): lines of at
  // most `chars` characters, broken at spaces.
  function wrapExpr(expr, chars) {
    return "split(trim(replace('' + (" + expr + "), regexp('(.{1," + chars + "})(\\\\s+|$)', 'g'), '$1\\n')), '\\n')";
  }
  function wrapLines(value, chars) {
    // Lines given by the chapter are joined and re-wrapped to the width available.
    return wrapWords(Array.isArray(value) ? value.join(" ") : value, chars);
  }
  function wrapTitle(title, width, cfg) {
    if (title == null) { return title; }
    var t = (typeof title === "object" && !Array.isArray(title)) ? Object.assign({}, title) : { text: title };
    var size = t.fontSize || (cfg.title && cfg.title.fontSize) || 13;
    var subSize = t.subtitleFontSize || (cfg.title && cfg.title.subtitleFontSize) || 12;
    var chars = Math.max(12, Math.floor(width / (size * 0.56)));
    var subChars = Math.max(12, Math.floor(width / (subSize * 0.54)));
    ["text", "subtitle"].forEach(function (key) {
      var v = t[key], c = key === "text" ? chars : subChars;
      if (v == null) { return; }
      if (typeof v === "object" && !Array.isArray(v) && v.expr) { t[key] = { expr: wrapExpr(v.expr, c) }; }
      else { t[key] = wrapLines(v, c); }
    });
    return t;
  }

  // --- sizing ----------------------------------------------------------------------------------
  function isComposite(s) { return !!(s.hconcat || s.vconcat || s.concat || s.facet || s.repeat); }

  // Give every view in `s` a width so that together they take `w` pixels (before axes and legends).
  function setWidths(s, w, cfg) {
    var gap = typeof s.spacing === "number" ? s.spacing : 20;
    if (s.title !== undefined) { s.title = wrapTitle(s.title, w, cfg); }
    if (s.hconcat) {
      var n = s.hconcat.length;
      s.hconcat.forEach(function (c) { setWidths(c, (w - gap * (n - 1)) / n, cfg); });
    } else if (s.vconcat) {
      s.vconcat.forEach(function (c) { setWidths(c, w, cfg); });
    } else if (s.concat) {
      var cols = Math.min(s.columns || s.concat.length, s.concat.length);
      s.concat.forEach(function (c) { setWidths(c, (w - gap * (cols - 1)) / cols, cfg); });
    } else if ((s.facet || s.repeat) && s.spec) {
      var k = s.columns || 1;
      setWidths(s.spec, (w - gap * (k - 1)) / k, cfg);
    } else {
      s.width = Math.max(40, Math.floor(w));
      if (s.layer) { s.layer.forEach(function (l) { delete l.width; }); }
    }
  }

  function narrowConfig(spec, width) {
    var cfg = spec.config = spec.config || {};
    var ticks = Math.max(3, Math.min(10, Math.floor(width / 75)));
    cfg.axisX = Object.assign({ tickCount: ticks, labelOverlap: true, labelFlush: true }, cfg.axisX || {});
    cfg.legend = Object.assign({}, cfg.legend || {});
    // Bottom legends start at the plot's left edge (after the y axis, about 60 px).
    var columns = cfg.legend.columns || Math.max(1, Math.floor((width - 60) / 170));
    cfg.legend.columns = columns;
    if (width < NARROW) {
      cfg.legend.orient = "bottom";
      forceBottomLegends(spec);
    }
    if (!cfg.legend.labelLimit) { cfg.legend.labelLimit = Math.max(80, Math.floor((width - 60) / columns) - 40); }
    cfg.background = "transparent";
  }

  function forceBottomLegends(node) {
    if (Array.isArray(node)) { node.forEach(forceBottomLegends); return; }
    if (!node || typeof node !== "object") { return; }
    Object.keys(node).forEach(function (k) {
      if (SKIP[k]) { return; }
      var v = node[k];
      if (k === "legend" && v && typeof v === "object" && /^(left|right|top-right|top-left|bottom-right|bottom-left)$/.test(v.orient || "")) {
        node[k] = Object.assign({}, v, { orient: "bottom" });
      } else { forceBottomLegends(v); }
    });
  }

  function prepare(el, spec, width, plotWidth) {
    var s = clone(spec);
    // Keep an explorer's current choices across redraws.
    if (el.vegaView && s.params) {
      s.params.forEach(function (p) {
        if (p.select || !p.bind) { return; }
        try { p.value = el.vegaView.signal(p.name); } catch (e) { /* not a signal */ }
      });
    }
    narrowConfig(s, width);
    if (isDark()) { s = recolour(s); lightenTextMarks(s, pageBackground(el)); }
    var cfg = s.config || {};
    if (isComposite(s)) {
      s.autosize = { type: "pad" };
      var top = s.title;
      delete s.title;
      setWidths(s, plotWidth, cfg);
      if (top !== undefined) { s.title = wrapTitle(top, width - 8, cfg); }  // the whole figure's title: full width
    } else {
      s.autosize = { type: "fit-x", contains: "padding" };
      s.width = Math.floor(width);
      if (s.layer) { s.layer.forEach(function (l) { delete l.width; }); }
      if (s.title !== undefined) { s.title = wrapTitle(s.title, width, cfg); }
    }
    return s;
  }

  var options = {
    renderer: "svg",
    actions: { export: true, source: false, compiled: false, editor: false },
  };

  // vega-embed's "..." export menu is a <summary> holding only an icon: give it a name.
  function nameMenu(el) {
    var summary = el.querySelector("details > summary");
    if (summary) { summary.setAttribute("aria-label", "Export this chart (SVG or PNG)"); }
  }

  // vega-embed writes the controls after the chart: move them into a labelled panel above it.
  function placeControls(el, target) {
    var bindings = target.querySelector(".vega-bindings");
    if (!bindings) { return null; }
    if (!bindings.querySelector("input, select, textarea")) { bindings.remove(); return null; }  // params without inputs
    var panel = el.querySelector(".tally-controls");
    if (!panel) {
      panel = document.createElement("div");
      panel.className = "tally-controls";
      panel.setAttribute("role", "group");
      panel.setAttribute("aria-label", "Chart controls");
      var heading = document.createElement("p");
      heading.className = "tally-controls-label";
      heading.setAttribute("aria-hidden", "true");
      heading.textContent = "Change the chart";
      panel.appendChild(heading);
    }
    panel.querySelectorAll(".vega-bindings").forEach(function (old) { if (old !== bindings) { old.remove(); } });
    panel.appendChild(bindings);
    el.insertBefore(panel, el.firstChild);
    // A chapter may offer suggestions for a text input: <datalist id="<chart id>-<input name>-list">.
    bindings.querySelectorAll("input").forEach(function (input) {
      var list = document.getElementById(el.id + "-" + input.name + "-list");
      if (list && list.tagName === "DATALIST") { input.setAttribute("list", list.id); }
    });
    percentLabels(bindings);
    return panel;
  }

  // --- usermeta.tally: controls enabled only when they matter, and a reset button ---------------
  function tallyMeta(spec) { return (spec && spec.usermeta && spec.usermeta.tally) || {}; }

  // The bound params of a spec (top level and nested views), with the value the spec gives them.
  function boundParams(node, out) {
    out = out || [];
    if (Array.isArray(node)) { node.forEach(function (n) { boundParams(n, out); }); return out; }
    if (!node || typeof node !== "object") { return out; }
    (Array.isArray(node.params) ? node.params : []).forEach(function (p) {
      if (p && p.name && p.bind && !p.select && p.value !== undefined &&
          !out.some(function (q) { return q.name === p.name; })) { out.push({ name: p.name, value: p.value }); }
    });
    ["vconcat", "hconcat", "concat", "layer", "spec"].forEach(function (k) { if (node[k]) { boundParams(node[k], out); } });
    return out;
  }

  function enableWhen(el, view, panel) {
    var rules = tallyMeta(el.tallySpec).enable_when;
    if (!rules || typeof rules !== "object") { return; }
    var watched = {};
    Object.keys(rules).forEach(function (name) {
      var rule = rules[name] || {};
      var values = Array.isArray(rule.values) ? rule.values : [rule.value];
      var inputs = Array.prototype.filter.call(panel.querySelectorAll("input, select, textarea"),
                                               function (i) { return i.name === name; });
      if (!rule.param || !inputs.length) { return; }
      var check = function () {
        var v;
        try { v = view.signal(rule.param); } catch (e) { return; }
        var on = values.some(function (x) { return x === v || String(x) === String(v); });
        inputs.forEach(function (input) {
          input.disabled = !on;
          if (on) { input.removeAttribute("aria-disabled"); } else { input.setAttribute("aria-disabled", "true"); }
          var bind = input.closest(".vega-bind");
          if (bind) { bind.classList.toggle("tally-bind-disabled", !on); }
        });
      };
      check();
      (watched[rule.param] = watched[rule.param] || []).push(check);
    });
    Object.keys(watched).forEach(function (param) {
      try {
        view.addSignalListener(param, function () { watched[param].forEach(function (f) { f(); }); });
      } catch (e) { console.error("chart " + el.id + ": enable_when names an unknown param " + param); }
    });
  }

  function resetButton(el, panel) {
    var text = tallyMeta(el.tallySpec).reset;
    var button = panel.querySelector("button.tally-reset");
    if (!text) { if (button) { button.remove(); } return; }
    if (!button) {
      button = document.createElement("button");
      button.type = "button";
      button.className = "tally-reset";
      button.textContent = text === true ? "Reset" : String(text);
      button.addEventListener("click", function () {
        var view = el.vegaView;
        if (!view) { return; }
        boundParams(el.tallySpec).forEach(function (p) {
          try { view.signal(p.name, clone(p.value)); } catch (e) { /* not a signal of this view */ }
        });
        view.runAsync();
      });
    }
    panel.appendChild(button);  // after the (re-created) bindings
  }

  function manageControls(el, view, panel) {
    if (!panel) { return; }
    enableWhen(el, view, panel);
    resetButton(el, panel);
  }

  // Sliders whose range is 0-1 (shares) show their value as a percentage. Vega writes the value in
  // the <span> after the slider (on input and when the chart sets it); rewrite it whenever it changes.
  function percentLabels(root) {
    root.querySelectorAll("input[type=range]").forEach(function (input) {
      var max = parseFloat(input.max), min = parseFloat(input.min), out = input.nextElementSibling;
      if (!out || out.tagName !== "SPAN" || !(max <= 1 && min >= 0) || input.dataset.percent === "off") { return; }
      var show = function () {
        var v = parseFloat(input.value), text = Math.round(v * 100) + "%";
        if (!isNaN(v) && out.textContent !== text) { out.textContent = text; }
        if (!isNaN(v) && input.getAttribute("aria-valuetext") !== text) { input.setAttribute("aria-valuetext", text); }
      };
      input.addEventListener("input", function () { setTimeout(show, 0); });
      new MutationObserver(show).observe(out, { childList: true, characterData: true, subtree: true });
      out.classList.add("tally-percent");
      input.setAttribute("aria-valuetext", Math.round(parseFloat(input.value) * 100) + "%");
      input.addEventListener("input", function () { input.setAttribute("aria-valuetext", Math.round(parseFloat(input.value) * 100) + "%"); });
      show();
    });
  }

  // Tooltips on tap: a touch ends with pointerout, which hides Vega's hover tooltip, and has no
  // pointermove to show it. After a tap, replay a hover at the same point.
  function tapTooltips(el) {
    if (el.tallyTap) { return; }
    el.tallyTap = true;
    var lastTouch = 0;
    el.addEventListener("pointerdown", function (e) { if (e.pointerType === "touch") { lastTouch = Date.now(); } }, true);
    el.addEventListener("click", function (e) {
      if (Date.now() - lastTouch > 1500) { return; }
      var target = document.elementFromPoint(e.clientX, e.clientY) || e.target;
      if (!target || !el.contains(target)) { return; }
      ["pointermove", "mousemove"].forEach(function (type) {
        var Ctor = type === "pointermove" && window.PointerEvent ? window.PointerEvent : MouseEvent;
        target.dispatchEvent(new Ctor(type, { bubbles: true, cancelable: true, clientX: e.clientX, clientY: e.clientY,
                                               pointerType: "mouse", isPrimary: true, view: window }));
      });
    });
  }

  function available(el) {
    var w = el.clientWidth;
    return Math.max(200, w - 2);
  }

  // A top-level vconcat of plain (or layered) views: every view has the same width, which Vega-Lite
  // compiles to the one "width" signal, so the width can be corrected on the drawn view.
  function resizableInPlace(spec) {
    return Array.isArray(spec.vconcat) && spec.vconcat.every(function (c) { return !isComposite(c); });
  }

  function svgWidth(target) {
    var svg = target.querySelector("svg");
    return svg ? svg.getBoundingClientRect().width : 0;
  }

  function render(el, attempt, plotWidth) {
    var specEl = document.getElementById(el.id + "-spec");
    if (!specEl) { console.error("chart " + el.id + ": spec not found"); return Promise.resolve(); }
    if (!el.tallySpec) { el.tallySpec = JSON.parse(specEl.textContent); }
    var width = available(el);
    // Concatenated views: the views' width is the column less the axes and legends beside them,
    // known once drawn (remembered for redraws; about 70 px before the first draw).
    var guess = plotWidth || width - (el.tallyOverhead != null ? el.tallyOverhead : 70);
    var spec = prepare(el, el.tallySpec, width, guess);
    var opts = Object.assign({ downloadFileName: el.id.replace(/^fig-/, "") }, options);
    el.setAttribute("data-rendered", "false");
    var old = el.vegaView;
    var target = el.querySelector(".tally-embed");
    if (!target) { target = document.createElement("div"); target.className = "tally-embed"; el.appendChild(target); }
    if (attempt === 0) { el.tallyFirstGuess = guess; }
    return window.vegaEmbed(target, spec, opts).then(function (result) {
      if (old && old !== result.view) { try { old.finalize(); } catch (e) { /* already gone */ } }
      el.vegaView = result.view;
      el.tallyWidth = width;
      return fit(el, target, result.view, width, guess, attempt);
    }).then(function (done) {
      if (done) { finish(el, target, width); }
    }).catch(function (err) { console.error("chart " + el.id + ": " + err); });
  }

  // Concatenated views: shrink them by what overflowed, but not below 60% of the first guess (what
  // still overflows then is of fixed size, e.g. a long text line, and is scaled in finish()). Where
  // the spec allows, the drawn view is resized (a signal); otherwise the chart is drawn again.
  // Resolves to true when the chart is ready to be finished here, false when a new render took over.
  function fit(el, target, view, width, guess, attempt) {
    var drawnWidth = svgWidth(target);
    var next = Math.max(Math.floor(el.tallyFirstGuess * 0.6), 80, guess - (drawnWidth - width) - 2);
    if (!(isComposite(el.tallySpec) && drawnWidth > width + 1 && attempt < 3 && next < guess)) {
      if (isComposite(el.tallySpec) && drawnWidth <= width + 1) { el.tallyOverhead = Math.max(0, drawnWidth - guess); }
      return Promise.resolve(true);
    }
    if (resizableInPlace(el.tallySpec)) {
      var before;
      try { before = view.signal("width"); } catch (e) { before = undefined; }
      if (typeof before === "number" && Math.abs(before - Math.max(40, Math.floor(guess))) <= 1) {
        view.signal("width", Math.max(40, Math.floor(next)));
        return view.runAsync().then(function () { return fit(el, target, view, width, next, attempt + 1); });
      }
    }
    return render(el, attempt + 1, next).then(function () { return false; });
  }

  function finish(el, target, width) {
    // Last resort (marks of fixed size, such as long text lines): scale the drawing down to the
    // column rather than let it scroll sideways or be cut.
    var svg = target.querySelector("svg");
    if (svg && svg.getBoundingClientRect().width > width + 1) {
      svg.style.width = "100%";
      svg.style.height = "auto";
      el.classList.add("tally-scaled");
    } else if (svg) {
      svg.style.width = "";
      svg.style.height = "";
      el.classList.remove("tally-scaled");
    }
    nameMenu(el);
    tapTooltips(el);
    manageControls(el, el.vegaView, placeControls(el, target));
    el.setAttribute("data-rendered", "true");
  }

  function draw(el) {
    if (drawn.indexOf(el) < 0) { drawn.push(el); }
    return render(el, 0);
  }

  function redrawAll() {
    return drawn.reduce(function (p, el) { return p.then(function () { return render(el, 0); }); }, Promise.resolve());
  }

  // Nearest to the viewport first, one chart per frame so the page stays responsive.
  function distance(el) {
    var r = el.getBoundingClientRect();
    return r.bottom < 0 ? -r.bottom : Math.max(0, r.top - window.innerHeight);
  }
  function drawNext() {
    if (!waiting.length) { readyResolve(); return; }
    waiting.sort(function (a, b) { return distance(a) - distance(b); });
    var el = waiting.shift();
    draw(el).then(function () { window.requestAnimationFrame(function () { setTimeout(drawNext, 0); }); });
  }

  function start() {
    if (typeof window.vegaEmbed !== "function") { console.error("vega bundle not loaded"); return; }
    waiting = Array.prototype.slice.call(document.querySelectorAll(".tally-chart"));
    drawNext();
    // Redraw when a chart's column changes width (rotation, window resize) ...
    var timer = null;
    if (window.ResizeObserver) {
      var ro = new ResizeObserver(function () {
        clearTimeout(timer);
        timer = setTimeout(function () {
          drawn.forEach(function (el) {
            if (el.getAttribute("data-rendered") === "true" && Math.abs(available(el) - el.tallyWidth) > 4) { render(el, 0); }
          });
        }, 150);
      });
      document.querySelectorAll(".tally-chart").forEach(function (el) { ro.observe(el); });
    }
    // ... and when the reader switches between light and dark.
    var mode = isDark();
    new MutationObserver(function () {
      if (isDark() !== mode) { mode = isDark(); redrawAll(); }
    }).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  }

  function loadBundle() {
    var me = document.querySelector("script[data-tally-bundle]");
    if (!me) { console.error("tally-charts.js: no bundle named"); return; }
    var src = me.src.replace(/[^/]*$/, "") + me.getAttribute("data-tally-bundle");
    var s = document.createElement("script");
    s.src = src;
    s.async = true;
    s.onload = function () { afterFirstPaint(start); };
    s.onerror = function () { console.error("vega bundle could not be loaded: " + src); };
    document.head.appendChild(s);
  }

  window.tallyCharts = { ready: function () { return readyPromise; }, redraw: redrawAll };

  function afterFirstPaint(fn) {
    // The bundle usually arrives long after the text has painted: then draw at once. Otherwise wait
    // two animation frames, so that the text paints first.
    var painted = window.performance && performance.getEntriesByType &&
                  performance.getEntriesByType("paint").length > 0;
    if (painted) { setTimeout(fn, 0); return; }
    window.requestAnimationFrame(function () { window.requestAnimationFrame(function () { setTimeout(fn, 0); }); });
  }
  if (!document.querySelector(".tally-chart")) { readyResolve(); return; }
  if (typeof window.vegaEmbed === "function") {  // a page that loads the bundle itself
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
    else { start(); }
  } else {
    // This file is deferred: the text has been parsed (and usually painted). The bundle loads
    // asynchronously (already preloaded at low priority); charts draw once it has run and the
    // page has painted.
    loadBundle();
  }
})();
