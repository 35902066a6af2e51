import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { encodeBytes32String, id } from "ethers";

import AgentRegistry from "./AgentRegistry.ts";
import BlockLottery from "./BlockLottery.ts";
import Foundation from "./Foundation.ts";
import Market from "./Market.ts";

/**
 * Agreement kinds beyond jobs (issue 17; docs/agreements.md): forwards, loans, insurance and information
 * sales, one contract per kind on IBilateralAgreement, and lottery pools (PoolAgreements, on IAgreement).
 *
 * Parameters (module `Agreements`), shared by the four bilateral contracts:
 * - `arbitratorBondBps` (default 1,000 = 10% of the notional — a sale's or a forward's price, an
 *   insurance's cover; bounds [100, 5,000]; loans name no arbitrator).
 * - `minAmount` (wei, default 10^18 = 1 CIV: the smallest principal, cover or price; bounds [10^15, 10^22]).
 * And for the pools:
 * - `poolMinContribution` (wei, default 10^18 = 1 CIV: the smallest contribution to a lottery pool, fixed
 *   at deployment; bounds [10^15, 10^22]).
 * Forwards time their deliveries by the ResourceMarket's epochs (Market module); pools play the BlockLottery.
 *
 * These defaults are the only copy: each contract takes its settings from its constructor.
 *
 * Wiring done here: each contract is marked a protocol account on the token (deposits untaxed,
 * `payEarnings` allowed; the deployer must still hold the token's PARAMETER_ROLE), and each bilateral kind
 * gets the registry's REPORTER_ROLE and a reporter tag (`civitas.loan`, `civitas.insurance`,
 * `civitas.infoSale`, `civitas.forward`) so that its settlements write reputation (docs/agreements.md,
 * "Reputation"; the deployer must still hold the registry's DEFAULT_ADMIN_ROLE, which the protocol module
 * hands to the timelock afterwards: the grants then sit in the timelock's role table). Left to the protocol
 * module: handing each contract's DEFAULT_ADMIN_ROLE and PARAMETER_ROLE (held by the deployer) to the
 * timelock (PoolAgreements has no roles).
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
  // Forwards and pools (issue 17): the market times deliveries, the lottery is what pools play.
  const { resourceMarket } = m.useModule(Market);
  const { blockLottery } = m.useModule(BlockLottery);
  const forwardAgreements = m.contract("ForwardAgreements", [...args, resourceMarket]);
  const poolMinContribution = m.getParameter("poolMinContribution", 10n ** 18n);
  const poolAgreements = m.contract("PoolAgreements", [token, blockLottery, poolMinContribution]);
  for (const [name, contract] of [
    ["LoanAgreements", loanAgreements],
    ["InsuranceAgreements", insuranceAgreements],
    ["InformationSales", informationSales],
    ["ForwardAgreements", forwardAgreements],
    ["PoolAgreements", poolAgreements],
  ] as const) {
    m.call(token, "setProtocolAccount", [contract, true], { id: `${name}_setProtocolAccount` });
  }
  // Reputation on outcome (issue 17): the four bilateral kinds report through the registry. Pools report
  // nothing (members share lottery proceeds; no one performs for anyone).
  for (const [name, contract, tag] of [
    ["LoanAgreements", loanAgreements, "civitas.loan"],
    ["InsuranceAgreements", insuranceAgreements, "civitas.insurance"],
    ["InformationSales", informationSales, "civitas.infoSale"],
    ["ForwardAgreements", forwardAgreements, "civitas.forward"],
  ] as const) {
    m.call(registry, "grantRole", [id("REPORTER_ROLE"), contract], { id: `${name}_grantReporter` });
    m.call(registry, "setReporterTag", [contract, encodeBytes32String(tag)], {
      id: `${name}_setReporterTag`,
    });
  }

  return { loanAgreements, insuranceAgreements, informationSales, forwardAgreements, poolAgreements };
});
