/* Company page: a #tab-… (or #quote-N) link opens its tab; choosing a tab updates the
 * address so it can be shared. The tabs work without this file (radio buttons + CSS). */
(function () {
  "use strict";
  function open(hash) {
    var id = (hash || "").replace(/^#/, "");
    if (!id) return;
    var radio = document.getElementById(id.indexOf("tab-") === 0 ? id : "");
    if (!radio) {
      var target = document.getElementById(id);
      var panel = target && target.closest(".ctab-panel");
      radio = panel && document.getElementById("tab-" + panel.id.replace(/^panel-/, ""));
    }
    if (radio && radio.classList.contains("ctab-radio")) radio.checked = true;
  }
  function init() {
    open(location.hash);
    document.querySelectorAll(".ctab-radio").forEach(function (r) {
      r.addEventListener("change", function () {
        if (r.checked && history.replaceState) history.replaceState(null, "", "#" + r.id);
      });
    });
    window.addEventListener("hashchange", function () { open(location.hash); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
