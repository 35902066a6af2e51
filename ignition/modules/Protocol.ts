import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { encodeBytes32String, id } from "ethers";
import AgentRegistry from "./AgentRegistry.ts";
import Escrow from "./Escrow.ts";
import Foundation from "./Foundation.ts";
import Market from "./Market.ts";
import ReputationRegistry from "./ReputationRegistry.ts";
import { addGovernance } from "./Governance.ts";
import Staking from "./Staking.ts";
import ValidationRegistry from "./ValidationRegistry.ts";
import TaskBoard from "./TaskBoard.ts";
// Agreement kinds (issue 17): loans, insurance, information sales.
import Agreements from "./Agreements.ts";
import BlockLottery from "./BlockLottery.ts";
// Human rewards and attention (issue 17): reviewers' rewards and the attention desk.
import Rewards from "./Rewards.ts";

const CIV = 10n ** 18n;
const DAY = 86_400n;
const DEFAULT_ADMIN_ROLE = "0x0000000000000000000000000000000000000000000000000000000000000000";
const PARAMETER_ROLE = id("PARAMETER_ROLE");
const MINTER_ROLE = id("MINTER_ROLE");
const UPKEEP_BURNER_ROLE = id("UPKEEP_BURNER_ROLE");
const REPORTER_ROLE = id("REPORTER_ROLE");
const GUARDIAN_ROLE = id("GUARDIAN_ROLE");
const SLASHER_ROLE = id("SLASHER_ROLE");
const FUNDER_ROLE = id("FUNDER_ROLE");

/**
 * The whole Civitas protocol: one module per contract (Foundation, AgentRegistry, Staking, Escrow,
 * ValidationRegistry), the Governor and timelock, the wiring between them, and the hand-over of every
 * privileged role to the timelock. When this module is done the deployer holds no role anywhere.
 *
 * Resource markets (the Market module: ResourceLedger and ResourceMarket) are deployed with no resource
 * registered; their roles go to the timelock like every other contract's.
 *
 * Parameters (module `Protocol`; each contract module keeps its own, see their files):
 * - `registryBudget` (wei, default 1,000,000 CIV): the registry's Treasury budget for birth grants
 *   (1,000 agents at the default 1,000 CIV grant).
 * - `stakingBudget` (wei, default 1,000,000 CIV): the staking contract's Treasury budget for rewards.
 * - `genesisEpochReward` (wei, default 100,000 CIV) over `genesisEpochDuration` (seconds, default 30 days):
 *   the first reward epoch, funded from that budget at deployment.
 * - governance settings `votingDelay`, `votingPeriod`, `proposalThreshold`, `quorumNumerator`,
 *   `quorumFloor`, `timelockMinDelay` and `guardian` (see Governance.ts), read here because the governor
 *   is built inside this module.
 * - `validationRewardBudget` (wei, default 100,000 CIV): the validation registry's Treasury budget for
 *   attestation rewards (10,000 passes at the default 10 CIV reward).
 *
 * - `taskBoardBudget` (wei, default 1,000,000 CIV): the task board's Treasury budget for city tasks (see
 *   TaskBoard.ts and docs/economy.md; governance tops it up with `setBudget`).
 *
 * - `lotteryBudget` (wei, default 36,500 CIV: a year of daily epochs at the default 100 CIV reward): the
 *   block lottery's Treasury budget for winners' rewards (see BlockLottery.ts and docs/lottery.md).
 *
 * - `rewardsBudget` (wei, default 100,000 CIV: 500 days of one agent at the default 200 CIV cap, or a
 *   year of the attention desk's upkeep at 100 CIV a day with 63,500 CIV for rewards): ReviewRewards'
 *   Treasury budget for reviewers' rewards and the attention desk's upkeep (see Rewards.ts, docs/rewards.md).
 *
 * The auditor's registry (AuditorRegistry) is deployed with the timelock as its admin and no auditor.
 * The public speech log (SpeechLog, issue 13) is deployed over the agent registry; it holds no role.
 *
 * Deployed by `npm run deploy` (scripts/deploy.ts), which also writes `deployments/<chainId>.json`.
 */
