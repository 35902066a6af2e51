/**
 * Gas per escrow step and per whole path, on the real CivitasToken and Treasury with the registry mock
 * (contracts/mocks/MockAgentRegistry.sol: one storage read per good-standing check, one write and one
 * event per reputation report; the real registry will cost more per call).
 *
 * Job of 1,000 CIV (below the 2,500 CIV full-credit amount: the provider's +4 is reported, the client's
 * 0.8 point is carried as credit), fee 20 CIV, fresh counterparties on the first run.
 *
 * Usage: HARDHAT_DISABLE_TELEMETRY=true npx hardhat run bench/escrow-gas.ts
 * Prints a markdown table. Each path runs twice; the second run is reported (the escrow counter and the
 * parties' balances are then already non-zero, as on a live chain).
 */
import { network } from "hardhat";
import { deployEscrowOnMockRegistry } from "../test/helpers/escrow.ts";
import { DEFAULTS } from "../scripts/lib/vocabulary.ts";

const { ethers, networkHelpers } = await network.connect();
const CIV = 10n ** 18n;
const DAY = 86_400n;

const [admin, client, provider, arbitrator, keeper] = await ethers.getSigners();
const treasury = await ethers.deployContract("Treasury", [admin.address]);
const token = await ethers.deployContract("CivitasToken", [
  admin.address,
  await treasury.getAddress(),
  DEFAULTS.Foundation.taxBps,
  DEFAULTS.Foundation.capBps,
]);
const { escrow, escrowAddr } = await deployEscrowOnMockRegistry(
  ethers,
  admin.address,
  await token.getAddress(),
  [client, provider, arbitrator].map((a) => a.address),
);
await token.setProtocolAccount(escrowAddr, true);
for (const a of [client, provider, arbitrator]) {
  await treasury.transfer(await token.getAddress(), a.address, 50_000n * CIV);
}
await token.connect(client).approve(escrowAddr, ethers.MaxUint256);
await token.connect(arbitrator).approve(escrowAddr, ethers.MaxUint256);

async function gas(p: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>) {
  return (await (await p).wait())!.gasUsed;
}

async function terms() {
  const now = BigInt(await networkHelpers.time.latest());
  return {
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
}
const deliverable = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/work.json";
const evidence = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/evidence.json";

async function toSubmitted(rows: Map<string, bigint>) {
  rows.set("create", await gas(escrow.connect(client).create(await terms())));
  const id = await escrow.escrowCount();
  rows.set("agree (provider consents)", await gas(escrow.connect(provider).agree(id)));
  rows.set("accept (bond deposit)", await gas(escrow.connect(arbitrator).accept(id)));
  rows.set("fund (approve beforehand)", await gas(escrow.connect(client).fund(id)));
  rows.set("submit", await gas(escrow.connect(provider).submit(id, deliverable, ethers.ZeroHash)));
  return id;
}

async function happy() {
  const rows = new Map<string, bigint>();
  const id = await toSubmitted(rows);
  rows.set(
    "approve (settle: payEarnings, fee, refunds, reputation credit)",
    await gas(escrow.connect(client).approve(id)),
  );
  rows.set("rate (once, with report)", await gas(escrow.connect(client).rate(id, 1)));
  return rows;
}

async function disputePath() {
  const rows = new Map<string, bigint>();
  const id = await toSubmitted(rows);
  rows.set("dispute (with evidence URI)", await gas(escrow.connect(client).dispute(id, evidence)));
  rows.set("submitEvidence", await gas(escrow.connect(provider).submitEvidence(id, evidence)));
  rows.set("rule 70% (settle, 3 reports)", await gas(escrow.connect(arbitrator).rule(id, 7_000n)));
  return rows;
}

async function timeouts() {
  const rows = new Map<string, bigint>();
  // Missed delivery.
  await escrow.connect(client).create(await terms());
  let id = await escrow.escrowCount();
  await escrow.connect(provider).agree(id);
  await escrow.connect(arbitrator).accept(id);
  await escrow.connect(client).fund(id);
  await networkHelpers.time.increase(8n * DAY);
  rows.set("reclaim (missed delivery)", await gas(escrow.connect(client).reclaim(id)));
  // Silent client.
  id = await toSubmitted(new Map());
  await networkHelpers.time.increase(4n * DAY);
  rows.set("claim (silent client, by a keeper)", await gas(escrow.connect(keeper).claim(id)));
  // Arbitrator no-show.
  id = await toSubmitted(new Map());
  await escrow.connect(client).dispute(id, evidence);
  await networkHelpers.time.increase(6n * DAY);
  rows.set("resolveNoShow", await gas(escrow.connect(keeper).resolveNoShow(id)));
  // Cancel after acceptance.
  await escrow.connect(client).create(await terms());
  id = await escrow.escrowCount();
  await escrow.connect(provider).agree(id);
  await escrow.connect(arbitrator).accept(id);
  rows.set("cancel (bond returned)", await gas(escrow.connect(provider).cancel(id)));
  // Funding with a permit instead of an approval.
  await escrow.connect(client).create(await terms());
  id = await escrow.escrowCount();
  await escrow.connect(provider).agree(id);
  await escrow.connect(arbitrator).accept(id);
  const e = await escrow.escrowOf(id);
  const d = await token.eip712Domain();
  const deadline = BigInt(await networkHelpers.time.latest()) + DAY;
  const sig = ethers.Signature.from(
    await client.signTypedData(
      { name: d.name, version: d.version, chainId: d.chainId, verifyingContract: d.verifyingContract },
      {
        Permit: [
          { name: "owner", type: "address" },
          { name: "spender", type: "address" },
          { name: "value", type: "uint256" },
          { name: "nonce", type: "uint256" },
          { name: "deadline", type: "uint256" },
        ],
      },
      {
        owner: client.address,
        spender: escrowAddr,
        value: e.amount + e.arbitratorFee,
        nonce: await token.nonces(client.address),
        deadline,
      },
    ),
  );
  rows.set(
    "fundWithPermit",
    await gas(escrow.connect(client).fundWithPermit(id, deadline, sig.v, sig.r, sig.s)),
  );
  return rows;
}

function table(title: string, rows: Map<string, bigint>, total?: string[]) {
  const lines = [`### ${title}`, "", "| step | gas |", "| --- | ---: |"];
  for (const [k, v] of rows) lines.push(`| ${k} | ${v.toLocaleString("en-US")} |`);
  if (total) {
    const sum = total.reduce((s, k) => s + rows.get(k)!, 0n);
    lines.push(
      `| **total (${total.join(" + ").replace(/ \(.*?\)/g, "")})** | **${sum.toLocaleString("en-US")}** |`,
    );
  }
  return lines.join("\n");
}

await happy();
const h = await happy();
await disputePath();
const dp = await disputePath();
const t = await timeouts();
const core = [
  "create",
  "agree (provider consents)",
  "accept (bond deposit)",
  "fund (approve beforehand)",
  "submit",
];
console.log(
  table("Happy path", h, [...core, "approve (settle: payEarnings, fee, refunds, reputation credit)"]),
);
console.log();
console.log(
  table("Dispute path", dp, [
    ...core,
    "dispute (with evidence URI)",
    "submitEvidence",
    "rule 70% (settle, 3 reports)",
  ]),
);
console.log();
console.log(table("Timeouts and other steps", t));
