// Shared console behaviour (no inline scripts: the page's CSP forbids them).
document.addEventListener("DOMContentLoaded", () => {
  // confirm buttons that ask for it
  document.querySelectorAll("[data-confirm]").forEach((el) => {
    el.addEventListener("click", (ev) => { if (!window.confirm(el.dataset.confirm)) ev.preventDefault(); });
  });
});
