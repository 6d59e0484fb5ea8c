// "Copy" buttons next to read-only texts (the round's reminders). Without JavaScript the buttons
// stay hidden and the text can be selected and copied by hand.
(function () {
  "use strict";
  function copied(button) {
    var label = button.textContent;
    button.textContent = button.getAttribute("data-done") || label;
    window.setTimeout(function () { button.textContent = label; }, 2000);
  }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      source.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(source.value).then(function () { copied(button); });
      } else if (document.execCommand("copy")) {
        copied(button);
      }
    });
  });
})();
