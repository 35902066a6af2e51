/**
 * The Hardhat config of a test kit's working copy (kit/index.ts copies it there as `hardhat.config.ts`):
 * the devnet and the deploy only, from the compiled artifacts shipped in the package (`hardhat run
 * --no-compile`), so a project using the kit needs no Solidity compiler and no test toolbox.
 */
import hardhatEthers from "@nomicfoundation/hardhat-ethers";
import hardhatIgnitionEthers from "@nomicfoundation/hardhat-ignition-ethers";
import { defineConfig } from "hardhat/config";

export default defineConfig({
  plugins: [hardhatEthers, hardhatIgnitionEthers],
  networks: {
    localhost: {
      type: "http",
      chainType: "l1",
      url: process.env.CIVITAS_RPC_URL ?? "http://127.0.0.1:8545",
    },
  },
});
