// The toolbar popup: what the extension is signed in as, and the Capture button.

import { settings } from "./common.js";

const $ = (id) => document.getElementById(id);

(async () => {
  const current = await settings();
  $("state").textContent = !current.token
    ? "Not signed in: open Settings."
    : current.investigation
      ? `Viewings are logged under ${current.investigation.case_reference}.`
      : "Choose an investigation in Settings.";
})();

$("capture").addEventListener("click", async () => {
  $("result").textContent = "Capturing…";
  const done = await chrome.runtime.sendMessage({ type: "capture" });
  $("result").textContent = done.ok
    ? `Kept. SHA-256 ${done.sha256}. Review by ${done.capture.review_on}, destroy by ${done.capture.destroy_by}.`
    : done.message;
});
