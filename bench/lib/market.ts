/**
 * The resource market as the market benchmarks deploy it: a fresh in-process EDR network with a Treasury,
 * the token (Foundation tax and cap), a mock agent registry, the ResourceLedger and the ResourceMarket
 * (1-day epochs, reserve tick and fee settings of the benches), the market marked a protocol account and
 * allowed to mint credits. Resources are registered by each bench (`gpuSecond` is resource 1 in both).
 */
import { network } from "hardhat";
import { DEFAULTS } from "../../scripts/lib/vocabulary.ts";
import { CIV } from "./deployment.ts";

/** The market's epoch in the benches, in seconds. */
export const DAY = 86_400;
/** One price tick, in wei: 0.001 CIV. */
export const TICK = CIV / 1_000n;
/** The compute resource the benches register first (resource 1): non-divisible, transferable, no allowance. */
export const gpuSecond = {
  unit: "gpu-second",
  decimals: 0,
  transferable: true,
  allowancePerDay: 0n,
  allowanceMax: 0n,
  quota: 0n,
  quotaWindow: 3_600,
} as const;

/**
 * Deploys and wires the market on a new in-process network.
 * @returns The connection (`ethers`, `networkHelpers`, …), the admin signer, the contracts, and
 *   `fund(accounts)`, which sends each account 10,000 CIV from the Treasury and approves the market for all
 *   of it. Throws if a deployment or a setup transaction fails.
 */
export async function deployMarket() {
  const connection = await network.create();
  const { ethers } = connection;
  const [admin] = await ethers.getSigners();
  const treasury = await ethers.deployContract("Treasury", [admin.address]);
  const token = await ethers.deployContract("CivitasToken", [
    admin.address,
    await treasury.getAddress(),
    DEFAULTS.Foundation.taxBps,
    DEFAULTS.Foundation.capBps,
  ]);
  const registry = await ethers.deployContract("MockAgentRegistry");
  const ledger = await ethers.deployContract("ResourceLedger", [admin.address, registry, ""]);
  const market = await ethers.deployContract("ResourceMarket", [
    admin.address,
    token,
    ledger,
    registry,
    DAY,
    100n,
    5_000n,
    1_250n,
  ]);
  await token.setProtocolAccount(market, true);
  await ledger.grantRole(await ledger.MINTER_ROLE(), market);

  /** Sends each account 10,000 CIV from the Treasury and approves the market for all of it. */
  async function fund(accounts: readonly { address: string }[]): Promise<void> {
    for (const account of accounts) {
      await treasury.transfer(token, account.address, 10_000n * CIV);
      await token.connect(await ethers.getSigner(account.address)).approve(market, ethers.MaxUint256);
    }
  }

  return { ...connection, admin, treasury, token, registry, ledger, market, fund };
}
