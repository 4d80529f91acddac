// The gate: every navigation to a listed platform lands here first (a declarativeNetRequest
// redirect). It asks ripa_guard (POST /api/v1/checks); allowed, it logs the viewing
// (POST /api/v1/viewings) and lets the page open; not allowed, it shows ripa_guard's answer.
// Anything else (no token, server down, an answer that is not ripa_guard's) fails closed.

import { Failure, ask, platformOf, settings } from "./common.js";

const target = location.hash.slice(1);
const show = (id) => {
  for (const section of document.querySelectorAll("main > section")) {
    section.hidden = section.id !== id;
  }
  const heading = document.getElementById(id).dataset.heading;
  document.getElementById("heading").textContent = heading;
  document.getElementById("heading").classList.toggle("heading--stop", id === "blocked" || id === "failed");
  document.title = heading + " - RIPA guard";
};
const text = (id, value) => {
  document.getElementById(id).textContent = value || "";
};

for (const el of document.querySelectorAll("[data-address]")) el.textContent = target;

function fail(why, todo) {
  text("failed-why", why);
  text("failed-todo", todo);
  show("failed");
}

function failure(error, server) {
  const todo = {
    unreachable:
      "Check you are connected to the council's network, then try again. If it goes on, " +
      "tell the RIPA coordinator: until RIPA guard answers, no page of this platform opens.",
    "not-json":
      "Something between you and RIPA guard (a proxy or a sign-in page) answered instead. " +
      "Tell the council's IT service desk.",
    token:
      "Make a new token on your viewing log's 'Tokens for tools' page in RIPA guard and paste " +
      "it into the extension's settings.",
  }[error.kind] || `Try again. If it goes on, tell the RIPA coordinator (${server}).`;
  fail(error.message, todo);
}

// The subject whose recorded address looks like this page's: a convenience, never a decision.
function subjectFor(url, subjects) {
  const key = (address) => {
    try {
      const u = new URL(address.includes("://") ? address : "https://" + address);
      const host = u.hostname.toLowerCase().replace(/^(www|m|mobile)\./, "");
      const first = u.pathname.split("/").filter(Boolean)[0] || "";
      return `${host}/${decodeURIComponent(first).toLowerCase()}`;
    } catch (error) {
      return null;
    }
  };
  const wanted = key(url);
  const found = subjects.filter((s) => (s.addresses || []).some((a) => key(a) === wanted));
  return found.length === 1 ? found[0].name : null;
}

async function session(name) {
  return (await chrome.storage.session.get(name))[name] || {};
}

async function prompt(current, remembered, subject) {
  const investigation = current.investigation;
  document.querySelector("[data-investigation]").textContent =
    `${investigation.case_reference}${investigation.title ? ": " + investigation.title : ""}`;
  const choice = document.getElementById("subject-choice");
  const subjects = investigation.subjects || [];
  choice.replaceChildren(
    ...subjects.map((s) => new Option(s.name, s.name)),
    new Option("Someone else", ""),
  );
  choice.value = subject || (subjects.length ? subjects[0].name : "");
  const other = document.getElementById("subject-other-field");
  const sync = () => {
    other.hidden = choice.value !== "";
  };
  choice.addEventListener("change", sync);
  sync();
  document.getElementById("purpose").value = remembered.purpose || "";
  document.getElementById("captured").checked = Boolean(remembered.captured);
  show("prompt");
  return new Promise((resolve) => {
    document.getElementById("prompt-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const given = {
        subject: choice.value || document.getElementById("subject").value.trim(),
        purpose: document.getElementById("purpose").value.trim(),
        captured: document.getElementById("captured").checked,
      };
      const missing = [];
      if (!given.subject) missing.push("Enter who the profile belongs to");
      if (!given.purpose) missing.push("Say why you are viewing it");
      const error = document.getElementById("prompt-error");
      error.hidden = !missing.length;
      error.textContent = missing.join(". ");
      if (!missing.length) resolve(given);
    });
  });
}

function blocked(answer) {
  text("blocked-reason", answer.reason || answer.error || "RIPA guard did not allow it.");
  text("blocked-citation", answer.citation ? `Source: ${answer.citation}` : "");
  const link = (id, wrap, href) => {
    document.getElementById(wrap).hidden = !href;
    if (href) document.getElementById(id).href = href;
  };
  link("triage-link", "blocked-triage", answer.start_triage);
  link("held-link", "blocked-held", answer.held_look && answer.held_look.page);
  link("record-link", "blocked-record", answer.attempt && answer.attempt.page);
  show("blocked");
}

function body(current, given) {
  return {
    url: target,
    investigation: current.investigation.id,
    subject: given.subject,
    purpose: given.purpose,
    research_profile: current.researchProfile ? current.researchProfile.id : null,
    captured: Boolean(given.captured),
  };
}

async function go(tabId) {
  await chrome.runtime.sendMessage({ type: "pass", tabId, url: target });
}

