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
 * - `minDeliveryWindow` (default 86,400 s = 1 day left to the provider at funding; bounds [1 hour, 7 days]).
 * - `minJobAmount` (default 10^18 wei = 1 CIV; bounds [10^15 wei, 10,000 CIV]).
 *
 * These defaults are the only copy: the contract takes every setting from its constructor.
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
  const minDeliveryWindow = m.getParameter("minDeliveryWindow", 86_400n);
  const minJobAmount = m.getParameter("minJobAmount", 10n ** 18n);

  const escrow = m.contract("Escrow", [
    deployer,
    token,
    registry,
    arbitratorBondBps,
    protocolFeeBps,
    minDeliveryWindow,
    minJobAmount,
  ]);
  m.call(token, "setProtocolAccount", [escrow, true], { id: "Escrow_setProtocolAccount" });

  return { escrow };
});
