// Form helpers shared by the proposal and 社情民意 pages, progressive enhancement only: every form works without
// this file. Loaded next to the page's own script (proposals.js, opinions.js).
(function () {
  "use strict";

  // Long name lists (<select data-picker data-placeholder="...">) get a filter box above them; the selected
  // options and the empty choice always stay visible.
  function enhancePicker(select) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "picker-filter";
    box.placeholder = select.getAttribute("data-placeholder") || "";
    box.setAttribute("aria-controls", select.id);
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var needle = box.value.trim();
      Array.prototype.forEach.call(select.options, function (opt) {
        opt.hidden = needle !== "" && !opt.selected && opt.value !== "" && opt.text.indexOf(needle) === -1;
      });
    });
  }

  // A proposal or report form (<form data-body-limit="N"> with a <span data-body-count>): a live count of the
  // body (情况 + 分析 + 建议) against the committee's limit.
  function enhanceCounter(form) {
    var limit = parseInt(form.getAttribute("data-body-limit"), 10);
    var out = form.querySelector("[data-body-count]");
    var fields = ["situation", "analysis", "suggestion"].map(function (name) {
      return form.querySelector("[name$='" + name + "']");
    }).filter(Boolean);
    if (!out || !limit || !fields.length) { return; }
    function update() {
      var n = fields.reduce(function (sum, f) { return sum + f.value.length; }, 0);
      out.textContent = n + " / " + limit;
      out.classList.toggle("overdue-note", n > limit);
    }
    fields.forEach(function (f) { f.addEventListener("input", update); });
    update();
  }

  function init(root) {
    root.querySelectorAll("select[data-picker]").forEach(function (s) {
      if (!s.dataset.enhanced) { s.dataset.enhanced = "1"; enhancePicker(s); }
    });
    root.querySelectorAll("form[data-body-limit]").forEach(enhanceCounter);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (evt) { init(evt.target); });
})();
