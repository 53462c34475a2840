/* Huzhu web client: the only script. It refreshes the loan application's
   schedule preview as the form is filled in; without it the preview button
   posts the form back, so every page works with scripts off. Written for
   old browsers: no arrow functions, no fetch. */
(function () {
  var form = document.querySelector("form[data-preview]");
  var box = document.getElementById("preview");
  if (!form || !box) { return; }
  var timer = null;
  var names = ["principal", "term_months", "method", "date"];
  function update() {
    var query = [];
    for (var i = 0; i < names.length; i++) {
      var input = form.elements[names[i]];
      query.push(names[i] + "=" + encodeURIComponent(input ? input.value : ""));
    }
    var request = new XMLHttpRequest();
    request.open("GET", form.getAttribute("data-preview") + "?" + query.join("&"));
    request.onload = function () {
      // A page (signed out meanwhile) is not a preview: leave the box.
      var text = request.responseText;
      if (request.status === 200 && text.indexOf("<html") < 0) { box.innerHTML = text; }
    };
    request.send();
  }
  function later() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(update, 300);
  }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
}());
