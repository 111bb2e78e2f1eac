/* Progressive enhancement only: the citation block works without this file.
   Adds a "Copy reference" button after text marked with data-copy-text. */
(function () {
  "use strict";
  if (!navigator.clipboard) {
    return;
  }
  document.querySelectorAll("[data-copy-text]").forEach(function (element) {
    var button = document.createElement("button");
    var status = document.createElement("span");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = "Copy reference";
    status.setAttribute("role", "status");
    status.className = "visually-hidden";
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(element.textContent.trim()).then(
        function () {
          button.textContent = "Copied";
          status.textContent = "Reference copied to the clipboard";
        },
        function () {
          status.textContent = "Could not copy; select the reference and copy it instead";
        }
      );
    });
    element.insertAdjacentElement("afterend", button);
    button.insertAdjacentElement("afterend", status);
  });
})();
