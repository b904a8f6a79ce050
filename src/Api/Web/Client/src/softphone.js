// The agent's browser phone: JsSIP registered over WebSocket at the SIP edge (kamailio), media
// through rtpengine. The settings (WebSocket URL, SIP URI, digest realm and HA1) come from
// POST /api/v1/agents/me/softphone after the password login; the SIP password itself never
// exists in the browser. The page wires it up when it has a #phone section (agent.html).
import JsSIP from "jssip";

const Texts = {
  en: {
    phone: "Phone", offline: "Phone off", connecting: "Connecting…", registered: "Phone ready",
    failed: "Phone not registered", ringing: "Incoming call", connected: "On call", held: "On hold",
    answer: "Answer", hangUp: "Hang up", mute: "Mute", unmute: "Unmute", hold: "Hold", resume: "Resume",
    line: "Line",
  },
  zh: {
    phone: "电话", offline: "电话未连接", connecting: "连接中…", registered: "电话就绪",
    failed: "电话注册失败", ringing: "来电", connected: "通话中", held: "保持中",
    answer: "接听", hangUp: "挂断", mute: "静音", unmute: "取消静音", hold: "保持", resume: "恢复",
    line: "线路",
  },
};

/**
 * One registered SIP user agent and at most one call. Emits "status" (offline, connecting,
 * registered, failed, ringing, connected, held), "call" when a call arrives or ends, and
 * "audio" with the received audio's level and dominant frequency while a call is up.
 */
export class Softphone extends EventTarget {
  constructor(settings) {
    super();
    this.settings = settings;
    this.ua = null;
    this.session = null;
    this.status = "offline";
    this.caller = null;
    this.muted = false;
    this.held = false;
    this.remoteAudio = new Audio();
    this.remoteAudio.autoplay = true;
    this.audioContext = null;
    this.meter = null;
  }

  start() {
    const socket = new JsSIP.WebSocketInterface(this.settings.webSocketUrl);
    this.ua = new JsSIP.UA({
      sockets: [socket],
      uri: this.settings.uri,
      authorization_user: this.settings.authorizationUser,
      realm: this.settings.realm,
      ha1: this.settings.ha1,
      display_name: this.settings.displayName,
      register: true,
      session_timers: false,
      user_agent: "aicc-agent-console",
    });
    this.ua.on("connecting", () => this.setStatus("connecting"));
    this.ua.on("registered", () => { if (!this.session) { this.setStatus("registered"); } });
    this.ua.on("unregistered", () => { if (!this.session) { this.setStatus("offline"); } });
    this.ua.on("registrationFailed", () => this.setStatus("failed"));
    this.ua.on("disconnected", () => { if (!this.session) { this.setStatus("connecting"); } });
    this.ua.on("newRTCSession", (event) => this.onSession(event));
    this.ua.start();
  }

  stop() {
    this.hangUp();
    if (this.ua) { this.ua.stop(); }
  }

  onSession({ session, originator }) {
    if (originator !== "remote") { return; }
    if (this.session) {
      // One call at a time: the platform never offers a second one, so this is a stray INVITE.
      session.terminate({ status_code: 486, reason_phrase: "Busy Here" });
      return;
    }
    this.session = session;
    const identity = session.remote_identity;
    this.caller = identity.display_name || identity.uri.user;
    this.muted = false;
    this.held = false;
    session.on("peerconnection", ({ peerconnection }) => this.watchTracks(peerconnection));
    session.on("confirmed", () => { this.setStatus("connected"); this.playRemote(session.connection); });
    session.on("ended", () => this.finish());
    session.on("failed", () => this.finish());
    this.setStatus("ringing");
    this.dispatchEvent(new CustomEvent("call", { detail: { caller: this.caller } }));
  }

  answer() {
    if (!this.session || this.status !== "ringing") { return; }
    this.session.answer({
      mediaConstraints: { audio: true, video: false },
      // The edge's rtpengine is a host candidate on the agent's network: no STUN/TURN needed.
      pcConfig: { iceServers: [] },
    });
  }

