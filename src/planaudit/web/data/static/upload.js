// Drag-and-drop for the upload form: an addition only. Without this script the file
// input and the button do the same; texts come from the page (data-* attributes) so the
// script has none of its own in either language.
(function () {
  "use strict";
  var input = document.getElementById("fil");
  var zone = document.getElementById("slipp");
  var form = input && input.form;
  if (!input || !zone || !form) {
    return;
  }
  var chosen = document.getElementById("valgt-fil");
  var hint = zone.querySelector(".drop-hint");

  function showChoice() {
    if (chosen) {
      chosen.textContent = input.files && input.files.length
        ? (zone.getAttribute("data-chosen") || "") + " " + input.files[0].name
        : "";
    }
  }

  function stop(event) {
    event.preventDefault();
    event.stopPropagation();
  }

  if (hint && "DataTransfer" in window) {
    hint.hidden = false;
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        stop(event);
        zone.classList.add("dragging");
      });
    });
    ["dragleave", "dragend", "drop"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        stop(event);
        zone.classList.remove("dragging");
      });
    });
    zone.addEventListener("drop", function (event) {
      var files = event.dataTransfer && event.dataTransfer.files;
      if (files && files.length) {
        input.files = files;
        showChoice();
        input.focus();
      }
    });
  }

  input.addEventListener("change", showChoice);
  form.addEventListener("submit", function () {
    var button = form.querySelector("button[type=submit]");
    if (button && form.getAttribute("data-busy")) {
      // after the browser has taken the form's data, so the submit itself is not blocked
      window.setTimeout(function () {
        button.disabled = true;
        button.textContent = form.getAttribute("data-busy");
      }, 0);
    }
    form.setAttribute("aria-busy", "true");
  });
}());
