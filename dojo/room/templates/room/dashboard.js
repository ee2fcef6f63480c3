"use strict";
// The dashboard: the room's lights arrive by Server-Sent Events (a snapshot, then each new
// light and control); the page keeps them by id, so a reconnect never shows one twice.
const code = document.getElementById("code").textContent;
const token = new URLSearchParams(location.hash.slice(1)).get("token") || "";
const katas = JSON.parse(document.getElementById("katas").textContent);
const titles = Object.fromEntries(katas.map((k) => [k.name, k.title]));
const symbols = { red: "✗", amber: "!", green: "✓", timeout: "T" };
const lights = new Map();
let room = {};
let minuteColumns = false;

const $ = (id) => document.getElementById(id);

function byPair() {
  const pairs = new Map();
  for (const light of [...lights.values()].sort((a, b) => a.at.localeCompare(b.at) || a.id - b.id)) {
    if (!pairs.has(light.pair)) pairs.set(light.pair, []);
    pairs.get(light.pair).push(light);
  }
  return pairs;
}

function firstRun() {
  let first = null;
  for (const light of lights.values()) if (first === null || light.at < first) first = light.at;
  return first === null ? null : new Date(first);
}

function lightButton(light, fresh) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = `light ${light.colour}` + (fresh ? " new" : "");
  button.textContent = symbols[light.colour] || "?";
  button.title = `${light.pair} · ${titles[light.kata] || light.kata} · ${light.colour}: ` +
    `${light.passed} passed, ${light.failed} failed in ${light.duration} s`;
  button.dataset.id = light.id;
  button.addEventListener("click", () => review(light.id));
  return button;
}

function draw(freshId) {
  const pairs = byPair();
  const first = firstRun();
  const rows = [];
  for (const [name, own] of [...pairs.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    const row = document.createElement("tr");
    row.dataset.pair = name;
    const last = own[own.length - 1];
    row.innerHTML = `<td class="pair"></td><td class="kata"></td><td><div class="lights"></div></td>`;
    row.cells[0].textContent = name;
    row.cells[1].textContent = titles[last.kata] || last.kata;
    const strip = row.querySelector(".lights");
    if (minuteColumns && first) {
      const columns = new Map();
      for (const light of own) {
        const minute = Math.floor((new Date(light.at) - first) / 60000);
        if (!columns.has(minute)) columns.set(minute, []);
        columns.get(minute).push(light);
      }
      const lastMinute = Math.floor((Date.now() - first) / 60000);
      for (let minute = 0; minute <= lastMinute; minute++) {
        const column = document.createElement("div");
        column.className = "minute";
        column.title = `minute ${minute + 1}`;
        for (const light of columns.get(minute) || []) column.append(lightButton(light, light.id === freshId));
        strip.append(column);
      }
    } else {
      for (const light of own) strip.append(lightButton(light, light.id === freshId));
    }
    rows.push(row);
  }
  $("pairs").replaceChildren(...rows);
  $("empty").style.display = rows.length ? "none" : "block";
  drawSummary(pairs);
}

function drawSummary(pairs) {
  const solved = new Map();
  const tried = new Map();
  for (const [name, own] of pairs) {
    for (const light of own) {
      if (!tried.has(light.kata)) tried.set(light.kata, new Set());
      tried.get(light.kata).add(name);
      if (light.colour === "green") {
        if (!solved.has(light.kata)) solved.set(light.kata, new Set());
        solved.get(light.kata).add(name);
      }
    }
  }
  const chips = [...tried.keys()].sort().map((kata) => {
    const chip = document.createElement("span");
    chip.className = "kata-count";
    chip.dataset.kata = kata;
    chip.innerHTML = `<span></span>: <b></b> of <span></span> pairs solved`;
    chip.children[0].textContent = titles[kata] || kata;
    chip.children[1].textContent = (solved.get(kata) || new Set()).size;
    chip.children[2].textContent = tried.get(kata).size;
    return chip;
  });
  $("summary").replaceChildren(...chips);
}

function drawRoom() {
  $("room-kata").textContent = room.kata ? titles[room.kata] || room.kata : "free choice";
  $("kata-select").value = room.kata || "";
  $("pause").textContent = room.paused ? "resume" : "pause";
  tick();
}

function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(h ? 2 : 1, "0");
  return (h ? `${h}:` : "") + `${mm}:${String(s % 60).padStart(2, "0")}`;
}

