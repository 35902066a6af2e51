import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import type {
  CallableContractFuture,
  ContractFuture,
  IgnitionModuleBuilder,
  ModuleParameterRuntimeValue,
} from "@nomicfoundation/ignition-core";
import { id, ZeroAddress } from "ethers";

import Foundation from "./Foundation.ts";

/** OpenZeppelin TimelockController role identifiers. */
const DEFAULT_ADMIN_ROLE = "0x0000000000000000000000000000000000000000000000000000000000000000";
const PROPOSER_ROLE = id("PROPOSER_ROLE");
const CANCELLER_ROLE = id("CANCELLER_ROLE");
const EXECUTOR_ROLE = id("EXECUTOR_ROLE");
/** CivitasToken role that lets the governor schedule circulating-supply snapshots. */
const SNAPSHOT_ROLE = id("SNAPSHOT_ROLE");

const DAY = 86_400n;

/**
 * Governance: the CivitasTimelock and the CivitasGovernor.
 *
 * Parameters (module `Governance`):
 * - `stakeVotes` (address, required): the staking contract (ERC-5805 bonded-stake votes, timestamp clock).
 * - `votingDelay` (seconds, default 1 day), `votingPeriod` (seconds, default 5 days),
 *   `proposalThreshold` (wei, default 500 CIV), `quorumNumerator` (percent of circulating supply, default 4),
 *   `quorumFloor` (wei, default 4,000 CIV: the lowest quorum, whatever circulating supply is),
 *   `timelockMinDelay` (seconds, default 2 days),
 *   `guardian` (address, default none): the security council that may cancel queued timelock operations
 *   and do nothing else; governance replaces it (`timelock.setGuardian`). The devnet names one in
 *   ignition/parameters/localhost.json (Hardhat account #19).
 *
 * The token comes from the Foundation module (the deployer must still be its admin here).
 *
 * Wiring: the governor gets the token's SNAPSHOT_ROLE (each proposal schedules a circulating-supply
 * snapshot); the governor is the timelock's only proposer and canceller; the executor role is open
 * (`address(0)`); the deployer's temporary timelock admin role is renounced last, so the timelock
 * administers only itself. Granting the timelock the roles of the other contracts (and the deployer
 * renouncing them) is the protocol module's job.
 */
export default buildModule("Governance", (m) => {
  const { token, treasury } = m.useModule(Foundation);
  const stakeVotes = m.getParameter<string>("stakeVotes");
  const { timelock, governor } = addGovernance(m, token, stakeVotes);
  return { timelock, governor, token, treasury };
});

/**
 * Adds the timelock and the governor to module `m` and wires them (see the module's description). Used by
 * this module (stake votes from a parameter) and by the Protocol module (stake votes from Staking), so the
 * settings parameters are read from whichever module calls it.
 * @param m The module builder.
 * @param token The CivitasToken future (its admin must still be the deployer).
 * @param stakeVotes The ERC-5805 stake-votes source: a contract future or a parameter.
 * @returns The timelock and governor futures, and the token call granting the governor SNAPSHOT_ROLE.
 */
export function addGovernance(
  m: IgnitionModuleBuilder,
  token: CallableContractFuture<string>,
  stakeVotes: ContractFuture<string> | ModuleParameterRuntimeValue<string>,
) {
  const deployer = m.getAccount(0);
  const votingDelay = m.getParameter("votingDelay", DAY);
  const votingPeriod = m.getParameter("votingPeriod", 5n * DAY);
  const proposalThreshold = m.getParameter("proposalThreshold", 500n * 10n ** 18n);
  const quorumNumerator = m.getParameter("quorumNumerator", 4n);
  const quorumFloor = m.getParameter("quorumFloor", 4_000n * 10n ** 18n);
  const timelockMinDelay = m.getParameter("timelockMinDelay", 2n * DAY);
  const guardian = m.getParameter<string>("guardian", ZeroAddress);

  const timelock = m.contract("CivitasTimelock", [timelockMinDelay, [], [], deployer, guardian]);

  const governor = m.contract("CivitasGovernor", [
    token,
    stakeVotes,
    timelock,
    votingDelay,
    votingPeriod,
    proposalThreshold,
    quorumNumerator,
    quorumFloor,
  ]);

  const grantProposer = m.call(timelock, "grantRole", [PROPOSER_ROLE, governor], { id: "grantProposer" });
  const grantCanceller = m.call(timelock, "grantRole", [CANCELLER_ROLE, governor], { id: "grantCanceller" });
  const grantExecutor = m.call(timelock, "grantRole", [EXECUTOR_ROLE, ZeroAddress], { id: "grantExecutor" });
  const snapshotGrant = m.call(token, "grantRole", [SNAPSHOT_ROLE, governor], {
    id: "grantGovernorSnapshot",
  });
  m.call(timelock, "renounceRole", [DEFAULT_ADMIN_ROLE, deployer], {
    id: "renounceTimelockAdmin",
    after: [grantProposer, grantCanceller, grantExecutor],
  });
  return { timelock, governor, snapshotGrant };
}
