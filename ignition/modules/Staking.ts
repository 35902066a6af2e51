import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import AgentRegistry from "./AgentRegistry.ts";
import Foundation from "./Foundation.ts";

const DAY = 86_400n;
const CIV = 10n ** 18n;

/**
 * Staking: validators, delegation pools, unbonding, Treasury-funded reward epochs, slashing, and the
 * bonded-stake votes (ERC-5805, timestamp clock) that the Governor adds to token votes.
 *
 * Parameters (module `Staking`):
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
  const unbondingPeriod = m.getParameter("unbondingPeriod", 7n * DAY);
  const minSelfStake = m.getParameter("minSelfStake", 500n * CIV);

  const staking = m.contract("Staking", [deployer, token, registry]);
  m.call(staking, "setUnbondingPeriod", [unbondingPeriod]);
  m.call(staking, "setMinSelfStake", [minSelfStake]);
  m.call(token, "setProtocolAccount", [staking, true], { id: "markStakingProtocolAccount" });
  m.call(token, "setStakeLedger", [staking], { id: "setStakeLedger" });

  return { staking, token, treasury };
});
