// Bundles each entry point in src/ into ../Assets/dist/<name>.js for the host to embed.
// One small script instead of a bundler config: the entries are the files in src/ whose
// names do not start with an underscore (shared modules do).
import { build } from "esbuild";
import { readdirSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "Assets", "dist");
const entries = readdirSync(join(here, "src"))
  .filter((f) => f.endsWith(".js") && !f.startsWith("_"))
  .map((f) => join(here, "src", f));

// Start empty so a removed entry leaves no stale bundle behind.
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: entries,
  bundle: true,
  format: "esm",
  target: "es2022",
  minify: true,
  sourcemap: false,
  outdir: out,
  logLevel: "warning",
  loader: { ".css": "css" },
});
writeFileSync(join(out, ".built"), new Date().toISOString());
