import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import AgentRegistry from "./AgentRegistry.ts";

/**
 * Deploys the ERC-8004 ReputationRegistry for the AgentRegistry's agents. It has no parameters and no
 * roles: feedback is open to any client, and only the AgentRegistry records the economy's feedback.
 *
 * Wiring left to the protocol module (see docs/registry.md "Deployment"): the AgentRegistry's
 * `setReputationRegistry` (once) and the reporters' feedback tags (`setReporterTag`).
 */
export default buildModule("ReputationRegistry", (m) => {
  const { registry } = m.useModule(AgentRegistry);
  const reputationRegistry = m.contract("ReputationRegistry", [registry]);
  return { reputationRegistry };
});
