/**
 * Escrow unit-test deployment: an `Escrow` (bond 1,000 bps, protocol fee 100 bps) over a given token and a
 * `MockAgentRegistry` in which the given parties are in good standing. Shared by the escrow tests and the
 * escrow gas bench.
 */
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";

/**
 * Deploys the mock registry and the escrow, and puts `parties` in good standing.
 * @param ethers The ethers helper of a network connection.
 * @param admin The escrow's admin (holds DEFAULT_ADMIN_ROLE and PARAMETER_ROLE).
 * @param token The CIV token (or a test double) the escrow holds.
 * @param parties Addresses the mock registry reports in good standing.
 * @returns `{ registry, escrow, escrowAddr }`.
 */
export async function deployEscrowOnMockRegistry(
  ethers: HardhatEthers,
  admin: string,
  token: string,
  parties: string[],
) {
  const registry = await ethers.deployContract("MockAgentRegistry");
  const escrow = await ethers.deployContract("Escrow", [
    admin,
    token,
    await registry.getAddress(),
    1_000n,
    100n,
  ]);
  for (const party of parties) await registry.setGoodStanding(party, true);
  return { registry, escrow, escrowAddr: await escrow.getAddress() };
}