async function remember(tabId, entry) {
  const tabs = await session("tabs");
  tabs[tabId] = entry;
  await chrome.storage.session.set({ tabs });
}

// Log the viewing; an Idempotency-Key makes a retry after a lost answer log it once.
async function logViewing(current, request) {
  const key = crypto.randomUUID();
  const send = () =>
    ask(current.server, current.token, "/viewings", {
      method: "POST",
      body: request,
      headers: { "Idempotency-Key": key },
    });
  try {
    return await send();
  } catch (error) {
    if (error instanceof Failure && error.kind === "unreachable") return await send();
    throw error;
  }
}

async function run() {
  show("asking");
  let url;
  try {
    url = new URL(target);
  } catch (error) {
    return fail("There is no page to open.", "Type the address again.");
  }
  const current = await settings();
  const tabId = (await chrome.tabs.getCurrent()).id;
  // Only a listed platform's page comes here; any other address (a site that opened this page
  // itself) is never logged in the officer's name.
  if (!/^https?:$/.test(url.protocol) || !platformOf(url.href, current.platforms)) {
    return fail(
      "This address is not a page of a platform RIPA guard stands in front of.",
      "Open the page by its own address.",
    );
  }
  if (!current.server) {
    return fail(
      "The extension does not know where the council's RIPA guard is.",
      "Ask the council's IT service desk to set its address, or type it in the extension's settings.",
    );
  }
  if (!current.token) {
    return fail(
      "The extension is not signed in to RIPA guard.",
      "Make a token on your viewing log's 'Tokens for tools' page and paste it into the extension's settings.",
    );
  }
  if (!current.investigation) {
    return fail(
      "No investigation is chosen: every viewing is made under one of your investigations.",
      "Choose the investigation you are working on in the extension's settings.",
    );
  }
  try {
    // A platform's home page, sign-in or search names nobody: it opens, and nothing is logged.
    const address = await ask(current.server, current.token, "/addresses", {
      method: "POST",
      body: { url: url.href },
    });
    if (address.status !== 200) return problem(address, current);
    if (address.answer.profile === false) return go(tabId);
  } catch (error) {
    if (error instanceof Failure) return failure(error, current.server);
    throw error;
  }
  const purposes = await session("purposes");
  const remembered = purposes[current.investigation.id] || {};
  const shown = (await session("tabs"))[tabId];
  try {
    // A further page of the profile this tab already shows, under the same investigation: the
    // same look goes on, and is not logged again.
    if (shown && shown.investigation === current.investigation.id && shown.subject) {
      const again = body(current, { ...remembered, ...shown });
      const { status, answer } = await ask(current.server, current.token, "/checks", {
        method: "POST",
        body: again,
      });
      const sameLook = answer.profile && answer.profile.identity === shown.identity;
      if (sameLook && (status === 200 || answer.decision === "blocked")) {
        await remember(tabId, { ...shown, url: url.href });
        return go(tabId);
      }
    }
    let given;
    const matched = subjectFor(url.href, current.investigation.subjects || []);
    if (remembered.purpose && matched) {
      given = { subject: matched, purpose: remembered.purpose, captured: remembered.captured };
    } else {
      given = await prompt(current, remembered, matched);
      purposes[current.investigation.id] = { purpose: given.purpose, captured: given.captured };
      await chrome.storage.session.set({ purposes });
      show("asking");
    }
    const request = body(current, given);
    const checked = await ask(current.server, current.token, "/checks", {
      method: "POST",
      body: request,
    });
    if (checked.status === 403 && checked.answer.decision) return blocked(checked.answer);
    if (checked.status !== 200 || !checked.answer.allowed) return problem(checked, current);
    const logged = await logViewing(current, request);
    if (logged.status === 403 && logged.answer.decision) return blocked(logged.answer);
    if (logged.status !== 201 || !logged.answer.viewing) return problem(logged, current);
    await remember(tabId, {
      url: url.href,
      investigation: current.investigation.id,
      subject: given.subject,
      identity: logged.answer.profile.identity,
      viewing: logged.answer.viewing,
    });
    return go(tabId);
  } catch (error) {
    if (error instanceof Failure) return failure(error, current.server);
    return fail(`Something went wrong in the extension: ${error}`, "Try again, or tell the council's IT service desk.");
  }
}

function problem({ status, answer }, current) {
  const fields = answer.fields ? Object.values(answer.fields).join(". ") : "";
  const why = [answer.error || `RIPA guard answered ${status}.`, fields].filter(Boolean).join(" ");
  const todo =
    status === 404
      ? "The investigation chosen in the extension's settings is not one of your open investigations: choose another."
      : status === 400
        ? "RIPA guard could not tell whose profile this page is. Open the profile's own page, or log the viewing on RIPA guard's website."
        : `Try again. If it goes on, tell the RIPA coordinator (${current.server}).`;
  fail(why, todo);
}

document.getElementById("again").addEventListener("click", () => location.reload());
run();
