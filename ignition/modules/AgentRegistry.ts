import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import Foundation from "./Foundation.ts";

/** One CIV in wei (18 decimals). */
const CIV = 10n ** 18n;

/**
 * Deploys the AgentRegistry against the Foundation's CivitasToken and Treasury.
 *
 * Parameters (module `AgentRegistry`):
 * - `admin` (default: the deployer, account 0): receives DEFAULT_ADMIN_ROLE and PARAMETER_ROLE.
 * - `birthGrant` (default 1,000 CIV, at most 100,000 CIV), `upkeepPerDay` (default 100 CIV, at most 10,000 CIV), in wei.
 *
 * Wiring left to the protocol module (see docs/registry.md "Deployment"): the token's UPKEEP_BURNER_ROLE for
 * the registry, the registry's CIV budget at the Treasury, REPORTER_ROLE for escrow and staking,
 * GUARDIAN_ROLE if any, then the hand-over of DEFAULT_ADMIN_ROLE and PARAMETER_ROLE to the timelock.
 */
export default buildModule("AgentRegistry", (m) => {
  const admin = m.getParameter("admin", m.getAccount(0));
  const { token, treasury } = m.useModule(Foundation);
  const birthGrant = m.getParameter("birthGrant", 1_000n * CIV);
  const upkeepPerDay = m.getParameter("upkeepPerDay", 100n * CIV);

  const registry = m.contract("AgentRegistry", [admin, token, treasury, birthGrant, upkeepPerDay]);

  return { registry };
});
