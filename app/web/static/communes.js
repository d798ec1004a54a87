/* The commune select follows its province select (data-communes-of names it): on a change its options are
 * fetched from the page's data-communes-url (province code in place of __province__). Without JavaScript the
 * form's "show the communes" button (data-province-refresh) asks the server instead; with it, that button goes. */
(function () {
  "use strict";

  function refill(select, rows) {
    var blank = select.options[0];
    var kept = select.value;
    select.replaceChildren(blank);
    rows.forEach(function (row) {
      var option = new Option(row[1], String(row[0]));
      option.selected = option.value === kept;
      select.add(option);
    });
  }

  function follow(communes) {
    var province = document.getElementById(communes.getAttribute("data-communes-of"));
    var url = communes.getAttribute("data-communes-url");
    var asked = 0;
    if (!province || !url) return;
    province.addEventListener("change", function () {
      var ticket = ++asked;  // a slow answer for a province chosen earlier must not win
      if (!province.value) { refill(communes, []); return; }
      fetch(url.replace("__province__", encodeURIComponent(province.value)), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : []; })
        .catch(function () { return []; })
        .then(function (rows) { if (ticket === asked) refill(communes, rows); });
    });
  }

  document.querySelectorAll("[data-province-refresh]").forEach(function (element) { element.remove(); });
  document.querySelectorAll("select[data-communes-of]").forEach(follow);
})();
