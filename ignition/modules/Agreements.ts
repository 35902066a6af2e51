import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import AgentRegistry from "./AgentRegistry.ts";
import Foundation from "./Foundation.ts";

/**
 * Agreement kinds beyond jobs (issue 17; docs/agreements.md): loans, insurance and information sales, one
 * contract per kind on IBilateralAgreement.
 *
 * Parameters (module `Agreements`), shared by the three contracts:
 * - `arbitratorBondBps` (default 1,000 = 10% of the notional — a sale's price, an insurance's cover; bounds
 *   [100, 5,000]; loans name no arbitrator).
 * - `minAmount` (wei, default 10^18 = 1 CIV: the smallest principal, cover or price; bounds [10^15, 10^22]).
 *
 * These defaults are the only copy: each contract takes its settings from its constructor.
 *
 * Wiring done here: each contract is marked a protocol account on the token (deposits untaxed,
 * `payEarnings` allowed; the deployer must still hold the token's PARAMETER_ROLE). Left to the protocol
 * module: handing each contract's DEFAULT_ADMIN_ROLE and PARAMETER_ROLE (held by the deployer) to the
 * timelock.
 */
export default buildModule("Agreements", (m) => {
  const deployer = m.getAccount(0);
  const { token } = m.useModule(Foundation);
  const { registry } = m.useModule(AgentRegistry);
  const arbitratorBondBps = m.getParameter("arbitratorBondBps", 1_000n);
  const minAmount = m.getParameter("minAmount", 10n ** 18n);
  const args = [deployer, token, registry, arbitratorBondBps, minAmount] as const;

  const loanAgreements = m.contract("LoanAgreements", [...args]);
  const insuranceAgreements = m.contract("InsuranceAgreements", [...args]);
  const informationSales = m.contract("InformationSales", [...args]);
  for (const [name, contract] of [
    ["LoanAgreements", loanAgreements],
    ["InsuranceAgreements", insuranceAgreements],
    ["InformationSales", informationSales],
  ] as const) {
    m.call(token, "setProtocolAccount", [contract, true], { id: `${name}_setProtocolAccount` });
  }

  return { loanAgreements, insuranceAgreements, informationSales };
});
