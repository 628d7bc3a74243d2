// The comments widget of the site's choice (giscus, Waline or Twikoo), fetched only when the
// reader scrolls near it. The page has it only when site.yaml's `comments:` names a provider;
// its settings arrive as data- attributes of the box.
(function () {
  var box = document.querySelector(".comments-widget");
  if (!box) return;
  var provider = box.getAttribute("data-provider");
  var src = box.getAttribute("data-script");
  var options = {};
  for (var i = 0; i < box.attributes.length; i++) {
    var a = box.attributes[i];
    if (a.name.indexOf("data-option-") === 0) options[a.name.slice(12)] = a.value;
  }
  function dark() {
    var set = document.documentElement.getAttribute("data-theme");
    if (set) return set === "dark";
    return window.matchMedia && matchMedia("(prefers-color-scheme: dark)").matches;
  }
  function script(onload) {
    var s = document.createElement("script");
    s.src = src;
    s.async = true;
    if (onload) s.onload = onload;
    return s;
  }
  function load() {
    if (provider === "giscus") {
      var s = script();
      s.setAttribute("crossorigin", "anonymous");
      s.setAttribute("data-mapping", "pathname");
      s.setAttribute("data-theme", dark() ? "dark" : "light");
      s.setAttribute("data-loading", "lazy");
      for (var k in options) s.setAttribute("data-" + k, options[k]);
      box.appendChild(s);
    } else if (provider === "waline") {
      var css = box.getAttribute("data-style");
      if (css) {
        var link = document.createElement("link");
        link.rel = "stylesheet";
        link.href = css;
        document.head.appendChild(link);
      }
      import(src).then(function (m) {
        m.init({ el: box, serverURL: options["server-url"], path: location.pathname, dark: 'html[data-theme="dark"]' });
      });
    } else if (provider === "twikoo") {
      box.id = box.id || "comments-widget";
      document.body.appendChild(script(function () {
        window.twikoo.init({ envId: options["env-id"], el: "#" + box.id, path: location.pathname });
      }));
    }
  }
  if ("IntersectionObserver" in window) {
    var seen = new IntersectionObserver(function (entries) {
      for (var j = 0; j < entries.length; j++) {
        if (entries[j].isIntersecting) { seen.disconnect(); load(); return; }
      }
    }, { rootMargin: "300px" });
    seen.observe(box);
  } else {
    load();
  }
})();
