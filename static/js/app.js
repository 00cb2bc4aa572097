// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // htmx requests carry the CSRF token from the page's meta tag.
  document.addEventListener("htmx:configRequest", function (evt) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) { evt.detail.headers["X-CSRFToken"] = meta.content; }
  });
  // The phone menu button.
  document.addEventListener("click", function (evt) {
    var btn = evt.target.closest("[data-toggle]");
    if (!btn) { return; }
    var target = document.getElementById(btn.getAttribute("data-toggle"));
    if (!target) { return; }
    var open = target.classList.toggle("open");
    btn.setAttribute("aria-expanded", open ? "true" : "false");
  });
  // Buttons that ask before a destructive action: <button data-confirm="...">.
  document.addEventListener("submit", function (evt) {
    var btn = evt.submitter;
    var msg = (btn && btn.getAttribute("data-confirm")) || evt.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) { evt.preventDefault(); }
  });
})();
