// The service worker: sends every page of a listed platform through the gate (gate.html), lets
// a page through once ripa_guard has allowed and logged it, and captures the visible page.

import { Failure, ask, nowWithOffset, platformOf, settings, sha256Hex } from "./common.js";

const GATE_RULE = 1;
const PASS_RULE_BASE = 1000; // + tab id: one "let this navigation through" rule per tab

// The platforms' hosts, from the server (GET /api/v1/platforms) or, before it has answered
// once, the list packed in: every main-frame request to them is redirected to the gate.
async function gateRules(platforms) {
  const hosts = [...new Set(platforms.flatMap((p) => p.hosts))];
  const existing = await chrome.declarativeNetRequest.getDynamicRules();
  const rules = hosts.length
    ? [
        {
          id: GATE_RULE,
          priority: 1,
          condition: { regexFilter: "^.*$", requestDomains: hosts, resourceTypes: ["main_frame"] },
          action: {
            type: "redirect",
            redirect: { regexSubstitution: chrome.runtime.getURL("gate.html") + "#\\0" },
          },
        },
      ]
    : [];
  await chrome.declarativeNetRequest.updateDynamicRules({
    removeRuleIds: existing.map((r) => r.id),
    addRules: rules,
  });
  await chrome.action.setBadgeText({ text: hosts.length ? "" : "!" });
  return hosts.length;
}

async function refreshPlatforms() {
  const current = await settings();
  if (current.server && current.token) {
    try {
      const { status, answer } = await ask(current.server, current.token, "/platforms");
      if (status === 200 && Array.isArray(answer.platforms)) {
        await chrome.storage.local.set({ platforms: answer.platforms });
        return { hosts: await gateRules(answer.platforms), fromServer: true };
      }
    } catch (error) {
      if (!(error instanceof Failure)) throw error;
    }
  }
  // Server down or not signed in: the last list, or the packed one. The gate fails closed.
  return { hosts: await gateRules(current.platforms), fromServer: false };
}

// Let one navigation of one tab through (its redirects too), until it commits.
async function pass(tabId, url) {
  await chrome.declarativeNetRequest.updateSessionRules({
    removeRuleIds: [PASS_RULE_BASE + tabId],
    addRules: [
      {
        id: PASS_RULE_BASE + tabId,
        priority: 2,
        condition: { tabIds: [tabId], resourceTypes: ["main_frame"] },
        action: { type: "allow" },
      },
    ],
  });
  await chrome.tabs.update(tabId, { url });
}

async function closePass(tabId) {
  await chrome.declarativeNetRequest.updateSessionRules({
    removeRuleIds: [PASS_RULE_BASE + tabId],
  });
}

const GATE_PAGE = chrome.runtime.getURL("gate.html");

chrome.webNavigation.onCommitted.addListener((details) => {
  if (details.frameId === 0 && !details.url.startsWith(GATE_PAGE)) closePass(details.tabId);
});
chrome.webNavigation.onErrorOccurred.addListener((details) => {
  if (details.frameId === 0) closePass(details.tabId);
});

// A platform that changes page without loading one (history.pushState) goes through the gate
// too; a page of the profile already let through in this tab stays, as the same look.
chrome.webNavigation.onHistoryStateUpdated.addListener(async (details) => {
  if (details.frameId !== 0) return;
  const current = await settings();
  if (!platformOf(details.url, current.platforms)) return;
  const { tabs = {} } = await chrome.storage.session.get("tabs");
  const shown = tabs[details.tabId];
  if (shown && shown.url === details.url) return;
  await chrome.tabs.update(details.tabId, { url: GATE_PAGE + "#" + details.url });
});

chrome.tabs.onRemoved.addListener(async (tabId) => {
  const { tabs = {} } = await chrome.storage.session.get("tabs");
  delete tabs[tabId];
  await chrome.storage.session.set({ tabs });
  await closePass(tabId);
});

// Capture: the visible part of the tab, as PNG, with its address, time and SHA-256, sent to
// POST /api/v1/captures against the viewing this tab's page was logged as.
export async function captureTab(tabId = null) {
  const tab = tabId
    ? await chrome.tabs.get(tabId)
    : (await chrome.tabs.query({ active: true, lastFocusedWindow: true }))[0];
  if (!tab) return { ok: false, message: "There is no page to capture." };
  const { tabs = {} } = await chrome.storage.session.get("tabs");
  const shown = tabs[tab.id];
  if (!shown || !shown.viewing) {
    return {
      ok: false,
      message: "Only a page RIPA guard let through and logged can be captured: open it again.",
    };
  }
  const current = await settings();
  if (!current.server || !current.token) {
    return { ok: false, message: "Sign the extension in first (its options page)." };
  }
  const capturedAt = nowWithOffset();
  const dataUrl = await chrome.tabs.captureVisibleTab(tab.windowId, { format: "png" });
  const bytes = await (await fetch(dataUrl)).arrayBuffer();
  const sha256 = await sha256Hex(bytes);
  const form = new FormData();
  form.append("viewing", String(shown.viewing.id));
  form.append("file", new Blob([bytes], { type: "image/png" }), "capture.png");
  form.append("sha256", sha256);
  form.append("address", tab.url);
  form.append("captured_at", capturedAt);
  form.append("type", "screenshot");
  try {
    const { status, answer } = await ask(current.server, current.token, "/captures", {
      method: "POST",
      body: form,
    });
    if (status === 201 && answer.capture) {
      if (answer.capture.sha256 !== sha256) {
        return { ok: false, sha256, message: "The server kept a different hash: capture again." };
      }
      return { ok: true, sha256, capture: answer.capture, address: tab.url, capturedAt };
    }
    const fields = answer.fields ? Object.values(answer.fields).join(" ") : "";
    return { ok: false, sha256, status, message: `${answer.error || "Not kept"} ${fields}`.trim() };
  } catch (error) {
    if (!(error instanceof Failure)) throw error;
    return { ok: false, sha256, message: `Not kept: ${error.message}` };
  }
}

chrome.runtime.onMessage.addListener((message, sender, reply) => {
  const jobs = {
    pass: () => pass(message.tabId, message.url).then(() => ({ ok: true })),
    refresh: () => refreshPlatforms(),
    capture: () => captureTab(message.tabId || null),
  };
  const job = jobs[message && message.type];
  if (!job) return false;
  job().then(reply, (error) => reply({ ok: false, message: String(error) }));
  return true; // answered later
});

// The keyboard shortcut has no page to answer on: the toolbar badge says whether it was kept.
chrome.commands.onCommand.addListener(async (command) => {
  if (command !== "capture") return;
  const done = await captureTab();
  await chrome.action.setBadgeText({ text: done.ok ? "OK" : "ERR" });
  await chrome.action.setTitle({ title: done.ok ? `Kept: SHA-256 ${done.sha256}` : done.message });
});

chrome.runtime.onInstalled.addListener(() => refreshPlatforms());
chrome.runtime.onStartup.addListener(() => refreshPlatforms());
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === "managed" && changes.server) refreshPlatforms();
});

// For tests and the popup: the worker's own functions.
self.ripaGuard = { refreshPlatforms, captureTab, gateRules };
