/**
 * The validation registry's test fixture: the whole protocol (the real Ignition module, every role on the
 * timelock), with the timelock impersonated so that tests can act as governance directly, and carol
 * registered as a staking validator bonding 600 CIV (above the 500 CIV minimum of the module).
 */
import type { network } from "hardhat";

import { deployProtocolFixture } from "../helpers/protocol.ts";

type Connection = Awaited<ReturnType<typeof network.create<"generic">>>;

/** One CIV in wei. */
export const CIV = 10n ** 18n;
/** carol's bonded self-stake in the fixture, in wei. */
export const VALIDATOR_STAKE = 600n * CIV;
/** The genesis reward tag of the Ignition module. */
export const REWARD_TAG = "civitas.deliverable";

/**
 * Deploys the protocol, impersonates the timelock as `governance`, registers carol as a staking validator
 * (0% commission, {@link VALIDATOR_STAKE}) and lets alice's and bob's wallets approve the registry.
 * @param connection A `network.create()` connection.
 * @returns The protocol fixture plus `governance` (a signer for the timelock) and `validator` (carol).
 */
export async function deployValidationFixture(connection: Connection) {
  const f = await deployProtocolFixture(connection);
  const { ethers, networkHelpers } = connection;
  const timelockAddress = await f.timelock.getAddress();
  await networkHelpers.impersonateAccount(timelockAddress);
  await networkHelpers.setBalance(timelockAddress, 10n ** 20n);
  const governance = await ethers.getSigner(timelockAddress);

  await f.token.connect(f.carol).approve(f.staking, VALIDATOR_STAKE);
  await f.staking.connect(f.carol).registerValidator(0n, VALIDATOR_STAKE);
  for (const agent of [f.alice, f.bob, f.dave]) {
    await f.token.connect(agent).approve(f.validationRegistry, ethers.MaxUint256);
  }
  return { ...f, governance, validator: f.carol };
}

export type ValidationFixture = Awaited<ReturnType<typeof deployValidationFixture>>;
