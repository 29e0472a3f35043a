// Switchboard web UI: plain browser JavaScript modules, no build step.
// Every call goes through fetch() so an API key can travel in a header (EventSource cannot send one).
import { render } from "./markdown.js";

const KEY_STORAGE = "switchboard.apiKey";
const CHAT_STORAGE = "switchboard.chat";
const SETTINGS_STORAGE = "switchboard.chatSettings";
const $ = (selector) => document.querySelector(selector);
const el = (tag, cls, text) => {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text != null) node.textContent = text;
  return node;
};

const state = { models: [], gpus: [], activity: null, online: false, view: "models" };

// ---- HTTP ---------------------------------------------------------------------------------------

class ApiError extends Error {}

function authHeaders() {
  const key = localStorage.getItem(KEY_STORAGE);
  return key ? { Authorization: "Bearer " + key } : {};
}

async function api(path, options = {}) {
  let response;
  try {
    response = await fetch(path, { ...options, headers: { ...authHeaders(), ...(options.headers || {}) } });
  } catch (e) {
    if (e.name === "AbortError") throw e;
    setOnline(false);
    throw new ApiError("the gateway is unreachable");
  }
  if (response.status === 401) {
    $("#key-form").hidden = false;
    throw new ApiError("this gateway needs an API key");
  }
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new ApiError((body.error && body.error.message) || response.status + " " + response.statusText);
  }
  return response;
}

const json = async (path) => (await api(path)).json();

// Reads a server-sent-event response, calling onData with each event's data.
async function readEvents(response, onData) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = event.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5).replace(/^ /, ""));
      if (data.length) onData(data.join("\n"));
    }
  }
}

// Model ids may hold slashes (Hugging Face repositories): encode each segment, keep the slashes.
const modelPath = (id) => id.split("/").map(encodeURIComponent).join("/");

// ---- formatting ---------------------------------------------------------------------------------

const GIB = 1024 ** 3;
const gib = (bytes) => (bytes / GIB).toFixed(1) + " GiB";
const ms = (v) => (v == null ? "–" : v < 1000 ? Math.round(v) + " ms" : (v / 1000).toFixed(2) + " s");

function ago(iso) {
  if (!iso) return "never";
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return duration(seconds) + " ago";
}

function duration(seconds) {
  if (seconds < 60) return seconds + "s";
  if (seconds < 3600) return Math.floor(seconds / 60) + "m " + (seconds % 60) + "s";
  return Math.floor(seconds / 3600) + "h " + Math.floor((seconds % 3600) / 60) + "m";
}

function toast(text, kind = "info") {
  const node = el("div", "toast " + kind, text);
  $("#toasts").append(node);
  setTimeout(() => node.remove(), 6000);
}

function setOnline(online) {
  if (state.online === online) return;
  state.online = online;
  $("#connection").textContent = online ? "live" : "gateway unreachable";
  $("#connection").className = "pill " + (online ? "ok" : "down");
  $("#banner").hidden = online;
  $("#banner").textContent = online ? "" : "The gateway is not answering; showing the last known state, retrying…";
  document.body.classList.toggle("offline", !online);
  renderModels();
}

// ---- views --------------------------------------------------------------------------------------

function showView(view) {
  if (!["models", "gpus", "activity", "playground", "logs"].includes(view)) view = "models";
  state.view = view;
  document.querySelectorAll(".view").forEach((section) => (section.hidden = section.id !== "view-" + view));
  document.querySelectorAll("nav a").forEach((a) => a.setAttribute("aria-current", a.dataset.view === view ? "page" : "false"));
  if (view === "gpus") renderPlans();
  if (view === "activity") refreshActivity();
  if (view === "logs") followLogs($("#log-source").value);
}

// ---- models -------------------------------------------------------------------------------------

const RUNNING = ["starting", "ready", "sleeping"];

