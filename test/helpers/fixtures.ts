/**
 * Shared fixtures: deploy the Civitas foundation (Treasury + CivitasToken) on a fresh Hardhat network
 * connection, with the first signer as admin of both and a few ordinary agents funded from the Treasury.
 */
import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { DEFAULTS } from "../../scripts/lib/vocabulary.ts";

/** One CIV in wei (18 decimals). */
export const CIV = 10n ** 18n;

/**
 * Deploys Treasury(admin) and CivitasToken(admin, treasury, default tax, default cap) and gives `agents` 10,000 CIV each from the
 * Treasury (an untaxed grant).
 * @param ethers The ethers helper of a `network.connect()` connection.
 * @returns `{ token, treasury, admin, agents, outsider }`: `agents` are four ordinary accounts,
 * `outsider` holds no role and no tokens.
 */
export async function deployFoundation(ethers: HardhatEthers) {
  const [admin, alice, bob, carol, dave, outsider] = await ethers.getSigners();
  const treasury = await ethers.deployContract("Treasury", [admin.address]);
  const token = await ethers.deployContract("CivitasToken", [
    admin.address,
    await treasury.getAddress(),
    DEFAULTS.Foundation.taxBps,
    DEFAULTS.Foundation.capBps,
  ]);
  const agents: HardhatEthersSigner[] = [alice, bob, carol, dave];
  for (const agent of agents) {
    await treasury.transfer(await token.getAddress(), agent.address, 10_000n * CIV);
  }
  return { token, treasury, admin, agents, outsider };
}

/** Tax on `gross` at `taxBps`, rounded down as the token does (one definition: scripts/lib/vocabulary.ts). */
export { taxOf } from "../../scripts/lib/vocabulary.ts";
