// Starts the console's wasm (a file, not an inline script, so the Content-Security-Policy allows no inline code).
// The saved theme is applied first, so a dark page does not flash white while the wasm loads.
try {
  const theme = localStorage.getItem("pstral.theme");
  if (theme === "dark" || theme === "light") document.documentElement.dataset.theme = theme;
} catch (_) { /* storage disabled: follow the system */ }
import("/console.js")
  .then(({ default: init }) => init({ module_or_path: "/console_bg.wasm" }))
  // The app renders next to the loading message: remove it once the wasm runs.
  .then(() => document.querySelector("#main > .boot")?.remove());
