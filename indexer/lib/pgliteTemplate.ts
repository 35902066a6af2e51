/**
 * A pristine, empty PGlite database kept as a template, so that a wiped embedded database is a copy of it
 * (about a second) instead of a fresh PGlite `initdb` inside Ponder (the slowest step of a re-index on the
 * devnet: 30–45 s on a loaded 2-core machine, against about 14 s to open a copy).
 *
 * The template lives in `indexer/.ponder/pglite-template-<PGlite version>` and is made once, in a child
 * process at low priority (`node indexer/lib/pgliteTemplate.ts <dir>`), built in a temporary folder and
 * renamed into place, so that concurrent indexers never see half of one.
 */
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, "..", "..");
const PGLITE = join(REPO, "node_modules", "@electric-sql", "pglite");

/** The template's folder for the installed PGlite version. */
export function pgliteTemplateDir(): string {
  const { version } = JSON.parse(readFileSync(join(PGLITE, "package.json"), "utf8")) as { version: string };
  return join(REPO, "indexer", ".ponder", `pglite-template-${version}`);
}

/**
 * Fills `directory` (which must not exist) with a copy of the template.
 * @returns Whether a template existed and was copied (otherwise Ponder initialises the folder itself).
 */
export function copyPgliteTemplate(directory: string): boolean {
  const template = pgliteTemplateDir();
  if (!existsSync(join(template, "PG_VERSION"))) return false;
  mkdirSync(dirname(directory), { recursive: true });
  cpSync(template, directory, { recursive: true });
  return true;
}

/**
 * Makes the template in the background when it does not exist yet (a child process at low priority).
 * @returns The child's completion (resolves whatever happens; the template is only an optimisation).
 */
export function ensurePgliteTemplate(): Promise<void> {
  const template = pgliteTemplateDir();
  if (existsSync(join(template, "PG_VERSION"))) return Promise.resolve();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), template], {
      stdio: "ignore",
    });
    child.on("error", () => resolve());
    child.on("exit", () => resolve());
  });
}

/** Child process: initialises an empty PGlite database at a temporary path and renames it to argv[2]. */
async function makeTemplate(target: string): Promise<void> {
  const { setPriority } = await import("node:os");
  try {
    setPriority(19);
  } catch {
    // not allowed: run at normal priority
  }
  const temporary = `${target}.tmp-${process.pid}`;
  rmSync(temporary, { recursive: true, force: true });
  mkdirSync(temporary, { recursive: true });
  const { PGlite } = (await import(pathToFileURL(join(PGLITE, "dist", "index.js")).href)) as {
    PGlite: new (dir: string) => { waitReady: Promise<void>; close(): Promise<void> };
  };
  const db = new PGlite(temporary);
  await db.waitReady;
  await db.close();
  if (existsSync(join(target, "PG_VERSION"))) rmSync(temporary, { recursive: true, force: true });
  else {
    rmSync(target, { recursive: true, force: true });
    renameSync(temporary, target);
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1] && process.argv[2]) {
  await makeTemplate(process.argv[2]);
}
