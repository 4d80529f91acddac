// Compiles assets/app.scss and copies GOV.UK Frontend's JS, fonts and images into
// ripa_guard/static/, which is never committed.
import * as sass from "sass";
import { cpSync, mkdirSync, writeFileSync } from "node:fs";

const out = "ripa_guard/static";
const govuk = "node_modules/govuk-frontend/dist/govuk";
mkdirSync(`${out}/css`, { recursive: true });
mkdirSync(`${out}/js`, { recursive: true });
const css = sass.compile("assets/app.scss", {
  loadPaths: ["node_modules"],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(`${out}/css/app.css`, css.css);
cpSync(`${govuk}/govuk-frontend.min.js`, `${out}/js/govuk-frontend.min.js`);
cpSync(`${govuk}/assets`, `${out}/assets`, { recursive: true });
cpSync("assets/init.mjs", `${out}/js/init.mjs`);
cpSync("assets/print.css", `${out}/css/print.css`);
console.log(`built ${out}: css ${css.css.length} bytes`);