function renderModels() {
  const filter = $("#filter").value.trim().toLowerCase();
  const shown = state.models.filter((m) =>
    !filter || [m.id, m.state, m.backend, ...m.aliases, ...m.tags].some((s) => s.toLowerCase().includes(filter)));
  $("#models tbody").replaceChildren(...shown.map(modelRow));
  renderModelChoices();
}

function modelRow(m) {
  const row = el("tr");
  row.dataset.model = m.id;
  row.dataset.state = m.state;

  const name = el("td", "name");
  name.dataset.label = "Model";
  name.append(el("strong", null, m.id));
  const extra = [...m.aliases.map((a) => "alias " + a), ...m.tags, m.backend].join(" · ");
  if (extra) name.append(el("div", "muted small", extra));

  const st = el("td", "state-cell");
  st.dataset.label = "State";
  const badge = el("span", "badge " + m.state, m.warm ? "sleeping (warm)" : m.state);
  st.append(badge);
  if (m.state === "starting") {
    const progress = el("progress");
    progress.max = 1;
    if (m.loadProgress != null) progress.value = m.loadProgress;
    progress.setAttribute("aria-label", "loading progress");
    st.append(progress, el("span", "small progress-text", m.loadProgress != null ? Math.round(m.loadProgress * 100) + "%" : ""));
  }
  if (m.circuit && m.circuit !== "closed") {
    st.append(" ", el("span", "badge circuit " + m.circuit, "breaker " + m.circuit.replace("_", "-")));
  }
  if (m.since) st.append(el("div", "muted small elapsed", "for " + duration(Math.round((Date.now() - Date.parse(m.since)) / 1000))));
  if (m.ttlSeconds != null) st.append(el("div", "muted small", "unloads in " + duration(m.ttlSeconds) + " if idle"));
  if (m.stopReason && m.state !== "ready") st.append(el("div", "muted small reason", "last stop: " + m.stopReason));
  if (m.failed) {
    const failure = el("details", "failure");
    failure.append(el("summary", null, (m.failure || "failed") + (m.exitCode != null ? " (exit " + m.exitCode + ")" : "")));
    if (m.logTail && m.logTail.length) failure.append(el("pre", "log-tail", m.logTail.join("\n")));
    st.append(failure);
  }

  const place = el("td");
  place.dataset.label = "GPUs · memory";
  place.textContent = m.placement.gpus.length ? "GPU " + m.placement.gpus.join(", ") : RUNNING.includes(m.state) ? "CPU" : "–";
  if (m.memoryBytes) place.append(el("div", "muted small", gib(m.memoryBytes) + " estimated"));

  const requests = el("td", "requests");
  requests.dataset.label = "Requests";
  requests.textContent = m.inFlight + " in flight";
  if (m.queued) requests.append(el("div", "queued small", m.queued + " queued"));

  const used = el("td");
  used.dataset.label = "Last used";
  used.textContent = ago(m.lastUsed);

  const actions = el("td", "actions");
  const running = RUNNING.includes(m.state);
  const button = el("button", running ? "secondary" : "primary", running ? "Unload" : "Load");
  button.type = "button";
  button.setAttribute("aria-label", (running ? "Unload " : "Load ") + m.id);
  button.disabled = m.state === "stopping" || !state.online;
  button.onclick = () => command(m.id, running ? "unload" : "load");
  actions.append(button);
  if (m.warmTier && m.state === "ready") {
    const sleep = el("button", "secondary", "Sleep");
    sleep.type = "button";
    sleep.setAttribute("aria-label", "Sleep " + m.id);
    sleep.title = "free its GPU memory and keep the engine: the next request wakes it in seconds";
    sleep.disabled = m.inFlight > 0 || !state.online;
    sleep.onclick = () => command(m.id, "sleep");
    actions.append(" ", sleep);
  }
  row.append(name, st, place, requests, used, actions);
  return row;
}

