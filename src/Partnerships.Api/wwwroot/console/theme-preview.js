// Live preview of a layout theme: recolours the sample placement as the theme fields change. The page works without
// it (its Preview button draws the sample on the server from a dry-run).
(function () {
  "use strict";
  var sample = document.querySelector("[data-theme-preview]");
  if (!sample) return;
  document.documentElement.classList.add("js");
  var colour = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i;
  var variables = {
    primaryColor: "--theme-primary", backgroundColor: "--theme-background", textColor: "--theme-text",
    closeButtonColor: "--theme-close", borderRadius: "--theme-radius"
  };
  function apply(input) {
    var name = input.getAttribute("data-theme-token");
    var value = input.value.trim();
    if (name === "borderRadius") {
      var px = Number(value);
      if (value === "" || !Number.isInteger(px) || px < 0 || px > 64) { input.setAttribute("aria-invalid", "true"); return; }
      sample.style.setProperty(variables[name], px + "px");
    } else {
      if (!colour.test(value)) { input.setAttribute("aria-invalid", "true"); return; }
      sample.style.setProperty(variables[name], value);
    }
    input.removeAttribute("aria-invalid");
  }
  document.querySelectorAll("[data-theme-token]").forEach(function (input) {
    input.addEventListener("input", function () { apply(input); });
  });
})();
