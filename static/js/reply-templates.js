// The reply templates' picker, improved where JavaScript runs: a type-ahead (an ARIA combobox) over the same
// options as the plain select, inserting the chosen template's text at the cursor in the reply box. The text is
// each option's data-text, filled on the server by the one fill(), so placeholders are never worked out here.
// Without JavaScript the select and "Insert" post the box to the server, which adds the text the same way.
(function () {
  "use strict";

  function setUp(picker) {
    const plain = picker.querySelector(".template-picker__plain");
    const select = picker.querySelector("select");
    const box = document.getElementById(picker.dataset.box);
    if (!plain || !select || !box) return;
    const items = [...select.options].map((o) => ({ id: o.value, title: o.textContent, text: o.dataset.text || "" }));
    const base = select.id + "-search";

    const label = document.createElement("label");
    label.htmlFor = base;
    label.textContent = "Insert a reply template";
    const hint = document.createElement("p");
    hint.className = "hint template-picker__hint";
    hint.id = base + "-hint";
    hint.textContent = "Type a few letters of its title, then ↓ and Enter.";
    const input = document.createElement("input");
    Object.assign(input, { type: "text", id: base, className: "template-picker__search", autocomplete: "off",
      spellcheck: false });
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", base + "-options");
    input.setAttribute("aria-describedby", hint.id);
    const list = document.createElement("ul");
    list.id = base + "-options";
    list.className = "template-picker__options";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Reply templates");
    list.hidden = true;
    const status = document.createElement("p");
    status.className = "template-picker__status";
    status.setAttribute("role", "status");

    plain.hidden = true;
    picker.append(label, hint, input, list, status);

    let shown = [];
    let active = -1;
    let cursorKnown = false;  // until the box has been in use its cursor says nothing: add at the end
    ["focus", "click", "keyup", "select"].forEach((name) => box.addEventListener(name, () => { cursorKnown = true; }));

    function render() {
      const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      shown = items.filter((item) => words.every((w) => item.title.toLowerCase().includes(w)));
      list.replaceChildren(...shown.map((item, i) => {
        const li = document.createElement("li");
        li.id = base + "-option-" + item.id;
        li.className = "template-picker__option";
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", String(i === active));
        const preview = document.createElement("span");
        preview.className = "template-picker__option-text";
        preview.textContent = item.text;
        li.append(item.title, preview);
        li.addEventListener("mousedown", (event) => event.preventDefault());  // the input keeps focus
        li.addEventListener("click", () => insert(item));
        return li;
      }));
      if (!shown.length) {
        const none = document.createElement("li");
        none.className = "template-picker__none";
        none.textContent = "No template has those words in its title.";
        list.append(none);
      }
      if (active >= 0 && shown[active]) {
        input.setAttribute("aria-activedescendant", base + "-option-" + shown[active].id);
        document.getElementById(base + "-option-" + shown[active].id).scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
      status.textContent = shown.length === 1 ? "1 template" : shown.length + " templates";
    }

    let closing = 0;  // the close a blur puts off (so a click on an option lands), cancelled if the box is back in use

    function open() {
      window.clearTimeout(closing);
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      render();
    }

    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function insert(item) {
      const end = box.value.length;
      const start = cursorKnown ? box.selectionStart : end;
      const stop = cursorKnown ? box.selectionEnd : end;
      box.setRangeText(item.text, start, stop, "end");
      box.dispatchEvent(new Event("input", { bubbles: true }));
      input.value = "";
      close();
      status.textContent = "Inserted “" + item.title + "” into the reply.";
      box.focus();
    }

    input.addEventListener("input", () => { active = -1; open(); });
    input.addEventListener("focus", open);
    input.addEventListener("blur", () => { closing = window.setTimeout(close, 100); });
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden) open();
        if (!shown.length) return;
        const step = event.key === "ArrowDown" ? 1 : -1;
        active = active < 0 ? (step > 0 ? 0 : shown.length - 1) : (active + step + shown.length) % shown.length;
        render();
      } else if (event.key === "Enter") {
        event.preventDefault();  // never submits the reply's form
        const item = shown[active >= 0 ? active : 0];
        if (!list.hidden && item) insert(item);
      } else if (event.key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          event.stopPropagation();
          close();
        } else {
          input.value = "";
        }
      }
    });
  }

  document.querySelectorAll("[data-template-picker]").forEach(setUp);
})();
