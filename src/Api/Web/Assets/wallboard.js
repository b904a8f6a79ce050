// Wallboard: the floor per task and per skill group pushed by the server (SSE
// /api/v1/stats/floor/stream) and the agent board, re-read every second; time in state and
// the longest wait tick locally between reads. Charts come from the bundled uPlot module.
"use strict";
(() => {
  const BoardPoll = 1000;
  let agents = null;
  let monitoring = null;
  let floor = null;
  let stream = null;
  let timer = null;
  let ticker = null;
  let supervising = false;

  const $ = (id) => document.getElementById(id);
  const percent = (share) => `${(share * 100).toFixed(1)}%`;

  const rate = (share) => (share === null || share === undefined ? "–" : percent(share));
  const waitSince = (since) => (since ? formatDuration((Date.now() - new Date(since).getTime()) / 1000) : "–");
  const chartLabels = () => ({ answered: I18n.t("answeredPerMinute"), abandoned: I18n.t("abandonedPerMinute") });

  function chart(key, container, series) {
    if (window.AiccCharts && floor) { window.AiccCharts.draw(key, container, floor.minutes, series, chartLabels()); }
  }

  function renderFloor() {
    if (!floor) { return; }
    const t = floor.totals;
    $("fig-waiting").textContent = t.waiting;
    $("fig-in-progress").textContent = t.inProgress;
    $("fig-placed").textContent = t.placed;
    $("fig-answered").textContent = t.answered;
    $("fig-abandoned").textContent = t.abandoned;
    $("fig-answer-rate").textContent = rate(t.answerRate);
    $("fig-abandon-rate").textContent = rate(t.abandonRate);
    $("fig-aht").textContent = t.averageHandleSeconds;
    $("fig-longest-wait").dataset.since = t.oldestWaitingSince || "";
    chart("totals", $("chart-totals"), floor.series);
    const keep = new Set(["totals"]);
    renderScopes($("tasks"), floor.tasks, (task) => `task:${task.taskId}`, (card, task) => {
      card.dataset.taskId = task.taskId;
      card.querySelector(".scope-name").textContent = task.name;
      card.querySelector(".scope-sub").textContent = task.skillGroup ? `${I18n.t("skillGroup")}: ${task.skillGroup}` : "";
      const abandon = card.querySelector(".abandon-rate");
      abandon.textContent = rate(task.figures.abandonRate);
      abandon.classList.toggle("over-cap", task.overCap);
      abandon.nextElementSibling.textContent = I18n.t("abandonRateCap").replace("{cap}", percent(task.abandonCap));
      card.classList.toggle("over-cap", task.overCap);
    }, keep);
    renderScopes($("groups"), floor.skillGroups, (group) => `group:${group.skillGroup}`, (card, group) => {
      card.dataset.skillGroup = group.skillGroup;
      card.querySelector(".scope-name").textContent = group.skillGroup;
      card.querySelector(".scope-sub").textContent = "";
      card.querySelector(".abandon-rate").textContent = rate(group.figures.abandonRate);
      const states = card.querySelector(".agent-states");
      states.replaceChildren(...Object.entries(group.agents).sort().map(([state, count]) => {
        const chip = document.createElement("span");
        chip.className = `state ${state}`;
        chip.dataset.state = state;
        chip.dataset.count = count;
        chip.textContent = `${I18n.t(`state_${state}`)} ${count}`;
        return chip;
      }));
    }, keep);
    $("no-tasks").classList.toggle("hidden", floor.tasks.length > 0);
    $("no-groups").classList.toggle("hidden", floor.skillGroups.length > 0);
    if (window.AiccCharts) { window.AiccCharts.prune(keep); }
    tick();
  }

  // Cards are kept and updated in place (keyed), so their charts are not rebuilt on every push.
  function renderScopes(container, rows, keyOf, fill, keep) {
    const existing = new Map([...container.children].map((card) => [card.dataset.key, card]));
    const cards = rows.map((row) => {
      const key = keyOf(row);
      keep.add(key);
      const card = existing.get(key) || newCard(key);
      const f = row.figures;
      card.querySelector(".waiting").textContent = f.waiting;
      card.querySelector(".in-progress").textContent = f.inProgress;
      card.querySelector(".answered").textContent = f.answered;
      card.querySelector(".abandoned").textContent = f.abandoned;
      card.querySelector(".answer-rate").textContent = rate(f.answerRate);
      card.querySelector(".aht").textContent = f.averageHandleSeconds;
      card.querySelector(".longest-wait").dataset.since = f.oldestWaitingSince || "";
      fill(card, row);
      return { card, key, series: row.series };
    });
    container.replaceChildren(...cards.map((c) => c.card));
    for (const { card, key, series } of cards) { chart(key, card.querySelector(".chart"), series); }
  }

  function newCard(key) {
    const card = document.createElement("article");
    card.className = "scope";
    card.dataset.key = key;
    const head = document.createElement("div");
    head.className = "scope-head";
    const name = document.createElement("strong");
    name.className = "scope-name";
    const sub = document.createElement("span");
    sub.className = "scope-sub muted";
    head.append(name, sub);
    const numbers = document.createElement("dl");
    numbers.className = "numbers";
    for (const [cls, text] of [["waiting", "waiting"], ["in-progress", "inProgress"], ["answered", "answered"], ["abandoned", "abandoned"],
      ["answer-rate", "answerRate"], ["abandon-rate", "abandonRate"], ["aht", "aht"], ["longest-wait", "longestWait"]]) {
      const cell = document.createElement("div");
      const label = document.createElement("dt");
      label.dataset.i18n = text;
      label.textContent = I18n.t(text);
      const value = document.createElement("dd");
      value.className = cls;
      cell.append(value, label);
      numbers.append(cell);
    }
    const states = document.createElement("div");
    states.className = "agent-states";
    const plot = document.createElement("div");
    plot.className = "chart";
    card.append(head, numbers, states, plot);
    return card;
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
        actions.append(force, listenButton(row));
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

  // Time in state and waits move every second without rebuilding the rows (a button under the pointer stays put).
  function tick() {
    for (const cell of document.querySelectorAll("#agents .elapsed")) {
      cell.textContent = formatDuration((Date.now() - new Date(cell.dataset.since).getTime()) / 1000);
    }
    for (const cell of document.querySelectorAll("#fig-longest-wait, .scope .longest-wait")) {
      cell.textContent = waitSince(cell.dataset.since);
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

  // Silent monitor (ADR 0018): the platform rings the supervisor's own seat phone, which joins
  // the agent's call in listen mode when answered. One call at a time; the same button leaves it.
  function listenButton(row) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "listen";
    const mine = monitoring !== null && monitoring === row.callId;
    button.textContent = I18n.t(mine ? "stopListening" : "listenIn");
    button.disabled = !mine && (row.state !== "on_call" || !row.callId || monitoring !== null);
    button.addEventListener("click", () => (mine ? stopListening(row.callId) : listen(row.callId)));
    return button;
  }

  async function listen(callId) {
    $("action-error").textContent = "";
    const response = await fetch(`/api/v1/calls/${callId}/monitor`, {
      method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ mode: "listen" }),
    });
    if (response.ok) {
      monitoring = callId;
      $("action-error").dataset.i18n = "monitorRinging";
      $("action-error").textContent = I18n.t("monitorRinging");
    } else {
      await showProblem(response);
    }
    renderAgents();
  }

  async function stopListening(callId) {
    $("action-error").textContent = "";
    delete $("action-error").dataset.i18n;
    const response = await fetch(`/api/v1/calls/${callId}/monitor`, { method: "DELETE", credentials: "same-origin" });
    // 404: the monitor is over already (the call ended or the phone was hung up).
    if (!response.ok && response.status !== 404) { await showProblem(response); }
    monitoring = null;
    renderAgents();
  }

  async function showProblem(response) {
    const problem = await response.json().catch(() => ({}));
    delete $("action-error").dataset.i18n;
    $("action-error").textContent = `${I18n.t("requestFailed")}: ${problem.detail || problem.title || response.status}`;
  }

  async function refreshAgents() {
    const response = await fetch("/api/v1/agents", { credentials: "same-origin" });
    if (response.status === 401) { location.reload(); return; }
    if (!response.ok) { return; }
    const fresh = (await response.json()).agents;
    if (monitoring !== null && !fresh.some((row) => row.callId === monitoring && row.state === "on_call")) {
      monitoring = null; // the call ended: its monitor ended with it
    }
    if (JSON.stringify(fresh) !== JSON.stringify(agents)) {
      agents = fresh;
      renderAgents();
    }
  }

  function openStream() {
    stream = new EventSource("/api/v1/stats/floor/stream");
    stream.addEventListener("floor", (event) => {
      floor = JSON.parse(event.data);
      renderFloor();
      $("board").dataset.pushedAt = String(Date.now());
    });
    const status = (key) => { $("stream-status").dataset.i18n = key; $("stream-status").textContent = I18n.t(key); };
    stream.addEventListener("open", () => status("live"));
    stream.addEventListener("error", () => status("reconnecting"));
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

  document.addEventListener("aicc:language", () => { renderFloor(); renderAgents(); });
  document.addEventListener("aicc:charts", renderFloor);
  wireLogin(show);
  I18n.apply();
  Session.me().then(show);
})();
