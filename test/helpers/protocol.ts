/**
 * The whole Civitas protocol, deployed in-process by the real Ignition module `ignition/modules/Protocol.ts`
 * (every contract, its wiring, and every role handed to the timelock), with a handful of registered agents.
 *
 * Governance runs with shorter settings than production so that a proposal takes a little over two days
 * (the lower bounds of the governor and timelock) instead of eight; everything else is the module's
 * defaults: 1,000 CIV birth grant, 100 CIV upkeep per day, 10% tax, 5% wealth cap, a 100,000 CIV genesis
 * reward epoch over 30 days. The guardian (security council) is a named signer.
 *
 * Birth grants carry no votes until earned (docs/security.md, attack 1), so eight freshly registered agents
 * could not govern. The fixture stands for an economy that has already earned CIV: five "elders" (unnamed
 * signers 11-15) hold {@link ELDER_VOTES} of earned CIV each, minted by the timelock as a passed proposal
 * would, and delegate it to the first five agents (the voters). Agents' balances stay the grant.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { network } from "hardhat";

import ProtocolModule from "../../ignition/modules/Protocol.js";
import type { Action, Ballots, RunProposalResult } from "./governance.js";
import { runProposal } from "./governance.js";

type Connection = Awaited<ReturnType<typeof network.create<"generic">>>;

const HOUR = 3_600n;
const DAY = 86_400n;

/** Governance settings of the fixture (module `Protocol` parameters), in seconds. */
export const FIXTURE_GOVERNANCE = {
  votingDelay: HOUR,
  votingPeriod: DAY,
  timelockMinDelay: DAY,
} as const;

/** Earned CIV each elder delegates to one voter, in wei: five voters hold 10,000 votes, above quorum. */
export const ELDER_VOTES = 2_000n * 10n ** 18n;

/** Agents the fixture registers (signers 1 to 8), in order. */
export const AGENT_NAMES = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"] as const;
type AgentName = (typeof AGENT_NAMES)[number];

/**
 * Deploys the Protocol module and registers eight agents, each receiving the birth grant from the Treasury
 * and delegating its votes to itself. Use it through `networkHelpers.loadFixture`.
 * @param connection A `network.create()` connection.
 * @returns The typed contracts, the deployer (holding no role), the agents by name and as a list with their
 * agent ids, an unregistered `outsider`, the `guardian`, the `elders`, and `pass(actions, description)`, which runs a proposal that the
 * first five agents vote for through to execution.
 */
