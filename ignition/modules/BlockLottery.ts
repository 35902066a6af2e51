import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import Foundation from "./Foundation.ts";
import Market from "./Market.ts";

const CIV = 10n ** 18n;

/**
 * The block lottery (issue 17): an epoch lottery inside the economy entered by mining, staking or burning
 * (contracts/lottery/BlockLottery.sol, docs/lottery.md).
 *
 * Parameters (module `BlockLottery`; bounds are the contract's constants):
 * - `epochDuration` (seconds, default 86,400 = 1 day; bounds [1 hour, 30 days]; fixed at deployment).
 * - `revealWindow` (seconds, default 3,600; bounds [10 minutes, 7 days]; fixed at deployment).
 * - `claimPeriod` (seconds, default 7 days; bounds [1 day, 90 days]; fixed at deployment).
 * - `epochReward` (wei, default 100 CIV, at most 100,000 CIV): the winner's reward per epoch.
 * - `mineResourceId` (default 1, the genesis resource "gpu-second" registered in Market.ts; must be an
 *   active resource: the lottery is made its meter here, so that the default deployment can be won).
 * - `mineWeightPerUnit` (wei-equivalents per base unit, default 0.001 CIV; bounds [1, 1,000 CIV]).
 * - `burnDecayBps` (default 9,000: a burn score keeps 90% per epoch; at most 9,900).
 * - `revealBond` (wei, default 1 CIV; bounds [0.001 CIV, 10,000 CIV]).
 * - `minEntryWeight` (wei-equivalents, default 0.001 CIV; bounds [1, 1,000 CIV]).
 *
 * Wiring done here: the lottery is a protocol account on the token (untaxed deposits, `returnPrincipal`,
 * `payEarnings`; the deployer must still hold the token's PARAMETER_ROLE), and an authorised meter of its
 * mining resource on the ledger (the deployer must still hold the ledger's PARAMETER_ROLE). Left to the protocol module: the
 * lottery's Treasury budget and handing its DEFAULT_ADMIN_ROLE and PARAMETER_ROLE to the timelock.
 */
export default buildModule("BlockLottery", (m) => {
  const deployer = m.getAccount(0);
  const { treasury, token } = m.useModule(Foundation);
  const { resourceLedger } = m.useModule(Market);
  const epochDuration = m.getParameter("epochDuration", 86_400n);
  const revealWindow = m.getParameter("revealWindow", 3_600n);
  const claimPeriod = m.getParameter("claimPeriod", 7n * 86_400n);
  const epochReward = m.getParameter("epochReward", 100n * CIV);
  // The genesis resource: the first Market.ts registers (the lottery's deployment follows the Market module).
  const mineResourceId = m.getParameter("mineResourceId", 1n);
  const mineWeightPerUnit = m.getParameter("mineWeightPerUnit", CIV / 1_000n);
  const burnDecayBps = m.getParameter("burnDecayBps", 9_000n);
  const revealBond = m.getParameter("revealBond", CIV);
  const minEntryWeight = m.getParameter("minEntryWeight", CIV / 1_000n);

  const blockLottery = m.contract("BlockLottery", [
    deployer,
    token,
    treasury,
    resourceLedger,
    epochDuration,
    revealWindow,
    claimPeriod,
    [epochReward, mineResourceId, mineWeightPerUnit, burnDecayBps, revealBond, minEntryWeight],
  ]);
  m.call(token, "setProtocolAccount", [blockLottery, true], { id: "BlockLottery_setProtocolAccount" });
  // Mining (issue 17): the lottery meters its mining resource, so that an epoch can be won by default.
  m.call(resourceLedger, "setMeter", [mineResourceId, blockLottery, true], {
    id: "BlockLottery_setLedgerMeter",
  });

  return { blockLottery };
});
