// Proposal pages, progressive enhancement only: every form works without this file. The member pickers and
// the body counter are in forms.js, shared with the 社情民意 pages.
(function () {
  "use strict";

  // The register's "select all on this page" box for batch decisions.
  document.addEventListener("change", function (evt) {
    if (!evt.target.matches("input[data-select-all]")) { return; }
    document.querySelectorAll("input[name=ids][form=batch-form]").forEach(function (box) {
      box.checked = evt.target.checked;
    });
  });
})();
