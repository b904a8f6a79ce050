// UI text in English and Chinese; the chosen language is remembered per browser.
"use strict";
const AICC_TEXT = {
  en: {
    agentTitle: "Agent console", wallboardTitle: "Wallboard", tenant: "Tenant ID", login: "Login", password: "Password",
    signIn: "Sign in", signOut: "Sign out", loginFailed: "Login failed: unknown tenant, login or password.",
    yourState: "Your state", since: "since", ready: "Ready", notReady: "Not ready", reason: "Reason",
    reason_break: "Break", reason_lunch: "Lunch", reason_training: "Training", reason_meeting: "Meeting", reason_supervisor: "set by supervisor", forceNotReady: "Force not ready",
    listenIn: "Listen", stopListening: "Stop listening", monitorRinging: "Your phone is ringing: answer it to listen in silently.",
    noSeat: "You have no agent seat in this tenant; ask a supervisor to create one.",
    dialNumber: "Number to call", dialCall: "Call", dialCalling: "Calling", dialOnCall: "On a call with", dialRefused: "This number may not be called",
    requestFailed: "The request failed", language: "中文",
    state_offline: "Offline", state_ready: "Ready", state_not_ready: "Not ready", state_ringing: "Ringing",
    state_on_call: "On call", state_after_call_work: "After-call work",
    placed: "Calls placed", answered: "Answered", abandoned: "Abandoned", answerRate: "Answer rate",
    abandonRate: "Abandon rate", aht: "Avg handle time (s)", occupancy: "Occupancy", lastHour: "Last 60 minutes",
    agents: "Agents", agent: "Agent", state: "State", timeInState: "Time in state", skillGroups: "Skill groups",
    live: "live", reconnecting: "reconnecting…", noAgents: "No agents yet.",
    waiting: "Waiting", inProgress: "In progress", longestWait: "Longest wait", answeredPerMinute: "answered / min",
    abandonedPerMinute: "abandoned / min", tasks: "Tasks", noTasks: "No running task and no task calls in the last hour.",
    noGroups: "No skill groups yet.", skillGroup: "Skill group", abandonRateCap: "Abandon rate (cap {cap})",
    task: "Task", callState: "Call", transcript: "Robot transcript", answer: "Answer", hangUp: "Hang up", hold: "Hold",
    resume: "Resume", transfer: "Transfer", wrapUpEndsIn: "Wrap-up ends in", readyNow: "Ready now", disposition: "Disposition",
    note: "Note", saveDisposition: "Save disposition", recentCalls: "My recent calls", when: "When", customer: "Customer",
    outcome: "Outcome", duration: "Duration", recording: "Recording", noRecentCalls: "No calls yet.", withheld: "Number withheld",
    direction_inbound: "Inbound call", direction_outbound: "Outbound call", call_offered: "Ringing you", call_with_agent: "Connected",
    call_queued: "In queue", call_with_robot: "With the robot", call_ended: "Ended", call_answered: "Answered", call_created: "Connecting",
    onHold: "on hold", handOver: "Handed over", speaker_robot: "Robot", speaker_caller: "Caller", kind_barge_in: "(interrupted)",
    choose: "Choose…", saved: "Saved", answerOnPhone: "No browser phone here: answer on your phone.",
    chooseDisposition: "Choose a disposition first.", listen: "Listen", outcome_answered: "Answered", outcome_abandoned: "Abandoned",
    outcome_busy: "Busy", outcome_no_answer: "No answer", outcome_failed: "Failed", outcome_cancelled: "Cancelled",
    shortcuts: "Shortcuts: Alt+A answer, Alt+H hang up",
  },
  zh: {
    agentTitle: "坐席工作台", wallboardTitle: "监控大屏", tenant: "租户 ID", login: "账号", password: "密码",
    signIn: "登录", signOut: "退出", loginFailed: "登录失败：租户、账号或密码错误。",
    yourState: "当前状态", since: "开始于", ready: "就绪", notReady: "未就绪", reason: "原因",
    reason_break: "小休", reason_lunch: "午餐", reason_training: "培训", reason_meeting: "会议", reason_supervisor: "班长设置", forceNotReady: "强制未就绪",
    listenIn: "监听", stopListening: "停止监听", monitorRinging: "您的电话正在振铃，接听后即可静默监听。",
    noSeat: "您在此租户下没有坐席，请联系班长创建。",
    dialNumber: "拨打号码", dialCall: "呼叫", dialCalling: "正在呼叫", dialOnCall: "通话中：", dialRefused: "该号码不允许拨打",
    requestFailed: "请求失败", language: "English",
    state_offline: "离线", state_ready: "就绪", state_not_ready: "未就绪", state_ringing: "振铃中",
    state_on_call: "通话中", state_after_call_work: "话后处理",
    placed: "外呼数", answered: "接通数", abandoned: "放弃数", answerRate: "接通率",
    abandonRate: "放弃率", aht: "平均处理时长（秒）", occupancy: "占用率", lastHour: "最近 60 分钟",
    agents: "坐席", agent: "坐席", state: "状态", timeInState: "状态时长", skillGroups: "技能组",
    live: "实时", reconnecting: "重新连接中…", noAgents: "暂无坐席。",
    waiting: "排队中", inProgress: "通话中", longestWait: "最长等待", answeredPerMinute: "每分钟接通",
    abandonedPerMinute: "每分钟放弃", tasks: "任务", noTasks: "最近一小时没有运行中的任务或任务呼叫。",
    noGroups: "暂无技能组。", skillGroup: "技能组", abandonRateCap: "放弃率（上限 {cap}）",
    task: "任务", callState: "通话", transcript: "机器人对话记录", answer: "接听", hangUp: "挂断", hold: "保持",
    resume: "恢复", transfer: "转接", wrapUpEndsIn: "话后处理剩余", readyNow: "立即就绪", disposition: "通话小结",
    note: "备注", saveDisposition: "保存小结", recentCalls: "我的最近通话", when: "时间", customer: "客户",
    outcome: "结果", duration: "时长", recording: "录音", noRecentCalls: "暂无通话。", withheld: "号码未显示",
    direction_inbound: "呼入", direction_outbound: "外呼", call_offered: "正在呼叫您", call_with_agent: "已接通",
    call_queued: "排队中", call_with_robot: "机器人通话中", call_ended: "已结束", call_answered: "已应答", call_created: "连接中",
    onHold: "保持中", handOver: "转人工原因", speaker_robot: "机器人", speaker_caller: "客户", kind_barge_in: "（被打断）",
    choose: "请选择…", saved: "已保存", answerOnPhone: "此页面没有浏览器电话：请在话机上接听。",
    chooseDisposition: "请先选择通话小结。", listen: "收听", outcome_answered: "已接通", outcome_abandoned: "放弃",
    outcome_busy: "忙", outcome_no_answer: "无人接听", outcome_failed: "失败", outcome_cancelled: "已取消",
    shortcuts: "快捷键：Alt+A 接听，Alt+H 挂断",
  },
};

