/* The e-form builder: drag a field to its new place (a progressive enhancement).
 *
 * Without this script the page works the same with its "Up" and "Down" buttons. With it, each field
 * of the list (li[data-move-url]) can be dragged onto another one; dropping posts the same move form
 * the buttons do, with `to` = the place of the field dropped on (from 0), and the page reloads.
 * A static file: the Content-Security-Policy allows no inline script.
 */
(function () {
  "use strict";

  function start() {
    var list = document.querySelector("[data-eform-builder-list]");
    if (!list || !("draggable" in document.createElement("li"))) {
      return;
    }
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (!token) {
      return;
    }
    var items = Array.prototype.slice.call(list.querySelectorAll("li[data-move-url]"));
    if (items.length < 2) {
      return;
    }
    var hint = document.querySelector("[data-drag-hint]");
    if (hint) {
      hint.hidden = false;
    }
    var dragged = null;

    function post(url, to) {
      var form = document.createElement("form");
      form.method = "post";
      form.action = url;
      [["csrfmiddlewaretoken", token.value], ["to", String(to)]].forEach(function (pair) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = pair[0];
        input.value = pair[1];
        form.appendChild(input);
      });
      document.body.appendChild(form);
      form.submit();
    }

    items.forEach(function (item) {
      item.setAttribute("draggable", "true");
      item.addEventListener("dragstart", function (event) {
        dragged = item;
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", item.getAttribute("data-name") || "");
      });
      item.addEventListener("dragend", function () {
        dragged = null;
      });
      item.addEventListener("dragover", function (event) {
        if (dragged && dragged !== item) {
          event.preventDefault();
          event.dataTransfer.dropEffect = "move";
        }
      });
      item.addEventListener("drop", function (event) {
        event.preventDefault();
        if (!dragged || dragged === item) {
          return;
        }
        post(dragged.getAttribute("data-move-url"), items.indexOf(item));
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
