// newsdesk: small enhancements; every page works without this file.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");
  if (navigator.share) root.classList.add("has-share");

  // An old site's link (#comment-N, followed here through its redirect, which adds
  // ?from=archive) names the comment by its number there: go to that comment, on this page or
  // through its own address when it is on another page of the conversation.
  (function oldCommentLink() {
    var number = /^#comment-(\d+)$/.exec(location.hash);
    if (!number || !/(^|[?&])from=archive(&|$)/.test(location.search)) return;
    // Only on a story's own page, and only to its own addresses, built from its slug.
    var story = document.querySelector("article.story[data-slug]");
    var slug = story && story.getAttribute("data-slug");
    if (!slug || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug) || location.pathname !== "/news/" + slug) return;
    var found = document.querySelector('[data-archive-id="' + number[1] + '"]');
    if (found) {
      history.replaceState(null, "", "/news/" + slug + "#" + found.id);
      found.scrollIntoView();
    } else {
      location.replace("/news/" + slug + "/comments/archived/" + number[1]);
    }
  })();

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

  // The debate: forms post without a reload, and the page updates in place. Without this
  // script every form still works as a plain post.
  function status(form, text) {
    var el = form.querySelector(".form-status") || form.parentNode.querySelector(".form-status");
    if (el) el.textContent = text;
  }

  var currentStamp = "", readyIn = 0;
  // A fresh stamp, as each answer brings one: it too must be old enough before it is sent.
  function restamp(stamp) {
    if (!stamp) return;
    currentStamp = stamp;
    stampReadyAt = Date.now() + readyIn * 1000;
    document.querySelectorAll('input[name="stamp"]').forEach(function (i) { i.value = stamp; });
  }
  // A vote, report or poll answer spends its stamp even when it is refused: the next one
  // asks for a new stamp.
  function forgetStamp() {
    currentStamp = "";
    stampAsked = null;
    document.querySelectorAll('input[name="stamp"]').forEach(function (i) { i.value = ""; });
  }

  // A page every reader shares carries no form stamp: this reader's comes from /stamp when
  // they first come near a form, and a form waits until it is old enough to be sent.
  var stampAsked = null, stampReadyAt = 0;
  function ensureStamp() {
    var missing = Array.prototype.some.call(document.querySelectorAll('input[name="stamp"]'),
      function (i) { return !i.value; });
    if (!missing && !stampAsked) return Promise.resolve();
    if (!stampAsked) {
      stampAsked = fetch("/stamp", { method: "POST", headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (r) { if (!r.ok) throw new Error("no stamp"); return r.json(); })
        .then(function (b) { readyIn = b.ready_in || 0; restamp(b.stamp); })
        .catch(function (e) { stampAsked = null; throw e; });
    }
    return stampAsked.then(function () {
      // Forms that arrived since (a refreshed comment list) get the same stamp.
      document.querySelectorAll('input[name="stamp"]').forEach(function (i) { if (!i.value) i.value = currentStamp; });
      var wait = stampReadyAt - Date.now();
      return wait > 0 ? new Promise(function (ok) { setTimeout(ok, wait); }) : null;
    });
  }
  (function askForStampEarly() {
    if (!window.fetch || !document.querySelector('input[name="stamp"]')) return;
    var ask = function () { ensureStamp().catch(function () { /* asked again when sending */ }); };
    document.addEventListener("focusin", function (e) {
      if (e.target.form && e.target.form.querySelector('input[name="stamp"]')) ask();
    });
    var debate = document.getElementById("debate") || document.getElementById("comments");
    if (debate && window.IntersectionObserver) {
      var near = new IntersectionObserver(function (entries) {
        if (entries.some(function (x) { return x.isIntersecting; })) { near.disconnect(); ask(); }
      }, { rootMargin: "600px" });
      near.observe(debate);
    }
  })();

  function send(form, submitter) {
    return ensureStamp().then(function () {
      var data = new URLSearchParams(new FormData(form));
      if (submitter && submitter.name) data.append(submitter.name, submitter.value);
      return fetch(form.action, {
        method: "POST",
        headers: { "Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded" },
        body: data,
        credentials: "same-origin"
      });
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        return { ok: r.ok, status: r.status, body: body, retry: r.headers.get("Retry-After") };
      });
    });
  }

  var LABELS = { body: "Your comment", name: "Your name", email: "Email", question_id: "The question",
    form: "This form", homepage: "The last field", reason: "The reason", answer: "The answer" };

  function problem(res) {
    if (res.status === 429) {
      return res.retry === "1" ? "Please wait a second and try again." :
        "Please wait " + (res.retry || "a few") + " seconds and try again.";
    }
    var b = res.body || {};
    if (b.fields) {
      return Object.keys(b.fields).map(function (k) { return (LABELS[k] || k) + " " + b.fields[k]; }).join(". ") + ".";
    }
    var m = b.message || "That did not work; please try again.";
    return m.charAt(0).toUpperCase() + m.slice(1) + ".";
  }

  // Marks the fields a refusal names, and takes the reader to the first.
  function markFields(form, res) {
    form.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    var fields = (res.body && res.body.fields) || {};
    var first = null;
    Object.keys(fields).forEach(function (k) {
      var el = form.querySelector('[name="' + k + '"]');
      if (el && el.type !== "hidden") { el.setAttribute("aria-invalid", "true"); first = first || el; }
    });
    if (first) first.focus();
  }

  // Says how a small form went, beside it.
  function note(form, selector, text) {
    var box = form.closest(".comment, .debate-question");
    var el = box && box.querySelector(selector);
    if (el) el.textContent = text;
  }

  // Fetches the story page again and swaps in its comments, so the new comment shows.
  function refreshComments(anchor) {
    // Asked of the server (or its cache's copy checked), never taken stale from the browser's.
    return fetch(location.pathname + location.search, { credentials: "same-origin", cache: "no-cache" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.querySelector(".comment-list") || doc.querySelector(".comments-empty");
        var old = document.querySelector(".comment-list") || document.querySelector(".comments-empty");
        if (fresh && old) old.replaceWith(fresh);
        var count = doc.querySelector(".comment-count"), here = document.querySelector(".comment-count");
        if (count && here) here.textContent = count.textContent;
        var target = anchor && document.getElementById(anchor);
        if (target) target.scrollIntoView({ block: "center" });
      });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    if (!window.fetch || !window.URLSearchParams) return;
    if (form.matches(".comment-form:not(.edit)") && form.closest("#comments")) {
      event.preventDefault();
      status(form, "Posting…");
      send(form).then(function (res) {
        if (!res.ok) { status(form, problem(res)); markFields(form, res); return; }
        markFields(form, res);
        restamp(res.body.stamp);
        form.querySelector("textarea").value = "";
        var parent = form.querySelector('input[name="parent_id"]');
        if (parent) parent.remove();
        var replying = form.querySelector(".replying");
        if (replying) replying.remove();
        // Back under its heading, in case "Reply" had moved it into the list that is replaced.
        var heading = document.querySelector("#comments .form-heading");
        if (heading) heading.after(form);
        if (res.body.status === "held") {
          status(form, "Thank you. Your comment is waiting for a moderator.");
        } else {
          status(form, "Your comment is posted.");
          refreshComments("comment-" + res.body.id);
        }
      }, function () { status(form, "No connection; your comment was not sent."); });
    } else if (form.matches(".vote-form")) {
      event.preventDefault();
      send(form, submitter).then(function (res) {
        if (!res.ok) { forgetStamp(); note(form, ".action-status", problem(res)); return; }
        note(form, ".action-status", "Vote counted.");
        restamp(res.body.stamp);
        form.querySelector(".up-count").textContent = res.body.upvotes;
        form.querySelector(".down-count").textContent = res.body.downvotes;
      });
    } else if (form.matches(".flag-form")) {
      event.preventDefault();
      send(form).then(function (res) {
        var button = form.querySelector("button");
        if (!res.ok) { forgetStamp(); note(form, ".action-status", problem(res)); return; }
        restamp(res.body.stamp);
        button.disabled = true;
        button.textContent = "Reported. Thank you.";
      });
    } else if (form.matches(".poll")) {
      event.preventDefault();
      send(form, submitter).then(function (res) {
        var box = form.closest(".debate-question");
        if (!res.ok) { forgetStamp(); note(form, ".poll-status", problem(res)); return; }
        note(form, ".poll-status", "Thank you: your answer is counted.");
        restamp(res.body.stamp);
        ["yes", "no", "not_sure"].forEach(function (a) {
          var li = box.querySelector('.tally li[data-answer="' + a + '"]');
          if (!li) return;
          li.querySelector(".tally-count").textContent = res.body[a];
          li.querySelector(".tally-percent").textContent = res.body.percent[a];
          li.querySelector("meter").value = res.body.percent[a];
        });
        box.querySelector(".tally-votes").textContent = res.body.votes;
        var word = box.querySelector(".tally-word");
        if (word) word.textContent = res.body.votes === 1 ? "vote" : "votes";
        if (submitter) submitter.setAttribute("aria-pressed", "true");
      });
    }
  });

  // "Reply" moves the comment form under the comment; "Answer in the comments" picks the question.
  document.addEventListener("click", function (event) {
    var reply = event.target.closest(".reply-link");
    var answer = event.target.closest(".answer-link");
    var form = document.querySelector("#comments .comment-form");
    if (!form) return;
    if (reply) {
      event.preventDefault();
      var old = form.querySelector('input[name="parent_id"]');
      if (old) old.remove();
      var oldNote = form.querySelector(".replying");
      if (oldNote) oldNote.remove();
      var input = document.createElement("input");
      input.type = "hidden"; input.name = "parent_id"; input.value = reply.getAttribute("data-parent");
      var note = document.createElement("p");
      note.className = "replying";
      note.textContent = "Replying to " + reply.getAttribute("data-name");
      form.insertBefore(note, form.firstChild);
      form.insertBefore(input, form.firstChild);
      reply.closest(".comment").appendChild(form);
      form.querySelector("textarea").focus();
    } else if (answer) {
      var select = form.querySelector('select[name="question_id"]');
      if (select) select.value = answer.getAttribute("data-question");
    }
  });

  // Live tallies: while the debate is on screen, the polls refresh every 20 seconds.
  var debate = document.getElementById("debate");
  var story = document.querySelector("article.story");
  if (debate && story && window.fetch && window.IntersectionObserver) {
    var visible = false;
    new IntersectionObserver(function (entries) { visible = entries[0].isIntersecting; }).observe(debate);
    setInterval(function () {
      if (!visible || document.hidden) return;
      fetch("/api/v1/articles/" + encodeURIComponent(story.getAttribute("data-slug")) + "/debate")
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (questions) {
          questions.forEach(function (q) {
            var box = document.getElementById("question-" + q.id);
            if (!box) return;
            ["yes", "no", "not_sure"].forEach(function (a) {
              var li = box.querySelector('.tally li[data-answer="' + a + '"]');
              if (!li) return;
              var pct = q.votes ? Math.round(q[a] * 100 / q.votes) : 0;
              li.querySelector(".tally-count").textContent = q[a];
              li.querySelector(".tally-percent").textContent = pct;
              li.querySelector("meter").value = pct;
            });
            box.querySelector(".tally-votes").textContent = q.votes;
            var word = box.querySelector(".tally-word");
            if (word) word.textContent = q.votes === 1 ? "vote" : "votes";
          });
        })
        .catch(function () { /* offline: the tallies stay as they are */ });
    }, 20000);
  }

  // The moderation queue: one box picks every comment on the page.
  document.addEventListener("change", function (event) {
    var all = event.target.closest(".pick-all");
    if (!all) return;
    var form = all.closest("form");
    form.querySelectorAll('input[name="ids"]').forEach(function (box) { box.checked = all.checked; });
  });
  // Logging out forgets the drafts this browser kept for the newsroom.
  document.addEventListener("submit", function (event) {
    if (!event.target.matches("form.logout")) return;
    try {
      Object.keys(localStorage).filter(function (k) { return k.indexOf("newsdesk-draft:") === 0; })
        .forEach(function (k) { localStorage.removeItem(k); });
    } catch (e) { /* nothing kept */ }
  });

  // The newsroom's story editor: a live preview rendered by the server with the public page's
  // own code, a picker that inserts promos, and claims made from the body's selected words.
  var storyForm = document.querySelector(".story-form");
  if (storyForm && window.fetch && window.URLSearchParams) {
    var live = document.getElementById("live-preview");
    var body = document.getElementById("s-body");
    var timer = null;
    var refresh = function () {
      var typedData = new FormData(storyForm);
      typedData.delete("hero_file");
      var data = new URLSearchParams(typedData);
      data.set("action", "preview");
      fetch("/admin/preview", { method: "POST", body: data, credentials: "same-origin",
        headers: { "Content-Type": "application/x-www-form-urlencoded" } })
        .then(function (res) { return res.ok ? res.text() : null; })
        .then(function (html) { if (html !== null && live) live.innerHTML = html; })
        .catch(function () { /* the preview waits for the next change */ });
    };

    // While the story is open, others are told who is editing it.
    var csrf = storyForm.querySelector('input[name="csrf"]');

    // A picture chosen or dropped on the hero box goes to the library at once; its address
    // fills the hero, so the story's form itself never carries the file.
    var heroFile = document.getElementById("s-hero-file");
    var heroBox = storyForm.querySelector(".hero-picker");
    var heroStatus = document.getElementById("s-hero-status");
    var heroField = function (name) { return storyForm.querySelector('[name="hero_' + name + '"]'); };
    var sendPicture = function (file) {
      var fd = new FormData();
      fd.append("csrf", csrf.value);
      ["alt", "caption", "credit"].forEach(function (k) { fd.append(k, heroField(k).value); });
      fd.append("file", file);
      heroStatus.textContent = "Uploading " + file.name + "…";
      fetch("/admin/media", { method: "POST", body: fd, credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (res) { return res.json().then(function (j) { return { ok: res.ok, j: j }; }); })
        .then(function (r) {
          if (!r.ok) {
            heroStatus.textContent = "Not uploaded: " + ((r.j.fields && r.j.fields.file) || r.j.message);
            return;
          }
          heroField("url").value = r.j.url;
          ["alt", "caption", "credit"].forEach(function (k) { if (!heroField(k).value) heroField(k).value = r.j[k]; });
          heroFile.value = "";
          heroStatus.textContent = "Uploaded (" + r.j.width + "×" + r.j.height + "). ";
          var img = document.createElement("img");
          img.src = r.j.url; img.alt = ""; img.width = 160;
          heroStatus.appendChild(img);
          keep();
          refresh();
        })
        .catch(function () { heroStatus.textContent = "Not uploaded: the connection failed; try again."; });
    };
    if (heroFile && heroBox && heroStatus && window.FormData) {
      heroFile.addEventListener("change", function () { if (heroFile.files[0]) sendPicture(heroFile.files[0]); });
      heroBox.addEventListener("dragover", function (e) { e.preventDefault(); heroBox.classList.add("dropping"); });
      heroBox.addEventListener("dragleave", function () { heroBox.classList.remove("dropping"); });
      heroBox.addEventListener("drop", function (e) {
        e.preventDefault();
        heroBox.classList.remove("dropping");
        if (e.dataTransfer && e.dataTransfer.files[0]) sendPicture(e.dataTransfer.files[0]);
      });
    }
    if (csrf && storyForm.querySelector('input[name="revision"]').value) {
      setInterval(function () {
        fetch(storyForm.getAttribute("action") + "/editing", { method: "POST", credentials: "same-origin",
          headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "csrf=" + encodeURIComponent(csrf.value) })
          .catch(function () { /* the next beat tries again */ });
      }, 60000);
    }

    // What was typed is kept in this browser until the story is saved, so a refused save, a
    // closed tab or a login that expired meanwhile loses nothing: the editor offers it back.
    // Kept per newsroom member and story; the revision is kept too, so a kept draft put back
    // over a story saved meanwhile is refused as stale instead of overwriting it.
    var draftKey = "newsdesk-draft:" + storyForm.getAttribute("data-who") + ":" + storyForm.getAttribute("action");
    var typed = function () {
      return Array.prototype.filter.call(storyForm.elements, function (el) {
        return el.name && el.name !== "csrf" && el.type !== "submit" && el.type !== "file" &&
          ((el.type !== "radio" && el.type !== "checkbox") || el.checked);
      }).map(function (el) { return [el.name, el.value]; });
    };
    var keep = function () {
      try { localStorage.setItem(draftKey, JSON.stringify({ at: Date.now(), fields: typed() })); } catch (e) { /* private mode */ }
    };
    var saved = document.querySelector(".admin .notice");

    var kept = null;
    try { kept = JSON.parse(localStorage.getItem(draftKey) || "null"); } catch (e) { kept = null; }
    if (saved && /saved|restored/i.test(saved.textContent)) {
      try { localStorage.removeItem(draftKey); } catch (e) { /* nothing kept */ }
    } else if (kept && JSON.stringify(kept.fields) !== JSON.stringify(typed())) {
      var offer = document.createElement("p");
      offer.className = "notice draft-offer";
      offer.setAttribute("role", "status");
      offer.textContent = "This browser kept what you typed here at " + new Date(kept.at).toLocaleString() + ", not yet saved. ";
      var restore = document.createElement("button");
      restore.type = "button";
      restore.id = "restore-draft";
      restore.textContent = "Put it back in the form";
      var discard = document.createElement("button");
      discard.type = "button";
      discard.textContent = "Discard it";
      offer.appendChild(restore);
      offer.appendChild(document.createTextNode(" "));
      offer.appendChild(discard);
      storyForm.parentNode.insertBefore(offer, storyForm);
      restore.addEventListener("click", function () {
        var seen = {};
        kept.fields.forEach(function (pair) {
          var all = storyForm.querySelectorAll('[name="' + pair[0] + '"]');
          var at = seen[pair[0]] || 0;
          seen[pair[0]] = at + 1;
          if (all.length && all[0].type === "radio") {
            Array.prototype.forEach.call(all, function (r) { r.checked = r.value === pair[1]; });
          } else if (all[at]) {
            all[at].value = pair[1];
          }
        });
        offer.remove();
        refresh();
        document.getElementById("s-headline").focus();
      });
      discard.addEventListener("click", function () {
        try { localStorage.removeItem(draftKey); } catch (e) { /* nothing kept */ }
        offer.remove();
      });
    }
    storyForm.addEventListener("input", function () {
      keep();
      clearTimeout(timer);
      timer = setTimeout(refresh, 400);
    });
    if (live && body && body.value.trim()) refresh();

    var pickerQ = document.getElementById("picker-q");
    var pickerList = document.getElementById("picker-results");
    var pickTimer = null;
    var insert = function (text) {
      var at = body.selectionStart || body.value.length;
      var before = body.value.slice(0, at).replace(/\s*$/, "");
      var after = body.value.slice(at).replace(/^\s*/, "");
      body.value = (before ? before + "\n\n" : "") + text + (after ? "\n\n" + after : "\n");
      body.focus();
      refresh();
    };
    if (pickerQ && pickerList && body) {
      pickerQ.addEventListener("input", function () {
        clearTimeout(pickTimer);
        pickTimer = setTimeout(function () {
          var q = pickerQ.value.trim();
          if (q.length < 3) { pickerList.textContent = ""; return; }
          fetch("/api/v1/search?per_page=5&q=" + encodeURIComponent(q))
            .then(function (res) { return res.ok ? res.json() : { results: [] }; })
            .then(function (found) {
              pickerList.textContent = "";
              found.results.forEach(function (r) {
                var li = document.createElement("li");
                var button = document.createElement("button");
                button.type = "button";
                button.className = "pick-promo";
                button.textContent = r.headline;
                button.setAttribute("data-slug", r.slug);
                li.appendChild(button);
                pickerList.appendChild(li);
              });
              if (!found.results.length) pickerList.textContent = "No published story matches.";
            });
        }, 250);
      });
      pickerList.addEventListener("click", function (event) {
        var pick = event.target.closest(".pick-promo");
        if (!pick) return;
        var kicker = document.getElementById("picker-kicker").value;
        insert("[[" + pick.getAttribute("data-slug") + "]]" + (kicker ? " " + kicker : ""));
      });
    }

    var makeClaim = document.getElementById("claim-from-selection");
    if (makeClaim && body) {
      makeClaim.addEventListener("click", function () {
        var said = document.getElementById("claim-status");
        var words = body.value.slice(body.selectionStart, body.selectionEnd).trim();
        if (!words) { said.textContent = "Select the claim's words in the body first."; body.focus(); return; }
        var free = Array.prototype.find.call(storyForm.querySelectorAll('input[name="claim_quote"]'),
          function (input) { return !input.value.trim(); });
        if (!free) { said.textContent = "Every claim row is used: save, and the form offers new ones."; return; }
        free.value = words;
        said.textContent = "Claim added: now name its source.";
        var source = document.getElementById(free.id.replace("-quote", "-name"));
        if (source) source.focus();
        refresh();
      });
    }
  }
})();
