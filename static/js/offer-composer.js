// The offer composer, improved where JavaScript runs: the dearest option beside the authority limit updates as
// costs are typed, and ticking a catalogue entry fills the next empty row at once (unticking empties its row).
// Without it the page works the same through the server, which checks every rule again when the offer is sent.
(function () {
  "use strict";
  const form = document.querySelector("form.offer-form");
  if (!form) return;
  const limit = form.dataset.limit === "" ? null : Number(form.dataset.limit);
  const customer = form.dataset.customer;
  const money = (n) => "£" + n.toLocaleString("en-GB", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const parse = (text) => {
    const t = text.trim().replace(/^£/, "").replace(/,/g, "");
    return /^\d+(\.\d{1,2})?$/.test(t) ? Number(t) : null;  // what the server would refuse counts for nothing
  };

  function update() {
    const costs = [...form.querySelectorAll("[data-offer-cost]")].map((i) => parse(i.value)).filter((v) => v !== null);
    const highest = costs.length ? Math.max(...costs) : 0;
    const within = limit === null || highest <= limit;
    form.querySelector("[data-offer-highest]").textContent = money(highest);
    form.querySelector("[data-offer-sum]").textContent = money(costs.reduce((a, b) => a + b, 0));
    const verdict = form.querySelector("[data-offer-verdict]");
    verdict.textContent = within ? "Within it: goes straight to " + customer : "Above it: a manager approves first";
    verdict.className = "offer-total__verdict offer-total__verdict--" + (within ? "within" : "above");
  }
  form.addEventListener("input", (event) => { if (event.target.matches("[data-offer-cost]")) update(); });

  const picker = document.querySelector("form[data-catalogue]");
  if (!picker) return;
  const rows = [...form.querySelectorAll("[data-offer-row]")];
  const field = (row, name) => row.querySelector('[name$="-' + name + '"]');
  const NAMES = ["kind", "description", "when_text", "cost"];
  const blank = (row) => NAMES.every((name) => !field(row, name).value.trim());
  const status = picker.querySelector("[data-catalogue-status]");
  picker.querySelector("[data-catalogue-fill]").hidden = true;
  picker.addEventListener("change", (event) => {
    const box = event.target;
    if (!box.matches('input[name="entry"]')) return;
    const holding = rows.find((row) => field(row, "catalogue_entry_id").value === box.value);
    status.textContent = "";
    if (box.checked && !holding) {
      const row = rows.find(blank);
      if (!row) {
        box.checked = false;
        status.textContent = "All three options are written: empty one first.";
        return;
      }
      const values = { kind: box.dataset.kind, description: box.dataset.description, when_text: box.dataset.when,
                       cost: box.dataset.cost, catalogue_entry_id: box.value };
      Object.entries(values).forEach(([name, value]) => { field(row, name).value = value; });
      status.textContent = "Filled " + row.querySelector(".offer-row__legend").firstChild.textContent.trim() + ".";
    } else if (!box.checked && holding) {
      [...NAMES, "catalogue_entry_id"].forEach((name) => { field(holding, name).value = ""; });
    }
    update();
  });
})();
