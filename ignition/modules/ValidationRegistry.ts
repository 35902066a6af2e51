import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import AgentRegistry from "./AgentRegistry.ts";
import Foundation from "./Foundation.ts";
import Staking from "./Staking.ts";

const CIV = 10n ** 18n;
const DAY = 86_400n;

/**
 * The ERC-8004 Validation Registry with stake-secured validation and attestation rewards.
 *
 * Parameters (module `ValidationRegistry`):
 * - `minValidatorStake` (wei, default 500 CIV, within [1, 1,000,000] CIV): the bonded stake a validator's
 *   pool needs to take stake-secured requests and to earn its agents rewards.
 * - `rewardEpoch` (seconds, default 7 days, within [1, 365] days): the period of the per-agent reward cap.
 * - the genesis reward policy, for response tag `rewardTag` (default `civitas.deliverable`):
 *   `rewardPerPass` (wei, default 10 CIV, at most 1,000 CIV), `rewardCapPerAgentPerEpoch` (wei, default
 *   50 CIV), `rewardMinFee` (wei, default 100 CIV: its 10% tax covers the reward), `rewardPassThreshold`
 *   (default 80, within [50, 100]).
 *
 * The identity registry, token and staking contract come from their modules (the deployer must still hold
 * the token's PARAMETER_ROLE). Wiring done here: the registry is marked a protocol account (fee deposits
 * untaxed, fees paid with `payEarnings`) and the genesis policy is set. Left to the protocol module: the
 * Treasury reward budget, the staking contract's SLASHER_ROLE for this registry, and handing its
 * DEFAULT_ADMIN_ROLE, PARAMETER_ROLE and SLASHER_ROLE to the timelock.
 */
export default buildModule("ValidationRegistry", (m) => {
  const deployer = m.getAccount(0);
  const { token } = m.useModule(Foundation);
  const { registry } = m.useModule(AgentRegistry);
  const { staking } = m.useModule(Staking);
  const minValidatorStake = m.getParameter("minValidatorStake", 500n * CIV);
  const rewardEpoch = m.getParameter("rewardEpoch", 7n * DAY);
  const rewardTag = m.getParameter("rewardTag", "civitas.deliverable");
  const policy = {
    rewardPerPass: m.getParameter("rewardPerPass", 10n * CIV),
    capPerAgentPerEpoch: m.getParameter("rewardCapPerAgentPerEpoch", 50n * CIV),
    minFee: m.getParameter("rewardMinFee", 100n * CIV),
    passThreshold: m.getParameter("rewardPassThreshold", 80n),
  };

  const validationRegistry = m.contract("ValidationRegistry", [
    registry,
    token,
    staking,
    deployer,
    minValidatorStake,
    rewardEpoch,
  ]);
  m.call(token, "setProtocolAccount", [validationRegistry, true], {
    id: "ValidationRegistry_setProtocolAccount",
  });
  m.call(validationRegistry, "setRewardPolicy", [rewardTag, policy], { id: "setGenesisRewardPolicy" });

  return { validationRegistry };
});
