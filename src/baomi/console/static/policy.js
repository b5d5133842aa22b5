// Read a chosen YAML file into the editor (the upload is the editor's text).
document.addEventListener("DOMContentLoaded", () => {
  const file = document.getElementById("yaml-file");
  const text = document.getElementById("yaml-text");
  if (!file || !text) return;
  file.addEventListener("change", async () => {
    if (file.files.length) text.value = await file.files[0].text();
  });
  const bad = document.querySelector(".yaml-lines li.bad");
  if (bad) bad.scrollIntoView({ block: "center" });
});
