// Agent console: the state shown always comes from the agent board (GET /api/v1/agents),
// never from the answer to our own click, so every tab shows the same thing.
"use strict";
(() => {
  const BoardPoll = 1000;
  let me = null;
  let seat = null;
  let timer = null;

  const $ = (id) => document.getElementById(id);

  async function refresh() {
    const response = await fetch("/api/v1/agents", { credentials: "same-origin" });
    if (response.status === 401) { location.reload(); return; }
    if (!response.ok) { return; }
    const board = await response.json();
    seat = board.agents.find((row) => row.employeeId === me.employeeId) || null;
    render();
    document.dispatchEvent(new CustomEvent("aicc:seat", { detail: { seat, board: board.agents } }));
  }

  function render() {
    $("no-seat").classList.toggle("hidden", seat !== null);
    $("seat").classList.toggle("hidden", seat === null);
    if (!seat) { return; }
    const state = $("state");
    state.className = `state ${seat.state}`;
    state.dataset.state = seat.state;
    state.textContent = I18n.t(`state_${seat.state}`);
    $("reason").textContent = seat.reason ? `(${I18n.reason(seat.reason)})` : "";
    const since = new Date(seat.since);
    $("since").textContent = since.toLocaleTimeString(I18n.lang === "zh" ? "zh-CN" : "en-GB");
    $("elapsed").textContent = formatDuration((Date.now() - since.getTime()) / 1000);
    // Ringing and talking end by the call, not by a click here (the server would refuse it anyway).
    const inCall = seat.state === "ringing" || seat.state === "on_call";
    $("go-ready").disabled = seat.state === "ready" || inCall;
    $("go-not-ready").disabled = inCall;
  }

  async function change(state, reason) {
    if (!seat) { return; }
    $("action-error").textContent = "";
    const response = await fetch(`/api/v1/agents/${seat.id}/state`, {
      method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(reason ? { state, reason } : { state }),
    });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      $("action-error").textContent = `${I18n.t("requestFailed")}: ${problem.detail || problem.title || response.status}`;
    }
    await refresh();
  }

  function show(principal) {
    me = principal;
    const signedIn = me !== null;
    $("login").classList.toggle("hidden", signedIn);
    $("console").classList.toggle("hidden", !signedIn);
    $("logout").classList.toggle("hidden", !signedIn);
    $("who").textContent = signedIn ? me.login : "";
    clearInterval(timer);
    if (signedIn) {
      document.dispatchEvent(new CustomEvent("aicc:signed-in", { detail: me }));
      refresh();
      timer = setInterval(refresh, BoardPoll);
    }
  }

  $("go-ready").addEventListener("click", () => change("ready"));
  $("go-not-ready").addEventListener("click", () => change("not_ready", $("reason-choice").value));
  document.addEventListener("aicc:language", render);
  wireLogin(show);
  I18n.apply();
  Session.me().then(show);
})();
