// Switchboard web UI: plain browser JavaScript, no build step.
// Every call goes through fetch() so the API key can travel in a header (EventSource cannot send one).
"use strict";

const KEY_STORAGE = "switchboard.apiKey";
const $ = (selector) => document.querySelector(selector);

let models = [];
let history = [];
let logStream = null;

// ---- HTTP ----------------------------------------------------------------

function authHeaders() {
  const key = localStorage.getItem(KEY_STORAGE);
  return key ? { Authorization: "Bearer " + key } : {};
}

function askForKey() {
  const key = prompt("This gateway needs an API key:", localStorage.getItem(KEY_STORAGE) || "");
  if (key === null) return false;
  localStorage.setItem(KEY_STORAGE, key.trim());
  return true;
}

async function api(path, options = {}) {
  const send = () => fetch(path, { ...options, headers: { ...authHeaders(), ...(options.headers || {}) } });
  let response = await send();
  if (response.status === 401 && askForKey()) response = await send();
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new Error((body.error && body.error.message) || response.status + " " + response.statusText);
  }
  return response;
}

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

// ---- models and GPUs --------------------------------------------------------

const GIB = 1024 ** 3;
const gib = (bytes) => (bytes / GIB).toFixed(1) + " GiB";

async function refresh() {
  models = await (await api("/api/models")).json();
  renderModels();
  renderGpus(await (await api("/api/gpus")).json());
}

function renderModels() {
  const rows = models.map((m) => {
    const bytes = Object.values(m.placement.bytesPerGpu).reduce((a, b) => a + b, 0);
    const loading = m.state === "starting" && m.loadProgress != null;
    const state = m.state + (loading ? " " + Math.round(m.loadProgress * 100) + "%" : "");
    const running = ["starting", "ready", "sleeping"].includes(m.state);
    const row = document.createElement("tr");
    row.innerHTML = `<td></td><td class="state ${m.state}"></td><td>${m.inFlight}</td>
      <td>${m.placement.gpus.join(", ") || "–"}</td><td>${bytes ? gib(bytes) : "–"}</td><td><button></button></td>`;
    row.cells[0].textContent = m.id;
    row.cells[1].textContent = state;
    if (m.failure) row.cells[1].title = m.failure;
    const button = row.querySelector("button");
    button.textContent = running ? "Unload" : "Load";
    button.onclick = () => command(m.id, running ? "unload" : "load");
    return row;
  });
  $("#models tbody").replaceChildren(...rows);

  const select = $("#model");
  const chosen = select.value;
  select.replaceChildren(...models.map((m) => new Option(m.id, m.id)));
  if (models.some((m) => m.id === chosen)) select.value = chosen;
  if (select.value && $("#logs-model").textContent !== select.value) followLogs(select.value);
}

function renderGpus(gpus) {
  if (!gpus.length) return;
  $("#gpus").replaceChildren(...gpus.map((g) => {
    const box = document.createElement("div");
    box.className = "gpu";
    box.innerHTML = `<div class="label"><span></span><span class="muted"></span></div><div class="bar"></div>`;
    box.querySelector(".label span").textContent = `GPU ${g.index} · ${g.name}`;
    box.querySelector(".label .muted").textContent =
      `${gib(g.usedBytes)} / ${gib(g.totalBytes)} used · ${gib(g.reservedBytes)} reserved`;
    const bar = box.querySelector(".bar");
    const other = Math.max(0, g.usedBytes - g.reservedBytes);
    const segment = (cls, bytes, label) => {
      const part = document.createElement("div");
      part.className = cls;
      part.style.width = (100 * bytes / g.totalBytes) + "%";
      part.textContent = label;
      part.title = `${label}: ${gib(bytes)}`;
      bar.append(part);
    };
    Object.entries(g.models).forEach(([id, bytes]) => segment("model", bytes, id));
    if (other) segment("other", other, "other processes");
    return box;
  }));
}

async function command(model, verb) {
  try {
    await api(`/api/models/${modelPath(model)}/${verb}`, { method: "POST" });
  } catch (e) {
    alert(`${verb} ${model}: ${e.message}`);
  }
  refresh();
}

// Refreshes on every gateway event; reconnects when the stream drops.
async function watchEvents() {
  for (;;) {
    try {
      const response = await api("/api/events");
      $("#connection").textContent = "live";
      await readEvents(response, () => refresh());
    } catch (e) {
      // fall through to reconnect
    }
    $("#connection").textContent = "reconnecting…";
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

// ---- logs -------------------------------------------------------------------

async function followLogs(model) {
  if (logStream) logStream.abort();
  logStream = new AbortController();
  const pre = $("#logs");
  pre.textContent = "";
  $("#logs-model").textContent = model;
  try {
    const response = await api(`/api/logs/${modelPath(model)}`, { signal: logStream.signal });
    await readEvents(response, (line) => {
      const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
      pre.append(line + "\n");
      if (atBottom) pre.scrollTop = pre.scrollHeight;
    });
  } catch (e) {
    if (e.name !== "AbortError") pre.append(`[log stream ended: ${e.message}]\n`);
  }
}

// ---- chat -------------------------------------------------------------------

function addMessage(cls, text) {
  const div = document.createElement("div");
  div.className = "message " + cls;
  div.textContent = text;
  $("#transcript").append(div);
  $("#transcript").scrollTop = $("#transcript").scrollHeight;
  return div;
}

async function send(event) {
  event.preventDefault();
  const model = $("#model").value;
  const text = $("#prompt").value.trim();
  if (!model || !text) return;
  $("#prompt").value = "";
  history.push({ role: "user", content: text });
  addMessage("user", "you: " + text);
  const answer = addMessage("assistant", "");
  try {
    const response = await api("/v1/chat/completions", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ model, messages: history, stream: true }),
    });
    await readEvents(response, (data) => {
      if (data === "[DONE]") return;
      const delta = JSON.parse(data).choices?.[0]?.delta?.content;
      if (delta) answer.textContent += delta;
      $("#transcript").scrollTop = $("#transcript").scrollHeight;
    });
    history.push({ role: "assistant", content: answer.textContent });
  } catch (e) {
    answer.className = "message error";
    answer.textContent = e.message;
    history.pop();
  }
}

// ---- wiring -----------------------------------------------------------------

$("#chat").addEventListener("submit", send);
$("#prompt").addEventListener("keydown", (e) => {
  if (e.key === "Enter" && !e.shiftKey) send(e);
});
$("#model").addEventListener("change", () => {
  history = [];
  $("#transcript").replaceChildren();
  followLogs($("#model").value);
});
$("#load").onclick = () => command($("#model").value, "load");
$("#unload").onclick = () => command($("#model").value, "unload");
$("#key").onclick = () => askForKey() && refresh();

refresh().catch((e) => ($("#connection").textContent = e.message));
watchEvents();
setInterval(() => refresh().catch(() => {}), 5000); // GPU readings change without events
