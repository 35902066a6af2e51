/**
 * The auditor end to end: a devnet with the Protocol deployment, the indexer following it, and attacks run
 * within the chain's rules; each raises its rule's flag with the accounts and transactions that raised it,
 * an auditor appointed by governance records a verdict that the indexer joins to the flag, and
 * /metrics/audit counts the flags by rule and severity.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { Contract, JsonRpcSigner, id, parseEther } from "ethers";
import { type Indexer, startIndexer } from "../../indexer/run.ts";
import { flagIdOf } from "../../indexer/audit/flagId.ts";
import { AUDIT_CONFIG } from "../../indexer/audit/config.ts";
import { auditorRegistryAbi } from "../../generated/abis.ts";
import type { Deployment } from "../../scripts/lib/deployment.ts";
import { type Devnet, deployProtocol, startDevnet } from "../../scripts/lib/devnet.ts";
import { blockNumber, chainClients, gql, send } from "../indexer/helpers.ts";

interface FlagRow {
  id: string;
  rule: string;
  severity: string;
  accounts: string[];
  transactionHashes: string[];
  transactionHash: string;
  logIndex: number;
  verdict: string;
  reviews: number;
}

describe("auditor: attacks on a devnet raise their flags (e2e)", function () {
  this.timeout(600_000);
  let devnet: Devnet;
  let deployment: Deployment;
  let indexer: Indexer;
  let clients: Awaited<ReturnType<typeof chainClients>>;
  let flags: FlagRow[];
  const work = mkdtempSync(join(tmpdir(), "civitas-auditor-"));
  const hashes: Record<string, string[]> = {};

  async function asTimelock(): Promise<JsonRpcSigner> {
    const timelock = deployment.contracts.timelock!;
    await clients.provider.send("hardhat_impersonateAccount", [timelock]);
    await clients.provider.send("hardhat_setBalance", [timelock, "0xde0b6b3a7640000"]);
    return new JsonRpcSigner(clients.provider, timelock);
  }

  async function sent(label: string, tx: Promise<{ hash: string; wait(): Promise<unknown> }>) {
    const response = await tx;
    await response.wait();
    (hashes[label] ??= []).push(response.hash.toLowerCase());
  }

  before(async function () {
    devnet = await startDevnet();
    deployment = await deployProtocol(devnet.rpcUrl, { deploymentsDir: join(work, "deployments") });
    indexer = await startIndexer({
      rpcUrl: devnet.rpcUrl,
      chainId: deployment.chainId,
      deploymentsDir: join(work, "deployments"),
      databaseDir: join(work, "pglite"),
    });
    clients = await chainClients(devnet.rpcUrl, deployment);
    const { signers, token, treasury, governor, registry } = clients;
    const timelock = await asTimelock();

    // sybil-burst: five wallets delegate to one address within a day.
    const boss = signers[6]!.address;
    for (const s of signers.slice(1, 1 + AUDIT_CONFIG["sybil-burst"].minAccounts))
      await sent("sybil", (token.connect(s) as Contract).delegate(boss));

    // wash-trading: 100 CIV goes from wallet 7 to wallet 8 and (net of tax) back.
    await send((registry!.connect(signers[7]!) as Contract)["register()"]());
    await send((registry!.connect(signers[8]!) as Contract)["register()"]());
    await sent(
      "wash",
      (token.connect(signers[7]!) as Contract).transfer(signers[8]!.address, parseEther("100")),
    );
    await sent(
      "wash",
      (token.connect(signers[8]!) as Contract).transfer(signers[7]!.address, parseEther("85")),
    );

    // governance-concentration: an account with earned votes proposes a Treasury transfer to itself.
    const proposer = signers[9]!;
    await send((token.connect(timelock) as Contract).mint(proposer.address, parseEther("1000")));
    await send((token.connect(proposer) as Contract).delegate(proposer.address));
    await clients.provider.send("evm_mine", []);
    const drain = treasury.interface.encodeFunctionData("transfer", [
      await token.getAddress(),
      proposer.address,
      parseEther("900000"),
    ]);
    await sent(
      "proposal",
      (governor!.connect(proposer) as Contract).propose(
        [await treasury.getAddress()],
        [0n],
        [drain],
        "Drain",
      ),
    );

    // wealth-near-cap and treasury-outflow: governance pays out most of the month's outflow window.
    const whale = "0x000000000000000000000000000000000000a0d1";
    const cap = (await token.wealthCap()) as bigint;
    await sent(
      "whale",
      (treasury.connect(timelock) as Contract).transfer(await token.getAddress(), whale, (cap * 95n) / 100n),
    );
    const available = (await treasury.outflowAvailable(await token.getAddress())) as bigint;
    await sent(
      "outflow",
      (treasury.connect(timelock) as Contract).transfer(
        await token.getAddress(),
        "0x000000000000000000000000000000000000a0d2",
        available,
      ),
    );

    // The review workflow: governance appoints an auditor, who escalates the proposal's flag.
    const registryAddress = deployment.contracts.auditorRegistry!;
    const auditors = new Contract(registryAddress, auditorRegistryAbi as never, timelock);
    await send(auditors.grantRole(id("AUDITOR_ROLE"), signers[0]!.address));
    const proposalReceipt = await clients.provider.getTransactionReceipt(hashes.proposal![0]!);
    const governorAddress = (await governor!.getAddress()).toLowerCase();
    const created = proposalReceipt!.logs.find((l) => l.address.toLowerCase() === governorAddress);
    const flagId = flagIdOf("governance-concentration", hashes.proposal![0] as `0x${string}`, created!.index);
    expect(await auditors.flagIdOf("governance-concentration", hashes.proposal![0], created!.index)).to.equal(
      flagId,
    );
    await sent(
      "verdict",
      (auditors.connect(signers[0]!) as Contract).recordVerdict(flagId, 3, "ipfs://escalate-drain"),
    );

    await indexer.waitForIndexedBlock(await blockNumber(clients.provider));
    const data = await gql<{ flags: { items: FlagRow[] } }>(
      indexer.graphqlUrl,
      `{ flags(limit: 100) { items { id rule severity accounts transactionHashes transactionHash logIndex verdict reviews } } }`,
    );
    flags = data.flags.items;
  });

  after(async function () {
    await indexer?.stop();
    await devnet?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  const only = (rule: string) => {
    const found = flags.filter((f) => f.rule === rule);
    expect(found, `${rule} flags: ${JSON.stringify(flags.map((f) => f.rule))}`).to.have.length(1);
    return found[0]!;
  };

  it("flags five wallets delegating to one address (sybil-burst, high), naming them and their transactions", function () {
    const f = only("sybil-burst");
    expect(f.severity).to.equal("high");
    const members = clients.signers.slice(1, 6).map((s) => s.address.toLowerCase());
    expect(f.accounts).to.have.members([clients.signers[6]!.address.toLowerCase(), ...members]);
    expect(f.transactionHashes).to.deep.equal(hashes.sybil);
    expect(f.id).to.equal(flagIdOf("sybil-burst", f.transactionHash as `0x${string}`, f.logIndex));
  });

  it("flags CIV coming back to its sender (wash-trading)", function () {
    const f = only("wash-trading");
    expect(f.severity).to.equal("medium");
    expect(f.accounts).to.have.members([
      clients.signers[7]!.address.toLowerCase(),
      clients.signers[8]!.address.toLowerCase(),
    ]);
    expect(f.transactionHashes).to.deep.equal(hashes.wash);
  });

  it("flags a proposal calling the Treasury (governance-concentration, high) and joins the auditor's escalation", async function () {
    const f = only("governance-concentration");
    expect(f.severity).to.equal("high");
    expect(f.accounts).to.deep.equal([clients.signers[9]!.address.toLowerCase()]);
    expect(f.transactionHashes).to.deep.equal(hashes.proposal);
    expect(f.verdict).to.equal("escalated");
    expect(f.reviews).to.equal(1);
    const data = await gql<{
      reviews: { items: { flagId: string; verdict: string; noteUri: string; flag: { rule: string } }[] };
    }>(indexer.graphqlUrl, `{ reviews { items { flagId verdict noteUri flag { rule } } } }`);
    expect(data.reviews.items).to.deep.equal([
      {
        flagId: f.id,
        verdict: "escalated",
        noteUri: "ipfs://escalate-drain",
        flag: { rule: "governance-concentration" },
      },
    ]);
  });

  it("flags holdings near the wealth cap (wealth-near-cap)", function () {
    const f = only("wealth-near-cap");
    expect(f.accounts).to.deep.equal(["0x000000000000000000000000000000000000a0d1"]);
    expect(f.transactionHashes).to.deep.equal(hashes.whale);
  });

  it("flags Treasury outflows near the window's limit (treasury-outflow, high)", function () {
    const f = only("treasury-outflow");
    expect(f.severity).to.equal("high");
    expect(f.transactionHash).to.equal(hashes.outflow![0]);
    expect(f.accounts).to.include("0x000000000000000000000000000000000000a0d2");
  });

  it("counts flags by rule and severity on /metrics/audit and lists the open ones on /flags/open", async function () {
    const metrics = await (await fetch(`${indexer.url}/metrics/audit`)).text();
    expect(metrics).to.include('civitas_audit_flags_total{rule="sybil-burst",severity="high"} 1');
    expect(metrics).to.include('civitas_audit_flags_total{rule="wash-trading",severity="medium"} 1');
    const open = (await (await fetch(`${indexer.url}/flags/open`)).json()) as FlagRow[];
    expect(open.map((f) => f.rule)).to.include("governance-concentration"); // escalated stays open
    expect(open.length).to.equal(flags.length);
    expect(open[0]!.severity).to.equal("high");
  });
});
