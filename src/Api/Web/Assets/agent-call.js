// The agent console's call pop-up, wrap-up countdown, disposition form and recent calls. It
// follows the board (agent.js announces the seat every second as "aicc:seat") and reads the
// call itself from GET /api/v1/agents/me/call, so every tab shows the same call.
"use strict";
(() => {
  const CallStates = ["ringing", "on_call", "after_call_work"];
  const RecentEvery = 10000;
  let seat = null;
  let board = [];
  let call = null;
  let callKey = "";
  let transcriptOf = null;
  let recentTimer = null;
  let recentSeatVersion = null;
  let formCallId = null;

  const $ = (id) => document.getElementById(id);
  const text = (key) => I18n.t(key);
  const locale = () => (I18n.lang === "zh" ? "zh-CN" : "en-GB");

  async function api(method, path, body) {
    const response = await fetch(path, {
      method, credentials: "same-origin",
      headers: body ? { "Content-Type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    if (response.status === 204) { return { ok: true, body: null }; }
    const json = await response.json().catch(() => ({}));
    return { ok: response.ok, status: response.status, body: json };
  }

  function fail(result) {
    const problem = result.body || {};
    $("call-error").textContent = `${text("requestFailed")}: ${problem.detail || problem.title || result.status}`;
  }

  async function followSeat(detail) {
    seat = detail.seat;
    board = detail.board || [];
    if (!seat) { return; }
    if (CallStates.includes(seat.state) && seat.callId) {
      const result = await api("GET", "/api/v1/agents/me/call");
      call = result.ok ? result.body : null;
    } else {
      call = null;
    }
    render();
    // Recent calls change when a call of ours changes; between those, a slow timer is enough.
    if (recentSeatVersion !== seat.version) {
      recentSeatVersion = seat.version;
      refreshRecent();
    }
  }

  function render() {
    const section = $("call");
    section.classList.toggle("hidden", call === null);
    document.body.classList.toggle("ringing", call !== null && call.agentState === "ringing");
    if (call === null) { formCallId = null; return; }
    const key = `${call.callId}:${call.version}:${call.agentState}`;
    const changed = key !== callKey;
    callKey = key;
    section.dataset.callId = call.callId;
    section.dataset.agentState = call.agentState;
    section.dataset.callState = call.callState;
    const badge = $("call-badge");
    badge.className = `state ${call.agentState}`;
    badge.dataset.state = call.agentState;
    badge.textContent = text(`state_${call.agentState}`);
    $("call-customer").textContent = (call.direction === "outbound" ? call.called : call.caller) || text("withheld");
    $("call-direction").textContent = text(`direction_${call.direction}`);
    $("call-group").textContent = call.skillGroup || "–";
    $("call-state").textContent = text(`call_${call.callState}`) + (call.onHold ? ` · ${text("onHold")}` : "");
    renderTask();
    $("call-context").classList.toggle("hidden", !call.context);
    $("call-context").textContent = call.context ? `${text("handOver")}: ${call.context}` : "";
    renderVariables();
    if (call.context && transcriptOf !== call.callId) { loadTranscript(call.callId); }
    if (!call.context && transcriptOf !== call.callId) { $("call-transcript").classList.add("hidden"); }

    const ringing = call.agentState === "ringing";
    if (!ringing) { $("call-hint").textContent = ""; }
    const saved = $("disposition-saved").dataset.saved;
    $("disposition-saved").textContent = saved ? `${text("saved")}: ${saved}` : "";
    const talking = call.callState === "with_agent";
    $("call-answer").classList.toggle("hidden", !ringing);
    $("call-hangup").classList.toggle("hidden", !talking);
    $("call-hold").classList.toggle("hidden", !talking);
    $("call-hold").textContent = text(call.onHold ? "resume" : "hold");
    $("transfer").classList.toggle("hidden", !talking);
    if (talking && changed) { fillTransferTargets(); }
    $("acw").classList.toggle("hidden", call.agentState !== "after_call_work");
    const canDispose = talking || call.callState === "ended";
    $("disposition").classList.toggle("hidden", !canDispose);
    if (canDispose && formCallId !== call.callId) { fillDispositionForm(); }
    tick();
  }

  async function renderTask() {
    const cell = $("call-task");
    if (!call.taskId) { cell.textContent = "–"; cell.dataset.taskId = ""; return; }
    if (cell.dataset.taskId === call.taskId) { return; }
    cell.dataset.taskId = call.taskId;
    cell.textContent = call.taskId.slice(0, 8);
    const result = await api("GET", `/api/v1/tasks/${call.taskId}`);
    if (result.ok && cell.dataset.taskId === call.taskId) { cell.textContent = result.body.name || result.body.setup?.name || cell.textContent; }
  }

  function renderVariables() {
    const entries = Object.entries(call.variables || {});
    const table = $("call-variables");
    table.classList.toggle("hidden", entries.length === 0);
    table.tBodies[0].replaceChildren(...entries.map(([name, value]) => {
      const row = document.createElement("tr");
      const th = document.createElement("th");
      th.textContent = name;
      const td = document.createElement("td");
      td.textContent = value;
      row.append(th, td);
      return row;
    }));
  }

  // The robot's side of a handed-over call: what was said, and the intents it recognised.
  async function loadTranscript(callId) {
    transcriptOf = callId;
    const result = await api("GET", `/api/v1/calls/${callId}/transcript`);
    if (!result.ok || transcriptOf !== callId) { return; }
    const lines = result.body.lines || [];
    $("transcript-lines").replaceChildren(...lines.filter((l) => l.kind !== "intent").map((line) => {
      const item = document.createElement("li");
      item.className = `line ${line.speaker}`;
      item.dataset.kind = line.kind;
      const who = document.createElement("span");
      who.className = "speaker";
      who.textContent = text(`speaker_${line.speaker}`);
      const what = document.createElement("span");
      what.textContent = line.text || text(`kind_${line.kind}`);
      item.append(who, what);
      return item;
    }));
    $("transcript-intents").replaceChildren(...lines.filter((l) => l.kind === "intent").map((line) => {
      const chip = document.createElement("span");
      chip.className = "intent";
      chip.dataset.intent = line.intent;
      chip.textContent = line.confidence ? `${line.intent} ${Math.round(line.confidence * 100)}%` : line.intent;
      return chip;
    }));
    $("call-transcript").classList.toggle("hidden", lines.length === 0);
  }

  function fillTransferTargets() {
    const select = $("transfer-target");
    const groups = [...new Set(board.flatMap((row) => row.skillGroups))].sort();
    const colleagues = board.filter((row) => row.id !== seat.id && row.state === "ready");
    const option = (value, label) => { const o = document.createElement("option"); o.value = value; o.textContent = label; return o; };
    select.replaceChildren(
      ...groups.map((g) => option(`group:${g}`, `${text("skillGroup")}: ${g}`)),
      ...colleagues.map((row) => option(`agent:${row.id}`, `${text("agent")}: ${row.displayName}`)));
  }

  function fillDispositionForm() {
    formCallId = call.callId;
    const choices = call.dispositions || [];
    const select = $("disposition-choice");
    const free = $("disposition-text");
    select.classList.toggle("hidden", choices.length === 0);
    free.classList.toggle("hidden", choices.length > 0);
    const blank = document.createElement("option");
    blank.value = "";
    blank.textContent = text("choose");
    select.replaceChildren(blank, ...choices.map((name) => { const o = document.createElement("option"); o.value = name; o.textContent = name; return o; }));
    select.value = call.disposition || "";
    free.value = call.disposition || "";
    $("disposition-note").value = call.dispositionNote || "";
    $("disposition-saved").textContent = call.disposition ? `${text("saved")}: ${call.disposition}` : "";
    $("disposition-saved").dataset.saved = call.disposition || "";
  }

  // The countdown runs on the page's clock towards the deadline the board gives.
  function tick() {
    if (!call || call.agentState !== "after_call_work") { return; }
    const until = seat && seat.afterCallWorkUntil ? new Date(seat.afterCallWorkUntil).getTime() : null;
    const cell = $("acw-countdown");
    cell.dataset.until = seat && seat.afterCallWorkUntil ? seat.afterCallWorkUntil : "";
    cell.textContent = until === null ? "…" : formatDuration(Math.ceil(Math.max(0, until - Date.now()) / 1000));
  }

  async function answer() {
    if (!call || call.agentState !== "ringing") { return; }
    // The browser phone (softphone module) answers the SIP leg; without one the desk phone does.
    const phoneAnswer = $("phone-answer");
    // offsetParent is null while the button or any section around it is hidden (no browser phone).
    if (phoneAnswer && phoneAnswer.offsetParent !== null) {
      phoneAnswer.click();
      $("call-hint").textContent = "";
    } else {
      $("call-hint").textContent = text("answerOnPhone");
    }
  }

  async function act(verb, body) {
    if (!call) { return; }
    $("call-error").textContent = "";
    const result = await api("POST", `/api/v1/calls/${call.callId}/${verb}`, body);
    if (!result.ok) { fail(result); }
  }

  async function hangUp() {
    if (!call || call.callState !== "with_agent") { return; }
    await act("hangup");
  }

  async function saveDisposition(event) {
    event.preventDefault();
    if (!call) { return; }
    const choices = call.dispositions || [];
    const disposition = (choices.length > 0 ? $("disposition-choice").value : $("disposition-text").value).trim();
    if (!disposition) { $("call-error").textContent = text("chooseDisposition"); return; }
    $("call-error").textContent = "";
    const result = await api("POST", `/api/v1/calls/${call.callId}/disposition`, { disposition, note: $("disposition-note").value.trim() || null });
    if (!result.ok) { fail(result); return; }
    call.disposition = result.body.disposition;
    $("disposition-saved").textContent = `${text("saved")}: ${result.body.disposition}`;
    $("disposition-saved").dataset.saved = result.body.disposition;
    // The call record is a projection a moment behind the event: re-read until it shows the disposition.
    for (let attempt = 0; attempt < 10; attempt++) {
      const row = await refreshRecent();
      if (!row || row.find((item) => item.callId === call?.callId && item.disposition === disposition)) { return; }
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }

  async function refreshRecent() {
    if (!seat) { return null; }
    const result = await api("GET", "/api/v1/agents/me/calls?limit=10");
    if (!result.ok) { return null; }
    renderRecent(result.body.items);
    return result.body.items;
  }

  let recent = [];
  function renderRecent(items) {
    recent = items;
    $("recent").classList.remove("hidden");
    $("no-recent").classList.toggle("hidden", items.length > 0);
    $("recent-calls").replaceChildren(...items.map((item) => {
      const row = document.createElement("tr");
      row.dataset.callId = item.callId;
      const cell = (value, cls) => { const td = document.createElement("td"); td.textContent = value; if (cls) { td.className = cls; } return td; };
      const when = new Date(item.connTime || item.createdAt);
      const recording = document.createElement("td");
      recording.className = "recording";
      if (item.recordingUrl) {
        const link = document.createElement("a");
        link.href = item.recordingUrl;
        link.target = "_blank";
        link.rel = "noopener";
        link.textContent = text("listen");
        recording.append(link);
      } else {
        recording.textContent = "–";
      }
      row.append(
        cell(when.toLocaleString(locale(), { month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" })),
        cell(item.customer || text("withheld"), "customer"),
        cell(item.taskName || "–", "hide-narrow"),
        cell(item.outcome ? text(`outcome_${item.outcome}`) : text(`call_${item.state === "close" ? "ended" : "with_agent"}`), "outcome"),
        cell(formatDuration(item.duration), "hide-narrow"),
        cell(item.disposition || "–", "disposition"),
        recording);
      return row;
    }));
  }

  $("call-answer").addEventListener("click", answer);
  $("call-hangup").addEventListener("click", hangUp);
  $("call-hold").addEventListener("click", () => act(call && call.onHold ? "resume" : "hold"));
  $("call-transfer").addEventListener("click", () => {
    const [kind, value] = ($("transfer-target").value || "").split(/:(.*)/s);
    if (kind === "group") { act("transfer", { skillGroup: value }); }
    if (kind === "agent") { act("transfer", { agentId: value }); }
  });
  $("acw-done").addEventListener("click", async () => {
    if (!seat) { return; }
    const result = await api("POST", `/api/v1/agents/${seat.id}/state`, { state: "ready" });
    if (!result.ok) { fail(result); }
  });
  $("disposition").addEventListener("submit", saveDisposition);
  // Alt+A answers, Alt+H hangs up, wherever the focus is (also in the note field).
  document.addEventListener("keydown", (event) => {
    if (!event.altKey || event.ctrlKey || event.metaKey || event.repeat) { return; }
    const key = event.key.toLowerCase();
    if (key === "a" || event.code === "KeyA") { event.preventDefault(); answer(); }
    if (key === "h" || event.code === "KeyH") { event.preventDefault(); hangUp(); }
  });
  document.addEventListener("aicc:seat", (event) => followSeat(event.detail));
  document.addEventListener("aicc:signed-in", () => {
    clearInterval(recentTimer);
    recentTimer = setInterval(refreshRecent, RecentEvery);
  });
  document.addEventListener("aicc:language", () => {
    callKey = "";
    const blank = $("disposition-choice").options[0];
    if (blank) { blank.textContent = text("choose"); }
    render();
    if (seat) { renderRecent(recent); }
  });
  setInterval(tick, 250);
})();
