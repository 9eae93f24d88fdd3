import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The console is served by Usher at /ui/console; the build writes content-hashed files to
// console/dist, which Usher reads at start. No inline script (the CSP forbids it).
export default defineConfig({
  root: import.meta.dirname,
  base: "/ui/console/",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsDir: "assets",
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
  },
});
