// The results list's "download the selected PDFs" form: the button stays disabled until someone is
// ticked, a "select all" box ticks everyone on the page, and a live count says how many are ticked.
// Without JavaScript the button stays enabled, the select-all box and the count stay hidden, and
// the server refuses an empty selection with a plain message.
(function () {
  "use strict";
  document.querySelectorAll("form[data-zip-selection]").forEach(function (form) {
    var boxes = Array.prototype.slice.call(form.querySelectorAll("input[type=checkbox][name=ids]"));
    var all = form.querySelector("input[data-select-all]");
    var button = form.querySelector("[data-zip-selected]");
    var count = form.querySelector("[data-selected-count]");
    function update() {
      var ticked = boxes.filter(function (box) { return box.checked; }).length;
      if (button) { button.disabled = ticked === 0; }
      if (all) {
        all.checked = boxes.length > 0 && ticked === boxes.length;
        all.indeterminate = ticked > 0 && ticked < boxes.length;
      }
      if (count) {
        var text = ticked === 0 ? count.getAttribute("data-template-none")
          : ticked === 1 ? count.getAttribute("data-template-one")
          : count.getAttribute("data-template-many").replace("{n}", String(ticked));
        count.textContent = text;
      }
    }
    if (all) {
      all.hidden = boxes.length === 0;
      all.addEventListener("change", function () {
        boxes.forEach(function (box) { box.checked = all.checked; });
        update();
      });
    }
    if (count) { count.hidden = false; }
    boxes.forEach(function (box) { box.addEventListener("change", update); });
    form.addEventListener("submit", function (event) {
      if (!boxes.some(function (box) { return box.checked; })) { event.preventDefault(); }
    });
    update();
  });
})();
