// 社情民意 pages, progressive enhancement only: every form works without this file.
(function () {
  "use strict";

  function fieldBox(form, name) {
    var input = form.querySelector("[name='" + name + "']");
    return input ? input.closest(".field") : null;
  }

  // The report form: a live count of the body (情况 + 分析 + 建议) against the committee's limit.
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

  // Staff reporting on someone's behalf: show only the fields of the chosen author kind.
  function enhanceAuthor(form) {
    var radios = form.querySelectorAll("input[name='author']");
    if (!radios.length) { return; }
    var groups = {
      member: ["member"],
      informant: ["informant"],
      collective: ["collective_type", "collective_name"]
    };
    function update() {
      var chosen = form.querySelector("input[name='author']:checked");
      var kind = chosen ? chosen.value : "";
      Object.keys(groups).forEach(function (key) {
        groups[key].forEach(function (name) {
          var box = fieldBox(form, name);
          if (box) { box.hidden = key !== kind; }
        });
      });
    }
    radios.forEach(function (r) { r.addEventListener("change", update); });
    update();
  }

  // A bulletin entry: the comprehensive title and body only when the entry is comprehensive.
  function enhanceEntry(form) {
    var radios = form.querySelectorAll("input[name='add_entry-kind']");
    if (!radios.length) { return; }
    function update() {
      var chosen = form.querySelector("input[name='add_entry-kind']:checked");
      var comprehensive = chosen && chosen.value === "comprehensive";
      ["add_entry-title", "add_entry-body"].forEach(function (name) {
        var box = fieldBox(form, name);
        if (box) { box.hidden = !comprehensive; }
      });
    }
    radios.forEach(function (r) { r.addEventListener("change", update); });
    update();
  }

  // Long name lists (<select data-picker data-placeholder="...">) get a filter box above them.
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

  function init(root) {
    root.querySelectorAll("select[data-picker]").forEach(function (s) {
      if (!s.dataset.enhanced) { s.dataset.enhanced = "1"; enhancePicker(s); }
    });
    root.querySelectorAll("form[data-body-limit]").forEach(function (form) {
      enhanceCounter(form);
      enhanceAuthor(form);
    });
    root.querySelectorAll("form[data-op='add_entry']").forEach(enhanceEntry);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (evt) { init(evt.target); });
})();
