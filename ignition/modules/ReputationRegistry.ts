import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import AgentRegistry from "./AgentRegistry.ts";

/**
 * The ERC-8004 ReputationRegistry for the AgentRegistry's agents. The AgentRegistry creates it in its own
 * constructor (so that a report reads its address from code, not storage); this module names it for the
 * deployment. It has no parameters and no roles: feedback is open to any client, and only the AgentRegistry
 * records the economy's feedback.
 *
 * Wiring left to the protocol module (see docs/registry.md "Deployment"): the reporters' feedback tags
 * (`setReporterTag`).
 */
export default buildModule("ReputationRegistry", (m) => {
  const { registry } = m.useModule(AgentRegistry);
  const reputationRegistry = m.contractAt(
    "ReputationRegistry",
    m.staticCall(registry, "reputationRegistry", [], 0, { id: "readReputationRegistry" }),
  );
  return { reputationRegistry };
});
