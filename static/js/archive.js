/* Progressive enhancement only: every page works without this file.
   Adds a "Copy link" button beside permalinks marked with data-copy-link. */
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
