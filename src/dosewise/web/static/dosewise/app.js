// Small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // A table wider than the screen scrolls sideways inside its .scroll box. Such a box must be
  // reachable with the keyboard (WCAG 2.1.1), so it becomes a named, focusable region, but
  // only while it actually overflows: no extra Tab stops on wide screens.
  function labelFor(box) {
    var section = box.closest("section[aria-labelledby]");
    var heading = section && document.getElementById(section.getAttribute("aria-labelledby"));
    if (!heading) {
      var previous = box.previousElementSibling;
      while (previous && !/^H[1-6]$/.test(previous.tagName)) previous = previous.previousElementSibling;
      heading = previous || document.querySelector("main h1");
    }
    return (heading ? heading.textContent.trim() + ": " : "") + "table, scrolls sideways";
  }

  function markScrollBoxes() {
    document.querySelectorAll(".scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", labelFor(box));
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }

  var pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; markScrollBoxes(); });
  }

  document.addEventListener("DOMContentLoaded", markScrollBoxes);

  // A print button only where printing is offered; without scripts the page says to use the
  // browser's Print command, so the button stays hidden.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("button[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  });
  window.addEventListener("resize", schedule);
  document.addEventListener("htmx:afterSettle", markScrollBoxes);
})();

// A unit list that follows a test list: only the chosen test's units (its optgroup) are offered.
(function () {
  "use strict";
  function follow(unit) {
    var test = unit.form && unit.form.elements[unit.getAttribute("data-units-follow")];
    if (!test) return;
    function apply() {
      var option = test.options[test.selectedIndex];
      var label = option ? option.textContent.trim() : "";
      var first = null;
      var keep = false;
      Array.prototype.forEach.call(unit.querySelectorAll("optgroup"), function (group) {
        var match = group.label === label;
        group.hidden = !match;
        group.disabled = !match;
        if (match) {
          first = group.querySelector("option");
          keep = Array.prototype.some.call(group.querySelectorAll("option"), function (o) { return o.selected; });
        }
      });
      if (first && !keep) first.selected = true;
    }
    test.addEventListener("change", apply);
    apply();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[data-units-follow]").forEach(follow);
  });
})();
