import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { id } from "ethers";

import AgentRegistry from "./AgentRegistry.ts";
import Foundation from "./Foundation.ts";

const MINTER_ROLE = id("MINTER_ROLE");

/**
 * Resource markets: the resource ledger (ERC-1155 credits, policies, metering) and the uniform-price
 * epoch market that sells its credits for CIV (docs/market.md).
 *
 * Parameters (module `Market`):
 * - `ledgerUri` (default "civitas://resource/{id}"): the ERC-1155 metadata URI template.
 * - `epochDuration` (seconds, default 86,400 = 1 day; bounds [1 hour, 30 days]; fixed at deployment).
 * - `protocolFeeBps` (default 100 = 1% of providers' gross; at most 1,000).
 * - `targetUtilisationBps` (default 5,000: the reserve stays put at half the supply sold; bounds [1,000, 9,000]).
 * - `maxReserveStepBps` (default 1,250 = 12.5% per epoch, EIP-1559's step; bounds [1, 2,500]).
 *
 * These defaults are the only copy: the contracts take every setting from their constructors.
 *
 * Wiring done here: the market is a protocol account on the token (bids untaxed, `payEarnings` allowed)
 * and the ledger's only minter. No resource is registered: governance registers resource types and lists
 * them (see test/governance/GovernanceActions.test.ts). Left to the protocol module: handing each
 * contract's DEFAULT_ADMIN_ROLE and PARAMETER_ROLE (held by the deployer) to the timelock.
 */
export default buildModule("Market", (m) => {
  const deployer = m.getAccount(0);
  const { token } = m.useModule(Foundation);
  const { registry } = m.useModule(AgentRegistry);
  const ledgerUri = m.getParameter("ledgerUri", "civitas://resource/{id}");
  const epochDuration = m.getParameter("epochDuration", 86_400n);
  const protocolFeeBps = m.getParameter("protocolFeeBps", 100n);
  const targetUtilisationBps = m.getParameter("targetUtilisationBps", 5_000n);
  const maxReserveStepBps = m.getParameter("maxReserveStepBps", 1_250n);

  const resourceLedger = m.contract("ResourceLedger", [deployer, registry, ledgerUri]);
  const resourceMarket = m.contract("ResourceMarket", [
    deployer,
    token,
    resourceLedger,
    registry,
    epochDuration,
    protocolFeeBps,
    targetUtilisationBps,
    maxReserveStepBps,
  ]);
  m.call(token, "setProtocolAccount", [resourceMarket, true], { id: "Market_setProtocolAccount" });
  m.call(resourceLedger, "grantRole", [MINTER_ROLE, resourceMarket], { id: "Market_grantLedgerMinter" });

  return { resourceLedger, resourceMarket };
});
