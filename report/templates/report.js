// The need filter: keep the variants whose observations meet every chosen need (data embedded in the page).
(function () {
  const observed = JSON.parse(document.getElementById("observed").textContent);
  const selects = Array.from(document.querySelectorAll("#needs select[data-need]"));
  const result = document.getElementById("need-result");
  function apply() {
    const needs = selects.filter((s) => s.value !== "").map((s) => [s.dataset.need, s.value]);
    const meeting = Object.keys(observed).filter((v) => needs.every(([id, want]) => observed[v][id] === want));
    const keep = new Set(meeting);
    document.querySelectorAll("[data-variant]").forEach((el) => {
      el.classList.toggle("miss", needs.length > 0 && !keep.has(el.dataset.variant));
    });
    document.querySelectorAll(".card[data-variants]").forEach((el) => {
      const any = el.dataset.variants.split(" ").some((v) => keep.has(v));
      el.classList.toggle("miss", needs.length > 0 && !any);
    });
    if (!needs.length) {
      result.textContent = "No need chosen: every variant is shown.";
    } else if (!meeting.length) {
      result.textContent = "No variant meets every need.";
    } else {
      result.textContent = meeting.length + " meet every need: " + meeting.join(", ");
    }
    result.dataset.meeting = meeting.join(" ");
  }
  selects.forEach((s) => s.addEventListener("change", apply));
  apply();
})();