export async function deployProtocolFixture(connection: Connection) {
  const { ethers, ignition, networkHelpers } = connection;
  const signers = await ethers.getSigners();
  const deployer = signers[0];
  const outsider = signers[AGENT_NAMES.length + 1];
  const guardian = signers[AGENT_NAMES.length + 2];
  const elders = signers.slice(AGENT_NAMES.length + 3, AGENT_NAMES.length + 8);

  const deployed = await ignition.deploy(ProtocolModule, {
    parameters: { Protocol: { ...FIXTURE_GOVERNANCE, guardian: guardian.address } },
  });
  const address = (contract: { getAddress(): Promise<string> }) => contract.getAddress();
  const token = await ethers.getContractAt("CivitasToken", await address(deployed.token));
  const treasury = await ethers.getContractAt("Treasury", await address(deployed.treasury));
  const registry = await ethers.getContractAt("AgentRegistry", await address(deployed.registry));
  const staking = await ethers.getContractAt("Staking", await address(deployed.staking));
  const escrow = await ethers.getContractAt("Escrow", await address(deployed.escrow));
  const reputationRegistry = await ethers.getContractAt(
    "ReputationRegistry",
    await address(deployed.reputationRegistry),
  );
  const validationRegistry = await ethers.getContractAt(
    "ValidationRegistry",
    await address(deployed.validationRegistry),
  );
  const governor = await ethers.getContractAt("CivitasGovernor", await address(deployed.governor));
  const resourceLedger = await ethers.getContractAt("ResourceLedger", await address(deployed.resourceLedger));
  const resourceMarket = await ethers.getContractAt("ResourceMarket", await address(deployed.resourceMarket));
  const timelock = await ethers.getContractAt("CivitasTimelock", await address(deployed.timelock));
  const taskBoard = await ethers.getContractAt("TaskBoard", await address(deployed.taskBoard));
  const auditorRegistry = await ethers.getContractAt(
    "AuditorRegistry",
    await address(deployed.auditorRegistry),
  );
  const speechLog = await ethers.getContractAt("SpeechLog", await address(deployed.speechLog));
  // Agreement kinds (issue 17).
  const loanAgreements = await ethers.getContractAt("LoanAgreements", await address(deployed.loanAgreements));
  const insuranceAgreements = await ethers.getContractAt(
    "InsuranceAgreements",
    await address(deployed.insuranceAgreements),
  );
  const informationSales = await ethers.getContractAt(
    "InformationSales",
    await address(deployed.informationSales),
  );
  // Forwards and lottery pools (issue 17).
  const forwardAgreements = await ethers.getContractAt(
    "ForwardAgreements",
    await address(deployed.forwardAgreements),
  );
  const poolAgreements = await ethers.getContractAt("PoolAgreements", await address(deployed.poolAgreements));
  // Block lottery (issue 17).
  const blockLottery = await ethers.getContractAt("BlockLottery", await address(deployed.blockLottery));
  // Resource markets (issue 14): compute pools' factory.
  const computePoolFactory = await ethers.getContractAt(
    "ComputePoolFactory",
    await address(deployed.computePoolFactory),
  );
  // Human rewards and attention (issue 17).
  const reviewRewards = await ethers.getContractAt("ReviewRewards", await address(deployed.reviewRewards));

  const named = {} as Record<AgentName, HardhatEthersSigner>;
  const agentIds = {} as Record<AgentName, bigint>;
  for (const [i, name] of AGENT_NAMES.entries()) {
    const signer = signers[i + 1];
    named[name] = signer;
    await registry.connect(signer)["register()"]();
    agentIds[name] = await registry.agentIdOf(signer.address);
    await token.connect(signer).delegate(signer.address);
  }
  const agents = AGENT_NAMES.map((name) => named[name]);
  const voters = agents.slice(0, 5);
  // Earned votes for the voters: the timelock mints to the elders, who delegate to the voters.
  const timelockAddress = await timelock.getAddress();
  await networkHelpers.impersonateAccount(timelockAddress);
  await networkHelpers.setBalance(timelockAddress, 10n ** 18n);
  const asTimelock = await ethers.getSigner(timelockAddress);
  for (const [i, elder] of elders.entries()) {
    await token.connect(asTimelock).mint(elder.address, ELDER_VOTES);
    await token.connect(elder).delegate(voters[i].address);
  }
  await networkHelpers.stopImpersonatingAccount(timelockAddress);
  await networkHelpers.mine();

  /** Runs a proposal by alice that the first five agents vote for, through execution (or `until`). */
  async function pass(
    actions: Action[],
    description: string,
    options: { votes?: Ballots; until?: "vote" | "queue" | "execute" } = {},
  ): Promise<RunProposalResult> {
    return runProposal({
      governor,
      networkHelpers,
      proposer: named.alice,
      actions,
      description,
      votes: options.votes ?? { for: voters },
      until: options.until,
    });
  }

  return {
    deployer,
    outsider,
    guardian,
    elders,
    ...named,
    agents,
    agentIds,
    voters,
    token,
    treasury,
    registry,
    staking,
    escrow,
    reputationRegistry,
    validationRegistry,
    governor,
    timelock,
    resourceLedger,
    resourceMarket,
    taskBoard,
    auditorRegistry,
    speechLog,
    loanAgreements,
    insuranceAgreements,
    informationSales,
    blockLottery,
    computePoolFactory,
    forwardAgreements,
    poolAgreements,
    reviewRewards,
    pass,
  };
}

export type ProtocolFixture = Awaited<ReturnType<typeof deployProtocolFixture>>;
