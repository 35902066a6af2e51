/**
 * Serves the web dashboard (built by `npm run build` into generated/dashboard/) under /dashboard/, in the
 * indexer's own process, beside GraphQL. Only files that exist in that folder, by plain name, are served
 * (no path can leave it); a strict Content-Security-Policy lets the page load nothing but this origin.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Context, Hono } from "hono";

/** Where `npm run build` writes the dashboard (scripts/build-dashboard.ts). */
export const DASHBOARD_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "..",
  "generated",
  "dashboard",
);

const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  png: "image/png",
  svg: "image/svg+xml",
};

const HEADERS = {
  "cache-control": "no-cache",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
};

function serve(c: Context, dir: string, name: string) {
  const files = existsSync(dir) ? readdirSync(dir) : [];
  if (files.length === 0)
    return c.text("The dashboard is not built: run `npm run build`, then restart the indexer.\n", 503);
  const type = TYPES[name.split(".").pop() ?? ""];
  if (!/^[\w-]+\.[a-z]+$/.test(name) || !files.includes(name) || type === undefined)
    return c.text("Not found\n", 404);
  return c.body(readFileSync(join(dir, name)), 200, { ...HEADERS, "content-type": type });
}

/**
 * Adds the dashboard's routes: /dashboard (redirect), /dashboard/ (the page), /dashboard/<file>.
 * @param dir The built files (default {@link DASHBOARD_DIR}).
 */
export function serveDashboard(app: Hono, dir = DASHBOARD_DIR): void {
  app.get("/dashboard", (c) => c.redirect("/dashboard/", 301));
  app.get("/dashboard/", (c) => serve(c, dir, "index.html"));
  app.get("/dashboard/:file", (c) => serve(c, dir, c.req.param("file")));
}
