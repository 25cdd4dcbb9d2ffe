// egress-sensor dashboard: state from /api/state, then live updates from
// /api/events (server-sent events).  Plain JS, no libraries.
"use strict";
const MAX_ALERTS = 2000;
const st = { sensors: {}, incidents: {}, alerts: [], open: new Set() };
const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k instanceof Node ? k : document.createTextNode(k == null ? "" : String(k)));
  return e;
}
const short = (ts) => (ts || "").replace("T", " ").slice(0, 23);
const dest = (a) => a.dest_ip + (a.dest_port != null ? ":" + a.dest_port : "");
const src = (a) => a.src_ip + (a.src_port != null ? ":" + a.src_port : "");
const detOf = (a) => a.alert.detector || (a.alert.incident ? "incident" : "flow rule");

function renderHealth() {
  const tb = $("health").tBodies[0];
  tb.replaceChildren();
  for (const h of Object.values(st.sensors).sort((a, b) => a.sensor.localeCompare(b.sensor))) {
    const age = h.alive ? h.heartbeat_age + " s ago" : "no heartbeat (expired)";
    tb.append(el("tr", { "data-sensor": h.sensor },
      el("td", {}, h.sensor), el("td", { class: h.alive && h.heartbeat_age < 60 ? "" : "dead" }, age),
      el("td", {}, h.packets ?? "-"), el("td", {}, h.pps ?? "-"), el("td", {}, h.drops ?? "-"),
      el("td", {}, h.redis_lag_ms != null ? h.redis_lag_ms + " ms" : "-"),
      el("td", {}, h.redis_errors ?? "-"),
      el("td", {}, Object.values(st.incidents).filter((r) => r.sensor === h.sensor).length)));
  }
  const sel = $("f-sensor"), cur = sel.value;
  const names = new Set([...Object.keys(st.sensors), ...st.alerts.map((a) => a.sensor)]);
  sel.replaceChildren(el("option", { value: "" }, "all"),
    ...[...names].sort().map((n) => el("option", { value: n }, n)));
  sel.value = cur;
}

function rankedIncidents() {
  return Object.values(st.incidents).sort((a, b) =>
    (b.incident.score - a.incident.score) ||
    (b.incident.last_seen.localeCompare(a.incident.last_seen)) ||
    a.incident.id.localeCompare(b.incident.id));
}

function renderIncidents() {
  const box = $("incidents");
  box.replaceChildren();
  const list = rankedIncidents();
  if (!list.length) box.append(el("p", { class: "muted" }, "no open incident"));
  for (const r of list) {
    const i = r.incident;
    const tl = el("table", { class: "timeline" });
    for (const m of i.timeline) {
      tl.append(el("tr", {},
        el("td", {}, short(m.time)), el("td", {}, el("span", { class: "stage " + m.stage }, m.stage)),
        el("td", {}, m.detector), el("td", {}, m.dest_ip + (m.dest_port != null ? ":" + m.dest_port : "")),
        el("td", { class: "name", title: m.name || "" }, m.name || ""), el("td", {}, m.summary),
        el("td", { class: "muted ids" }, "flow " + m.flow_id, el("br"), m.community_id || "")));
    }
    box.append(el("div", { class: "incident" + (i.score < 100 ? " score-lt100" : ""),
                           "data-id": i.id, "data-host": i.host, "data-stages": i.stages.join(",") },
      el("div", { class: "head" },
        el("span", { class: "score" }, i.score),
        el("span", { class: "host" }, i.host),
        el("span", {}, ...i.stages.map((s) => el("span", { class: "stage " + s }, s))),
        el("span", { class: "muted" }, r.sensor + " · " + short(i.first_seen) + " → " + short(i.last_seen) +
           " · " + i.members + " members · " + i.state + (i.reason ? " (" + i.reason + ")" : "") + " · id " + i.id)),
      tl));
  }
}

function matches(a) {
  const fs = $("f-sensor").value, fd = $("f-detector").value, fv = $("f-severity").value;
  const fh = $("f-host").value.trim();
  if (fs && a.sensor !== fs) return false;
  if (fd && detOf(a) !== fd) return false;
  if (fv && String(a.alert.severity) !== fv) return false;
  if (fh && !(a.src_ip || "").includes(fh) && !(a.dest_ip || "").includes(fh)) return false;
  return true;
}

