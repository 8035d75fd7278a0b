// Keyboard for the review page. Served by the app itself (the CSP allows scripts from 'self'
// only, and no inline script), so there is nothing to build and nothing fetched from elsewhere.
"use strict";
(function () {
  const form = document.getElementById("label");
  const help = document.getElementById("help");
  const go = (id) => { const a = document.getElementById(id); if (a) window.location.href = a.href; };
  const reasons = () => Array.from(document.querySelectorAll("input[name=reason]"));
  function reject() {
    if (!reasons().some((b) => b.checked)) {
      document.getElementById("need-reason").hidden = false;
      return;
    }
    form.requestSubmit(document.getElementById("reject"));
  }
  document.addEventListener("keydown", (e) => {
    const t = e.target;
    const typing = t.tagName === "TEXTAREA" || (t.tagName === "INPUT" && t.type !== "checkbox");
    if (typing) {
      if (e.key === "Escape") t.blur();
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "?") { if (help) help.hidden = !help.hidden; e.preventDefault(); return; }
    if (e.key === "Escape") { if (help) help.hidden = true; return; }
    if (!form) return;
    if (e.key === "a") { e.preventDefault(); form.requestSubmit(document.getElementById("approve")); }
    else if (e.key === "r") { e.preventDefault(); reject(); }
    else if (/^[1-8]$/.test(e.key)) {
      const box = document.getElementById("reason-" + e.key);
      if (box) { box.checked = !box.checked; document.getElementById("need-reason").hidden = true; }
    }
    else if (e.key === "j") go("next");
    else if (e.key === "k") go("prev");
    else if (e.key === "u") go("next-open");
    else if (e.key === "n") { e.preventDefault(); document.getElementById("note").focus(); }
  });
  // the keys work from here on (a deferred script runs after the page is shown: a key pressed
  // before this line is not seen, and a test waits for this mark before it types)
  document.documentElement.dataset.keys = "on";
})();
