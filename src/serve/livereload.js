// Injected by `boke serve` into HTML responses (never written to the built site).
// Listens for rebuild events and reloads the page, swaps stylesheets, or shows a build error.
(function () {
  "use strict";
  var source = new EventSource("/__boke/events");
  // Exposed so tests and curious authors can see the connection's state.
  window.__boke = source;
  var overlayId = "__boke_overlay";
  function removeOverlay() {
    var o = document.getElementById(overlayId);
    if (o) o.remove();
  }
  function showOverlay(message) {
    removeOverlay();
    var o = document.createElement("div");
    o.id = overlayId;
    o.setAttribute("role", "alert");
    o.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,20,.92);" +
      "color:#fff;font:14px/1.5 monospace;padding:24px;overflow:auto;white-space:pre-wrap";
    var h = document.createElement("strong");
    h.style.cssText = "display:block;color:#ff6b6b;font-size:16px;margin-bottom:12px";
    h.textContent = "boke: build failed — the last good version of the site is still served";
    var pre = document.createElement("div");
    pre.className = "boke-error";
    pre.textContent = message;
    o.appendChild(h);
    o.appendChild(pre);
    document.body.appendChild(o);
  }
  source.addEventListener("reload", function () {
    location.reload();
  });
  source.addEventListener("css", function () {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var url = new URL(links[i].href);
      url.searchParams.set("__boke", Date.now());
      links[i].href = url.toString();
    }
    removeOverlay();
  });
  // Not "error": EventSource uses that name for its own connection errors.
  source.addEventListener("builderror", function (e) {
    showOverlay(e.data);
  });
  source.addEventListener("ok", removeOverlay);
})();
