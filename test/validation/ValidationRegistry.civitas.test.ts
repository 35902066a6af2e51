/**
 * The Civitas rules on top of ERC-8004's Validation Registry: stake-secured requests (fee escrow, payment
 * as taxed earnings, refund after the deadline), attestation rewards from a Treasury budget, stake-weighted
 * reading, slashing of false validators, governance settings and the deployment's wiring.
 */
import { expect } from "chai";
import { network } from "hardhat";
import {
  DEFAULTS,
  FeeStatus as FeeStatusEnum,
  RewardOutcome as RewardOutcomeEnum,
  taxOf,
} from "../../scripts/lib/vocabulary.ts";

import { CIV, REWARD_TAG, VALIDATOR_STAKE, deployValidationFixture } from "./fixture.ts";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { loadFixture, time } = networkHelpers;

const HOUR = 3_600n;
const DAY = 86_400n;
const FEE = 100n * CIV;
const TAX_BPS = DEFAULTS.Foundation.taxBps;
const ZERO_HASH = ethers.ZeroHash;
const PARAMETER_ROLE = ethers.id("PARAMETER_ROLE");
const SLASHER_ROLE = ethers.id("SLASHER_ROLE");
const hash = (text: string) => ethers.id(text);
const FeeStatus = FeeStatusEnum.value;
const RewardOutcome = RewardOutcomeEnum.value;

async function fixture() {
  return deployValidationFixture(connection);
}

/** alice asks carol (a staking validator) for a stake-secured validation of her agent with a 100 CIV fee. */
async function stakedFixture() {
  const f = await fixture();
  const requestHash = hash("job-1");
  await f.validationRegistry
    .connect(f.alice)
    .requestStakedValidation(f.carol.address, f.agentIds.alice, "ipfs://job-1", requestHash, FEE, DAY);
  const deadline = BigInt(await time.latest()) + DAY;
  return { ...f, requestHash, deadline };
}

/** As {@link stakedFixture}, and carol passed the work (100) under the genesis reward tag. */
async function passedFixture() {
  const f = await stakedFixture();
  await f.validationRegistry
    .connect(f.carol)
    .validationResponse(f.requestHash, 100, "", ZERO_HASH, REWARD_TAG);
  return f;
}

