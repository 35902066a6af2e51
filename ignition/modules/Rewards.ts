import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import AgentRegistry from "./AgentRegistry.ts";
import Escrow from "./Escrow.ts";
import Foundation from "./Foundation.ts";
import Market from "./Market.ts";
import TaskBoard from "./TaskBoard.ts";

const CIV = 10n ** 18n;

/**
 * Human rewards and attention (issue 17): ReviewRewards, where reviewers appointed by governance turn scores
 * of agents' delivered work into CIV from a Treasury budget, and which sells one unit of attention per market
 * epoch (docs/rewards.md).
 *
 * Parameters (module `Rewards`):
 * - `rewardPerPoint` (wei, default 1 CIV, at most 100 CIV): the gross reward per score point (scores 0–100).
 * - `agentEpochCap` (wei, default 200 CIV, at most 10,000 CIV): what one agent, or the agents of one identity
 *   owner together, may receive per market epoch.
 * - `reviewerEpochCap` (wei, default 1,000 CIV, at most 100,000 CIV): what one reviewer may award per epoch.
 * - `attentionResourceId` (default 2: the genesis "attention" resource Market.ts registers after resource 1;
 *   the constructor checks that it is listed and non-transferable).
 * - `reviewers` (addresses, default none): reviewers appointed at deployment; governance appoints and removes
 *   the others (`grantRole`/`revokeRole(REVIEWER_ROLE, …)` through the timelock).
 *
 * Wiring done here: the contract is a protocol account on the token (`payEarnings` allowed). Left to the
 * protocol module: its Treasury budget (`rewardsBudget`) and handing its DEFAULT_ADMIN_ROLE and
 * PARAMETER_ROLE to the timelock.
 */
export default buildModule("Rewards", (m) => {
  const deployer = m.getAccount(0);
  const { treasury, token } = m.useModule(Foundation);
  const { registry } = m.useModule(AgentRegistry);
  const { escrow } = m.useModule(Escrow);
  const { resourceMarket } = m.useModule(Market);
  const { taskBoard } = m.useModule(TaskBoard);
  const settings = {
    rewardPerPoint: m.getParameter("rewardPerPoint", CIV),
    agentEpochCap: m.getParameter("agentEpochCap", 200n * CIV),
    reviewerEpochCap: m.getParameter("reviewerEpochCap", 1_000n * CIV),
  };
  const attentionResourceId = m.getParameter("attentionResourceId", 2n);
  const reviewers = m.getParameter<string[]>("reviewers", []);

  const reviewRewards = m.contract("ReviewRewards", [
    deployer,
    token,
    treasury,
    registry,
    resourceMarket,
    escrow,
    taskBoard,
    attentionResourceId,
    settings,
    reviewers,
  ]);
  m.call(token, "setProtocolAccount", [reviewRewards, true], { id: "Rewards_setProtocolAccount" });

  return { reviewRewards };
});
