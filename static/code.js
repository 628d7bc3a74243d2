// A copy button on every code block of a post. Only the code is copied: line numbers live in
// a gutter of their own (see style.css).
(function () {
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    // file:// and plain http have no Clipboard API: the old way, through a selection.
    return new Promise(function (ok, fail) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var done = false;
      try { done = document.execCommand("copy"); } catch (e) { done = false; }
      document.body.removeChild(area);
      if (done) ok(); else fail(new Error("copy refused"));
    });
  }
  var blocks = document.querySelectorAll(".post-body pre");
  for (var i = 0; i < blocks.length; i++) {
    (function (pre) {
      var code = pre.querySelector("code");
      if (!code) return;
      var wrap = document.createElement("div");
      wrap.className = "code-block";
      pre.parentNode.insertBefore(wrap, pre);
      wrap.appendChild(pre);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy";
      var idle = document.body.getAttribute("data-copy") || "Copy";
      var copied = document.body.getAttribute("data-copied") || "Copied";
      button.textContent = idle;
      button.addEventListener("click", function () {
        copy(code.textContent).then(function () {
          button.textContent = copied;
          setTimeout(function () { button.textContent = idle; }, 1500);
        }, function () { button.textContent = idle; });
      });
      wrap.appendChild(button);
    })(blocks[i]);
  }
})();
