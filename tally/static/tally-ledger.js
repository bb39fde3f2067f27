/* Counting the Reports: the claims ledger (chapters/claims-ledger.ipynb).
 *
 * Progressive enhancement of a plain HTML table that already shows every claim:
 * - filters by verdict and by claimant (labelled <select>s) and a text search;
 * - sortable columns: each sortable header holds a <button>; the header carries aria-sort;
 * - a live status line ("Showing 5 of 38 claims");
 * - a link to one claim (#claim_id) always shows it: filters that would hide it are cleared.
 * No network, no dependencies; works by keyboard (native controls only).
 * The notebook inlines this file into the page, so it runs once per ledger element.
 */
(function () {
  "use strict";

  function text(el) {
    return (el.textContent || "").toLowerCase();
  }

  function initLedger(root) {
    if (root.dataset.ledgerReady === "true") return;
    root.dataset.ledgerReady = "true";
    var table = root.querySelector("table");
    var tbody = table && table.tBodies[0];
    if (!tbody) return;
    var rows = Array.prototype.slice.call(tbody.rows);
    var controls = root.querySelector(".tally-ledger-controls");
    var verdict = root.querySelector("select[data-filter='verdict']");
    var group = root.querySelector("select[data-filter='group']");
    var search = root.querySelector("input[data-filter='text']");
    var reset = root.querySelector("button[data-action='reset']");
    var status = root.querySelector(".tally-ledger-status");
    var empty = root.querySelector(".tally-ledger-empty");
    var total = rows.length;
    var searchable = rows.map(text);

    function apply() {
      var v = verdict ? verdict.value : "";
      var g = group ? group.value : "";
      var q = search ? search.value.trim().toLowerCase() : "";
      var shown = 0;
      rows.forEach(function (row, i) {
        var ok = (!v || row.dataset.verdict === v) && (!g || row.dataset.group === g) &&
                 (!q || searchable[i].indexOf(q) !== -1);
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      if (status) {
        status.textContent = shown === total ? "Showing all " + total + " claims"
                                             : "Showing " + shown + " of " + total + " claims";
      }
      if (empty) empty.hidden = shown !== 0;
      if (reset) reset.disabled = !v && !g && !q;
    }

    function clearFilters() {
      if (verdict) verdict.value = "";
      if (group) group.value = "";
      if (search) search.value = "";
      apply();
    }

    [verdict, group].forEach(function (el) { if (el) el.addEventListener("change", apply); });
    if (search) search.addEventListener("input", apply);
    if (reset) reset.addEventListener("click", function () { clearFilters(); if (verdict) verdict.focus(); });

    // Sorting: the header of the sorted column has aria-sort; the others have none.
    var headers = Array.prototype.slice.call(table.tHead.querySelectorAll("th[data-sort]"));
    function sortBy(th, direction) {
      var key = th.dataset.sort;
      var sign = direction === "descending" ? -1 : 1;
      var sorted = rows.slice().sort(function (a, b) {
        var x = a.dataset["sort" + key], y = b.dataset["sort" + key];
        if (x < y) return -sign;
        if (x > y) return sign;
        return Number(a.dataset.order) - Number(b.dataset.order);  // stable: the ledger's order
      });
      sorted.forEach(function (row) { tbody.appendChild(row); });
      headers.forEach(function (h) {
        if (h === th) h.setAttribute("aria-sort", direction);
        else h.removeAttribute("aria-sort");
        var b = h.querySelector("button");
        if (b) b.dataset.direction = h === th ? direction : "";
      });
    }
    headers.forEach(function (th) {
      var button = th.querySelector("button");
      if (!button) return;
      button.addEventListener("click", function () {
        var now = th.getAttribute("aria-sort");
        sortBy(th, now === "ascending" ? "descending" : "ascending");
      });
    });

    // A link to one claim must show that claim, whatever the filters say.
    function reveal() {
      var id = decodeURIComponent((window.location.hash || "").slice(1));
      if (!id) return;
      var row = document.getElementById(id);
      if (!row || !tbody.contains(row)) return;
      if (row.hidden) clearFilters();
      row.scrollIntoView({block: "start"});
    }
    window.addEventListener("hashchange", reveal);

    if (controls) controls.hidden = false;  // the controls need this script: shown only now
    root.classList.add("tally-ledger-ready");
    apply();
    if (window.location.hash) reveal();
  }

  function initAll() {
    Array.prototype.forEach.call(document.querySelectorAll(".tally-ledger"), initLedger);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", initAll);
  else initAll();
})();
