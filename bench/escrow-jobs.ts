/**
 * The escrow happy path job after job between the same self-delegated agents on the real deployment (the
 * Protocol Ignition module), beside the ERC-8183 anchor, and where `approve`'s gas goes (call frames of the
 * token, the registry and the reputation registry, from the node's opcode trace).
 *
 * Usage: `npx hardhat run bench/escrow-jobs.ts` (JOBS=n, default 12). Prints, per job, every step's gas and
 * the total beside the anchor's, then the itemised `approve` of the last job with the most reports.
 */
import { network } from "hardhat";

import { CIV, deployProtocol } from "./lib/deployment.ts";
import { anchorJob, civitasJob } from "./lib/jobs.ts";

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
// The approve itemised at the end: the last one with the most reports (the costliest kind).
let lastApprove = { hash: "", job: 0, reports: -1 };
const registryAddress = (await registry.getAddress()).toLowerCase();
const reportTopic = registry.interface.getEvent("ReputationChanged")!.topicHash;
console.log(
  "| job | create | agree | accept | fund | submit | approve | reports | Civitas | ERC-8183 | ratio |",
);
console.log("| --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: |");
for (let job = 1; job <= JOBS; job++) {
  const now = BigInt(await networkHelpers.time.latest());
  const { steps, approve } = await civitasJob(escrow, { client, provider, arbitrator }, now);
  const reports = approve.logs.filter(
    (log) => log.address.toLowerCase() === registryAddress && log.topics[0] === reportTopic,
  ).length;
  if (reports >= lastApprove.reports) lastApprove = { hash: approve.hash, job, reports };
  const a = await anchorJob(anchor, { client, provider, arbitrator }, now);
  const civ = steps.reduce((x, y) => x + y, 0n);
  const anc = a.reduce((x, y) => x + y, 0n);
  console.log(
    `| ${job} | ${steps.join(" | ")} | ${reports} | ${civ} | ${anc} | ${(Number((civ * 1000n) / anc) / 1000).toFixed(3)}x |`,
  );
}

// Itemise that approve: gas of each call frame the escrow makes (and the frames below it).
const trace = (await connection.provider.request({
  method: "debug_traceTransaction",
  params: [lastApprove.hash, { disableStorage: true, disableMemory: true, disableStack: false }],
})) as { gas: number; structLogs: { op: string; gas: number; depth: number; stack?: string[] }[] };
const logs = trace.structLogs;
if (process.env.TRACE_FILE)
  (await import("node:fs")).writeFileSync(process.env.TRACE_FILE, JSON.stringify(trace));
console.log(
  `\napprove of job ${lastApprove.job} (${lastApprove.reports} reports): ${trace.gas} gas; call frames (gas spent inside each, children included):`,
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