async function command(model, verb) {
  try {
    await api(`/api/models/${modelPath(model)}/${verb}`, { method: "POST" });
  } catch (e) {
    toast(`${verb} ${model}: ${e.message}`, "error");
  }
  refresh();
}

// ---- GPUs ---------------------------------------------------------------------------------------

function renderGpus() {
  if (!state.gpus.length) {
    $("#gpus").replaceChildren(el("p", "muted", "No GPUs: models run on the CPU."));
    return;
  }
  $("#gpus").replaceChildren(...state.gpus.map((g) => {
    const box = el("div", "gpu");
    const label = el("div", "label");
    label.append(el("strong", null, `GPU ${g.index}`), el("span", "muted gpu-name", g.name));
    const figures = el("div", "figures small");
    figures.append(
      el("span", null, `total ${gib(g.totalBytes)}`),
      el("span", null, `used ${gib(g.usedBytes)} (measured)`),
      el("span", null, `reserved ${gib(g.reservedBytes)} (planned)`),
      el("span", null, `free ${gib(g.freeBytes)}`));
    const bar = el("div", "bar");
    bar.setAttribute("role", "img");
    const segment = (cls, bytes, text) => {
      if (bytes <= 0) return;
      const part = el("div", cls, text);
      part.style.width = (100 * bytes / g.totalBytes) + "%";
      part.title = `${text}: ${gib(bytes)}`;
      bar.append(part);
    };
    const shares = Object.entries(g.models);
    shares.forEach(([id, bytes]) => segment("model", bytes, id));
    segment("other", Math.max(0, g.usedBytes - g.reservedBytes), "other processes");
    bar.setAttribute("aria-label", shares.map(([id, b]) => `${id} ${gib(b)}`).join(", ") || "no models");
    const legend = el("ul", "legend small");
    shares.forEach(([id, bytes]) => legend.append(el("li", null, `${id}: ${gib(bytes)} (${Math.round(100 * bytes / g.totalBytes)}%)`)));
    if (!shares.length) legend.append(el("li", "muted", "no model placed here"));
    box.append(label, figures, bar, legend);
    return box;
  }));
}

async function renderPlans() {
  const candidates = state.models.filter((m) => !RUNNING.includes(m.state) && m.state !== "stopping");
  if (!candidates.length) {
    $("#plans").replaceChildren(el("li", "muted", "Every model is loaded."));
    return;
  }
  const items = await Promise.all(candidates.map(async (m) => {
    const li = el("li");
    li.append(el("strong", null, m.id), " ");
    try {
      const plan = await json(`/api/models/${modelPath(m.id)}/plan`);
      li.append(el("span", plan.fits ? (plan.evict.length ? "warn" : "ok") : "bad", plan.summary));
    } catch (e) {
      li.append(el("span", "muted", e.message));
    }
    return li;
  }));
  $("#plans").replaceChildren(...items);
}

// ---- activity -----------------------------------------------------------------------------------

async function refreshActivity() {
  try {
    state.activity = await json("/api/activity");
  } catch (e) {
    return;
  }
  renderActivity();
}

function renderActivity() {
  const a = state.activity;
  if (!a) return;
  $("#activity-note").textContent = a.enabled
    ? `last ${a.capacity} requests${a.capture ? ", bodies captured (click a row)" : ""}`
    : "the activity log is off (activity.enabled: false)";
  const rows = a.requests.map((r) => {
    const row = el("tr", r.status >= 400 ? "failed" : "");
    const cells = [
      ["Time", new Date(r.at).toLocaleTimeString()],
      ["Model", r.model],
      ["Route", r.route],
      ["Status", String(r.status)],
      ["Queue", ms(r.queueMs)],
      ["TTFT", ms(r.firstTokenMs ?? r.firstByteMs)],
      ["Duration", ms(r.durationMs)],
      ["Tokens in / out", r.promptTokens == null ? "–" : `${r.promptTokens} / ${r.completionTokens}`],
      ["Tokens/s", r.tokensPerSecond == null ? "–" : r.tokensPerSecond.toFixed(1)],
    ];
    cells.forEach(([label, text]) => {
      const td = el("td", null, text);
      td.dataset.label = label;
      row.append(td);
    });
    row.cells[8].className = "tps";
    if (a.capture) {
      row.tabIndex = 0;
      row.onclick = row.onkeydown = (e) => (!e.key || e.key === "Enter") && showCapture(r.id);
    }
    return row;
  });
  if (!rows.length) {
    const row = el("tr");
    const td = el("td", "muted", "No requests yet.");
    td.colSpan = 9;
    row.append(td);
    rows.push(row);
  }
  $("#activity tbody").replaceChildren(...rows);
}

