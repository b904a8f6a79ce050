// The agent console's manual outbound call: a number field with a dial pad and a Call button.
// POST /api/v1/agents/me/calls places the call (compliance gate, a caller number leased to the
// agent); the platform rings this page's phone first, which answers it by itself, then the
// customer. While the call is up the page renews the caller-number lease every few seconds; a
// page that is closed stops renewing, the lease ends at its time-to-live and the platform ends
// the call (ADR 0017). The call itself shows in the pop-up (agent-call.js) like any other.
"use strict";
(() => {
  const DialStates = ["ready", "not_ready"];
  const AnswerWithin = 20000;
  const Saved = "aicc.manual-call";
  let seat = null;
  let pending = null;
  let renewing = null;

  const $ = (id) => document.getElementById(id);
  const text = (key) => I18n.t(key);

  function render() {
    const section = $("dial");
    section.classList.toggle("hidden", seat === null);
    if (!seat) { return; }
    const busy = pending !== null || renewing !== null;
    $("dial-call").disabled = busy || !DialStates.includes(seat.state);
    $("dial-number").disabled = busy;
    section.dataset.state = renewing ? "on_call" : pending ? "calling" : "idle";
    $("dial-status").textContent = renewing ? `${text("dialOnCall")} ${renewing.called}` : pending ? `${text("dialCalling")} ${pending.called}…` : "";
  }

  async function dial(event) {
    event.preventDefault();
    const number = $("dial-number").value.trim();
    if (!number || pending || renewing) { return; }
    $("dial-error").textContent = "";
    const response = await fetch("/api/v1/agents/me/calls", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}` },
      body: JSON.stringify({ number }),
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const refused = body.code === "manual_call.refused";
      $("dial-error").dataset.reason = body.reason || body.code || String(response.status);
      $("dial-error").textContent = `${text(refused ? "dialRefused" : "requestFailed")}: ${body.detail || body.title || response.status}`;
      return;
    }
    pending = { ...body, until: Date.now() + AnswerWithin };
    startRenewing(body);
    answerWhenRung();
    render();
  }

  /** The platform's INVITE for this call arrives at this page's phone: take it, the agent asked for it. */
  function answerWhenRung() {
    const timer = setInterval(() => {
      const phone = globalThis.aiccSoftphone && globalThis.aiccSoftphone.phone;
      if (!pending || Date.now() > pending.until) { clearInterval(timer); pending = null; render(); return; }
      const session = phone && phone.session;
      if (phone && phone.status === "ringing" && session && session.remote_identity.uri.user === pending.called) {
        phone.answer();
        clearInterval(timer);
        pending = null;
        render();
      }
    }, 100);
  }

  function startRenewing(call) {
    stopRenewing();
    sessionStorage.setItem(Saved, JSON.stringify({ callId: call.callId, poolId: call.poolId, called: call.called, every: call.renewEverySeconds }));
    const timer = setInterval(() => renew(call), (call.renewEverySeconds || 10) * 1000);
    renewing = { callId: call.callId, called: call.called, timer };
    $("dial").dataset.callId = call.callId;
  }

  function stopRenewing() {
    if (renewing) { clearInterval(renewing.timer); }
    renewing = null;
    sessionStorage.removeItem(Saved);
  }

  async function renew(call) {
    const response = await fetch(`/api/v1/agents/me/calls/${call.callId}/lease`, {
      method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ poolId: call.poolId }),
    });
    // 409: the call (and its lease) ended; 404: not ours any more. Either way, nothing to keep.
    if (response.status === 409 || response.status === 404) { stopRenewing(); render(); }
    else if (response.ok) { $("dial").dataset.renewedAt = new Date().toISOString(); }
  }

  function follow(detail) {
    seat = detail.seat;
    render();
  }

  const pad = $("dial-pad");
  for (const digit of "123456789+0#") {
    const key = document.createElement("button");
    key.type = "button";
    key.textContent = digit;
    key.dataset.digit = digit;
    key.addEventListener("click", () => { $("dial-number").value += digit; });
    pad.append(key);
  }
  $("dial").addEventListener("submit", dial);
  document.addEventListener("aicc:seat", (event) => follow(event.detail));
  document.addEventListener("aicc:language", render);
  // A reload during a call keeps its lease alive from this tab.
  const saved = JSON.parse(sessionStorage.getItem(Saved) || "null");
  if (saved) { startRenewing({ callId: saved.callId, poolId: saved.poolId, called: saved.called, renewEverySeconds: saved.every }); }
})();
