// Keyboard coding: select words in the evidence text, press 1-9 to code them with that code;
// n and p move to the next and previous item. The form works without this script.
(function () {
  "use strict";
  var text = document.getElementById("evidence-text");
  var form = document.getElementById("coding-form");
  if (!text || !form) { return; }

  function offsetIn(node, offset) {
    // Characters before (node, offset) inside the evidence text element.
    var range = document.createRange();
    range.selectNodeContents(text);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  function selectedSpan() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) { return null; }
    var range = selection.getRangeAt(0);
    if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) { return null; }
    var start = offsetIn(range.startContainer, range.startOffset);
    var end = offsetIn(range.endContainer, range.endOffset);
    return end > start ? [start, end] : null;
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (target.closest && target.closest("input, textarea, select")) { return; }
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (event.key === "n" || event.key === "p") {
      var link = document.getElementById(event.key === "n" ? "next-item" : "previous-item");
      if (link) { window.location.href = link.href; }
      return;
    }
    if (!/^[1-9]$/.test(event.key)) { return; }
    var option = form.querySelector('option[data-key="' + event.key + '"]');
    var span = selectedSpan();
    if (!option || !span) { return; }
    event.preventDefault();
    form.elements.code.value = option.value;
    form.elements.start.value = span[0];
    form.elements.end.value = span[1];
    form.elements.passage.value = text.textContent.slice(span[0], span[1]);
    form.requestSubmit ? form.requestSubmit() : form.submit();
  });
})();
