/**
 * Runs the `civitas` CLI as a child process against one devnet shared by every test/cli file (started on
 * first use, stopped when the test process exits), with the protocol deployed into a throwaway folder.
 */
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bytesToHex, type Hex } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { DEVNET_MNEMONIC } from "../../scripts/lib/clients.ts";
import { REPO_ROOT } from "../../scripts/lib/deployment.ts";
import { type Devnet, deployProtocol, QUIET_ENV, startDevnet } from "../../scripts/lib/devnet.ts";

/** The devnet and the folder of its deployment file. */
export interface CliDevnet {
  devnet: Devnet;
  deploymentsDir: string;
}

let shared: Promise<CliDevnet> | undefined;

// A root hook (this module is loaded once): stop the shared devnet after the last test file.
after(async function () {
  if (shared !== undefined) await (await shared).devnet.stop();
});

/** The shared devnet with Civitas deployed (started on first call). */
export function cliDevnet(): Promise<CliDevnet> {
  shared ??= (async () => {
    const devnet = await startDevnet();
    const deploymentsDir = mkdtempSync(join(tmpdir(), "civitas-cli-"));
    await deployProtocol(devnet.rpcUrl, { deploymentsDir });
    return { devnet, deploymentsDir };
  })();
  return shared;
}

/** The private key of devnet account `index` (Hardhat's mnemonic; account 0 is the deployer). */
export function devnetKey(index: number): Hex {
  return bytesToHex(mnemonicToAccount(DEVNET_MNEMONIC, { addressIndex: index }).getHdKey().privateKey!);
}

/** The address of devnet account `index`. */
export function devnetAddress(index: number): Hex {
  return mnemonicToAccount(DEVNET_MNEMONIC, { addressIndex: index }).address;
}

/** What a CLI run printed and its exit code. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** An empty CIVITAS_HOME: no economy published, whatever `npm start` may be running on this machine. */
const EMPTY_HOME = mkdtempSync(join(tmpdir(), "civitas-cli-home-"));

/**
 * Runs `civitas <args>` (scripts/cli/index.ts on Node) against the shared devnet.
 * @param key Signing key (CIVITAS_PRIVATE_KEY), or none.
 * @param env Extra environment (CIVITAS_HOME defaults to an empty folder).
 * @param options.bare Do not pass `--rpc` and `--deployments` (to test their defaults).
 */
export async function civitas(
  args: string[],
  key?: Hex,
  env: Record<string, string> = {},
  options: { bare?: boolean } = {},
): Promise<CliResult> {
  const { devnet, deploymentsDir } = await cliDevnet();
  const endpoint = options.bare ? [] : ["--rpc", devnet.rpcUrl, "--deployments", deploymentsDir];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(REPO_ROOT, "scripts", "cli", "index.ts"), ...endpoint, ...args],
      {
        cwd: REPO_ROOT,
        env: {
          // The endpoints come from the flags and `env` only, never from this shell.
          ...Object.fromEntries(
            Object.entries(process.env).filter(
              ([name]) =>
                !["CIVITAS_RPC_URL", "CIVITAS_GRAPHQL_URL", "CIVITAS_DEPLOYMENTS_DIR"].includes(name),
            ),
          ),
          ...QUIET_ENV,
          CIVITAS_HOME: EMPTY_HOME,
          CIVITAS_PRIVATE_KEY: key ?? "",
          ...env,
        },
        timeout: 120_000,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Runs the CLI and fails with its output unless it exits 0. */
export async function civitasOk(args: string[], key?: Hex): Promise<string> {
  const result = await civitas(args, key);
  if (result.code !== 0)
    throw new Error(`civitas ${args.join(" ")} exited ${result.code}:\n${result.stderr}${result.stdout}`);
  return result.stdout;
}
