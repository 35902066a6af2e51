/**
 * docs/governance.md, "From votes to execution, with any client", walked as written: plain viem calls with
 * the JSON ABIs of generated/abi/, on the real Protocol deployment (test/helpers/protocol.ts). A newcomer
 * (unregistered signer) earns votes with a job, delegates, proposes, the fixture's voters vote, and the
 * newcomer queues and executes with the description hash. Also checks the doc's quorum formula and its
 * worked figures against the chain.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { network } from "hardhat";
import {
  type Abi,
  type Address,
  createPublicClient,
  createWalletClient,
  custom,
  encodeFunctionData,
  keccak256,
  parseEventLogs,
  toBytes,
} from "viem";
import { REPO_ROOT } from "../../scripts/lib/deployment.ts";
import { DEFAULTS, ProposalState } from "../../scripts/lib/vocabulary.ts";
import { deployProtocolFixture } from "../helpers/protocol.js";

const connection = await network.create();
const { networkHelpers } = connection;
const CIV = 10n ** 18n;
const DAY = 86_400n;

/** The Protocol module with eight agents and the elders' earned votes. */
async function protocolFixture() {
  return deployProtocolFixture(connection);
}

/** A contract's ABI from generated/abi/<Name>.json, as any client would load it. */
const abi = (name: string) =>
  JSON.parse(readFileSync(join(REPO_ROOT, "generated", "abi", `${name}.json`), "utf8")) as Abi;