async function showCapture(id) {
  try {
    const r = await json(`/api/activity/${id}`);
    const box = $("#capture");
    box.replaceChildren(el("h3", null, `Request ${id}${r.capture && r.capture.truncated ? " (cut to size)" : ""}`),
      el("pre", null, r.capture ? r.capture.request : ""), el("h3", null, "Response"), el("pre", null, r.capture ? r.capture.response : ""));
    box.hidden = false;
  } catch (e) {
    toast(e.message, "error");
  }
}

// ---- playground ---------------------------------------------------------------------------------

let conversation = JSON.parse(localStorage.getItem(CHAT_STORAGE) || "[]");
let streaming = null;

function renderModelChoices() {
  const select = $("#chat-model");
  const chosen = select.value || JSON.parse(localStorage.getItem(SETTINGS_STORAGE) || "{}").model;
  const options = state.models.map((m) => new Option(`${m.id} (${m.state})`, m.id));
  select.replaceChildren(...options);
  if (state.models.some((m) => m.id === chosen)) {
    select.value = chosen;
  } else {
    const ready = state.models.find((m) => m.state === "ready");
    if (ready) select.value = ready.id;
  }
}

function saveSettings() {
  localStorage.setItem(SETTINGS_STORAGE, JSON.stringify({
    model: $("#chat-model").value, system: $("#system").value, temperature: $("#temperature").value,
    topP: $("#top-p").value, maxTokens: $("#max-tokens").value,
  }));
}

function loadSettings() {
  const s = JSON.parse(localStorage.getItem(SETTINGS_STORAGE) || "{}");
  if (s.system != null) $("#system").value = s.system;
  if (s.temperature) $("#temperature").value = s.temperature;
  if (s.topP) $("#top-p").value = s.topP;
  if (s.maxTokens) $("#max-tokens").value = s.maxTokens;
}

function messageNode(message) {
  const div = el("div", "message " + message.role);
  div.append(el("div", "who small", message.role === "user" ? "you" : message.model || "assistant"));
  const body = el("div", "body");
  if (message.role === "assistant") body.append(render(message.content));
  else body.textContent = message.content;
  div.append(body);
  return div;
}

function renderConversation() {
  $("#transcript").replaceChildren(...conversation.map(messageNode));
  if (!conversation.length) $("#transcript").append(el("p", "muted empty", "Pick a model and ask something. The conversation stays in this browser."));
  $("#transcript").scrollTop = $("#transcript").scrollHeight;
}

function saveConversation() {
  localStorage.setItem(CHAT_STORAGE, JSON.stringify(conversation));
}

function setStreaming(controller) {
  streaming = controller;
  $("#send").disabled = controller != null;
  $("#stop").disabled = controller == null;
}