export default buildModule("Protocol", (m) => {
  const deployer = m.getAccount(0);
  const { treasury, token } = m.useModule(Foundation);
  const { registry } = m.useModule(AgentRegistry);
  const { reputationRegistry } = m.useModule(ReputationRegistry);
  const { staking } = m.useModule(Staking);
  const { escrow } = m.useModule(Escrow);
  const { validationRegistry } = m.useModule(ValidationRegistry);
  const { resourceLedger, resourceMarket, computePoolFactory } = m.useModule(Market);
  const { timelock, governor, snapshotGrant } = addGovernance(m, token, staking);
  const { taskBoard } = m.useModule(TaskBoard);
  // Agreement kinds (issue 17): three contracts, protocol accounts on the token (Agreements.ts).
  const { loanAgreements, insuranceAgreements, informationSales } = m.useModule(Agreements);
  // Forwards and lottery pools (issue 17): two more kinds from the same module (Agreements.ts).
  const { forwardAgreements, poolAgreements } = m.useModule(Agreements);
  // Block lottery (issue 17).
  const { blockLottery } = m.useModule(BlockLottery);
  // Human rewards and attention (issue 17).
  const { reviewRewards } = m.useModule(Rewards);

  const registryBudget = m.getParameter("registryBudget", 1_000_000n * CIV);
  const stakingBudget = m.getParameter("stakingBudget", 1_000_000n * CIV);
  const genesisEpochReward = m.getParameter("genesisEpochReward", 100_000n * CIV);
  const genesisEpochDuration = m.getParameter("genesisEpochDuration", 30n * DAY);
  const validationRewardBudget = m.getParameter("validationRewardBudget", 100_000n * CIV);
  const taskBoardBudget = m.getParameter("taskBoardBudget", 1_000_000n * CIV);
  const lotteryBudget = m.getParameter("lotteryBudget", 36_500n * CIV);
  const rewardsBudget = m.getParameter("rewardsBudget", 100_000n * CIV);

  // Wiring, done while the deployer still holds the roles it needs.
  const stakingBudgetSet = m.call(treasury, "setBudget", [staking, token, stakingBudget], {
    id: "setStakingBudget",
  });
  const wiring = [
    // Depending on each module's contract orders this after every call of that module as well.
    registry,
    staking,
    escrow,
    validationRegistry,
    resourceLedger,
    resourceMarket,
    snapshotGrant,
    m.call(token, "grantRole", [UPKEEP_BURNER_ROLE, registry], { id: "grantRegistryUpkeepBurner" }),
    m.call(treasury, "setBudget", [registry, token, registryBudget], { id: "setRegistryBudget" }),
    stakingBudgetSet,
    m.call(registry, "grantRole", [REPORTER_ROLE, escrow], { id: "grantEscrowReporter" }),
    m.call(treasury, "setBudget", [validationRegistry, token, validationRewardBudget], {
      id: "setValidationRewardBudget",
    }),
    m.call(staking, "grantRole", [SLASHER_ROLE, validationRegistry], { id: "grantValidationSlasher" }),
    m.call(registry, "grantRole", [REPORTER_ROLE, staking], { id: "grantStakingReporter" }),
    // ERC-8004 feedback from the economy: every report lands in the Reputation Registry, tagged by reporter.
    m.call(registry, "setReporterTag", [escrow, encodeBytes32String("civitas.escrow")], {
      id: "setEscrowReporterTag",
    }),
    m.call(registry, "setReporterTag", [staking, encodeBytes32String("civitas.staking")], {
      id: "setStakingReporterTag",
    }),
    m.call(staking, "fundEpoch", [genesisEpochReward, genesisEpochDuration], {
      id: "fundGenesisEpoch",
      after: [stakingBudgetSet],
    }),
    // City tasks (issue 18): the board's Treasury budget, and its reports of task outcomes.
    taskBoard,
    m.call(treasury, "setBudget", [taskBoard, token, taskBoardBudget], { id: "setTaskBoardBudget" }),
    m.call(registry, "grantRole", [REPORTER_ROLE, taskBoard], { id: "grantTaskBoardReporter" }),
    m.call(registry, "setReporterTag", [taskBoard, encodeBytes32String("civitas.tasks")], {
      id: "setTaskBoardReporterTag",
    }),
    // Agreement kinds (issue 17): each module contract orders this after its protocol-account call.
    loanAgreements,
    insuranceAgreements,
    informationSales,
    // Forwards and lottery pools (issue 17): each ordered after its protocol-account call.
    forwardAgreements,
    poolAgreements,
    // Block lottery (issue 17): the winners' rewards come from this Treasury budget.
    blockLottery,
    m.call(treasury, "setBudget", [blockLottery, token, lotteryBudget], { id: "setLotteryBudget" }),
    // Human rewards and attention (issue 17): reviewers' rewards and the desk's upkeep come from this budget.
    reviewRewards,
    m.call(treasury, "setBudget", [reviewRewards, token, rewardsBudget], { id: "setRewardsBudget" }),
  ];

  // Hand-over: the timelock receives every privileged role, then the deployer renounces them, each
  // contract's admin role last.
  const roles = [
    { contract: token, name: "Token", roles: { PARAMETER_ROLE, MINTER_ROLE } },
    { contract: treasury, name: "Treasury", roles: {} },
    { contract: registry, name: "Registry", roles: { PARAMETER_ROLE } },
    { contract: staking, name: "Staking", roles: { PARAMETER_ROLE, SLASHER_ROLE, FUNDER_ROLE } },
    { contract: escrow, name: "Escrow", roles: { PARAMETER_ROLE } },
    { contract: validationRegistry, name: "Validation", roles: { PARAMETER_ROLE, SLASHER_ROLE } },
    // Resource markets: the ledger's MINTER_ROLE stays with the market (granted in Market.ts).
    { contract: resourceLedger, name: "ResourceLedger", roles: { PARAMETER_ROLE } },
    { contract: resourceMarket, name: "ResourceMarket", roles: { PARAMETER_ROLE } },
    // City tasks: reviewers are appointed by the timelock (DEFAULT_ADMIN_ROLE) or by the `reviewers` parameter.
    { contract: taskBoard, name: "TaskBoard", roles: { PARAMETER_ROLE } },
    // Agreement kinds (issue 17): bond rate and minimum notional are governance settings.
    { contract: loanAgreements, name: "LoanAgreements", roles: { PARAMETER_ROLE } },
    { contract: insuranceAgreements, name: "InsuranceAgreements", roles: { PARAMETER_ROLE } },
    { contract: informationSales, name: "InformationSales", roles: { PARAMETER_ROLE } },
    // Forwards (issue 17): bond rate and minimum price are governance settings. Pools hold no role.
    { contract: forwardAgreements, name: "ForwardAgreements", roles: { PARAMETER_ROLE } },
    // Block lottery (issue 17): its settings change only by governance.
    { contract: blockLottery, name: "BlockLottery", roles: { PARAMETER_ROLE } },
    // Human rewards and attention (issue 17): reviewers are appointed and removed by the timelock (admin).
    { contract: reviewRewards, name: "ReviewRewards", roles: { PARAMETER_ROLE } },
  ] as const;
  // The registry's guardian is appointed by governance; the timelock may suspend directly as its admin.
  void GUARDIAN_ROLE;
  for (const { contract, name, roles: named } of roles) {
    const all = { ...named, DEFAULT_ADMIN_ROLE };
    const grants = Object.entries(all).map(([roleName, role]) =>
      m.call(contract, "grantRole", [role, timelock], { id: `grant${name}${roleName}ToTimelock` }),
    );
    const renounces = Object.entries(named).map(([roleName, role]) =>
      m.call(contract, "renounceRole", [role, deployer], {
        id: `renounce${name}${roleName}`,
        after: [...grants, ...wiring],
      }),
    );
    m.call(contract, "renounceRole", [DEFAULT_ADMIN_ROLE, deployer], {
      id: `renounce${name}DEFAULT_ADMIN_ROLE`,
      after: [...grants, ...wiring, ...renounces],
    });
  }

  // The auditor (issue 15): governance (the timelock, admin from deployment) appoints auditors, who record
  // verdicts on the indexer's flags. No auditor at deploy; the deployer never holds a role here.
  const auditorRegistry = m.contract("AuditorRegistry", [timelock]);

  // The public speech log (issue 13): agents in good standing say what they decided and why, as events.
  // It holds no role, no storage and no funds; the registry answers who is in good standing.
  const speechLog = m.contract("SpeechLog", [registry]);

  return {
    token,
    treasury,
    registry,
    reputationRegistry,
    staking,
    escrow,
    validationRegistry,
    governor,
    timelock,
    resourceLedger,
    resourceMarket,
    taskBoard,
    auditorRegistry,
    speechLog,
    // Agreement kinds (issue 17).
    loanAgreements,
    insuranceAgreements,
    informationSales,
    blockLottery,
    // Resource markets (issue 14): compute pools are created through this factory (it holds no role).
    computePoolFactory,
    // Forwards and lottery pools (issue 17).
    forwardAgreements,
    poolAgreements,
    // Human rewards and attention (issue 17).
    reviewRewards,
  };
});