const I18n = {
  lang: localStorage.getItem("aicc.lang") || (navigator.language.startsWith("zh") ? "zh" : "en"),
  t(key) { return (AICC_TEXT[this.lang] && AICC_TEXT[this.lang][key]) || AICC_TEXT.en[key] || key; },
  // Reasons are stored as typed; the console's own reason codes read in the chosen language.
  reason(code) { return AICC_TEXT.en[`reason_${code}`] ? this.t(`reason_${code}`) : code; },
  apply() {
    document.documentElement.lang = this.lang === "zh" ? "zh-CN" : "en";
    for (const el of document.querySelectorAll("[data-i18n]")) { el.textContent = this.t(el.dataset.i18n); }
    for (const el of document.querySelectorAll("[data-i18n-title]")) { document.title = this.t(el.dataset.i18nTitle); }
    document.dispatchEvent(new Event("aicc:language"));
  },
  toggle() { this.lang = this.lang === "zh" ? "en" : "zh"; localStorage.setItem("aicc.lang", this.lang); this.apply(); },
};

// Sign-in shared by both pages: the session lives in the HttpOnly cookie the login sets, so
// every tab of the browser shares it; we only remember that we signed in, to avoid a 401 probe.
const Session = {
  remembered() { try { return JSON.parse(localStorage.getItem("aicc.session") || "null"); } catch { return null; } },
  async me() {
    if (!this.remembered()) { return null; }
    const response = await fetch("/api/v1/me", { credentials: "same-origin" });
    if (!response.ok) { localStorage.removeItem("aicc.session"); return null; }
    return response.json();
  },
  async login(tenant, login, password) {
    const response = await fetch("/api/v1/auth/login", {
      method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ tenant, login, password }),
    });
    if (!response.ok) { return false; }
    localStorage.setItem("aicc.session", JSON.stringify({ tenant, login }));
    return true;
  },
  async logout() {
    await fetch("/api/v1/auth/logout", { method: "POST", credentials: "same-origin" });
    localStorage.removeItem("aicc.session");
  },
};

function wireLogin(onSignedIn) {
  const form = document.getElementById("login");
  const last = Session.remembered();
  if (last) { form.tenant.value = last.tenant; form.login.value = last.login; }
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const error = document.getElementById("login-error");
    error.textContent = "";
    if (await Session.login(form.tenant.value.trim(), form.login.value.trim(), form.password.value)) {
      form.password.value = "";
      onSignedIn(await Session.me());
    } else {
      error.textContent = I18n.t("loginFailed");
    }
  });
  document.getElementById("language").addEventListener("click", () => I18n.toggle());
  document.getElementById("logout").addEventListener("click", async () => { await Session.logout(); location.reload(); });
}

function formatDuration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const pad = (n) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${pad(m)}:${pad(r)}` : `${pad(m)}:${pad(r)}`;
}
