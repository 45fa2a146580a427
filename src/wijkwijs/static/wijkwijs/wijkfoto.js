/* Wijkwijs wijkfoto (EUPL-1.2): shows the print button when JavaScript runs. */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
