/**
 * Escrow unit-test deployment: an `Escrow` (bond 1,000 bps, protocol fee 100 bps, minimum delivery
 * window 1 hour, minimum job amount 10^15 wei: the lower bounds, so that unit tests can use small numbers) over a given token and a
 * `MockAgentRegistry` in which the given parties are in good standing. Shared by the escrow tests and the
 * escrow gas bench.
 */

import { EscrowState } from "../../scripts/lib/vocabulary.ts";
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";

/**
 * IEscrow.State by name, as bigints, from the generated vocabulary (scripts/lib/vocabulary.ts), so that
 * tests never hold a second copy of the list.
 */
export const ESCROW_STATE: Readonly<Record<string, bigint>> = Object.fromEntries(
  EscrowState.names.map((name, i) => [name, BigInt(i)]),
);

/** The `expectedStates` bitmap of `EscrowInvalidState` for the given states (bit `state` set), as bytes32. */
export function stateBitmap(...states: bigint[]): string {
  return `0x${states
    .reduce((a, x) => a | (1n << x), 0n)
    .toString(16)
    .padStart(64, "0")}`;
}

/** The escrow unit tests' minimum delivery window, in seconds (the setting's lower bound). */
export const ESCROW_TEST_MIN_DELIVERY_WINDOW = 3_600n;
/** The escrow unit tests' minimum job amount, in wei (the setting's lower bound). */
export const ESCROW_TEST_MIN_JOB_AMOUNT = 10n ** 15n;

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
    ESCROW_TEST_MIN_DELIVERY_WINDOW,
    ESCROW_TEST_MIN_JOB_AMOUNT,
  ]);
  for (const party of parties) await registry.setGoodStanding(party, true);
  return { registry, escrow, escrowAddr: await escrow.getAddress() };
}

/** Job terms with one-day review and ruling windows, for tests and benches on the real protocol. */
export function jobTerms(provider: string, arbitrator: string, amount: bigint, deliveryDeadline: bigint) {
  return {
    kind: 0,
    provider,
    arbitrator,
    amount,
    arbitratorFee: 0n,
    deliveryDeadline,
    reviewWindow: 86_400n,
    rulingWindow: 86_400n,
    termsHash: `0x${"00".repeat(32)}`,
    termsURI: "ipfs://terms",
  };
}
