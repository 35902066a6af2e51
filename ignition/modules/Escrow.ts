import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * Deploys the three-party job escrow.
 *
 * Parameters (module `Escrow`):
 * - `admin`: receives DEFAULT_ADMIN_ROLE and PARAMETER_ROLE (the deployer, who hands both to the timelock).
 * - `token`: the CivitasToken address.
 * - `registry`: the AgentRegistry address.
 * - `arbitratorBondBps`: bond for new escrows, bps of the amount (default 1,000; bounds [100, 5,000]).
 * - `protocolFeeBps`: protocol fee for new escrows, bps of the provider's share (default 100; at most 1,000).
 *
 * Not done here (the protocol module does it, under the token's and registry's roles):
 * `token.setProtocolAccount(escrow, true)` and `registry.grantRole(REPORTER_ROLE, escrow)`.
 */
export default buildModule("Escrow", (m) => {
  const admin = m.getParameter<string>("admin", m.getAccount(0));
  const token = m.getParameter<string>("token");
  const registry = m.getParameter<string>("registry");
  const arbitratorBondBps = m.getParameter("arbitratorBondBps", 1_000n);
  const protocolFeeBps = m.getParameter("protocolFeeBps", 100n);

  const escrow = m.contract("Escrow", [admin, token, registry, arbitratorBondBps, protocolFeeBps]);

  return { escrow };
});