async function send(event) {
  event.preventDefault();
  if (streaming) return;
  const model = $("#chat-model").value;
  const text = $("#prompt").value.trim();
  if (!model || !text) return;
  $("#prompt").value = "";
  conversation.push({ role: "user", content: text });
  const answer = { role: "assistant", content: "", model };
  conversation.push(answer);
  renderConversation();
  const node = $("#transcript").lastElementChild;
  const body = node.querySelector(".body");
  node.classList.add("streaming");
  const messages = [];
  if ($("#system").value.trim()) messages.push({ role: "system", content: $("#system").value.trim() });
  conversation.slice(0, -1).forEach((m) => messages.push({ role: m.role, content: m.content }));
  const request = { model, messages, stream: true, stream_options: { include_usage: true } };
  const temperature = parseFloat($("#temperature").value);
  const topP = parseFloat($("#top-p").value);
  const maxTokens = parseInt($("#max-tokens").value, 10);
  if (!Number.isNaN(temperature)) request.temperature = temperature;
  if (!Number.isNaN(topP)) request.top_p = topP;
  if (!Number.isNaN(maxTokens)) request.max_tokens = maxTokens;

  const controller = new AbortController();
  setStreaming(controller);
  const started = performance.now();
  let firstToken = null;
  let usage = null;
  $("#chat-stats").textContent = "waiting for the model…";
  try {
    const response = await api("/v1/chat/completions", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(request),
      signal: controller.signal,
    });
    await readEvents(response, (data) => {
      if (data === "[DONE]") return;
      const chunk = JSON.parse(data);
      if (chunk.usage) usage = chunk.usage;
      const delta = chunk.choices?.[0]?.delta?.content;
      if (delta) {
        if (firstToken == null) firstToken = performance.now();
        answer.content += delta;
        body.replaceChildren(render(answer.content));
        $("#transcript").scrollTop = $("#transcript").scrollHeight;
      }
    });
  } catch (e) {
    if (e.name === "AbortError") {
      answer.stopped = true;
    } else {
      answer.error = e.message;
      node.classList.add("error");
      body.append(el("p", "error-text", e.message));
    }
  } finally {
    node.classList.remove("streaming");
    setStreaming(null);
    if (!answer.content && !answer.error) conversation.pop();
    saveConversation();
    const end = performance.now();
    const parts = [];
    if (firstToken != null) parts.push(`TTFT ${ms(firstToken - started)}`);
    const tokens = usage?.completion_tokens;
    if (tokens && firstToken != null && end > firstToken) {
      const rate = tokens > 1 ? (tokens - 1) / ((end - firstToken) / 1000) : tokens / ((end - started) / 1000);
      parts.push(`${rate.toFixed(1)} tokens/s`, `${usage.prompt_tokens} in / ${tokens} out`);
    }
    if (answer.stopped) parts.push("stopped");
    $("#chat-stats").textContent = parts.join(" · ");
    refresh();
  }
}

// ---- logs ---------------------------------------------------------------------------------------

let logStream = null;
const GATEWAY_LOG = "";
const gatewayLines = [];

function logLine(line) {
  const pre = $("#log");
  pre.append(line + "\n");
  if ($("#follow").checked) pre.scrollTop = pre.scrollHeight;
}

function renderLogSources() {
  const select = $("#log-source");
  const chosen = select.value;
  select.replaceChildren(new Option("gateway events", GATEWAY_LOG), ...state.models.map((m) => new Option(m.id + " engine", m.id)));
  select.value = [...select.options].some((o) => o.value === chosen) ? chosen : GATEWAY_LOG;
}

async function followLogs(source) {
  if (logStream) logStream.abort();
  logStream = null;
  const pre = $("#log");
  pre.textContent = "";
  if (source === GATEWAY_LOG) {
    gatewayLines.forEach(logLine);
    if (!gatewayLines.length) logLine("(no gateway events since this page opened)");
    return;
  }
  const controller = new AbortController();
  logStream = controller;
  try {
    const response = await api(`/api/logs/${modelPath(source)}`, { signal: controller.signal });
    let any = false;
    const quiet = setTimeout(() => !any && logLine(`(${source} has no engine output yet: load it to see its log)`), 1500);
    await readEvents(response, (line) => {
      any = true;
      logLine(line);
    });
    clearTimeout(quiet);
  } catch (e) {
    if (e.name !== "AbortError") logLine(`[log stream ended: ${e.message}]`);
  }
}

