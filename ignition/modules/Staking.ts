import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import AgentRegistry from "./AgentRegistry.ts";
import Foundation from "./Foundation.ts";

const DAY = 86_400n;
const CIV = 10n ** 18n;

/**
 * Staking's defaults, the one place they are written: the module passes them (or the `Staking` parameters
 * that override them) to the constructor, which checks them against its bounds. Tests and benches import
 * them rather than repeat them.
 */
export const STAKING_DEFAULTS = {
  /** Seconds a withdrawal waits, also the commission-change delay. */
  unbondingPeriod: 7n * DAY,
  /** Wei a validator keeps bonded to register, take delegations and earn commission. */
  minSelfStake: 500n * CIV,
} as const;

/**
 * Staking: validators, delegation pools, unbonding, Treasury-funded reward epochs, slashing, and the
 * bonded-stake votes (ERC-5805, timestamp clock) that the Governor adds to token votes.
 *
 * Parameters (module `Staking`), passed to the constructor (defaults: {@link STAKING_DEFAULTS}):
 * - `unbondingPeriod` (seconds, default 7 days, within [1, 30] days); also the commission-change delay.
 * - `minSelfStake` (wei, default 500 CIV, within [1, 100,000] CIV).
 *
 * The agent registry comes from the AgentRegistry module, the token from the Foundation module (the deployer must still hold the token's PARAMETER_ROLE).
 * Wiring done here: the staking contract is marked a protocol account (untaxed deposits and withdrawals,
 * may pay earnings) and set as the token's stake ledger (stake counts toward the wealth cap).
 * Left to the protocol module: the Treasury reward budget (`treasury.setBudget(staking, token, amount)`),
 * the registry's REPORTER_ROLE for staking (slashes lower reputation), and handing DEFAULT_ADMIN_ROLE,
 * PARAMETER_ROLE, SLASHER_ROLE and FUNDER_ROLE to the timelock, the deployer renouncing all four.
 */
export default buildModule("Staking", (m) => {
  const deployer = m.getAccount(0);
  const { token, treasury } = m.useModule(Foundation);
  const { registry } = m.useModule(AgentRegistry);
  const unbondingPeriod = m.getParameter("unbondingPeriod", STAKING_DEFAULTS.unbondingPeriod);
  const minSelfStake = m.getParameter("minSelfStake", STAKING_DEFAULTS.minSelfStake);

  const staking = m.contract("Staking", [deployer, token, registry, unbondingPeriod, minSelfStake]);
  m.call(token, "setProtocolAccount", [staking, true], { id: "markStakingProtocolAccount" });
  m.call(token, "setStakeLedger", [staking], { id: "setStakeLedger" });

  return { staking, token, treasury };
});
