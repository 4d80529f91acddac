// What the extension's pages and its service worker share: settings, and asking ripa_guard.
//
// Where the server's address comes from, first found wins: the council's policy
// (storage.managed, schema.json), what the officer typed on the options page, the address
// packed in by `ripa-guard extension` (config.json).

export const API = "/api/v1";

let packed = null;

export async function packedConfig() {
  if (packed === null) {
    try {
      const response = await fetch(chrome.runtime.getURL("config.json"));
      packed = await response.json();
    } catch (error) {
      packed = { server: "", platforms: [] };
    }
  }
  return packed;
}

export async function managedServer() {
  try {
    const managed = await chrome.storage.managed.get("server");
    return (managed && managed.server) || "";
  } catch (error) {
    return ""; // no policy on this machine
  }
}

export async function settings() {
  const local = await chrome.storage.local.get([
    "server",
    "token",
    "investigation",
    "researchProfile",
    "platforms",
  ]);
  const policy = await managedServer();
  const config = await packedConfig();
  return {
    server: trimServer(policy || local.server || config.server || ""),
    serverFromPolicy: Boolean(policy),
    token: local.token || "",
    investigation: local.investigation || null,
    researchProfile: local.researchProfile || null,
    platforms: local.platforms || config.platforms || [],
  };
}

export function trimServer(text) {
  return (text || "").trim().replace(/\/+$/, "");
}

// Every answer is JSON; anything else (a proxy's error page, a login page) is a failure.
export class Failure extends Error {
  constructor(kind, message, status = 0, body = null) {
    super(message);
    this.kind = kind; // "unreachable", "not-json", "token", "error"
    this.status = status;
    this.body = body;
  }
}

export async function ask(server, token, path, { method = "GET", body = null, headers = {} } = {}) {
  const options = { method, headers: { ...headers }, credentials: "omit", cache: "no-store" };
  if (token) options.headers.Authorization = `Bearer ${token}`;
  if (body instanceof FormData) {
    options.body = body;
  } else if (body !== null) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(server + API + path, options);
  } catch (error) {
    throw new Failure("unreachable", `RIPA guard at ${server} cannot be reached (${error.message}).`);
  }
  let answer;
  try {
    answer = await response.json();
  } catch (error) {
    throw new Failure(
      "not-json",
      `RIPA guard at ${server} answered ${response.status} with something that is not its answer.`,
      response.status,
    );
  }
  if (response.status === 401) {
    throw new Failure("token", answer.error || "The token does not work.", 401, answer);
  }
  return { status: response.status, answer };
}

// A host is on a platform when it is one of its hosts or a subdomain of one.
export function platformOf(url, platforms) {
  let host;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/\.$/, "");
  } catch (error) {
    return null;
  }
  for (const platform of platforms) {
    for (const domain of platform.hosts) {
      if (host === domain || host.endsWith("." + domain)) return platform;
    }
  }
  return null;
}

export function nowWithOffset(date = new Date()) {
  return date.toISOString().replace("Z", "+00:00");
}

export async function sha256Hex(bytes) {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