describe("docs/governance.md: from votes to execution with plain viem and the JSON ABIs", function () {
  it("a newcomer earns votes with a job, proposes, and the proposal is queued and executed with the hash", async function () {
    const f = await networkHelpers.loadFixture(protocolFixture);
    const transport = custom(connection.provider as never);
    const client = createPublicClient({ transport });
    const as = (address: string) => createWalletClient({ account: address as Address, transport });
    const c = {
      token: { address: (await f.token.getAddress()) as Address, abi: abi("CivitasToken") },
      registry: { address: (await f.registry.getAddress()) as Address, abi: abi("AgentRegistry") },
      escrow: { address: (await f.escrow.getAddress()) as Address, abi: abi("Escrow") },
      governor: { address: (await f.governor.getAddress()) as Address, abi: abi("CivitasGovernor") },
      timelock: { address: (await f.timelock.getAddress()) as Address, abi: abi("CivitasTimelock") },
    };
    const read = (contract: { address: Address; abi: Abi }, functionName: string, args: unknown[] = []) =>
      client.readContract({ ...contract, functionName, args }) as Promise<never>;
    const write = async (
      from: string,
      contract: { address: Address; abi: Abi },
      functionName: string,
      args: unknown[],
    ) => {
      const hash = await as(from).writeContract({ ...contract, functionName, args, chain: null } as never);
      const receipt = await client.waitForTransactionReceipt({ hash });
      expect(receipt.status, functionName).to.equal("success");
      return receipt;
    };
    const me = f.outsider.address;
    const alice = f.alice.address;
    const carol = f.carol.address;

    // 1. Get votes: register (the grant carries none), then earn as the provider of a 600 CIV job.
    await write(me, c.registry, "register", []);
    await write(me, c.token, "delegate", [me]);
    const clock = async () => BigInt(await read(c.governor, "clock"));
    expect(await read(c.governor, "getVotes", [me, (await clock()) - 1n])).to.equal(0n);
    const now = (await client.getBlock()).timestamp;
    await write(alice, c.escrow, "create", [
      {
        kind: 0,
        provider: me,
        arbitrator: carol,
        amount: 600n * CIV,
        arbitratorFee: 0n,
        deliveryDeadline: now + 3n * DAY,
        reviewWindow: Number(DAY),
        rulingWindow: Number(2n * DAY),
        termsHash: keccak256(toBytes("terms")),
        termsURI: "ipfs://terms",
      },
    ]);
    const id = (await read(c.escrow, "escrowCount")) as bigint;
    await write(me, c.escrow, "agree", [id]);
    const escrowRow = (await read(c.escrow, "escrowOf", [id])) as { bond: bigint };
    await write(carol, c.token, "approve", [c.escrow.address, escrowRow.bond]);
    await write(carol, c.escrow, "accept", [id]);
    await write(alice, c.token, "approve", [c.escrow.address, 600n * CIV]);
    await write(alice, c.escrow, "fund", [id]);
    await write(me, c.escrow, "submit", [id, "ipfs://work", keccak256(toBytes("work"))]);
    await write(alice, c.escrow, "approve", [id]);
    await networkHelpers.mine();
    // The doc's worked figure: 600 × (1 − 1%) = 594 CIV gross, taxed 10%: 534.6 CIV of votes.
    const [feeBps, taxBps, threshold] = await Promise.all([
      read(c.escrow, "protocolFeeBps") as Promise<bigint>,
      read(c.token, "taxBps") as Promise<bigint>,
      read(c.governor, "proposalThreshold") as Promise<bigint>,
    ]);
    const gross = 600n * CIV - (600n * CIV * feeBps) / 10_000n;
    const earned = gross - (gross * taxBps) / 10_000n;
    expect(earned).to.equal(5346n * 10n ** 17n);
    expect(threshold).to.equal(500n * CIV);
    expect(await read(c.governor, "getVotes", [me, (await clock()) - 1n])).to.equal(earned);

    // 2. Propose, with the proposer suffix.
    const targets = [c.token.address];
    const values = [0n];
    const calldatas = [encodeFunctionData({ abi: c.token.abi, functionName: "setTaxBps", args: [800n] })];
    const description = `Lower the tax to 8%#proposer=${me}`;
    const receipt = await write(me, c.governor, "propose", [targets, values, calldatas, description]);

    // 3. The id: hashProposal with the description hash = the event's id = latestProposalId.
    const descriptionHash = keccak256(toBytes(description));
    const proposalId = (await read(c.governor, "hashProposal", [
      targets,
      values,
      calldatas,
      descriptionHash,
    ])) as bigint;
    const [created] = parseEventLogs({
      abi: c.governor.abi,
      logs: receipt.logs,
      eventName: "ProposalCreated",
    });
    expect((created!.args as { proposalId: bigint }).proposalId).to.equal(proposalId);
    expect(await read(c.governor, "latestProposalId", [me])).to.equal(proposalId);

    // 4. Vote once Active; quorum(snapshot) = max(circulating × numerator / 100, floor).
    const snapshot = (await read(c.governor, "proposalSnapshot", [proposalId])) as bigint;
    await networkHelpers.time.increaseTo(snapshot + 1n);
    expect(ProposalState.nameOf(await read(c.governor, "state", [proposalId]))).to.equal("Active");
    for (const voter of f.voters) await write(voter.address, c.governor, "castVote", [proposalId, 1]);
    const [circulating, numerator, floor, quorum] = await Promise.all([
      read(c.token, "getPastCirculatingSupply", [snapshot]) as Promise<bigint>,
      read(c.governor, "quorumNumerator", [snapshot]) as Promise<bigint>,
      read(c.governor, "quorumFloor", [snapshot]) as Promise<bigint>,
      read(c.governor, "quorum", [snapshot]) as Promise<bigint>,
    ]);
    const fraction = (circulating * numerator) / 100n;
    expect(quorum).to.equal(fraction > floor ? fraction : floor);
    expect(floor).to.equal(4_000n * CIV);

    // 5. Queue after the deadline with the hash; eta = queue time + the timelock's min delay.
    const deadline = (await read(c.governor, "proposalDeadline", [proposalId])) as bigint;
    await networkHelpers.time.increaseTo(deadline + 1n);
    expect(ProposalState.nameOf(await read(c.governor, "state", [proposalId]))).to.equal("Succeeded");
    const queued = await write(me, c.governor, "queue", [targets, values, calldatas, descriptionHash]);
    const queuedAt = (await client.getBlock({ blockNumber: queued.blockNumber })).timestamp;
    const minDelay = (await read(c.timelock, "getMinDelay")) as bigint;
    expect(await read(c.governor, "proposalEta", [proposalId])).to.equal(queuedAt + minDelay);

    // 6. Execute at the eta.
    await networkHelpers.time.increaseTo(queuedAt + minDelay);
    await write(me, c.governor, "execute", [targets, values, calldatas, descriptionHash]);
    expect(ProposalState.nameOf(await read(c.governor, "state", [proposalId]))).to.equal("Executed");
    expect(await read(c.token, "taxBps")).to.equal(800n);
  });

  it("states the defaults' figures as the Ignition defaults give them (8 days; 500 and 4,000 CIV)", function () {
    const { votingDelay, votingPeriod, timelockMinDelay, proposalThreshold, quorumFloor } = DEFAULTS.Protocol;
    const days = (votingDelay + votingPeriod + timelockMinDelay) / DAY;
    const doc = readFileSync(join(REPO_ROOT, "docs", "governance.md"), "utf8");
    expect(doc).to.contain(
      `${votingDelay / DAY} + ${votingPeriod / DAY} + ${timelockMinDelay / DAY}\n= ${days} days with the defaults`,
    );
    expect(doc).to.contain(`(${proposalThreshold / CIV} CIV by\n   default)`);
    expect(doc).to.contain(`\`quorumFloor\` = ${(quorumFloor / CIV).toLocaleString("en-US")} CIV`);
  });
});
