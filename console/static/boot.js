// Starts the console's wasm (a file, not an inline script, so the Content-Security-Policy allows no inline code).
import init from "/console.js";
init({ module_or_path: "/console_bg.wasm" });
