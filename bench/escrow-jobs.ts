/**
 * The escrow happy path job after job between the same self-delegated agents on the real deployment (the
 * Protocol Ignition module), beside the ERC-8183 anchor, and where `approve`'s gas goes (call frames of the
 * token, the registry and the reputation registry, from the node's opcode trace).
 *
 * Usage: `npx hardhat run bench/escrow-jobs.ts` (JOBS=n, default 12). Prints, per job, every step's gas and
 * the total beside the anchor's, then the itemised `approve` of the last job.
 */
import { network } from "hardhat";

import { CIV, deployProtocol, gasOf } from "./lib/deployment.ts";

const DAY = 86_400n;
const JOBS = Number(process.env.JOBS ?? 12);

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const signers = await ethers.getSigners();
const [client, provider, arbitrator] = signers.slice(2);
const { token, treasury, registry, escrow, reputationRegistry, timelock, mintEarned } =
  await deployProtocol(connection);
for (const who of [client, provider, arbitrator]) {
  await (await registry.connect(who)["register()"]()).wait();
  await mintEarned(who.address, 100_000n * CIV);
  await (await token.connect(who).delegate(who)).wait();
  await (await token.connect(who).approve(escrow, ethers.MaxUint256)).wait();
}
const anchor = await ethers.deployContract("AgenticCommerce", [token, treasury, 100n]);
await (await token.connect(timelock).setProtocolAccount(anchor, true)).wait();
await (await token.connect(client).approve(anchor, ethers.MaxUint256)).wait();
const names = new Map<string, string>([
  [(await token.getAddress()).toLowerCase(), "token"],
  [(await registry.getAddress()).toLowerCase(), "registry"],
  [(await reputationRegistry.getAddress()).toLowerCase(), "reputation"],
  [(await escrow.getAddress()).toLowerCase(), "escrow"],
]);
let lastApprove = "";
const registryAddress = (await registry.getAddress()).toLowerCase();
const reportTopic = registry.interface.getEvent("ReputationChanged")!.topicHash;
console.log(
  "| job | create | agree | accept | fund | submit | approve | reports | Civitas | ERC-8183 | ratio |",
);
console.log("| --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: |");
for (let job = 1; job <= JOBS; job++) {
  const now = BigInt(await networkHelpers.time.latest());
  const terms = {
    kind: 0,
    provider: provider.address,
    arbitrator: arbitrator.address,
    amount: 1_000n * CIV,
    arbitratorFee: 20n * CIV,
    deliveryDeadline: now + 7n * DAY,
    reviewWindow: 3n * DAY,
    rulingWindow: 5n * DAY,
    termsHash: ethers.keccak256(ethers.toUtf8Bytes("terms")),
    termsURI: "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/terms.json",
  };
  const steps: bigint[] = [];
  steps.push(await gasOf(escrow.connect(client).create(terms)));
  const id = await escrow.escrowCount();
  steps.push(await gasOf(escrow.connect(provider).agree(id)));
  steps.push(await gasOf(escrow.connect(arbitrator).accept(id)));
  steps.push(await gasOf(escrow.connect(client).fund(id)));
  const deliverable = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/work.json";
  steps.push(await gasOf(escrow.connect(provider).submit(id, deliverable, ethers.ZeroHash)));
  const approveTx = await escrow.connect(client).approve(id);
  const approveReceipt = (await approveTx.wait())!;
  steps.push(approveReceipt.gasUsed);
  const reports = approveReceipt.logs.filter(
    (log) => log.address.toLowerCase() === registryAddress && log.topics[0] === reportTopic,
  ).length;
  lastApprove = approveTx.hash;
  const a: bigint[] = [];
  const description = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/terms.json";
  a.push(
    await gasOf(
      anchor.connect(client).createJob(provider, client, now + 7n * DAY, description, ethers.ZeroAddress),
    ),
  );
  const jobId = await anchor.jobCount();
  a.push(await gasOf(anchor.connect(client).setBudget(jobId, 1_000n * CIV)));
  a.push(await gasOf(anchor.connect(client).fund(jobId, 1_000n * CIV)));
  a.push(await gasOf(anchor.connect(provider).submit(jobId, ethers.keccak256(ethers.toUtf8Bytes("work")))));
  a.push(await gasOf(anchor.connect(client).complete(jobId, ethers.ZeroHash)));
  const civ = steps.reduce((x, y) => x + y, 0n);
  const anc = a.reduce((x, y) => x + y, 0n);
  console.log(
    `| ${job} | ${steps.join(" | ")} | ${reports} | ${civ} | ${anc} | ${(Number((civ * 1000n) / anc) / 1000).toFixed(3)}x |`,
  );
}

// Itemise the last approve: gas of each call frame the escrow makes (and the frames below it).
const trace = (await connection.provider.request({
  method: "debug_traceTransaction",
  params: [lastApprove, { disableStorage: true, disableMemory: true, disableStack: false }],
})) as { gas: number; structLogs: { op: string; gas: number; depth: number; stack?: string[] }[] };
const logs = trace.structLogs;
if (process.env.TRACE_FILE)
  (await import("node:fs")).writeFileSync(process.env.TRACE_FILE, JSON.stringify(trace));
console.log(
  `\napprove of job ${JOBS}: ${trace.gas} gas; call frames (gas spent inside each, children included):`,
);
for (let i = 0; i < logs.length; i++) {
  const l = logs[i]!;
  if (!["CALL", "STATICCALL", "DELEGATECALL"].includes(l.op)) continue;
  const stack = l.stack ?? [];
  const to = "0x" + stack[stack.length - 2]!.replace(/^0x/, "").padStart(40, "0").slice(-40);
  const input = logs[i + 1];
  if (input === undefined || input.depth !== l.depth + 1) continue;
  let j = i + 1;
  while (j < logs.length && logs[j]!.depth > l.depth) j++;
  const spent = l.gas - logs[j]!.gas;
  console.log(`${"  ".repeat(l.depth - 1)}${l.op} ${names.get(to.toLowerCase()) ?? to}: ${spent}`);
}
