/* Progressive enhancement only: every page works without this file.
   Adds a "Copy link" button beside permalinks marked with data-copy-link, and scrolls a
   timeline wider than the screen to its latest statements, and leaves a filter form's
   empty fields out of the address it sends. */
(function () {
  "use strict";
  if (!navigator.clipboard) {
    return;
  }
  document.querySelectorAll("[data-copy-link]").forEach(function (link) {
    var button = document.createElement("button");
    var status = document.createElement("span");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = "Copy link";
    status.setAttribute("role", "status");
    status.className = "visually-hidden";
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(link.href).then(
        function () {
          button.textContent = "Copied";
          status.textContent = "Link copied to the clipboard";
        },
        function () {
          status.textContent = "Could not copy; select the link and copy it instead";
        }
      );
    });
    link.insertAdjacentElement("afterend", button);
    button.insertAdjacentElement("afterend", status);
  });
})();

/* A timeline wider than the screen scrolls sideways from its left end (its earliest
   year); the statements are usually at the right. Bring the latest of them into view. */
(function () {
  "use strict";
  document.querySelectorAll(".timeline__scroll").forEach(function (region) {
    if (region.scrollWidth <= region.clientWidth) {
      return;
    }
    var right = 0;
    region.querySelectorAll(".timeline__mark").forEach(function (mark) {
      right = Math.max(right, mark.getBoundingClientRect().right);
    });
    if (!right) {
      return;
    }
    var edge = region.getBoundingClientRect().left + region.clientWidth;
    if (right > edge) {
      // At once: the page's smooth scrolling would animate it in front of the reader.
      region.scrollTo({ left: region.scrollLeft + right - edge + 24, behavior: "instant" });
    }
  });
})();

/* A filter form sends only the fields that say something, so the address a reader
   bookmarks or shares reads "?theme=provider-failure", not "?q=&speaker=&…&theme=…".
   Empty fields are disabled for the submission and enabled again when the page is shown
   (also when the browser brings it back from its history). */
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[method='get']:not([role='search'])");
  forms.forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("input[name], select[name]").forEach(function (field) {
        if (field.value === "" && !field.disabled) {
          field.disabled = true;
          field.setAttribute("data-emptied", "");
        }
      });
    });
  });
  window.addEventListener("pageshow", function () {
    forms.forEach(function (form) {
      form.querySelectorAll("[data-emptied]").forEach(function (field) {
        field.disabled = false;
        field.removeAttribute("data-emptied");
      });
    });
  });
})();
