/* Progressive enhancement only: the citation block works without this file.
   Adds a copy button ("Copy reference", or the element's data-copy-label) after text
   marked with data-copy-text. */
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
    var label = element.getAttribute("data-copy-label") || "Copy reference";
    // "Copy the words" becomes "Copied the words": two buttons on a page stay told apart.
    var done = label.replace(/^Copy\b/, "Copied");
    button.textContent = label;
    status.setAttribute("role", "status");
    status.className = "visually-hidden";
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(element.textContent.trim()).then(
        function () {
          button.textContent = done;
          status.textContent = done + " to the clipboard";
        },
        function () {
          status.textContent = "Could not copy; select the text and copy it instead";
        }
      );
    });
    element.insertAdjacentElement("afterend", button);
    button.insertAdjacentElement("afterend", status);
  });
})();
