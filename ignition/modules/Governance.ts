import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { id, ZeroAddress } from "ethers";

/** OpenZeppelin TimelockController role identifiers. */
const DEFAULT_ADMIN_ROLE = "0x0000000000000000000000000000000000000000000000000000000000000000";
const PROPOSER_ROLE = id("PROPOSER_ROLE");
const CANCELLER_ROLE = id("CANCELLER_ROLE");
const EXECUTOR_ROLE = id("EXECUTOR_ROLE");

const DAY = 86_400n;

/**
 * Governance: the CivitasTimelock and the CivitasGovernor.
 *
 * Parameters (module `Governance`):
 * - `token` (address, required): the CIV token (ERC-5805 votes, timestamp clock, `getPastCirculatingSupply`).
 * - `stakeVotes` (address, required): the staking contract (ERC-5805 bonded-stake votes, timestamp clock).
 * - `votingDelay` (seconds, default 1 day), `votingPeriod` (seconds, default 5 days),
 *   `proposalThreshold` (wei, default 500 CIV), `quorumNumerator` (percent of circulating supply, default 4),
 *   `timelockMinDelay` (seconds, default 2 days).
 *
 * Wiring: the governor is the timelock's only proposer and canceller; the executor role is open
 * (`address(0)`); the deployer's temporary timelock admin role is renounced last, so the timelock
 * administers only itself. Granting the timelock the roles of the other contracts (and the deployer
 * renouncing them) is the protocol module's job.
 */
export default buildModule("Governance", (m) => {
  const deployer = m.getAccount(0);

  const token = m.getParameter<string>("token");
  const stakeVotes = m.getParameter<string>("stakeVotes");
  const votingDelay = m.getParameter("votingDelay", DAY);
  const votingPeriod = m.getParameter("votingPeriod", 5n * DAY);
  const proposalThreshold = m.getParameter("proposalThreshold", 500n * 10n ** 18n);
  const quorumNumerator = m.getParameter("quorumNumerator", 4n);
  const timelockMinDelay = m.getParameter("timelockMinDelay", 2n * DAY);

  const timelock = m.contract("CivitasTimelock", [timelockMinDelay, [], [], deployer]);

  const governor = m.contract("CivitasGovernor", [
    token,
    stakeVotes,
    timelock,
    votingDelay,
    votingPeriod,
    proposalThreshold,
    quorumNumerator,
  ]);

  const grantProposer = m.call(timelock, "grantRole", [PROPOSER_ROLE, governor], { id: "grantProposer" });
  const grantCanceller = m.call(timelock, "grantRole", [CANCELLER_ROLE, governor], { id: "grantCanceller" });
  const grantExecutor = m.call(timelock, "grantRole", [EXECUTOR_ROLE, ZeroAddress], { id: "grantExecutor" });
  m.call(timelock, "renounceRole", [DEFAULT_ADMIN_ROLE, deployer], {
    id: "renounceTimelockAdmin",
    after: [grantProposer, grantCanceller, grantExecutor],
  });

  return { timelock, governor };
});