function alertRow(a, idx, fresh) {
  const key = a.sensor + "/" + a.flow_id + "/" + a.alert.signature_id + "/" + a.timestamp;
  const tr = el("tr", { class: "alert" + (fresh ? " new" : ""), "data-key": key,
                        "data-detector": detOf(a), "data-dest": dest(a) },
    el("td", {}, short(a.timestamp)), el("td", {}, a.sensor),
    el("td", {}, el("span", { class: "sev sev" + a.alert.severity }, a.alert.severity)),
    el("td", {}, detOf(a)), el("td", {}, src(a)), el("td", {}, dest(a)),
    el("td", {}, a.alert.signature));
  tr.addEventListener("click", () => {
    if (st.open.has(key)) st.open.delete(key); else st.open.add(key);
    renderAlerts();
  });
  return [tr, key];
}

let lastFresh = new Set();
function renderAlerts() {
  const tb = $("alerts").tBodies[0];
  tb.replaceChildren();
  let shown = 0;
  for (let i = st.alerts.length - 1; i >= 0 && shown < 500; i--) {
    const a = st.alerts[i];
    if (!matches(a)) continue;
    const [tr, key] = alertRow(a, i, lastFresh.has(a));
    tb.append(tr);
    shown++;
    if (st.open.has(key)) {
      const ev = { alert: a.alert, evidence: a.evidence, community_id: a.community_id, flow_id: a.flow_id };
      for (const k of ["ssh", "tls", "dns", "stratum"]) if (a[k]) ev[k] = a[k];
      tb.append(el("tr", { class: "evidence" }, el("td", { colspan: 7 }, el("pre", {}, JSON.stringify(ev, null, 2)))));
    }
  }
  $("alert-count").textContent = shown + " shown of " + st.alerts.length;
  const sel = $("f-detector"), cur = sel.value;
  const dets = [...new Set(st.alerts.map(detOf))].sort();
  sel.replaceChildren(el("option", { value: "" }, "all"), ...dets.map((d) => el("option", { value: d }, d)));
  sel.value = cur;
}

function addIncident(r) {
  const i = r.incident;
  if (i.state === "closed" && (i.reason === "window" || i.reason === "evicted")) delete st.incidents[r.sensor + "/" + i.id];
  else st.incidents[r.sensor + "/" + i.id] = r;
}

async function load() {
  const res = await fetch("/api/state");
  const s = await res.json();
  for (const h of s.sensors) st.sensors[h.sensor] = h;
  for (const r of s.incidents) addIncident(r);
  st.alerts = s.alerts;
  st.ids = s.ids;
  renderHealth(); renderIncidents(); renderAlerts();
}

function live() {
  const es = new EventSource("/api/events?ids=" + encodeURIComponent(JSON.stringify(st.ids || {})));
  es.addEventListener("open", () => { $("conn").textContent = "live"; $("conn").className = "conn on"; });
  es.addEventListener("error", () => { $("conn").textContent = "reconnecting"; $("conn").className = "conn off"; });
  es.addEventListener("health", (e) => { const h = JSON.parse(e.data); st.sensors[h.sensor] = h; renderHealth(); });
  es.addEventListener("incident", (e) => { addIncident(JSON.parse(e.data)); renderIncidents(); renderHealth(); });
  es.addEventListener("alert", (e) => {
    const a = JSON.parse(e.data);
    st.alerts.push(a);
    if (st.alerts.length > MAX_ALERTS) st.alerts.splice(0, st.alerts.length - MAX_ALERTS);
    lastFresh = new Set([a]);
    renderAlerts();
  });
}

for (const id of ["f-sensor", "f-detector", "f-severity", "f-host"])
  $(id).addEventListener("input", renderAlerts);
setInterval(() => { $("clock").textContent = new Date().toISOString().slice(0, 19).replace("T", " ") + " UTC"; }, 1000);
load().then(live, (e) => { $("conn").textContent = "error: " + e; });