  hangUp() {
    if (this.session && !this.session.isEnded()) { this.session.terminate(); }
  }

  toggleMute() {
    if (!this.session || this.status === "ringing") { return; }
    this.muted = !this.muted;
    this.applyAudio();
    this.emitStatus();
  }

  /**
   * Hold at the agent's end: neither side hears the other, without signalling. A SIP re-INVITE
   * hold would reach the platform's call leg, which owns what the customer hears meanwhile
   * (music, a robot); that is the platform's hold command, not the phone's.
   */
  toggleHold() {
    if (!this.session || this.status === "ringing") { return; }
    this.held = !this.held;
    this.applyAudio();
    this.setStatus(this.held ? "held" : "connected");
  }

  applyAudio() {
    const connection = this.session && this.session.connection;
    if (connection) {
      for (const sender of connection.getSenders()) {
        if (sender.track) { sender.track.enabled = !(this.muted || this.held); }
      }
    }
    this.remoteAudio.muted = this.held;
  }

  /** Keypad digits go as SIP INFO, which the platform's IVR and transfers read. */
  sendDtmf(digit) {
    if (this.session && this.status === "connected" && /^[0-9*#A-D]$/.test(digit)) { this.session.sendDTMF(digit); }
  }

  watchTracks(connection) {
    connection.addEventListener("track", () => this.playRemote(connection));
  }

  playRemote(connection) {
    if (!connection) { return; }
    const tracks = connection.getReceivers().map((receiver) => receiver.track).filter((track) => track && track.kind === "audio");
    if (tracks.length === 0 || this.meter) { return; }
    const stream = new MediaStream(tracks);
    // Chrome only delivers a remote WebRTC stream to Web Audio while a media element plays it too.
    this.remoteAudio.srcObject = stream;
    this.remoteAudio.play().catch(() => {});
    this.audioContext = this.audioContext || new AudioContext();
    this.audioContext.resume().catch(() => {});
    const analyser = this.audioContext.createAnalyser();
    analyser.fftSize = 8192;
    const source = this.audioContext.createMediaStreamSource(stream);
    source.connect(analyser);
    const spectrum = new Float32Array(analyser.frequencyBinCount);
    const wave = new Float32Array(analyser.fftSize);
    const timer = setInterval(() => {
      analyser.getFloatFrequencyData(spectrum);
      analyser.getFloatTimeDomainData(wave);
      let peak = 1;
      for (let i = 2; i < spectrum.length; i++) { if (spectrum[i] > spectrum[peak]) { peak = i; } }
      let energy = 0;
      for (const sample of wave) { energy += sample * sample; }
      const rms = Math.sqrt(energy / wave.length);
      const detail = {
        peakHz: Math.round((peak * this.audioContext.sampleRate) / analyser.fftSize),
        levelDb: rms > 0 ? Math.round(20 * Math.log10(rms)) : -100,
      };
      this.dispatchEvent(new CustomEvent("audio", { detail }));
    }, 250);
    this.meter = { source, analyser, timer };
  }

  finish() {
    if (this.meter) {
      clearInterval(this.meter.timer);
      this.meter.source.disconnect();
      this.meter = null;
    }
    this.remoteAudio.srcObject = null;
    this.remoteAudio.muted = false;
    this.session = null;
    this.caller = null;
    this.muted = false;
    this.held = false;
    this.dispatchEvent(new CustomEvent("call", { detail: null }));
    this.setStatus(this.ua && this.ua.isRegistered() ? "registered" : "offline");
  }

  setStatus(status) {
    this.status = status;
    this.emitStatus();
  }

  emitStatus() {
    this.dispatchEvent(new CustomEvent("status", { detail: { status: this.status, muted: this.muted, held: this.held } }));
  }
}

/** Binds a Softphone to the agent page's #phone section; returns null when the page has none. */
export function attachToPage(doc = document) {
  const section = doc.getElementById("phone");
  if (!section) { return null; }
  const $ = (id) => doc.getElementById(id);
  // I18n and Session are the console's classic-script globals (i18n.js); top-level consts are
  // not properties of globalThis, but a module still sees them by name.
  const language = () => (typeof I18n !== "undefined" && I18n.lang) || "en";
  const text = (key) => (Texts[language()] || Texts.en)[key];
  let phone = null;

  function render() {
    const status = phone ? phone.status : "offline";
    section.classList.toggle("hidden", phone === null);
    $("phone-status").dataset.status = status;
    $("phone-status").textContent = text(status);
    const inCall = phone !== null && phone.session !== null;
    $("phone-call").classList.toggle("hidden", !inCall);
    $("phone-caller").textContent = inCall ? phone.caller : "";
    $("phone-answer").classList.toggle("hidden", status !== "ringing");
    $("phone-answer").textContent = text("answer");
    $("phone-hangup").textContent = text("hangUp");
    $("phone-mute").textContent = text(phone && phone.muted ? "unmute" : "mute");
    $("phone-mute").setAttribute("aria-pressed", String(Boolean(phone && phone.muted)));
    $("phone-hold").textContent = text(phone && phone.held ? "resume" : "hold");
    $("phone-hold").setAttribute("aria-pressed", String(Boolean(phone && phone.held)));
    for (const id of ["phone-mute", "phone-hold", "phone-keypad"]) { $(id).classList.toggle("hidden", status === "ringing"); }
    $("phone-audio-label").textContent = text("line");
  }

  function showAudio({ peakHz, levelDb }) {
    const meter = $("phone-audio");
    meter.dataset.peakHz = String(peakHz);
    meter.dataset.levelDb = String(levelDb);
    meter.textContent = levelDb > -60 ? `${levelDb} dB · ${peakHz} Hz` : "—";
  }

  let starting = null;
  const start = () => { starting = starting || begin(); return starting; };

  async function begin() {
    const response = await fetch("/api/v1/agents/me/softphone", { method: "POST", credentials: "same-origin" });
    if (response.status === 204) { return; } // this host has no SIP edge: no phone section at all
    if (!response.ok) {
      // No seat or no edge: the console works without a phone; say so next to where it would be.
      section.classList.remove("hidden");
      $("phone-status").dataset.status = "unavailable";
      $("phone-status").textContent = text("failed");
      return;
    }
    phone = new Softphone(await response.json());
    phone.addEventListener("status", render);
    phone.addEventListener("call", render);
    phone.addEventListener("audio", (event) => showAudio(event.detail));
    phone.start();
    render();
  }

  const keypad = $("phone-keypad");
  for (const digit of "123456789*0#") {
    const key = doc.createElement("button");
    key.type = "button";
    key.textContent = digit;
    key.dataset.digit = digit;
    key.addEventListener("click", () => phone && phone.sendDtmf(digit));
    keypad.append(key);
  }
  $("phone-answer").addEventListener("click", () => phone && phone.answer());
  $("phone-hangup").addEventListener("click", () => phone && phone.hangUp());
  $("phone-mute").addEventListener("click", () => phone && phone.toggleMute());
  $("phone-hold").addEventListener("click", () => phone && phone.toggleHold());
  doc.addEventListener("aicc:language", render);
  doc.addEventListener("aicc:signed-in", start);
  globalThis.addEventListener("beforeunload", () => phone && phone.stop());
  // Already signed in (session cookie) before this module ran: agent.js fired its event too early.
  if (typeof Session !== "undefined") { Session.me().then((me) => { if (me) { start(); } }); }
  return { get phone() { return phone; } };
}

// The console's other scripts (the manual call's auto-answer) find the phone here.
globalThis.aiccSoftphone = attachToPage();
