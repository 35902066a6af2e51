import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import AgentRegistry from "./AgentRegistry.ts";
import Foundation from "./Foundation.ts";

/**
 * The three-party job escrow.
 *
 * Parameters (module `Escrow`):
 * - the agent registry comes from the AgentRegistry module.
 * - `arbitratorBondBps` (default 1,000 = 10% of the amount; bounds [100, 5,000]).
 * - `protocolFeeBps` (default 100 = 1% of the provider's share; at most 1,000).
 *
 * The token comes from the Foundation module (the deployer must still hold its PARAMETER_ROLE here).
 *
 * Wiring done here: the escrow is marked a protocol account on the token (deposits untaxed,
 * `payEarnings` allowed). Left to the protocol module: `registry.grantRole(REPORTER_ROLE, escrow)`, and
 * handing the escrow's DEFAULT_ADMIN_ROLE and PARAMETER_ROLE (held by the deployer) to the timelock.
 */
export default buildModule("Escrow", (m) => {
  const deployer = m.getAccount(0);
  const { token } = m.useModule(Foundation);
  const { registry } = m.useModule(AgentRegistry);
  const arbitratorBondBps = m.getParameter("arbitratorBondBps", 1_000n);
  const protocolFeeBps = m.getParameter("protocolFeeBps", 100n);

  const escrow = m.contract("Escrow", [deployer, token, registry, arbitratorBondBps, protocolFeeBps]);
  m.call(token, "setProtocolAccount", [escrow, true], { id: "Escrow_setProtocolAccount" });

  return { escrow };
});
