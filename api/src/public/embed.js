/*
 * Upstate's embed script: a banner on a customer's own site while one of their incidents is
 * open or a maintenance window is in progress. Served at /status/{slug}/embed.js; put on a page
 * as
 *
 *   <script src="https://status.example.com/status/acme/embed.js" async></script>
 *
 * Optional attributes of that tag:
 *   data-position="top"   the banner's edge ("bottom", the default, covers no site header);
 *   data-interval="60"    seconds between two looks at the page (at least 5; default 60).
 *
 * It reads the page's Statuspage-compatible summary (api/v2/summary.json beside this file, which
 * answers any origin), shows the most serious open item, and looks again every interval. The
 * banner lives in a Shadow DOM, so the site's CSS cannot reach it and its CSS cannot reach the
 * site. A visitor may dismiss an item for the rest of the session (sessionStorage); a new one
 * shows again. Whatever fails (the network, storage, an odd page), it fails quietly: a status
 * banner must never break the site that carries it. Hand-written, no dependencies, ES2017.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src) return;

  // The page's address is this script's, without "/embed.js" (on a custom domain too).
  var base = script.src.replace(/[?#].*$/, "").replace(/\/embed\.js$/, "");
  var summaryUrl = base + "/api/v2/summary.json";
  var seconds = Math.max(5, Number(script.getAttribute("data-interval")) || 60);
  var top = script.getAttribute("data-position") === "top";
  var storageKey = "upstate-embed-dismissed:" + base;

  // Colours by impact: white text on each is at least 4.5:1 (WCAG AA).
  var COLOURS = {
    critical: "#cf222e",
    major: "#bc4c00",
    minor: "#9a6700",
    none: "#57606a",
    maintenance: "#0969da",
  };
  var RANK = { critical: 4, major: 3, minor: 2, maintenance: 1, none: 0 };
  var WORDS = {
    investigating: "Investigating",
    identified: "Identified",
    monitoring: "Monitoring",
    in_progress: "Maintenance in progress",
    verifying: "Maintenance: verifying",
  };

  var STYLE =
    ":host{all:initial}" +
    ".bar{position:fixed;left:0;right:0;" + (top ? "top" : "bottom") + ":0;z-index:2147483647;" +
    "display:flex;flex-wrap:wrap;align-items:center;gap:4px 12px;box-sizing:border-box;" +
    "padding:10px 48px 10px 16px;color:#fff;font:14px/1.4 system-ui,-apple-system,'Segoe UI'," +
    "Roboto,sans-serif;box-shadow:0 0 8px rgba(0,0,0,.3);text-align:left}" +
    ".tag{font-weight:600}" +
    ".msg{flex:1 1 20em;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}" +
    "a,button{color:#fff}a{font-weight:600}" +
    "button{position:absolute;right:8px;top:50%;transform:translateY(-50%);width:32px;" +
    "height:32px;border:0;border-radius:4px;background:transparent;font:20px/1 sans-serif;" +
    "cursor:pointer}button:hover{background:rgba(0,0,0,.2)}" +
    "a:focus-visible,button:focus-visible{outline:2px solid #fff;outline-offset:2px}";

  // The ids a visitor dismissed this session (kept in memory too, where storage is refused).
  var dismissed = {};
  try {
    dismissed = JSON.parse(sessionStorage.getItem(storageKey) || "{}") || {};
  } catch (e) {}

  function dismiss(id) {
    dismissed[id] = 1;
    try {
      sessionStorage.setItem(storageKey, JSON.stringify(dismissed));
    } catch (e) {}
  }

  // The open items, most serious first, newest first among equals: unresolved incidents, then
  // maintenance in progress (upcoming maintenance is not news for a banner).
  function openItems(summary) {
    var incidents = (summary.incidents || []).filter(function (i) {
      return i.status !== "resolved" && i.status !== "postmortem";
    });
    var windows = (summary.scheduled_maintenances || []).filter(function (m) {
      return m.status === "in_progress" || m.status === "verifying";
    });
    return incidents
      .map(function (i, order) {
        return { item: i, impact: RANK[i.impact] ? i.impact : "none", order: order };
      })
      .concat(
        windows.map(function (m, order) {
          return { item: m, impact: "maintenance", order: order };
        })
      )
      .sort(function (a, b) {
        return RANK[b.impact] - RANK[a.impact] || a.order - b.order;
      });
  }

  // An update's Markdown as one line of plain text, short enough for a banner.
  function plain(markdown) {
    var text = String(markdown || "")
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
      .replace(/[*_`#>~]+/g, "")
      .replace(/\s+/g, " ")
      .trim();
    return text.length > 160 ? text.slice(0, 159) + "…" : text;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // The banner's host and its live region are made once and stay: a screen reader announces
  // what is put into a live region that already exists, not one that appears with its text.
  var region = null;
  var shown = "";
  var latest = [];

  function mount() {
    var host = document.createElement("upstate-status-banner");
    var root = host.attachShadow({ mode: "open" });
    root.appendChild(element("style", "", STYLE));
    region = element("div");
    region.setAttribute("role", "status");
    region.setAttribute("aria-live", "polite");
    root.appendChild(region);
    document.body.appendChild(host);
  }

  function draw(items) {
    latest = items;
    var visible = items.filter(function (entry) {
      return !dismissed[entry.item.id];
    });
    var first = visible[0];
    var update = first && (first.item.incident_updates || [])[0];
    // Drawn again only when what it says changes: a poll that brings nothing new is silent.
    var key = first
      ? [first.item.id, first.item.status, update && update.id, visible.length].join()
      : "";
    if (key === shown) return;
    shown = key;
    region.textContent = "";
    if (!first) return;
    var item = first.item;
    var bar = element("div", "bar");
    bar.style.background = COLOURS[first.impact];
    bar.appendChild(element("span", "tag", WORDS[item.status] || item.status));
    bar.appendChild(element("strong", "", item.name));
    if (update && update.body) bar.appendChild(element("span", "msg", plain(update.body)));
    if (item.shortlink) {
      var more = visible.length > 1 ? " (+" + (visible.length - 1) + " more)" : "";
      var link = element("a", "", "Details" + more);
      link.href = item.shortlink;
      link.target = "_blank";
      link.rel = "noopener";
      bar.appendChild(link);
    }
    var close = element("button", "", "×");
    close.type = "button";
    close.setAttribute("aria-label", "Dismiss this notice: " + item.name);
    close.addEventListener("click", function () {
      dismiss(item.id);
      draw(latest);
    });
    bar.appendChild(close);
    region.appendChild(bar);
  }

  // One look at the page. `cache: "no-cache"` makes the browser revalidate its cached copy
  // each time (If-None-Match with the ETag; the server answers 304 from memory when nothing
  // changed). Sending If-None-Match by hand would make every poll a CORS preflight too.
  function poll() {
    if (document.hidden) return Promise.resolve();
    return fetch(summaryUrl, { cache: "no-cache", credentials: "omit" })
      .then(function (response) {
        if (!response.ok) throw new Error("status " + response.status);
        return response.json();
      })
      .then(function (summary) {
        draw(openItems(summary));
      })
      .catch(function () {
        // Offline, blocked or a bad answer: keep what is shown and look again later.
      });
  }

  function loop() {
    poll().then(function () {
      setTimeout(loop, seconds * 1000);
    });
  }

  function start() {
    try {
      mount();
      loop();
    } catch (e) {}
  }

  // An async script may run before <body> exists.
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
