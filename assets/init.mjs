// Loaded as a file, not inline, so the Content Security Policy needs no nonce.
import { initAll } from "./govuk-frontend.min.js";
initAll();

// Label each cell of a table with a header row with its column's heading, and keep the table's
// roles when the narrow-screen layout (app.scss, app-table--reflow) shows it as blocks.
const ROLES = { TABLE: "table", THEAD: "rowgroup", TBODY: "rowgroup", TR: "row", TD: "cell" };
for (const table of document.querySelectorAll("table.govuk-table")) {
  const headings = [...table.querySelectorAll("thead tr:last-child th")].map((th) => {
    const copy = th.cloneNode(true);
    copy.querySelectorAll(".govuk-visually-hidden").forEach((hidden) => hidden.remove());
    return copy.textContent.trim();
  });
  if (!headings.length) continue;
  for (const row of table.querySelectorAll("tbody tr")) {
    [...row.children].forEach((cell, i) => {
      if (headings[i]) cell.dataset.label = headings[i];
    });
  }
  for (const part of table.querySelectorAll("thead, tbody, tr, td")) {
    part.setAttribute("role", ROLES[part.tagName]);
  }
  for (const th of table.querySelectorAll("th")) {
    th.setAttribute("role", th.closest("thead") ? "columnheader" : "rowheader");
  }
  table.setAttribute("role", "table");
  table.classList.add("app-table--reflow");
}
