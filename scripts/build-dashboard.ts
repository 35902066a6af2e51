/**
 * Builds the web dashboard (dashboard/) into static files at generated/dashboard/: index.html, app.js (the
 * TypeScript pages and uPlot bundled by esbuild) and app.css (uPlot's stylesheet and ours). Run by
 * `npm run build`; the indexer serves the folder at /dashboard/ (indexer/src/api/dashboard.ts). Nothing is
 * fetched at run time: every byte the page needs is in these three files.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { build } from "esbuild";
import { REPO_ROOT } from "./lib/deployment.ts";

/** Source folder and output folder of the dashboard. */
export const DASHBOARD_SOURCE = join(REPO_ROOT, "dashboard");
export const DASHBOARD_OUT = join(REPO_ROOT, "generated", "dashboard");

const require = createRequire(import.meta.url);

/** Bundles the dashboard; returns the output files and their sizes in bytes. */
export async function buildDashboard(): Promise<Record<string, number>> {
  rmSync(DASHBOARD_OUT, { recursive: true, force: true });
  mkdirSync(DASHBOARD_OUT, { recursive: true });
  await build({
    entryPoints: [join(DASHBOARD_SOURCE, "src", "main.ts")],
    outfile: join(DASHBOARD_OUT, "app.js"),
    bundle: true,
    minify: true,
    format: "esm",
    target: "es2022",
    platform: "browser",
    legalComments: "inline",
    logLevel: "warning",
  });
  const css = [
    readFileSync(require.resolve("uplot/dist/uPlot.min.css"), "utf8"),
    readFileSync(join(DASHBOARD_SOURCE, "style.css"), "utf8"),
  ];
  writeFileSync(join(DASHBOARD_OUT, "app.css"), css.join("\n"));
  writeFileSync(join(DASHBOARD_OUT, "index.html"), readFileSync(join(DASHBOARD_SOURCE, "index.html")));
  const sizes: Record<string, number> = {};
  for (const name of ["index.html", "app.js", "app.css"])
    sizes[name] = readFileSync(join(DASHBOARD_OUT, name)).length;
  return sizes;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = await buildDashboard();
  console.log(
    `generated/dashboard: ${Object.entries(sizes)
      .map(([name, size]) => `${name} ${(size / 1024).toFixed(1)} KB`)
      .join(", ")}`,
  );
}
