// newsdesk: small enhancements; every page works without this file.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");
  if (navigator.share) root.classList.add("has-share");

  function say(el, text) {
    var status = el.closest(".share") && el.closest(".share").querySelector(".share-status");
    if (status) status.textContent = text;
  }

  document.addEventListener("click", function (event) {
    var copy = event.target.closest(".copy-link");
    if (copy) {
      var url = copy.getAttribute("data-url");
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(url).then(
          function () { say(copy, "Link copied."); },
          function () { say(copy, "Copy failed; the link is " + url); }
        );
      } else {
        say(copy, "The link is " + url);
      }
      return;
    }
    var share = event.target.closest(".native-share");
    if (share && navigator.share) {
      navigator.share({ title: share.getAttribute("data-title"), url: share.getAttribute("data-url") })
        .catch(function () { /* the reader closed the share sheet */ });
    }
  });
})();
