// The options page: the officer signs the extension in with their token and chooses the
// investigation (GET /api/v1/investigations) and research profile (GET /api/v1/research-profiles).

import { Failure, ask, settings, trimServer } from "./common.js";

const $ = (id) => document.getElementById(id);
let lists = { investigations: [], researchProfiles: [] };

function say(id, message) {
  $(id).textContent = message || "";
  $(id).hidden = !message;
}

async function load(server, token) {
  const investigations = await ask(server, token, "/investigations");
  const profiles = await ask(server, token, "/research-profiles");
  if (investigations.status !== 200 || profiles.status !== 200) {
    throw new Failure("error", investigations.answer.error || profiles.answer.error || "RIPA guard said no.");
  }
  lists = {
    investigations: investigations.answer.investigations,
    researchProfiles: profiles.answer.research_profiles,
  };
  const current = await settings();
  $("investigation").replaceChildren(
    ...lists.investigations.map(
      (i) => new Option(`${i.case_reference}${i.title ? ": " + i.title : ""}`, String(i.id)),
    ),
  );
  $("research-profile").replaceChildren(
    ...lists.researchProfiles.map((p) => new Option(`${p.name} (${p.platform})`, String(p.id))),
  );
  if (current.investigation) $("investigation").value = String(current.investigation.id);
  if (current.researchProfile) $("research-profile").value = String(current.researchProfile.id);
  $("choose").hidden = false;
  $("sign-out").hidden = false;
  if (!lists.investigations.length) {
    say("sign-in-error", "You work on no open investigation: open one in RIPA guard first.");
  }
}

$("sign-in").addEventListener("submit", async (event) => {
  event.preventDefault();
  say("sign-in-error", "");
  const current = await settings();
  const server = current.serverFromPolicy ? current.server : trimServer($("server").value);
  const token = $("token").value.trim();
  if (!server || !token) {
    return say("sign-in-error", !server ? "Enter RIPA guard's address" : "Paste your token");
  }
  try {
    await load(server, token);
  } catch (error) {
    return say("sign-in-error", error.message);
  }
  await chrome.storage.local.set({ server, token });
  const refreshed = await chrome.runtime.sendMessage({ type: "refresh" });
  $("status").textContent = `Signed in. RIPA guard stands in front of ${refreshed.hosts} platform addresses.`;
});

$("choose").addEventListener("submit", async (event) => {
  event.preventDefault();
  const investigation = lists.investigations.find((i) => String(i.id) === $("investigation").value);
  const researchProfile = lists.researchProfiles.find((p) => String(p.id) === $("research-profile").value);
  if (!investigation) return say("sign-in-error", "Select the investigation");
  await chrome.storage.local.set({ investigation, researchProfile: researchProfile || null });
  $("status").textContent = `Saved: viewings are logged under ${investigation.case_reference}.`;
});

$("sign-out").addEventListener("click", async () => {
  await chrome.storage.local.remove(["token", "investigation", "researchProfile"]);
  await chrome.storage.session.clear();
  location.reload();
});

(async () => {
  const current = await settings();
  if (!$("server").value) $("server").value = current.server;
  if (current.serverFromPolicy) {
    $("server").readOnly = true;
    $("server-hint").textContent = "Set by the council's IT: it cannot be changed here.";
  }
  if (current.token) {
    $("token").value = current.token;
    try {
      await load(current.server, current.token);
    } catch (error) {
      say("sign-in-error", error.message);
    }
  }
  document.body.dataset.ready = "yes";
})();
