/**
 * One escrow job along the happy path, on Civitas and on the ERC-8183 anchor (`AgenticCommerce`), for the gas
 * benches (bench/lib/hot-paths.ts, bench/escrow-jobs.ts): a 1,000 CIV job with a 20 CIV arbitrator fee,
 * delivery within 7 days.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import {
  type Contract,
  type TransactionReceipt,
  keccak256,
  toUtf8Bytes,
  ZeroAddress,
  ZeroHash,
} from "ethers";

import type { AgenticCommerce } from "../../types/ethers-contracts/index.js";
import { CIV, type deployProtocol, gasOf } from "./deployment.ts";

const DAY = 86_400n;
const TERMS_URI = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/terms.json";
const DELIVERABLE = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/work.json";

/** The parties of a job: the client approves (and is the anchor's evaluator). */
export interface JobParties {
  client: HardhatEthersSigner;
  provider: HardhatEthersSigner;
  arbitrator: HardhatEthersSigner;
}

type Escrow = Awaited<ReturnType<typeof deployProtocol>>["escrow"];

/**
 * Runs create → agree → accept → fund → submit → approve on the Civitas escrow.
 * @param now The latest block time, seconds (the delivery deadline is 7 days later).
 * @returns Each step's gas (in that order) and `approve`'s receipt (its logs and hash).
 */
export async function civitasJob(
  escrow: Escrow,
  { client, provider, arbitrator }: JobParties,
  now: bigint,
): Promise<{ steps: bigint[]; approve: TransactionReceipt }> {
  const terms = {
    kind: 0,
    provider: provider.address,
    arbitrator: arbitrator.address,
    amount: 1_000n * CIV,
    arbitratorFee: 20n * CIV,
    deliveryDeadline: now + 7n * DAY,
    reviewWindow: 3n * DAY,
    rulingWindow: 5n * DAY,
    termsHash: keccak256(toUtf8Bytes("terms")),
    termsURI: TERMS_URI,
  };
  const steps: bigint[] = [];
  steps.push(await gasOf(escrow.connect(client).create(terms)));
  const id = await escrow.escrowCount();
  steps.push(await gasOf(escrow.connect(provider).agree(id)));
  steps.push(await gasOf(escrow.connect(arbitrator).accept(id)));
  steps.push(await gasOf(escrow.connect(client).fund(id)));
  steps.push(await gasOf(escrow.connect(provider).submit(id, DELIVERABLE, ZeroHash)));
  const approve = (await (await escrow.connect(client).approve(id)).wait())!;
  steps.push(approve.gasUsed);
  return { steps, approve };
}

/**
 * Runs createJob → setBudget → fund → submit → complete on the anchor, the client as evaluator (the client
 * must have approved the anchor for CIV).
 * @param now The latest block time, seconds (the job expires 7 days later).
 * @returns Each step's gas, in that order.
 */
export async function anchorJob(
  anchor: AgenticCommerce,
  { client, provider }: JobParties,
  now: bigint,
): Promise<bigint[]> {
  const steps: bigint[] = [];
  steps.push(
    await gasOf(anchor.connect(client).createJob(provider, client, now + 7n * DAY, TERMS_URI, ZeroAddress)),
  );
  const jobId = await anchor.jobCount();
  steps.push(await gasOf(anchor.connect(client).setBudget(jobId, 1_000n * CIV)));
  steps.push(await gasOf(anchor.connect(client).fund(jobId, 1_000n * CIV)));
  steps.push(await gasOf(anchor.connect(provider).submit(jobId, keccak256(toUtf8Bytes("work")))));
  steps.push(await gasOf(anchor.connect(client).complete(jobId, ZeroHash)));
  return steps;
}
