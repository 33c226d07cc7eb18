/* Lateral Screener: the screening's forms posted in place, for a chat-like feel.
   Without this script every form works the same (plain POST, then a redirect to the page):
   it only posts the same fields with fetch, shows what was sent at once, swaps in the new
   page's content, moves the focus to the answer field and reads the new messages to
   screen readers (an aria-live region). No library, no other origin (the CSP allows only
   this file). */
(function () {
  "use strict";
  var busy = false;
  var live;

  function said(form, submitter) {
    var input = form.querySelector("input[name=text]");
    if (input && input.value.trim()) return input.value.trim();
    return submitter ? submitter.textContent.trim() : "";
  }

  function fields(form, submitter) {
    var body = new URLSearchParams();
    new FormData(form).forEach(function (value, name) { body.append(name, String(value)); });
    if (submitter && submitter.name) body.append(submitter.name, submitter.value);
    return body;
  }

  // What is read out: the turn's messages; of a long turn (the result) the first and the last
  // (the verdict, and what is asked now). The rest is on the page to read at will.
  function news_text(container) {
    var messages = Array.prototype.slice.call(container.querySelectorAll(".msg"));
    if (messages.length > 3) messages = [messages[0], messages[messages.length - 1]];
    if (!messages.length) return container.innerText.slice(0, 500);
    return messages.map(function (m) { return m.innerText; }).join("\n");
  }

  function show(html, url) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var incoming = doc.getElementById("main");
    var main = document.getElementById("main");
    if (!incoming || !main) { window.location.assign(url); return; }
    document.title = doc.title;
    main.innerHTML = incoming.innerHTML;
    if (url && window.history.replaceState) window.history.replaceState(null, "", new URL(url).pathname);
    var turn = document.getElementById("turn");
    var heading = main.querySelector("h1:not(.visually-hidden)");
    var news = turn || heading || main;
    live.textContent = "";
    live.textContent = news_text(turn || main);
    news.scrollIntoView({ block: "start" });
    var focus = main.querySelector("[data-focus]") || news;
    if (!focus.hasAttribute("tabindex") && !focus.matches("input, button, a")) focus.setAttribute("tabindex", "-1");
    focus.focus({ preventScroll: true });
  }

  function send(form, submitter) {
    busy = true;
    var words = said(form, submitter);
    var turn = document.getElementById("turn");
    if (turn && words) {
      var bubble = document.createElement("p");
      bubble.className = "me sending";
      bubble.textContent = words;
      turn.appendChild(bubble);
    }
    Array.prototype.forEach.call(document.querySelectorAll("main button"), function (b) { b.disabled = true; });
    window.fetch(form.action, {
      method: "POST",
      body: fields(form, submitter),
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" }
    }).then(function (response) {
      return response.text().then(function (html) { show(html, response.url); });
    }).catch(function () {
      window.location.reload();
    }).then(function () { busy = false; });
  }

  document.addEventListener("DOMContentLoaded", function () {
    live = document.createElement("div");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    live.id = "announce";
    document.body.appendChild(live);
    var focus = document.querySelector("[data-focus]");
    if (focus && window.location.hash === "#turn") focus.focus({ preventScroll: true });
  });

  // The button that submitted a form: event.submitter, or the last one clicked where a browser
  // does not give it (older Safari), so a pressed answer is never posted without its value.
  var clicked = null;
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target.closest("button[type=submit]") : null;
    clicked = target;
  }, true);

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method !== "post" || !window.fetch || !window.URL) return;
    event.preventDefault();
    var submitter = event.submitter || (clicked && clicked.form === form ? clicked : null);
    if (!busy) send(form, submitter);
  });
})();
