// 待审: live updates (server-sent events), keyboard shortcuts, bulk actions with a count
// confirmation and an undo window.
(() => {
  const $ = (sel) => document.querySelector(sel);
  const csrf = () => (document.querySelector("input[name=csrf]") || {}).value || "";
  let cursor = -1;

  function rows() { return Array.from(document.querySelectorAll("#rows tr[data-id]")); }

  function say(text) {
    const live = $("#live");
    if (live) live.textContent = text;
  }

  function refresh() {
    const tbody = $("#rows");
    if (tbody && window.htmx) window.htmx.trigger(tbody, "queue-changed");
  }

  function listen() {
    if (!window.EventSource) return;
    const source = new EventSource("/queue/events");
    source.addEventListener("queue", (ev) => {
      const data = JSON.parse(ev.data);
      const parts = [];
      if (data.new) parts.push("有新的待审消息");
      if (data.changed) parts.push("有消息被其他审查员认领或处理");
      say(parts.join("；") + `（当前待处理 ${data.open} 条）`);
      const total = $("#total");
      if (total) total.textContent = `共 ${data.open} 条`;
      if ($("#hold") && data.changed) say("队列有变化：本条可能已被他人处理，操作前请刷新");
      refresh();
    });
  }

  function move(step) {
    const all = rows();
    if (!all.length) return;
    if (cursor >= 0 && all[cursor]) all[cursor].classList.remove("cursor");
    cursor = Math.max(0, Math.min(all.length - 1, cursor + step));
    all[cursor].classList.add("cursor");
    all[cursor].scrollIntoView({ block: "nearest" });
  }

  async function post(url, fields) {
    const body = new FormData();
    body.append("csrf", csrf());
    Object.entries(fields).forEach(([k, v]) => body.append(k, v));
    const resp = await fetch(url, { method: "POST", body, headers: { "HX-Request": "true" } });
    return resp;
  }

  function checkedItems() {
    return Array.from(document.querySelectorAll("#rows input[name=items]:checked"));
  }

  function updateCount() {
    const n = checkedItems().length;
    const count = $("#count");
    if (count) count.textContent = String(n);
  }

  function bulk() {
    const form = $("#bulk");
    if (!form) return;
    form.addEventListener("change", updateCount);
    const all = $("#all");
    if (all) {
      all.addEventListener("change", () => {
        document.querySelectorAll("#rows input[name=items]").forEach((b) => { b.checked = all.checked; });
        updateCount();
      });
    }
    let timer = null;
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const items = checkedItems();
      const action = form.querySelector("select[name=action]");
      const label = action.options[action.selectedIndex].text;
      if (!items.length) { say("请先勾选要处理的消息"); return; }
      if (!window.confirm(`将对 ${items.length} 条消息执行「${label}」，确定吗？`)) return;
      form.querySelector("input[name=expected]").value = String(items.length);
      const data = new FormData(form);
      const seconds = Number(form.dataset.undoSeconds || 5);
      const undo = $("#undo");
      $("#undo-text").textContent = `${seconds} 秒后对 ${items.length} 条执行「${label}」……`;
      undo.hidden = false;
      timer = window.setTimeout(async () => {
        undo.hidden = true;
        const resp = await fetch(form.getAttribute("action"), { method: "POST", body: data, headers: { "HX-Request": "true" } });
        $("#bulk-result").innerHTML = await resp.text();
        refresh();
        updateCount();
      }, seconds * 1000);
    });
    $("#undo-button").addEventListener("click", () => {
      window.clearTimeout(timer);
      $("#undo").hidden = true;
      say("已撤销，未执行任何操作");
    });
  }

  function keys() {
    document.addEventListener("keydown", async (ev) => {
      const tag = (ev.target.tagName || "").toLowerCase();
      if (["input", "textarea", "select"].includes(tag) || ev.ctrlKey || ev.metaKey || ev.altKey) return;
      const hold = $("#hold");
      const row = rows()[cursor];
      if (ev.key === "j") move(1);
      else if (ev.key === "k") move(-1);
      else if (ev.key === "x" && row) {
        const box = row.querySelector("input[name=items]");
        if (box) { box.checked = !box.checked; updateCount(); }
      } else if (ev.key === "Enter" && row) window.location.href = `/queue/${row.dataset.id}`;
      else if (ev.key === "/") { ev.preventDefault(); const f = document.querySelector(".filters input, .filters select"); if (f) f.focus(); }
      else if (ev.key === "c") {
        if (hold) { const b = $("#claim"); if (b) b.click(); }
        else if (row && row.dataset.state === "pending") {
          const resp = await post(`/queue/${row.dataset.id}/claim`, { version: row.dataset.version });
          say(resp.ok ? "已认领" : "认领失败：可能已被他人处理");
          refresh();
        }
      } else if (ev.key === "a" || ev.key === "r") {
        const which = ev.key === "a" ? "approve" : "reject";
        if (hold) { const s = document.querySelector(`#${which}-form select`); if (s) { ev.preventDefault(); s.focus(); } }
        else if (row) window.location.href = `/queue/${row.dataset.id}`;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => { listen(); bulk(); keys(); });
  document.addEventListener("htmx:afterSwap", () => { cursor = -1; updateCount(); });
})();
