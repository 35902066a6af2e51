/**
 * Validation Registry (ERC-8004 validation with stake-secured requests and attestation rewards): one row
 * per request (its latest response and its fee's fate), every response, fee movement, reward claim and
 * slash as append-only rows, and the reward policy of each tag. The CIV legs of fees and rewards are
 * recorded by the token's handler (deposits, earnings, refunds, grants); these rows say why they moved.
 */
import {
  attestationReward,
  rewardPolicy,
  validationFee,
  validationRequest,
  validationResponse,
  validatorSlash,
} from "ponder:schema";
import { RewardOutcome } from "../../scripts/lib/vocabulary.ts";
import { isDeployed } from "../lib/deployment.ts";
import { on } from "../lib/handler.ts";
import { type Db, type EventInfo, lc, recordParameter } from "../lib/store.ts";

/** Where each event puts a fee row: kind, party and amounts. */
async function logFee(
  db: Db,
  event: EventInfo,
  requestHash: `0x${string}`,
  kind: "escrowed" | "paid" | "refunded",
  party: string,
  amount: bigint,
  tax = 0n,
  capExcess = 0n,
): Promise<void> {
  await db.insert(validationFee).values({
    id: event.id,
    requestHash,
    kind,
    party: lc(party),
    amount,
    tax,
    capExcess,
    blockNumber: event.block.number,
    transactionHash: event.transaction.hash,
    timestamp: event.block.timestamp,
  });
}

if (isDeployed("validationRegistry")) {
  on("ValidationRegistry:ValidationRequest", async ({ event, context }) => {
    const { validatorAddress, agentId, requestURI, requestHash } = event.args;
    await context.db.insert(validationRequest).values({
      requestHash,
      agentId,
      validator: lc(validatorAddress),
      requester: lc(event.transaction.from),
      requestURI,
      responseCount: 0,
      staked: false,
      feeStatus: "none",
      fee: 0n,
      feeTax: 0n,
      rewardPaid: 0n,
      createdAt: event.block.timestamp,
      createdAtBlock: event.block.number,
      createdAtTransaction: event.transaction.hash,
      updatedAt: event.block.timestamp,
    });
  });

  on("ValidationRegistry:StakedValidationRequested", async ({ event, context }) => {
    const { requestHash, payer, fee, deadline, validatorStake } = event.args;
    await context.db.update(validationRequest, { requestHash }).set({
      staked: true,
      feeStatus: "escrowed",
      feePayer: lc(payer),
      fee,
      deadline,
      validatorStake,
      updatedAt: event.block.timestamp,
    });
    await logFee(context.db, event, requestHash, "escrowed", payer, fee);
  });

  on("ValidationRegistry:ValidationResponse", async ({ event, context }) => {
    const { validatorAddress, agentId, requestHash, response, responseURI, responseHash, tag } = event.args;
    await context.db.insert(validationResponse).values({
      id: event.id,
      requestHash,
      agentId,
      validator: lc(validatorAddress),
      response,
      responseURI,
      responseHash,
      tag,
      blockNumber: event.block.number,
      transactionHash: event.transaction.hash,
      timestamp: event.block.timestamp,
    });
    await context.db.update(validationRequest, { requestHash }).set((row) => ({
      response,
      responseURI,
      responseHash,
      tag,
      responseCount: row.responseCount + 1,
      respondedAt: event.block.timestamp,
      updatedAt: event.block.timestamp,
    }));
  });

  on("ValidationRegistry:ValidationFeePaid", async ({ event, context }) => {
    const { requestHash, validatorAddress, gross, tax, capExcess } = event.args;
    await context.db
      .update(validationRequest, { requestHash })
      .set({ feeStatus: "paid", feeTax: tax, updatedAt: event.block.timestamp });
    await logFee(context.db, event, requestHash, "paid", validatorAddress, gross, tax, capExcess);
  });

  on("ValidationRegistry:ValidationFeeRefunded", async ({ event, context }) => {
    const { requestHash, payer, amount } = event.args;
    await context.db
      .update(validationRequest, { requestHash })
      .set({ feeStatus: "refunded", updatedAt: event.block.timestamp });
    await logFee(context.db, event, requestHash, "refunded", payer, amount);
  });

  on("ValidationRegistry:AttestationRewardDrawn", async ({ event, context }) => {
    const { requestHash, agentId, recipient, tag, epoch, amount, outcome, agentEpochTotal } = event.args;
    await context.db.insert(attestationReward).values({
      id: event.id,
      requestHash,
      agentId,
      recipient: lc(recipient),
      tag,
      epoch,
      amount,
      outcome: RewardOutcome.keyOf(outcome),
      agentEpochTotal,
      blockNumber: event.block.number,
      transactionHash: event.transaction.hash,
      timestamp: event.block.timestamp,
    });
    if (amount !== 0n) {
      await context.db
        .update(validationRequest, { requestHash })
        .set((row) => ({ rewardPaid: row.rewardPaid + amount, updatedAt: event.block.timestamp }));
    }
  });

  on("ValidationRegistry:ValidatorSlashed", async ({ event, context }) => {
    const { requestHash, validatorAddress, agentId, slashId, slashBps } = event.args;
    await context.db.insert(validatorSlash).values({
      id: event.id,
      requestHash,
      validator: lc(validatorAddress),
      agentId,
      slashId,
      slashBps,
      timestamp: event.block.timestamp,
    });
    await context.db
      .update(validationRequest, { requestHash })
      .set({ slashId, updatedAt: event.block.timestamp });
  });

  on("ValidationRegistry:RewardPolicySet", async ({ event, context }) => {
    const { tag, newPolicy } = event.args;
    const values = {
      rewardPerPass: newPolicy.rewardPerPass,
      capPerAgentPerEpoch: newPolicy.capPerAgentPerEpoch,
      minFee: newPolicy.minFee,
      passThreshold: newPolicy.passThreshold,
      updatedAt: event.block.timestamp,
    };
    await context.db
      .insert(rewardPolicy)
      .values({ tag, ...values })
      .onConflictDoUpdate(values);
  });

  on("ValidationRegistry:MinValidatorStakeUpdated", async ({ event, context }) => {
    const { oldMinStake, newMinStake } = event.args;
    await recordParameter(
      context.db,
      event,
      "ValidationRegistry",
      "minValidatorStake",
      oldMinStake,
      newMinStake,
    );
  });
}
