// Keyboard shortcuts on staff pages, as progressive enhancement: every one has a link or a button too, and
// templates/_shortcuts.html lists them (the footer's page, and the "?" dialog here). A key never fires while
// the person types in a box or holds Ctrl, Alt or Meta (Ctrl+Enter in the reply or note box is the one chord).
//
// j/k move through the queue's case links (data-case-link); Enter opens one (a link's own). The queue last seen
// is remembered for this tab (sessionStorage), so on a case j/k open its neighbours and u goes back to it,
// with the case just worked focused, so j moves on to the next.
(function () {
  "use strict";
  const QUEUE = "shortcuts.queue";  // {url, cases: [path…]}
  const LAST = "shortcuts.last";    // the path of the case opened from it
  const RETURNING = "shortcuts.returning";

  const store = {
    get(key) { try { return JSON.parse(window.sessionStorage.getItem(key)); } catch (e) { return null; } },
    set(key, value) { try { window.sessionStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode */ } },
  };
  const links = () => [...document.querySelectorAll("a[data-case-link]")];
  const pathOf = (href) => new URL(href, window.location.href).pathname;

  // A queue page: remember it and its cases; back from a case with u, focus the case just worked.
  if (links().length) {
    store.set(QUEUE, { url: window.location.pathname + window.location.search, cases: links().map((a) => pathOf(a.href)) });
    document.addEventListener("click", (event) => {
      const link = event.target.closest && event.target.closest("a[data-case-link]");
      if (link) store.set(LAST, pathOf(link.href));
    });
    if (store.get(RETURNING)) {
      store.set(RETURNING, false);
      const last = links().find((a) => pathOf(a.href) === store.get(LAST));
      if (last) last.focus();
    }
  }

  function moveInQueue(step) {
    const all = links();
    if (all.length) {
      const at = all.indexOf(document.activeElement);
      const next = at < 0 ? (step > 0 ? 0 : all.length - 1) : Math.min(Math.max(at + step, 0), all.length - 1);
      all[next].focus();
      all[next].scrollIntoView({ block: "nearest" });
      return true;
    }
    const queue = store.get(QUEUE);
    const at = queue ? queue.cases.indexOf(window.location.pathname) : -1;
    const next = at < 0 ? null : queue.cases[at + step];
    if (!next) return false;
    store.set(LAST, next);
    window.location.assign(next);
    return true;
  }

  function backToQueue() {
    const queue = store.get(QUEUE);
    if (links().length) return false;
    store.set(RETURNING, true);
    if (queue && queue.cases.includes(window.location.pathname)) store.set(LAST, window.location.pathname);
    const home = document.querySelector(".staff-nav a.site-nav__link");
    window.location.assign(queue ? queue.url : (home ? home.href : "/staff/cases"));
    return true;
  }

  // The composer: choose the mode (its radio "tab", so the CSS shows that box) and put the cursor in its box.
  function compose(modes) {
    for (const mode of modes) {
      const tab = document.getElementById("compose-" + mode);
      const box = document.getElementById(mode + "-body");
      if (!tab || !box) continue;
      tab.checked = true;
      tab.dispatchEvent(new Event("change", { bubbles: true }));
      box.focus();
      box.scrollIntoView({ block: "center" });
      return true;
    }
    return false;
  }

  const dialog = document.getElementById("shortcuts-dialog");
  let before = null;
  function showList() {
    if (!dialog || typeof dialog.showModal !== "function") return false;
    if (dialog.open) return true;
    before = document.activeElement;
    dialog.showModal();
    dialog.scrollTop = 0;  // the focus is on Close, at the end: the list is read from its top
    return true;
  }
  if (dialog) {
    // Esc (native) or its Close button close it; the focus goes back where it was.
    dialog.addEventListener("close", () => { if (before && before.focus) before.focus(); });
    const link = document.querySelector("a[data-shortcuts-link]");
    if (link) link.addEventListener("click", (event) => { if (showList()) event.preventDefault(); });
  }

  const NOT_TYPED = /^(radio|checkbox|button|submit|reset|image|file|range|color)$/;
  const typing = (el) => el && (el.isContentEditable || /^(TEXTAREA|SELECT)$/.test(el.tagName) ||
    (el.tagName === "INPUT" && !NOT_TYPED.test(el.type)));
  const KEYS = {
    j: () => moveInQueue(1),
    k: () => moveInQueue(-1),
    u: backToQueue,
    r: () => compose(["reply", "draft"]),
    n: () => compose(["note"]),
    "/": () => {
      const search = document.getElementById("site-search");
      if (!search) return false;
      search.focus();
      search.select();
      return true;
    },
    "?": showList,
  };

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.isComposing) return;
    const target = event.target;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && target.matches &&
        target.matches(".composer__form textarea")) {
      event.preventDefault();
      target.form.requestSubmit();
      return;
    }
    if (event.ctrlKey || event.altKey || event.metaKey || typing(target) || (dialog && dialog.open)) return;
    const action = KEYS[event.key];
    if (action && action()) event.preventDefault();
  });
})();
