/**
 * Human rewards and attention (issue 17) end to end, kept small: a devnet, the protocol deployed, a reviewer
 * appointed by the (impersonated) timelock, one market epoch of attention sold and its winner recorded, two
 * reviews (one paid, one of 0 points) — then the indexer's `workReview` and `attentionEpoch` rows equal the
 * contract's.
 */
import { expect } from "chai";
import { Contract, id } from "ethers";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as abis from "../../generated/abis.ts";
import { type Devnet, deployProtocol, startDevnet } from "../../scripts/lib/devnet.ts";
import type { Deployment } from "../../scripts/lib/deployment.ts";
import { type Indexer, startIndexer } from "../../indexer/run.ts";
import { advanceTo, impersonateTimelock, marketContracts } from "../market/devnet.ts";
import { allRows, blockNumber, chainClients, send } from "./helpers.ts";

const lower = (a: string) => a.toLowerCase();
const ATTENTION = 2n;

describe("Indexer: review rewards and attention (end to end)", function () {
  this.timeout(900_000);
  let devnet: Devnet;
  let indexer: Indexer | undefined;
  let deployment: Deployment;
  const work = mkdtempSync(join(tmpdir(), "civitas-review-indexer-"));
  const logs: string[] = [];

  before(async function () {
    process.env.CIVITAS_INDEXER_START_TIMEOUT_MS ??= "600000";
    devnet = await startDevnet();
    deployment = await deployProtocol(devnet.rpcUrl, { deploymentsDir: join(work, "deployments") });
  });

  afterEach(function () {
    if (this.currentTest?.state === "failed") console.error(logs.slice(-80).join("\n"));
  });

  after(async function () {
    await indexer?.stop();
    await devnet?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it("indexes every review with its reward and each epoch's attention offer and winner", async function () {
    const { provider, signers } = await chainClients(devnet.rpcUrl, deployment);
    const [, alice, bob, reviewer] = signers;
    const { market, registry, token } = marketContracts(deployment, alice!);
    const rewardsAt = (signer: typeof alice) =>
      new Contract(deployment.contracts.reviewRewards!, abis.reviewRewardsAbi as never, signer);
    const rewards = rewardsAt(alice!);
    const timelock = await impersonateTimelock(provider, deployment);
    await send(rewardsAt(timelock).getFunction("grantRole")(id("REVIEWER_ROLE"), reviewer!.address));
    await send(registry.getFunction("register()")());
    await send(registry.connect(bob!).getFunction("register()")());
    const aliceId: bigint = await registry.agentIdOf(alice!.address);
    const bobId: bigint = await registry.agentIdOf(bob!.address);

    // One epoch of attention: offered by the contract, alice bids 12 CIV, the epoch clears.
    const epoch: bigint = await market.currentEpoch();
    await send(rewards.offerAttention(epoch));
    await send(token.approve(await market.getAddress(), 12n * 10n ** 18n));
    await send(market.bid(ATTENTION, epoch, 12n, 1n));
    await advanceTo(provider, (await market.epochEnd(epoch)) + 1n);
    await send(market.claimBid(1n));
    await send(rewards.recordAttentionWinner(1n));

    // Two reviews in the next epoch: alice's work (the attention winner, 40 points), bob's (0 points).
    const asReviewer = rewardsAt(reviewer!);
    await send(asReviewer.submitReview(aliceId, 0n, id("ipfs://alice"), 40n, "ipfs://notes-a"));
    await send(asReviewer.submitReview(bobId, 0n, id("ipfs://bob"), 0n, "ipfs://notes-b"));

    indexer = await startIndexer({
      rpcUrl: devnet.rpcUrl,
      deploymentsDir: join(work, "deployments"),
      databaseDir: join(work, "pglite"),
      log: (line) => void logs.push(line),
    });
    await indexer.waitForIndexedBlock(await blockNumber(provider), 600_000);
    const url = indexer.graphqlUrl;

    const reviews = await allRows(
      url,
      "workReviews",
      "reviewId reviewer agentId kind ref score reward epoch attention uri wallet tax capExcess",
    );
    expect(reviews.map((r) => r.reviewId)).to.deep.equal(["1", "2"]);
    for (const row of reviews) {
      const r = await rewards.review(BigInt(row.reviewId));
      expect(row).to.deep.include({
        reviewer: lower(r.reviewer),
        agentId: r.agentId.toString(),
        kind: "hash",
        ref: r.ref,
        score: Number(r.score),
        reward: r.reward.toString(),
        epoch: r.epoch.toString(),
      });
    }
    const taxBps: bigint = await token.taxBps();
    const reward = 40n * 10n ** 18n;
    expect(reviews[0]).to.deep.include({
      attention: true,
      uri: "ipfs://notes-a",
      wallet: lower(alice!.address),
      tax: ((reward * taxBps) / 10_000n).toString(),
      capExcess: "0",
    });
    expect(reviews[1]).to.deep.include({ attention: false, wallet: null, reward: "0", tax: "0" });

    expect((await market.epochOf(ATTENTION, epoch)).price).to.equal(10n * 10n ** 18n);
    const epochs = await allRows(url, "attentionEpochs", "epoch offerId bidId winner winnerAgentId price");
    expect(epochs).to.deep.equal([
      {
        epoch: epoch.toString(),
        offerId: (await rewards.attentionOffer(epoch)).toString(),
        bidId: "1",
        winner: lower(alice!.address),
        winnerAgentId: aliceId.toString(),
        // One bid for the one unit: it clears at the reserve (10 CIV), not at the bid's 12 CIV.
        price: (await market.epochOf(ATTENTION, epoch)).price.toString(),
      },
    ]);
  });
});
