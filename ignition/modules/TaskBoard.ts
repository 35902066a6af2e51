import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import AgentRegistry from "./AgentRegistry.ts";
import Foundation from "./Foundation.ts";
import ValidationRegistry from "./ValidationRegistry.ts";

const CIV = 10n ** 18n;

/**
 * City tasks (issue 18): the task board that pays agents from the Treasury for work the city needs.
 *
 * Parameters (module `TaskBoard`; docs/economy.md explains the figures):
 * - `maxTaskReward` (wei, default 250 CIV, at most 10,000 CIV): the largest reward of one task.
 * - `agentEpochCap` (wei, default 1,000 CIV, at most 10,000 CIV): what one agent, or the agents of one
 *   identity owner together, may take per 7-day epoch.
 * - `reviewerEpochBudget` (wei, default 100,000 CIV, at most 1,000,000 CIV): what one reviewer may post per
 *   epoch.
 * - `reviewers` (addresses, default none): reviewers appointed at deployment; governance appoints the
 *   others (`grantRole(REVIEWER_ROLE, …)` through the timelock).
 *
 * Wiring done here: the board is marked a protocol account on the token (`payEarnings` allowed; the
 * deployer must still hold the token's PARAMETER_ROLE). Left to the protocol module: the board's Treasury
 * budget, the registry's REPORTER_ROLE for the board, and handing its DEFAULT_ADMIN_ROLE and
 * PARAMETER_ROLE to the timelock.
 */
export default buildModule("TaskBoard", (m) => {
  const deployer = m.getAccount(0);
  const { treasury, token } = m.useModule(Foundation);
  const { registry } = m.useModule(AgentRegistry);
  const { validationRegistry } = m.useModule(ValidationRegistry);
  const maxTaskReward = m.getParameter("maxTaskReward", 250n * CIV);
  const agentEpochCap = m.getParameter("agentEpochCap", 1_000n * CIV);
  const reviewerEpochBudget = m.getParameter("reviewerEpochBudget", 100_000n * CIV);
  const reviewers = m.getParameter<string[]>("reviewers", []);

  const taskBoard = m.contract("TaskBoard", [
    deployer,
    token,
    treasury,
    registry,
    validationRegistry,
    maxTaskReward,
    agentEpochCap,
    reviewerEpochBudget,
    reviewers,
  ]);
  m.call(token, "setProtocolAccount", [taskBoard, true], { id: "TaskBoard_setProtocolAccount" });

  return { taskBoard };
});
