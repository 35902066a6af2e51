import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { defineConfig } from "hardhat/config";

const require = createRequire(import.meta.url);

/**
 * Tests and scripts import `generated/abis.ts` and `generated/vocabulary.ts`, which `npm run build` writes
 * from the compiled artifacts (they are not committed). A plain `npx hardhat test` on a fresh clone would
 * otherwise fail deep inside a test file with "Cannot find module": say what to run instead.
 */
if (process.argv.slice(2).includes("test") && !existsSync(new URL("./generated/abis.ts", import.meta.url))) {
  throw new Error(
    "generated/abis.ts is missing: run `npm run build` once (it compiles the contracts and generates the " +
      "ABIs and vocabulary the tests import), then `npx hardhat test` again; `npm test` does both.",
  );
}

/**
 * The solc compiler comes from the npm `solc` package (WASM), so nothing is downloaded at build time.
 * Its version is the installed package's version, read here so the two can never drift apart.
 */
const solc = {
  version: (require("solc/package.json") as { version: string }).version,
  path: require.resolve("solc/soljson.js"),
};

const compilerSettings = {
  evmVersion: "osaka",
  optimizer: { enabled: true, runs: 10_000 },
};

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers],
  solidity: {
    profiles: {
      default: { ...solc, settings: compilerSettings },
      production: { ...solc, settings: compilerSettings },
    },
  },
  test: {
    solidity: {
      // Fixed seed: a failing run reproduces exactly. Sizes keep `npm test` within a minute on 2 cores.
      fuzz: { runs: 256, seed: "0x1c1717a5" },
      // The invariant runner takes no seed: a failing sequence is persisted here and replayed first.
      invariant: { runs: 64, depth: 40, failOnRevert: true, failurePersistDir: "cache/invariant-failures" },
    },
  },
  networks: {
    localhost: {
      type: "http",
      chainType: "l1",
      url: process.env.CIVITAS_RPC_URL ?? "http://127.0.0.1:8545",
    },
  },
});