function tick() {
  const first = firstRun();
  $("elapsed").textContent = first ? clock((Date.now() - first) / 1000) : "–";
  const banner = $("banner");
  let message = "";
  if (room.rotation_minutes && room.rotation_started) {
    const period = room.rotation_minutes * 60;
    const since = (Date.now() - new Date(room.rotation_started)) / 1000;
    const turn = Math.floor(since / period);
    $("rotation").textContent = clock(period - (since % period));
    if (turn > 0 && since % period < 20) message = "Swap: the navigator drives now";
  } else {
    $("rotation").textContent = "–";
  }
  if (room.paused) message = "Paused: hands off the keyboards";
  banner.textContent = message;
  banner.classList.toggle("on", Boolean(message));
}

function colourDiff(target, text) {
  target.replaceChildren();
  for (const line of (text || "(no change against the starter)").split("\n")) {
    const span = document.createElement("span");
    if (line.startsWith("+") && !line.startsWith("+++")) span.className = "add";
    else if (line.startsWith("-") && !line.startsWith("---")) span.className = "del";
    else if (line.startsWith("@@")) span.className = "hunk";
    span.textContent = line + "\n";
    target.append(span);
  }
}

async function review(id) {
  const answer = await fetch(`/${code}/lights/${id}`, { headers: token ? { "X-Room-Token": token } : {} });
  const light = await answer.json();
  if (!answer.ok) return status(light.error);
  $("review-title").textContent = `${light.pair} · ${titles[light.kata] || light.kata} · ` +
    `${light.colour}: ${light.passed} passed, ${light.failed} failed · ${new Date(light.at).toLocaleTimeString()}`;
  colourDiff($("review-diff"), light.diff);
  const withReference = "reference" in light;
  $("review").classList.toggle("with-reference", withReference);
  $("review-reference-column").style.display = withReference ? "block" : "none";
  $("review-reference").textContent = light.reference || "(this checkout has no reference fix for it)";
  $("review").classList.add("on");
}

function status(text) {
  $("control-status").textContent = text || "";
  $("status").textContent = text || $("status").textContent;
}

async function control(change) {
  const answer = await fetch(`/${code}/control`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Room-Token": token },
    body: JSON.stringify(change),
  });
  const result = await answer.json();
  if (!answer.ok) return status(result.error);
  room = result.room;
  drawRoom();
  status("");
}

function connect() {
  const events = new EventSource(`/${code}/events`);
  events.addEventListener("open", () => { $("status").textContent = "live"; });
  events.addEventListener("error", () => { $("status").textContent = "reconnecting…"; });
  events.addEventListener("snapshot", (event) => {
    const data = JSON.parse(event.data);
    room = data.room;
    for (const light of data.lights) lights.set(light.id, light);
    draw();
    drawRoom();
  });
  events.addEventListener("light", (event) => {
    const light = JSON.parse(event.data).light;
    if (lights.has(light.id)) return;
    lights.set(light.id, light);
    draw(light.id);
  });
  events.addEventListener("room", (event) => {
    room = JSON.parse(event.data).room;
    drawRoom();
  });
}

for (const kata of katas) $("kata-select").append(new Option(kata.title, kata.name));
$("minutes-toggle").addEventListener("click", () => {
  minuteColumns = !minuteColumns;
  $("minutes-toggle").textContent = `minute columns: ${minuteColumns ? "on" : "off"}`;
  draw();
});
$("review-close").addEventListener("click", () => $("review").classList.remove("on"));
document.addEventListener("keydown", (event) => { if (event.key === "Escape") $("review").classList.remove("on"); });
if (token) {
  $("controls").classList.add("on");
  $("kata-select").addEventListener("change", (e) => control({ kata: e.target.value }));
  $("rotation-start").addEventListener("click", () =>
    control({ rotation_minutes: parseInt($("rotation-minutes").value, 10) || 0 }));
  $("pause").addEventListener("click", () => control({ paused: !room.paused }));
  const query = `?token=${encodeURIComponent(token)}`;
  $("export-json").href = `/${code}/export.json${query}`;
  $("export-zip").href = `/${code}/export.zip${query}`;
}
setInterval(tick, 1000);
setInterval(() => { if (minuteColumns) draw(); }, 30000);
connect();