describe("ValidationRegistry: Civitas rules", function () {
  describe("stake-secured requests", function () {
    it("escrows the fee untaxed and emits ValidationRequest then StakedValidationRequested", async function () {
      const { validationRegistry: vr, token, alice, carol, agentIds } = await loadFixture(fixture);
      const requestHash = hash("job");
      const tx = vr
        .connect(alice)
        .requestStakedValidation(carol.address, agentIds.alice, "u", requestHash, FEE, DAY);
      await expect(tx).to.changeTokenBalances(ethers, token, [alice, vr], [-FEE, FEE]);
      const deadline = BigInt(await time.latest()) + DAY;
      await expect(tx)
        .to.emit(vr, "ValidationRequest")
        .withArgs(carol.address, agentIds.alice, "u", requestHash);
      await expect(tx)
        .to.emit(vr, "StakedValidationRequested")
        .withArgs(requestHash, alice.address, carol.address, agentIds.alice, FEE, deadline, VALIDATOR_STAKE);
      const terms = await vr.stakedTerms(requestHash);
      expect([terms.payer, terms.deadline, terms.status, terms.fee, terms.feeTax]).to.deep.equal([
        alice.address,
        deadline,
        BigInt(FeeStatus.Escrowed),
        FEE,
        0n,
      ]);
      expect(await vr.escrowedFees()).to.equal(FEE);
    });

    it("refuses a zero fee", async function () {
      const { validationRegistry: vr, alice, carol, agentIds } = await loadFixture(fixture);
      await expect(
        vr.connect(alice).requestStakedValidation(carol.address, agentIds.alice, "", hash("j"), 0n, DAY),
      ).to.be.revertedWithCustomError(vr, "ValidationZeroFee");
    });

    it("accepts response windows at both bounds and refuses one second outside them", async function () {
      const { validationRegistry: vr, alice, carol, agentIds } = await loadFixture(fixture);
      const min = await vr.MIN_RESPONSE_WINDOW();
      const max = await vr.MAX_RESPONSE_WINDOW();
      expect([min, max]).to.deep.equal([HOUR, 30n * DAY]);
      for (const window of [min - 1n, max + 1n]) {
        await expect(
          vr
            .connect(alice)
            .requestStakedValidation(carol.address, agentIds.alice, "", hash("j"), FEE, window),
        )
          .to.be.revertedWithCustomError(vr, "ValidationResponseWindowOutOfBounds")
          .withArgs(window, min, max);
      }
      await vr
        .connect(alice)
        .requestStakedValidation(carol.address, agentIds.alice, "", hash("min"), FEE, min);
      await vr
        .connect(alice)
        .requestStakedValidation(carol.address, agentIds.alice, "", hash("max"), FEE, max);
    });

    it("refuses a validator without a staking pool, with its zero stake and the minimum", async function () {
      const { validationRegistry: vr, alice, dave, agentIds } = await loadFixture(fixture);
      await expect(
        vr.connect(alice).requestStakedValidation(dave.address, agentIds.alice, "", hash("j"), FEE, DAY),
      )
        .to.be.revertedWithCustomError(vr, "ValidationValidatorStakeTooLow")
        .withArgs(dave.address, 0n, 500n * CIV);
    });

    it("accepts a validator bonded exactly at the minimum and refuses one wei below it", async function () {
      const { validationRegistry: vr, governance, alice, carol, agentIds } = await loadFixture(fixture);
      await vr.connect(governance).setMinValidatorStake(VALIDATOR_STAKE + 1n);
      await expect(
        vr.connect(alice).requestStakedValidation(carol.address, agentIds.alice, "", hash("a"), FEE, DAY),
      )
        .to.be.revertedWithCustomError(vr, "ValidationValidatorStakeTooLow")
        .withArgs(carol.address, VALIDATOR_STAKE, VALIDATOR_STAKE + 1n);
      await vr.connect(governance).setMinValidatorStake(VALIDATOR_STAKE);
      await vr.connect(alice).requestStakedValidation(carol.address, agentIds.alice, "", hash("b"), FEE, DAY);
    });

    it("refuses the agent's own owner, and an operator naming itself, as validator", async function () {
      const {
        validationRegistry: vr,
        registry,
        staking,
        token,
        alice,
        bob,
        carol,
        agentIds,
      } = await loadFixture(fixture);
      // bob becomes a staking validator too, then alice's operator.
      await token.connect(bob).approve(staking, VALIDATOR_STAKE);
      await staking.connect(bob).registerValidator(0n, VALIDATOR_STAKE);
      await registry.connect(alice).setApprovalForAll(bob.address, true);
      await expect(
        vr.connect(bob).requestStakedValidation(bob.address, agentIds.alice, "", hash("a"), FEE, DAY),
      )
        .to.be.revertedWithCustomError(vr, "ValidationSelfValidation")
        .withArgs(agentIds.alice, bob.address);
      // carol asking for her own agent to be validated by herself.
      await token.connect(carol).approve(vr, FEE);
      await expect(
        vr.connect(carol).requestStakedValidation(carol.address, agentIds.carol, "", hash("b"), FEE, DAY),
      )
        .to.be.revertedWithCustomError(vr, "ValidationSelfValidation")
        .withArgs(agentIds.carol, carol.address);
    });

    it("refuses a validator whose agent is not in good standing", async function () {
      const {
        validationRegistry: vr,
        registry,
        governance,
        alice,
        carol,
        agentIds,
      } = await loadFixture(fixture);
      await registry.connect(governance).suspend(agentIds.carol, "test");
      await expect(
        vr.connect(alice).requestStakedValidation(carol.address, agentIds.alice, "", hash("j"), FEE, DAY),
      )
        .to.be.revertedWithCustomError(vr, "ValidationValidatorNotInGoodStanding")
        .withArgs(carol.address);
    });

    it("pays the fee to the validator as taxed earnings on its first response only", async function () {
      const {
        validationRegistry: vr,
        token,
        treasury,
        carol,
        requestHash,
      } = await loadFixture(stakedFixture);
      const tax = taxOf(FEE, TAX_BPS);
      const tx = vr.connect(carol).validationResponse(requestHash, 90, "", ZERO_HASH, "audit");
      await expect(tx).to.changeTokenBalances(ethers, token, [vr, carol, treasury], [-FEE, FEE - tax, tax]);
      await expect(tx).to.emit(vr, "ValidationFeePaid").withArgs(requestHash, carol.address, FEE, tax, 0n);
      await expect(tx)
        .to.emit(token, "EarningsPaid")
        .withArgs(await vr.getAddress(), carol.address, FEE, tax, 0n);
      const terms = await vr.stakedTerms(requestHash);
      expect([terms.status, terms.feeTax]).to.deep.equal([BigInt(FeeStatus.Paid), tax]);
      expect(await vr.escrowedFees()).to.equal(0n);
      const again = vr.connect(carol).validationResponse(requestHash, 95, "", ZERO_HASH, "audit");
      await expect(again).not.to.emit(vr, "ValidationFeePaid");
      await expect(again).to.changeTokenBalances(ethers, token, [vr, carol], [0n, 0n]);
    });
  });

  describe("reclaimFee", function () {
    it("refuses the payer until the deadline has passed, at the deadline included", async function () {
      const { validationRegistry: vr, alice, requestHash, deadline } = await loadFixture(stakedFixture);
      await time.setNextBlockTimestamp(deadline);
      await expect(vr.connect(alice).reclaimFee(requestHash))
        .to.be.revertedWithCustomError(vr, "ValidationDeadlineNotPassed")
        .withArgs(requestHash, deadline, deadline);
    });

    it("returns the fee untaxed one second after the deadline", async function () {
      const {
        validationRegistry: vr,
        token,
        alice,
        requestHash,
        deadline,
      } = await loadFixture(stakedFixture);
      await time.setNextBlockTimestamp(deadline + 1n);
      const tx = vr.connect(alice).reclaimFee(requestHash);
      await expect(tx).to.changeTokenBalances(ethers, token, [vr, alice], [-FEE, FEE]);
      await expect(tx).to.emit(vr, "ValidationFeeRefunded").withArgs(requestHash, alice.address, FEE);
      expect((await vr.stakedTerms(requestHash)).status).to.equal(BigInt(FeeStatus.Refunded));
      expect(await vr.escrowedFees()).to.equal(0n);
    });

    it("refuses anyone but the payer", async function () {
      const { validationRegistry: vr, bob, alice, requestHash, deadline } = await loadFixture(stakedFixture);
      await time.increaseTo(deadline + 1n);
      await expect(vr.connect(bob).reclaimFee(requestHash))
        .to.be.revertedWithCustomError(vr, "ValidationNotPayer")
        .withArgs(requestHash, bob.address, alice.address);
    });

    it("refuses twice, after a response, and for a request without a fee", async function () {
      const f = await loadFixture(stakedFixture);
      const { validationRegistry: vr, alice, carol, dave, agentIds, requestHash, deadline } = f;
      await time.increaseTo(deadline + 1n);
      await vr.connect(alice).reclaimFee(requestHash);
      await expect(vr.connect(alice).reclaimFee(requestHash))
        .to.be.revertedWithCustomError(vr, "ValidationFeeNotEscrowed")
        .withArgs(requestHash, FeeStatus.Refunded);
      // A late response after the refund is recorded, unpaid.
      await expect(vr.connect(carol).validationResponse(requestHash, 100, "", ZERO_HASH, "")).not.to.emit(
        vr,
        "ValidationFeePaid",
      );
      await vr
        .connect(alice)
        .requestStakedValidation(carol.address, agentIds.alice, "", hash("paid"), FEE, HOUR);
      await vr.connect(carol).validationResponse(hash("paid"), 100, "", ZERO_HASH, "");
      await time.increase(2n * HOUR);
      await expect(vr.connect(alice).reclaimFee(hash("paid")))
        .to.be.revertedWithCustomError(vr, "ValidationFeeNotEscrowed")
        .withArgs(hash("paid"), FeeStatus.Paid);
      await vr.connect(alice).validationRequest(dave.address, agentIds.alice, "", hash("plain"));
      await expect(vr.connect(alice).reclaimFee(hash("plain")))
        .to.be.revertedWithCustomError(vr, "ValidationFeeNotEscrowed")
        .withArgs(hash("plain"), FeeStatus.None);
    });
  });

  describe("attestation rewards", function () {
    it("pays the agent's wallet min(reward per pass, tax on the fee) from the Treasury budget", async function () {
      const {
        validationRegistry: vr,
        token,
        treasury,
        alice,
        agentIds,
        requestHash,
      } = await loadFixture(passedFixture);
      const budget = await treasury.budgetOf(vr, token);
      const reward = 10n * CIV;
      const epoch = await vr.currentEpoch();
      const tx = vr.claimAttestationReward(requestHash);
      await expect(tx).to.changeTokenBalances(ethers, token, [treasury, alice], [-reward, reward]);
      await expect(tx)
        .to.emit(vr, "AttestationRewardDrawn")
        .withArgs(
          requestHash,
          agentIds.alice,
          alice.address,
          REWARD_TAG,
          epoch,
          reward,
          RewardOutcome.Paid,
          reward,
        );
      expect(await treasury.budgetOf(vr, token)).to.equal(budget - reward);
      expect(await vr.rewardDrawn(agentIds.alice, REWARD_TAG, epoch)).to.equal(reward);
      expect((await vr.stakedTerms(requestHash)).rewardClaimed).to.equal(true);
      await expect(vr.claimAttestationReward(requestHash))
        .to.be.revertedWithCustomError(vr, "ValidationRewardAlreadyClaimed")
        .withArgs(requestHash);
    });

    it("never pays more than the tax the fee paid, whatever the policy says", async function () {
      const {
        validationRegistry: vr,
        token,
        governance,
        alice,
        requestHash,
      } = await loadFixture(passedFixture);
      await vr.connect(governance).setRewardPolicy(REWARD_TAG, {
        rewardPerPass: 1_000n * CIV,
        capPerAgentPerEpoch: 1_000n * CIV,
        minFee: 1n,
        passThreshold: 80,
      });
      await expect(vr.claimAttestationReward(requestHash)).to.changeTokenBalance(
        ethers,
        token,
        alice,
        taxOf(FEE, TAX_BPS),
      );
    });

    it("makes self-validation through a second wallet unprofitable (attack: one person, two wallets)", async function () {
      // alice controls bob's wallet too; bob runs a staking validator and passes alice's own work.
      const { validationRegistry: vr, token, staking, alice, bob, agentIds } = await loadFixture(fixture);
      await token.connect(bob).approve(staking, VALIDATOR_STAKE);
      await staking.connect(bob).registerValidator(0n, VALIDATOR_STAKE);
      const before = (await token.balanceOf(alice)) + (await token.balanceOf(bob));
      await vr
        .connect(alice)
        .requestStakedValidation(bob.address, agentIds.alice, "", hash("self"), FEE, DAY);
      await vr.connect(bob).validationResponse(hash("self"), 100, "", ZERO_HASH, REWARD_TAG);
      await vr.claimAttestationReward(hash("self"));
      const after = (await token.balanceOf(alice)) + (await token.balanceOf(bob));
      expect(after).to.be.at.most(before);
    });

    it("refuses a response below the pass threshold and pays one exactly at it", async function () {
      const { validationRegistry: vr, carol, requestHash } = await loadFixture(stakedFixture);
      await vr.connect(carol).validationResponse(requestHash, 79, "", ZERO_HASH, REWARD_TAG);
      await expect(vr.claimAttestationReward(requestHash))
        .to.be.revertedWithCustomError(vr, "ValidationNotPassed")
        .withArgs(requestHash, 79, 80);
      await vr.connect(carol).validationResponse(requestHash, 80, "", ZERO_HASH, REWARD_TAG);
      await expect(vr.claimAttestationReward(requestHash)).to.emit(vr, "AttestationRewardDrawn");
    });

    it("refuses a tag without a policy", async function () {
      const { validationRegistry: vr, carol, requestHash } = await loadFixture(stakedFixture);
      await vr.connect(carol).validationResponse(requestHash, 100, "", ZERO_HASH, "other");
      await expect(vr.claimAttestationReward(requestHash))
        .to.be.revertedWithCustomError(vr, "ValidationNoRewardPolicy")
        .withArgs("other");
    });

    it("refuses a fee below the policy's minimum and pays one exactly at it", async function () {
      const { validationRegistry: vr, alice, carol, agentIds } = await loadFixture(fixture);
      const low = FEE - 1n;
      await vr
        .connect(alice)
        .requestStakedValidation(carol.address, agentIds.alice, "", hash("low"), low, DAY);
      await vr.connect(carol).validationResponse(hash("low"), 100, "", ZERO_HASH, REWARD_TAG);
      await expect(vr.claimAttestationReward(hash("low")))
        .to.be.revertedWithCustomError(vr, "ValidationFeeTooLow")
        .withArgs(hash("low"), low, taxOf(low, TAX_BPS), FEE);
      await vr
        .connect(alice)
        .requestStakedValidation(carol.address, agentIds.alice, "", hash("at"), FEE, DAY);
      await vr.connect(carol).validationResponse(hash("at"), 100, "", ZERO_HASH, REWARD_TAG);
      await expect(vr.claimAttestationReward(hash("at"))).to.emit(vr, "AttestationRewardDrawn");
    });

    it("refuses requests whose fee was not paid: plain, unanswered, refunded", async function () {
      const {
        validationRegistry: vr,
        alice,
        carol,
        agentIds,
        requestHash,
        deadline,
      } = await loadFixture(stakedFixture);
      await expect(vr.claimAttestationReward(requestHash))
        .to.be.revertedWithCustomError(vr, "ValidationFeeNotPaid")
        .withArgs(requestHash, FeeStatus.Escrowed);
      await vr.connect(alice).validationRequest(carol.address, agentIds.alice, "", hash("plain"));
      await vr.connect(carol).validationResponse(hash("plain"), 100, "", ZERO_HASH, REWARD_TAG);
      await expect(vr.claimAttestationReward(hash("plain")))
        .to.be.revertedWithCustomError(vr, "ValidationFeeNotPaid")
        .withArgs(hash("plain"), FeeStatus.None);
      await time.increaseTo(deadline + 1n);
      await vr.connect(alice).reclaimFee(requestHash);
      await vr.connect(carol).validationResponse(requestHash, 100, "", ZERO_HASH, REWARD_TAG);
      await expect(vr.claimAttestationReward(requestHash))
        .to.be.revertedWithCustomError(vr, "ValidationFeeNotPaid")
        .withArgs(requestHash, FeeStatus.Refunded);
      await expect(vr.claimAttestationReward(hash("none")))
        .to.be.revertedWithCustomError(vr, "ValidationUnknownRequest")
        .withArgs(hash("none"));
    });

    it("refuses when the validator's pool fell below the minimum stake since the request", async function () {
      const { validationRegistry: vr, staking, carol, requestHash } = await loadFixture(passedFixture);
      const shares = await staking.bondedSharesOf(carol);
      await staking.connect(carol).undelegate(shares / 2n);
      const left = (await staking.validatorInfo(carol)).bondedTokens;
      await expect(vr.claimAttestationReward(requestHash))
        .to.be.revertedWithCustomError(vr, "ValidationValidatorStakeTooLow")
        .withArgs(carol.address, left, 500n * CIV);
    });

    it("pays nothing beyond the per-agent cap of the epoch, visibly, and pays the claim in the next epoch", async function () {
      const {
        validationRegistry: vr,
        token,
        governance,
        alice,
        carol,
        agentIds,
      } = await loadFixture(fixture);
      const reward = 10n * CIV;
      await vr.connect(governance).setRewardPolicy("cap", {
        rewardPerPass: reward,
        capPerAgentPerEpoch: 2n * reward,
        minFee: FEE,
        passThreshold: 80,
      });
      // Start at the beginning of an epoch so that the three claims share it.
      const epochLength = await vr.rewardEpoch();
      await time.increaseTo((BigInt(await time.latest()) / epochLength + 1n) * epochLength);
      for (const name of ["c1", "c2", "c3"]) {
        await vr
          .connect(alice)
          .requestStakedValidation(carol.address, agentIds.alice, "", hash(name), FEE, DAY);
        await vr.connect(carol).validationResponse(hash(name), 100, "", ZERO_HASH, "cap");
      }
      await vr.claimAttestationReward(hash("c1"));
      await vr.claimAttestationReward(hash("c2"));
      const epoch = await vr.currentEpoch();
      const capped = vr.claimAttestationReward(hash("c3"));
      await expect(capped)
        .to.emit(vr, "AttestationRewardDrawn")
        .withArgs(
          hash("c3"),
          agentIds.alice,
          alice.address,
          "cap",
          epoch,
          0n,
          RewardOutcome.CapReached,
          2n * reward,
        );
      await expect(capped).to.changeTokenBalance(ethers, token, alice, 0n);
      expect((await vr.stakedTerms(hash("c3"))).rewardClaimed).to.equal(false);
      await time.increase(epochLength);
      await expect(vr.claimAttestationReward(hash("c3"))).to.changeTokenBalance(ethers, token, alice, reward);
    });

    it("pays nothing when the Treasury budget is short, visibly, and pays once governance refills it", async function () {
      const {
        validationRegistry: vr,
        token,
        treasury,
        governance,
        alice,
        agentIds,
        requestHash,
      } = await loadFixture(passedFixture);
      const reward = 10n * CIV;
      await treasury.connect(governance).setBudget(vr, token, reward - 1n);
      const epoch = await vr.currentEpoch();
      const short = vr.claimAttestationReward(requestHash);
      await expect(short)
        .to.emit(vr, "AttestationRewardDrawn")
        .withArgs(
          requestHash,
          agentIds.alice,
          alice.address,
          REWARD_TAG,
          epoch,
          0n,
          RewardOutcome.BudgetShort,
          0n,
        );
      await expect(short).to.changeTokenBalance(ethers, token, alice, 0n);
      expect(await treasury.budgetOf(vr, token)).to.equal(reward - 1n);
      await treasury.connect(governance).setBudget(vr, token, reward);
      await expect(vr.claimAttestationReward(requestHash)).to.changeTokenBalance(
        ethers,
        token,
        alice,
        reward,
      );
      expect(await treasury.budgetOf(vr, token)).to.equal(0n);
    });

    it("pays nothing when the Treasury refuses the draw, visibly, and leaves the claim open", async function () {
      const {
        validationRegistry: vr,
        token,
        treasury,
        escrow,
        governance,
        alice,
        agentIds,
        requestHash,
      } = await loadFixture(passedFixture);
      // Governance spends the Treasury's whole outflow allowance of the rolling window (into a protocol
      // account, so the wealth cap does not send it back): the Treasury then refuses the reward's draw.
      await treasury.connect(governance).transfer(token, escrow, await treasury.outflowAvailable(token));
      expect(await treasury.outflowAvailable(token)).to.equal(0n);
      const budget = await treasury.budgetOf(vr, token);
      const epoch = await vr.currentEpoch();
      await expect(vr.claimAttestationReward(requestHash))
        .to.emit(vr, "AttestationRewardDrawn")
        .withArgs(
          requestHash,
          agentIds.alice,
          alice.address,
          REWARD_TAG,
          epoch,
          0n,
          RewardOutcome.TreasuryRefused,
          0n,
        );
      expect(await treasury.budgetOf(vr, token)).to.equal(budget);
      expect(await vr.rewardDrawn(agentIds.alice, REWARD_TAG, epoch)).to.equal(0n);
      expect((await vr.stakedTerms(requestHash)).rewardClaimed).to.equal(false);
    });

    it("refuses a request whose validator was slashed for it", async function () {
      const { validationRegistry: vr, governance, requestHash } = await loadFixture(passedFixture);
      await vr.connect(governance).slashValidator(requestHash, 1_000n);
      await expect(vr.claimAttestationReward(requestHash))
        .to.be.revertedWithCustomError(vr, "ValidationRequestSlashed")
        .withArgs(requestHash);
    });
  });

  describe("stake-weighted reading", function () {
    it("exposes each validator's bonded stake and a stake-weighted summary beside getSummary", async function () {
      const {
        validationRegistry: vr,
        token,
        staking,
        alice,
        bob,
        carol,
        dave,
        agentIds,
      } = await loadFixture(fixture);
      await token.connect(bob).approve(staking, 3n * VALIDATOR_STAKE);
      await staking.connect(bob).registerValidator(0n, (3n * VALIDATOR_STAKE) / 2n);
      expect(await vr.getValidatorStakes([carol.address, bob.address, dave.address])).to.deep.equal([
        VALIDATOR_STAKE,
        (3n * VALIDATOR_STAKE) / 2n,
        0n,
      ]);
      for (const [name, validator, response] of [
        ["w1", carol, 100],
        ["w2", bob, 50],
        ["w3", dave, 0],
      ] as const) {
        await vr.connect(alice).validationRequest(validator.address, agentIds.alice, "", hash(name));
        await vr.connect(validator).validationResponse(hash(name), response, "", ZERO_HASH, "");
      }
      // (100 * 600 + 50 * 900 + 0 * 0) / 1500 = 70; plain average (100 + 50 + 0) / 3 = 50.
      expect(await vr.getStakeWeightedSummary(agentIds.alice, [], "")).to.deep.equal([
        3n,
        50n,
        70n,
        (5n * VALIDATOR_STAKE) / 2n,
      ]);
      expect(await vr.getStakeWeightedSummary(agentIds.alice, [dave.address], "")).to.deep.equal([
        1n,
        0n,
        0n,
        0n,
      ]);
    });
  });

  describe("slashValidator", function () {
    it("slashes the validator through staking, citing the request, and links the slash id", async function () {
      const {
        validationRegistry: vr,
        staking,
        governance,
        carol,
        agentIds,
        requestHash,
      } = await loadFixture(passedFixture);
      const tx = vr.connect(governance).slashValidator(requestHash, 1_000n);
      await expect(tx)
        .to.emit(staking, "Slashed")
        .withArgs(
          1n,
          carol.address,
          1_000n,
          VALIDATOR_STAKE / 10n,
          0n,
          await vr.SLASH_REASON(),
          VALIDATOR_STAKE - VALIDATOR_STAKE / 10n,
          0n,
          VALIDATOR_STAKE - VALIDATOR_STAKE / 10n,
          0n,
        );
      await expect(tx)
        .to.emit(vr, "ValidatorSlashed")
        .withArgs(requestHash, carol.address, agentIds.alice, 1n, 1_000n);
      expect((await vr.stakedTerms(requestHash)).slashed).to.equal(true);
      await expect(vr.connect(governance).slashValidator(requestHash, 1_000n))
        .to.be.revertedWithCustomError(vr, "ValidationAlreadySlashed")
        .withArgs(requestHash);
    });

    it("refuses an unanswered or unknown request, and a validator that is not a staking validator", async function () {
      const {
        validationRegistry: vr,
        staking,
        governance,
        alice,
        dave,
        agentIds,
        requestHash,
      } = await loadFixture(stakedFixture);
      await expect(vr.connect(governance).slashValidator(requestHash, 1_000n))
        .to.be.revertedWithCustomError(vr, "ValidationNoResponse")
        .withArgs(requestHash);
      await expect(vr.connect(governance).slashValidator(hash("none"), 1_000n))
        .to.be.revertedWithCustomError(vr, "ValidationUnknownRequest")
        .withArgs(hash("none"));
      await vr.connect(alice).validationRequest(dave.address, agentIds.alice, "", hash("plain"));
      await vr.connect(dave).validationResponse(hash("plain"), 100, "", ZERO_HASH, "");
      await expect(vr.connect(governance).slashValidator(hash("plain"), 1_000n))
        .to.be.revertedWithCustomError(staking, "StakingUnknownValidator")
        .withArgs(dave.address);
    });

    it("is governance's alone (SLASHER_ROLE)", async function () {
      const { validationRegistry: vr, outsider, requestHash, carol } = await loadFixture(passedFixture);
      void carol;
      await expect(vr.connect(outsider).slashValidator(requestHash, 1_000n))
        .to.be.revertedWithCustomError(vr, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, SLASHER_ROLE);
    });
  });

  describe("governance settings", function () {
    const policy = (rewardPerPass: bigint, cap: bigint, minFee: bigint, passThreshold: number) => ({
      rewardPerPass,
      capPerAgentPerEpoch: cap,
      minFee,
      passThreshold,
    });

    it("sets a reward policy within bounds, with the old and new policy in the event", async function () {
      const { validationRegistry: vr, governance } = await loadFixture(fixture);
      const max = await vr.MAX_REWARD_PER_PASS();
      const newPolicy = policy(max, max, 1n, 50);
      await expect(vr.connect(governance).setRewardPolicy(REWARD_TAG, newPolicy))
        .to.emit(vr, "RewardPolicySet")
        .withArgs(REWARD_TAG, [10n * CIV, 50n * CIV, 100n * CIV, 80n], [max, max, 1n, 50n]);
      expect(await vr.rewardPolicy(REWARD_TAG)).to.deep.equal([max, max, 1n, 50n]);
      await vr.connect(governance).setRewardPolicy(REWARD_TAG, policy(1n, 1n, 1n, 100));
      await expect(vr.connect(governance).setRewardPolicy(REWARD_TAG, policy(0n, 0n, 0n, 0)))
        .to.emit(vr, "RewardPolicySet")
        .withArgs(REWARD_TAG, [1n, 1n, 1n, 100n], [0n, 0n, 0n, 0n]);
    });

    it("refuses a policy outside its bounds", async function () {
      const { validationRegistry: vr, governance } = await loadFixture(fixture);
      const max = await vr.MAX_REWARD_PER_PASS();
      for (const bad of [
        policy(max + 1n, max + 1n, 1n, 80), // reward above the maximum
        policy(10n, 9n, 1n, 80), // cap below one reward
        policy(10n, 10n, 0n, 80), // no minimum fee
        policy(10n, 10n, 1n, 49), // threshold below 50
        policy(10n, 10n, 1n, 101), // threshold above 100
        policy(0n, 10n, 0n, 0), // disabled but not cleared
      ]) {
        await expect(vr.connect(governance).setRewardPolicy("t", bad))
          .to.be.revertedWithCustomError(vr, "ValidationRewardPolicyOutOfBounds")
          .withArgs("t", [bad.rewardPerPass, bad.capPerAgentPerEpoch, bad.minFee, bad.passThreshold]);
      }
    });

    it("sets the minimum validator stake at both bounds and refuses one wei outside them", async function () {
      const { validationRegistry: vr, governance } = await loadFixture(fixture);
      const lowest = await vr.MIN_VALIDATOR_STAKE_FLOOR();
      const highest = await vr.MAX_VALIDATOR_STAKE_FLOOR();
      await expect(vr.connect(governance).setMinValidatorStake(lowest))
        .to.emit(vr, "MinValidatorStakeUpdated")
        .withArgs(500n * CIV, lowest);
      await vr.connect(governance).setMinValidatorStake(highest);
      expect(await vr.minValidatorStake()).to.equal(highest);
      for (const bad of [lowest - 1n, highest + 1n]) {
        await expect(vr.connect(governance).setMinValidatorStake(bad))
          .to.be.revertedWithCustomError(vr, "ValidationMinStakeOutOfBounds")
          .withArgs(bad, lowest, highest);
      }
    });

    it("refuses settings from anyone but governance (PARAMETER_ROLE)", async function () {
      const { validationRegistry: vr, outsider } = await loadFixture(fixture);
      await expect(vr.connect(outsider).setMinValidatorStake(600n * CIV))
        .to.be.revertedWithCustomError(vr, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, PARAMETER_ROLE);
      await expect(vr.connect(outsider).setRewardPolicy("t", policy(1n, 1n, 1n, 80)))
        .to.be.revertedWithCustomError(vr, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, PARAMETER_ROLE);
    });
  });

  describe("deployment", function () {
    it("is wired by the protocol module: protocol account, budget, staking's slasher role, roles on the timelock only", async function () {
      const {
        validationRegistry: vr,
        token,
        treasury,
        staking,
        registry,
        timelock,
        deployer,
      } = await loadFixture(fixture);
      expect(await token.isProtocolAccount(vr)).to.equal(true);
      expect(await treasury.budgetOf(vr, token)).to.equal(100_000n * CIV);
      expect(await staking.hasRole(SLASHER_ROLE, vr)).to.equal(true);
      expect(await vr.getIdentityRegistry()).to.equal(await registry.getAddress());
      expect(await vr.token()).to.equal(await token.getAddress());
      expect(await vr.staking()).to.equal(await staking.getAddress());
      expect(await vr.rewardEpoch()).to.equal(7n * DAY);
      expect(await vr.rewardPolicy(REWARD_TAG)).to.deep.equal([10n * CIV, 50n * CIV, 100n * CIV, 80n]);
      for (const role of [ZERO_HASH, PARAMETER_ROLE, SLASHER_ROLE]) {
        expect(await vr.hasRole(role, timelock)).to.equal(true);
        expect(await vr.hasRole(role, deployer)).to.equal(false);
      }
    });

    it("refuses zero addresses, a reward epoch and a minimum stake outside their bounds", async function () {
      const { validationRegistry: vr, token, staking, registry, deployer } = await loadFixture(fixture);
      const ok = [registry, token, staking, deployer.address, 500n * CIV, 7n * DAY] as const;
      for (let i = 0; i < 4; i++) {
        const args = [...ok] as unknown[];
        args[i] = ethers.ZeroAddress;
        await expect(ethers.deployContract("ValidationRegistry", args)).to.be.revertedWithCustomError(
          vr,
          "ValidationZeroAddress",
        );
      }
      for (const epoch of [DAY - 1n, 365n * DAY + 1n]) {
        await expect(ethers.deployContract("ValidationRegistry", [...ok.slice(0, 5), epoch]))
          .to.be.revertedWithCustomError(vr, "ValidationRewardEpochOutOfBounds")
          .withArgs(epoch, DAY, 365n * DAY);
      }
      await expect(ethers.deployContract("ValidationRegistry", [...ok.slice(0, 4), CIV - 1n, 7n * DAY]))
        .to.be.revertedWithCustomError(vr, "ValidationMinStakeOutOfBounds")
        .withArgs(CIV - 1n, CIV, 1_000_000n * CIV);
    });
  });
});
