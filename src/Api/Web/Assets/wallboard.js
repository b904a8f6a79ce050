// Wallboard: live figures pushed by the server (SSE /api/v1/stats/stream) and the agent
// board, re-read every second; time in state ticks locally between reads.
"use strict";
(() => {
  const BoardPoll = 1000;
  let agents = null;
  let stats = null;
  let stream = null;
  let timer = null;
  let ticker = null;
  let supervising = false;

  const $ = (id) => document.getElementById(id);
  const percent = (share) => `${(share * 100).toFixed(1)}%`;

  function renderStats() {
    if (!stats) { return; }
    const t = stats.totals;
    const ended = t.answered + t.abandoned;
    $("fig-placed").textContent = t.placed;
    $("fig-answered").textContent = t.answered;
    $("fig-abandoned").textContent = t.abandoned;
    $("fig-answer-rate").textContent = t.placed === 0 ? "–" : percent(t.answered / t.placed);
    $("fig-abandon-rate").textContent = ended === 0 ? "–" : percent(t.abandoned / ended);
    $("fig-aht").textContent = t.averageHandleSeconds;
    $("fig-occupancy").textContent = t.occupancy === null ? "–" : percent(t.occupancy);
  }

  function renderAgents() {
    if (!agents) { return; }
    const body = $("agents");
    body.replaceChildren(...agents.map((row) => {
      const tr = document.createElement("tr");
      tr.dataset.agentId = row.id;
      const name = document.createElement("td");
      name.textContent = row.displayName;
      const state = document.createElement("td");
      const badge = document.createElement("span");
      badge.className = `state ${row.state}`;
      badge.dataset.state = row.state;
      badge.textContent = I18n.t(`state_${row.state}`) + (row.reason ? ` (${I18n.reason(row.reason)})` : "");
      state.append(badge);
      const elapsed = document.createElement("td");
      elapsed.className = "elapsed";
      elapsed.dataset.since = row.since;
      const groups = document.createElement("td");
      groups.className = "hide-narrow";
      groups.textContent = row.skillGroups.join(", ");
      tr.append(name, state, elapsed, groups);
      if (supervising) {
        const actions = document.createElement("td");
        const force = document.createElement("button");
        force.type = "button";
        force.className = "force-not-ready";
        force.textContent = I18n.t("forceNotReady");
        force.disabled = row.state !== "ready";
        force.addEventListener("click", () => forceNotReady(row.id));
        actions.append(force);
        tr.append(actions);
      }
      return tr;
    }));
    $("actions-head").classList.toggle("hidden", !supervising);
    $("no-agents").classList.toggle("hidden", agents.length > 0);
    const counts = {};
    for (const row of agents) { counts[row.state] = (counts[row.state] || 0) + 1; }
    $("state-counts").textContent = Object.entries(counts).map(([s, n]) => `${I18n.t(`state_${s}`)}: ${n}`).join(" · ");
    tick();
  }

  // Time in state moves every second without rebuilding the rows (a button under the pointer stays put).
  function tick() {
    for (const cell of document.querySelectorAll("#agents .elapsed")) {
      cell.textContent = formatDuration((Date.now() - new Date(cell.dataset.since).getTime()) / 1000);
    }
  }

  async function forceNotReady(agentId) {
    $("action-error").textContent = "";
    const response = await fetch(`/api/v1/agents/${agentId}/state`, {
      method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ state: "not_ready", reason: "supervisor" }),
    });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      $("action-error").textContent = `${I18n.t("requestFailed")}: ${problem.detail || problem.title || response.status}`;
    }
    await refreshAgents();
  }

  async function refreshAgents() {
    const response = await fetch("/api/v1/agents", { credentials: "same-origin" });
    if (response.status === 401) { location.reload(); return; }
    if (!response.ok) { return; }
    const fresh = (await response.json()).agents;
    if (JSON.stringify(fresh) !== JSON.stringify(agents)) {
      agents = fresh;
      renderAgents();
    }
  }

  function openStream() {
    stream = new EventSource("/api/v1/stats/stream");
    stream.addEventListener("stats", (event) => { stats = JSON.parse(event.data); renderStats(); });
    stream.addEventListener("open", () => { $("stream-status").textContent = I18n.t("live"); });
    stream.addEventListener("error", () => { $("stream-status").textContent = I18n.t("reconnecting"); });
  }

  function show(principal) {
    const signedIn = principal !== null;
    $("login").classList.toggle("hidden", signedIn);
    $("board").classList.toggle("hidden", !signedIn);
    $("logout").classList.toggle("hidden", !signedIn);
    $("who").textContent = signedIn ? principal.login : "";
    supervising = signedIn && principal.roles.some((role) => role === "admin" || role === "supervisor");
    clearInterval(timer);
    clearInterval(ticker);
    if (stream) { stream.close(); stream = null; }
    if (signedIn) {
      openStream();
      refreshAgents();
      timer = setInterval(refreshAgents, BoardPoll);
      ticker = setInterval(tick, 1000);
    }
  }

  document.addEventListener("aicc:language", () => { renderStats(); renderAgents(); });
  wireLogin(show);
  I18n.apply();
  Session.me().then(show);
})();