function describe(event) {
  const time = new Date(event.at).toLocaleTimeString();
  switch (event.type) {
    case "state": return `${time} ${event.model}: ${event.from} → ${event.to}${event.reason ? " (" + event.reason + ")" : ""}`;
    case "progress": return `${time} ${event.model}: loading ${Math.round(event.progress * 100)}%`;
    case "queue": return `${time} ${event.model}: ${event.waiting} waiting`;
    case "request": return `${time} ${event.model}: ${event.request.route} → ${event.request.status} in ${ms(event.request.durationMs)}`;
    case "circuit": return `${time} ${event.model}: breaker ${event.from} → ${event.to}`;
    case "request_started": return null;
    default: return `${time} ${event.model}: ${event.type}`;
  }
}

// ---- live updates -------------------------------------------------------------------------------

let refreshTimer = null;
function refreshSoon() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(refresh, 100);
}

async function refresh() {
  try {
    const [models, gpus] = await Promise.all([json("/api/models"), json("/api/gpus")]);
    state.models = models;
    state.gpus = gpus;
    setOnline(true);
  } catch (e) {
    return;
  }
  renderModels();
  renderGpus();
  renderLogSources();
  if (state.view === "activity") refreshActivity();
  if (state.view === "gpus") renderPlans();
}

function onEvent(event) {
  const line = describe(event);
  if (line) {
    gatewayLines.push(line);
    if (gatewayLines.length > 500) gatewayLines.shift();
    if (state.view === "logs" && $("#log-source").value === GATEWAY_LOG) logLine(line);
  }
  if (event.type === "state" && event.reason && /evict/.test(event.reason) && event.to === "stopping") {
    toast(`${event.model} ${event.reason}`, "warn");
  }
  if (event.type === "state" && event.to === "failed") toast(`${event.model} failed`, "error");
  if (event.type === "progress") {
    const m = state.models.find((x) => x.id === event.model);
    if (m) {
      m.loadProgress = event.progress;
      renderModels();
    }
    return;
  }
  if (event.type === "request" && state.view === "activity") refreshActivity();
  refreshSoon();
}

async function watchEvents() {
  for (;;) {
    try {
      const response = await api("/api/events");
      setOnline(true);
      refresh();
      await readEvents(response, (data) => onEvent(JSON.parse(data)));
    } catch (e) {
      // the stream dropped or never opened: try again
    }
    setOnline(false);
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

// ---- wiring -------------------------------------------------------------------------------------

$("#chat-form").addEventListener("submit", send);
$("#prompt").addEventListener("keydown", (e) => {
  if (e.key === "Enter" && !e.shiftKey) send(e);
});
$("#stop").onclick = () => streaming && streaming.abort();
$("#new-chat").onclick = () => {
  conversation = [];
  saveConversation();
  renderConversation();
  $("#chat-stats").textContent = "";
};
["#chat-model", "#system", "#temperature", "#top-p", "#max-tokens"].forEach((s) => $(s).addEventListener("change", saveSettings));
$("#filter").addEventListener("input", renderModels);
$("#log-source").addEventListener("change", () => followLogs($("#log-source").value));
$("#key-form").addEventListener("submit", (e) => {
  e.preventDefault();
  localStorage.setItem(KEY_STORAGE, $("#key-input").value.trim());
  $("#key-form").hidden = true;
  refresh();
});
window.addEventListener("hashchange", () => showView(location.hash.slice(1)));
window.addEventListener("unhandledrejection", (e) => {
  e.preventDefault();
  toast(String(e.reason && e.reason.message ? e.reason.message : e.reason), "error");
});

loadSettings();
renderConversation();
showView(location.hash.slice(1));
refresh();
watchEvents();
// GPU readings, TTLs and elapsed times change without events
setInterval(() => state.online && refresh(), 5000);
