// Light or dark: the reader's system setting unless they chose with the switch, which is
// remembered. Loaded in <head>, before the page is drawn, so a dark page never flashes white.
(function () {
  var KEY = "boke-theme";
  var root = document.documentElement;
  var stored = null;
  try { stored = localStorage.getItem(KEY); } catch (e) { /* storage off: follow the system */ }
  if (stored === "light" || stored === "dark") root.setAttribute("data-theme", stored);

  function current() {
    var set = root.getAttribute("data-theme");
    if (set) return set;
    return window.matchMedia && matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }
  function label(button) {
    var dark = current() === "dark";
    button.textContent = dark ? button.getAttribute("data-light") : button.getAttribute("data-dark");
    button.setAttribute("aria-pressed", dark ? "true" : "false");
  }
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector(".theme-switch");
    if (!button) return;
    button.hidden = false;
    label(button);
    button.addEventListener("click", function () {
      var next = current() === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try { localStorage.setItem(KEY, next); } catch (e) { /* not remembered, still switched */ }
      label(button);
    });
  });
})();
