// 社情民意 pages, progressive enhancement only: every form works without this file. The name pickers and the
// body counter are in forms.js, shared with the proposal pages.
(function () {
  "use strict";

  function fieldBox(form, name) {
    var input = form.querySelector("[name='" + name + "']");
    return input ? input.closest(".field") : null;
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

  function init(root) {
    root.querySelectorAll("form[data-body-limit]").forEach(enhanceAuthor);
    root.querySelectorAll("form[data-op='add_entry']").forEach(enhanceEntry);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (evt) { init(evt.target); });
})();
