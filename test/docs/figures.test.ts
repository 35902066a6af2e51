/**
 * Every figure README.md and docs/*.md derive from a deployment parameter or a contract constant, written
 * here as the doc writes it but computed from the real value: the Ignition parameters (generated DEFAULTS:
 * each module's defaults with ignition/parameters/localhost.json applied), the contracts' public constants
 * (generated CONSTANTS), the auditor's thresholds (indexer/audit/config.ts) and the scripts' own defaults.
 * A changed parameter, or a doc edited away from it, fails here with the file and the figure expected.
 * Measured figures (benchmarks, runs) are listed with the command that produced them, which the same
 * paragraph (or, for a table of results, its section) must name. Worked examples the doc states with their formula and inputs are checked by the
 * tests that play them (docs/governance.md: test/docs/governance.test.ts; docs/market.md:
 * test-e2e or test/market; docs/agreements.md: test/agreements).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { AUDIT_CONFIG } from "../../indexer/audit/config.ts";
import { FAUCET_DEFAULT_WEI } from "../../scripts/cli/faucet.ts";
import { REPO_ROOT } from "../../scripts/lib/deployment.ts";
import { CONSTANTS, DEFAULTS } from "../../scripts/lib/vocabulary.ts";
import { DEFAULT_DAY_SECONDS } from "../../scripts/sim/live.ts";

const CIV = 10n ** 18n;
const HOUR = 3_600n;
const DAY = 86_400n;

/** 1234567 → "1,234,567" (the docs' thousands separators). */
const n = (x: bigint | number) => x.toLocaleString("en-US");
/** Wei as the docs write CIV: "1,000", "0.001", "12.5". */
const civ = (wei: bigint) =>
  wei % CIV === 0n
    ? n(wei / CIV)
    : (Number(wei) / 1e18).toLocaleString("en-US", { maximumFractionDigits: 18 });
/** Basis points as a percentage: 1250 → "12.5%". */
const pct = (bps: bigint | number) => `${Number(bps) / 100}%`;
/** Seconds as the docs write a duration: "1 day", "7 days", "1 hour", "10 minutes". */
const span = (seconds: bigint | number) => {
  const s = BigInt(seconds);
  const [unit, size] = s % DAY === 0n ? ["day", DAY] : s % HOUR === 0n ? ["hour", HOUR] : ["minute", 60n];
  if (s % size !== 0n) throw new Error(`${s} s is not a whole number of minutes`);
  return `${n(s / size)} ${unit}${s === size ? "" : "s"}`;
};
/** Whole days of a duration: 2592000 → "30". */
const days = (seconds: bigint | number) => {
  const s = BigInt(seconds);
  if (s % DAY !== 0n) throw new Error(`${s} s is not a whole number of days`);
  return n(s / DAY);
};

/** `x` rounded to the nearest multiple of `unit`. */
const roundTo = (x: bigint, unit: bigint) => ((x + unit / 2n) / unit) * unit;

const D = DEFAULTS;
const C = CONSTANTS;
const A = AUDIT_CONFIG;
/** docs/economy.md's projection: 100 agents at the cap, per Treasury outflow window, gross and net of tax. */
const capGross30 = (D.TaskBoard.agentEpochCap * 100n * C.Treasury.OUTFLOW_WINDOW) / C.TaskBoard.EPOCH;
const capNet30 = (capGross30 * (10_000n - D.Foundation.taxBps)) / 10_000n;
const TREASURY_97M = 9_700_000n * CIV;

/** Figures derived from parameters, by file, as each doc writes them (whitespace is not significant). */
const FIGURES: Record<string, string[]> = {
  "README.md": [
    // The token
    `(\`…Bps\`, ${n(C.CivitasToken.BPS)} = 100%)`,
    `${civ(C.CivitasToken.GENESIS_SUPPLY)} CIV are minted to the Treasury at deployment`,
    `| \`taxBps\` | ${D.Foundation.taxBps} (${pct(D.Foundation.taxBps)}) | 0 – ${C.CivitasToken.MAX_TAX_BPS} |`,
    `| \`capBps\` | ${D.Foundation.capBps} (${pct(D.Foundation.capBps)} of total supply) | ${C.CivitasToken.MIN_CAP_BPS} – ${C.CivitasToken.MAX_CAP_BPS} |`,
    `| mint window | ${pct(C.CivitasToken.MINT_WINDOW_BPS)} of total supply per rolling ${span(C.CivitasToken.MINT_WINDOW)} | fixed |`,
    // The registry
    `| \`birthGrant\` | ${civ(D.AgentRegistry.birthGrant)} CIV | 0 – ${civ(C.AgentRegistry.MAX_BIRTH_GRANT)} CIV |`,
    `| \`upkeepPerDay\` | ${civ(D.AgentRegistry.upkeepPerDay)} CIV per day | 0 – ${civ(C.AgentRegistry.MAX_UPKEEP_PER_DAY)} CIV |`,
    `| registry budget | ${civ(D.Protocol.registryBudget)} CIV |`,
    // Staking
    `commission at most ${pct(C.Staking.MAX_COMMISSION_BPS)}`,
    `A slash (at most ${pct(C.Staking.MAX_SLASH_BPS)})`,
    `| \`unbondingPeriod\` | ${span(D.Staking.unbondingPeriod)} | ${days(C.Staking.MIN_UNBONDING_PERIOD)} – ${span(C.Staking.MAX_UNBONDING_PERIOD)} |`,
    `| \`minSelfStake\` | ${civ(D.Staking.minSelfStake)} CIV | ${civ(C.Staking.MIN_MIN_SELF_STAKE)} – ${civ(C.Staking.MAX_MIN_SELF_STAKE)} CIV |`,
    `| \`commissionBps\` | per validator | ≤ ${n(C.Staking.MAX_COMMISSION_BPS)} |`,
    `| epoch duration | per epoch (genesis: ${civ(D.Protocol.genesisEpochReward)} CIV over ${span(D.Protocol.genesisEpochDuration)}) | ${days(C.Staking.MIN_EPOCH_DURATION)} – ${span(C.Staking.MAX_EPOCH_DURATION)} |`,
    `| slash | per slash | ≤ ${n(C.Staking.MAX_SLASH_BPS)} bps |`,
    `| staking budget | ${civ(D.Protocol.stakingBudget)} CIV |`,
    // Escrow
    `| \`arbitratorBondBps\` | ${n(D.Escrow.arbitratorBondBps)} (${pct(D.Escrow.arbitratorBondBps)} of the amount) | ${n(C.Escrow.MIN_ARBITRATOR_BOND_BPS)} – ${n(C.Escrow.MAX_ARBITRATOR_BOND_BPS)} |`,
    `| \`protocolFeeBps\` | ${n(D.Escrow.protocolFeeBps)} (${pct(D.Escrow.protocolFeeBps)} of the provider's pay) | 0 – ${n(C.Escrow.MAX_PROTOCOL_FEE_BPS)} |`,
    `| \`minDeliveryWindow\` | ${span(D.Escrow.minDeliveryWindow)} left at funding | ${span(C.Escrow.MIN_DELIVERY_WINDOW_FLOOR)} – ${span(C.Escrow.MIN_DELIVERY_WINDOW_CEILING)} |`,
    `| \`minJobAmount\` | ${civ(D.Escrow.minJobAmount)} CIV | ${civ(C.Escrow.MIN_JOB_AMOUNT_FLOOR)} CIV – ${civ(C.Escrow.MIN_JOB_AMOUNT_CEILING)} CIV |`,
    `| review and ruling windows | per job | ${span(C.Escrow.MIN_WINDOW)} – ${span(C.Escrow.MAX_WINDOW)} |`,
    `\`REPUTATION_FULL_CREDIT_AMOUNT\`, ${civ(C.Escrow.REPUTATION_FULL_CREDIT_AMOUNT)} CIV)`,
    `\`DELTA_COMPLETED\` +${C.Escrow.DELTA_COMPLETED} for the provider, \`DELTA_PAID\` +${C.Escrow.DELTA_PAID} for the client`,
    `\`DELTA_DELIVERY_MISSED\` −${-C.Escrow.DELTA_DELIVERY_MISSED}, \`DELTA_ARBITRATOR_NO_SHOW\` −${-C.Escrow.DELTA_ARBITRATOR_NO_SHOW}`,
    // Validation
    `| \`minValidatorStake\` | ${civ(D.ValidationRegistry.minValidatorStake)} CIV | ${civ(C.ValidationRegistry.MIN_VALIDATOR_STAKE_FLOOR)} – ${civ(C.ValidationRegistry.MAX_VALIDATOR_STAKE_FLOOR)} CIV |`,
    `| response window | per request | ${span(C.ValidationRegistry.MIN_RESPONSE_WINDOW)} – ${span(C.ValidationRegistry.MAX_RESPONSE_WINDOW)} |`,
    `| reward policy per tag | \`civitas.deliverable\`: ${civ(D.ValidationRegistry.rewardPerPass)} CIV, cap ${civ(D.ValidationRegistry.rewardCapPerAgentPerEpoch)}, fee ${civ(D.ValidationRegistry.rewardMinFee)}, ${D.ValidationRegistry.rewardPassThreshold} | reward ≤ ${civ(C.ValidationRegistry.MAX_REWARD_PER_PASS)} CIV |`,
    `| \`rewardEpoch\` | ${span(D.ValidationRegistry.rewardEpoch)} | ${days(C.ValidationRegistry.MIN_REWARD_EPOCH)} – ${span(C.ValidationRegistry.MAX_REWARD_EPOCH)} |`,
    `| validation reward budget | ${civ(D.Protocol.validationRewardBudget)} CIV |`,
    // Resource markets
    `per resource per epoch (${span(D.Market.epochDuration)})`,
    `less a ${pct(D.Market.protocolFeeBps)} protocol fee`,
    `by at most ${pct(D.Market.maxReserveStepBps)} an epoch`,
    `over ${n(C.ResourceMarket.TICKS)} price ticks`,
    // Governance
    `Quorum is ${D.Protocol.quorumNumerator}% of circulating supply`,
    `at most ${pct(C.Treasury.MAX_OUTFLOW_BPS)} of its balance per rolling ${span(C.Treasury.OUTFLOW_WINDOW)}`,
    `| voting delay | ${span(D.Protocol.votingDelay)} | ≤ ${span(C.CivitasGovernor.MAX_VOTING_DELAY)} |`,
    `| voting period | ${span(D.Protocol.votingPeriod)} | ${days(C.CivitasGovernor.MIN_VOTING_PERIOD)} – ${span(C.CivitasGovernor.MAX_VOTING_PERIOD)} |`,
    `| proposal threshold | ${civ(D.Protocol.proposalThreshold)} CIV | ≤ ${civ(C.CivitasGovernor.MAX_PROPOSAL_THRESHOLD)} CIV |`,
    `| quorum | ${D.Protocol.quorumNumerator}% of circulating supply | ${C.CivitasGovernor.MIN_QUORUM_NUMERATOR} – ${C.CivitasGovernor.MAX_QUORUM_NUMERATOR}% |`,
    `| quorum floor | ${civ(D.Protocol.quorumFloor)} CIV | ${civ(C.CivitasGovernor.MIN_QUORUM_FLOOR)} – ${civ(C.CivitasGovernor.MAX_QUORUM_FLOOR)} CIV |`,
    `| Treasury outflow | ${pct(C.Treasury.MAX_OUTFLOW_BPS)} of balance / ${span(C.Treasury.OUTFLOW_WINDOW)} | constant |`,
    `| timelock minimum delay | ${span(D.Protocol.timelockMinDelay)} | ${days(C.CivitasTimelock.MIN_DELAY_FLOOR)} – ${span(C.CivitasTimelock.MAX_DELAY_CEILING)} |`,
    // Take part, and the CLI
    `one simulated day every ${DEFAULT_DAY_SECONDS} seconds`,
    `# ${civ(FAUCET_DEFAULT_WEI)} devnet ETH for gas (devnets only)`,
    `# your agent id and the ${civ(D.AgentRegistry.birthGrant)} CIV birth grant`,
    `# ERC-8004 identity + the ${civ(D.AgentRegistry.birthGrant)} CIV birth grant`,
  ],
  "docs/governance.md": [
    `\`QUEUE_GRACE_PERIOD\` (${span(C.CivitasGovernor.QUEUE_GRACE_PERIOD)})`,
    `supply (${civ(C.CivitasToken.GENESIS_SUPPLY)} CIV) sits in the Treasury`,
    `${D.Protocol.quorumNumerator}% would be ${civ((C.CivitasToken.GENESIS_SUPPLY * D.Protocol.quorumNumerator) / 100n)} CIV while agents start with ${civ(D.AgentRegistry.birthGrant)} CIV each`,
    `**Pending** for \`votingDelay\` (${span(D.Protocol.votingDelay)})`,
    `**Active** for \`votingPeriod\` (${span(D.Protocol.votingPeriod)})`,
    `must be queued within ${span(C.CivitasGovernor.QUEUE_GRACE_PERIOD)}`,
    `the timelock's minimum delay (${span(D.Protocol.timelockMinDelay)})`,
    `takes at least ${days(D.Protocol.votingDelay + D.Protocol.votingPeriod + D.Protocol.timelockMinDelay)} days from \`propose\` to \`execute\``,
    `| \`votingDelay\` | ${span(D.Protocol.votingDelay)} (${n(D.Protocol.votingDelay)} s) | ≤ ${span(C.CivitasGovernor.MAX_VOTING_DELAY)} |`,
    `| \`votingPeriod\` | ${span(D.Protocol.votingPeriod)} (${n(D.Protocol.votingPeriod)} s) | [${span(C.CivitasGovernor.MIN_VOTING_PERIOD)}, ${span(C.CivitasGovernor.MAX_VOTING_PERIOD)}] |`,
    `| \`proposalThreshold\` | ${civ(D.Protocol.proposalThreshold)} CIV | ≤ ${civ(C.CivitasGovernor.MAX_PROPOSAL_THRESHOLD)} CIV |`,
    `| \`quorumFloor\` | ${civ(D.Protocol.quorumFloor)} CIV | [${civ(C.CivitasGovernor.MIN_QUORUM_FLOOR)}, ${civ(C.CivitasGovernor.MAX_QUORUM_FLOOR)}] CIV |`,
    `| Treasury outflow | ${pct(C.Treasury.MAX_OUTFLOW_BPS)} of its balance per rolling ${span(C.Treasury.OUTFLOW_WINDOW)} | constant |`,
    `| timelock \`minDelay\` | ${span(D.Protocol.timelockMinDelay)} (${n(D.Protocol.timelockMinDelay)} s) | [${span(C.CivitasTimelock.MIN_DELAY_FLOOR)}, ${span(C.CivitasTimelock.MAX_DELAY_CEILING)}] |`,
    `| \`QUEUE_GRACE_PERIOD\` | ${span(C.CivitasGovernor.QUEUE_GRACE_PERIOD)} | constant |`,
    `quorum is the larger of ${D.Protocol.quorumNumerator}% of circulating supply and \`quorumFloor\``,
    `at most ${pct(C.Treasury.MAX_OUTFLOW_BPS)} of the Treasury's balance leaves per rolling ${span(C.Treasury.OUTFLOW_WINDOW)}`,
    `the registry (${civ(D.Protocol.registryBudget)} CIV, birth grants) and of staking (${civ(D.Protocol.stakingBudget)} CIV, of which the genesis epoch drew ${civ(D.Protocol.genesisEpochReward)} CIV)`,
    `${D.Protocol.quorumNumerator}% of it alone is not a lasting figure`,
    `\`quorumFloor\` = ${civ(D.Protocol.quorumFloor)} CIV`,
    `(${civ(D.Protocol.proposalThreshold)} CIV by default)`,
    `${600} × (1 − ${pct(D.Escrow.protocolFeeBps)}) = ${civ((600n * CIV * (10_000n - D.Escrow.protocolFeeBps)) / 10_000n)} CIV gross, taxed ${pct(D.Foundation.taxBps)}: ${civ((((600n * CIV * (10_000n - D.Escrow.protocolFeeBps)) / 10_000n) * (10_000n - D.Foundation.taxBps)) / 10_000n)} CIV`,
    `(within ${span(C.CivitasGovernor.QUEUE_GRACE_PERIOD)})`,
    `= ${days(D.Protocol.votingDelay + D.Protocol.votingPeriod + D.Protocol.timelockMinDelay)} days with the defaults`,
  ],
  "docs/registry.md": [
    `| \`birthGrant\` | ${civ(D.AgentRegistry.birthGrant)} CIV (\`${D.AgentRegistry.birthGrant / CIV}e18\` wei) | 0 … ${civ(C.AgentRegistry.MAX_BIRTH_GRANT)} CIV (\`MAX_BIRTH_GRANT\`)`,
    `| \`upkeepPerDay\` | ${civ(D.AgentRegistry.upkeepPerDay)} CIV (\`${D.AgentRegistry.upkeepPerDay / CIV}e18\` wei) per day | 0 … ${civ(C.AgentRegistry.MAX_UPKEEP_PER_DAY)} CIV (\`MAX_UPKEEP_PER_DAY\`)`,
    `e.g. ${n(D.Protocol.registryBudget / D.AgentRegistry.birthGrant)} agents × ${civ(D.AgentRegistry.birthGrant)} CIV = ${civ(D.Protocol.registryBudget)} CIV`,
  ],
  "docs/staking.md": [
    `| \`unbondingPeriod\` (s) | ${span(D.Staking.unbondingPeriod)} | [${span(C.Staking.MIN_UNBONDING_PERIOD)}, ${span(C.Staking.MAX_UNBONDING_PERIOD)}] |`,
    `| \`minSelfStake\` (wei) | ${civ(D.Staking.minSelfStake)} CIV | [${civ(C.Staking.MIN_MIN_SELF_STAKE)} CIV, ${civ(C.Staking.MAX_MIN_SELF_STAKE)} CIV] |`,
    `| epoch \`duration\` (s) | per epoch | [${span(C.Staking.MIN_EPOCH_DURATION)}, ${span(C.Staking.MAX_EPOCH_DURATION)}] |`,
  ],
  "docs/escrow.md": [
    `rates in bps (${n(C.Escrow.MAX_PROTOCOL_FEE_BPS * 10n)} = 100%)`,
    `| ${pct(C.Escrow.NO_SHOW_PROVIDER_BPS)} (\`NO_SHOW_PROVIDER_BPS\`)`,
    `deadline in [now + minDeliveryWindow, now + ${span(C.Escrow.MAX_DELIVERY_HORIZON)}]`,
    `| \`DELTA_DISPUTE_WON\` | +${C.Escrow.DELTA_DISPUTE_WON} |`,
    `| \`DELTA_DISPUTE_LOST\` | −${-C.Escrow.DELTA_DISPUTE_LOST} |`,
    `is ${civ(C.Escrow.REPUTATION_FULL_CREDIT_AMOUNT)} CIV, and \`streak\``,
    `So a ${civ(C.Escrow.REPUTATION_FULL_CREDIT_AMOUNT)} CIV job completed for a new client gives the provider +${C.Escrow.DELTA_COMPLETED}`,
    `a ${civ(C.Escrow.REPUTATION_FULL_CREDIT_AMOUNT / C.Escrow.DELTA_COMPLETED)} CIV job +1`,
    `at the default ${pct(D.Foundation.taxBps)} tax and ${pct(D.Escrow.protocolFeeBps)} fee`,
    `| \`minDeliveryWindow\` (seconds) | ${n(D.Escrow.minDeliveryWindow)} (${span(D.Escrow.minDeliveryWindow)}) | [${n(C.Escrow.MIN_DELIVERY_WINDOW_FLOOR)}, ${n(C.Escrow.MIN_DELIVERY_WINDOW_CEILING)}] (\`MIN_DELIVERY_WINDOW_FLOOR\`, \`_CEILING\`)`,
    `| \`minJobAmount\` (wei) | 10^${D.Escrow.minJobAmount.toString().length - 1} (${civ(D.Escrow.minJobAmount)} CIV) | [10^${C.Escrow.MIN_JOB_AMOUNT_FLOOR.toString().length - 1}, 10^${C.Escrow.MIN_JOB_AMOUNT_CEILING.toString().length - 1}] (\`MIN_JOB_AMOUNT_FLOOR\`, \`_CEILING\`)`,
    `| full-credit amount | ${civ(C.Escrow.REPUTATION_FULL_CREDIT_AMOUNT)} CIV | constant \`REPUTATION_FULL_CREDIT_AMOUNT\``,
    `| review / ruling window (per escrow) | set by client | [${span(C.Escrow.MIN_WINDOW)}, ${span(C.Escrow.MAX_WINDOW)}] (\`MIN_WINDOW\`, \`MAX_WINDOW\`)`,
    `[now + minDeliveryWindow, now + ${span(C.Escrow.MAX_DELIVERY_HORIZON)}] (\`MAX_DELIVERY_HORIZON\`)`,
    `| no-show split | ${n(C.Escrow.NO_SHOW_PROVIDER_BPS)} bps to provider | constant \`NO_SHOW_PROVIDER_BPS\``,
  ],
  "docs/economy.md": [
    `the Treasury's ${pct(C.Treasury.MAX_OUTFLOW_BPS)}/${days(C.Treasury.OUTFLOW_WINDOW)} days limit`,
    `| upkeep | ${civ(D.AgentRegistry.upkeepPerDay)} CIV/day (unchanged) |`,
    `| \`agentEpochCap\` | ${civ(D.TaskBoard.agentEpochCap)} CIV per ${span(C.TaskBoard.EPOCH)} | ${civ((D.TaskBoard.agentEpochCap * (10_000n - D.Foundation.taxBps)) / 10_000n)} net a week against ${civ(D.AgentRegistry.upkeepPerDay * 7n)} of upkeep: tasks are a floor with a ${civ((D.TaskBoard.agentEpochCap * (10_000n - D.Foundation.taxBps)) / 10_000n - D.AgentRegistry.upkeepPerDay * 7n)} CIV margin`,
    `| \`maxTaskReward\` | ${civ(D.TaskBoard.maxTaskReward)} CIV |`,
    `| \`reviewerEpochBudget\` | ${civ(D.TaskBoard.reviewerEpochBudget)} CIV per ${span(C.TaskBoard.EPOCH)} |`,
    `| \`taskBoardBudget\` | ${civ(D.Protocol.taskBoardBudget)} CIV |`,
    `pays ${civ(D.AgentRegistry.upkeepPerDay)} CIV a day of upkeep for each`,
    `\`agentEpochCap\` (${civ(D.TaskBoard.agentEpochCap)} CIV a week gross, ${civ((D.TaskBoard.agentEpochCap * (10_000n - D.Foundation.taxBps)) / 10_000n)} net)`,
    `earns at most ${civ((D.TaskBoard.agentEpochCap * (10_000n - D.Foundation.taxBps)) / 10_000n - D.AgentRegistry.upkeepPerDay * 7n)} CIV a week per sybil above its upkeep`,
    `sets \`taskBoardBudget\`, ${civ(D.Protocol.taskBoardBudget)} CIV)`,
    `accepts or rejects within ${span(C.TaskBoard.REVIEW_WINDOW)}`,
    `an open task expires after ${span(C.TaskBoard.OPEN_PERIOD)}`,
    `(seconds, ${span(C.TaskBoard.MIN_DURATION)} to ${n(C.TaskBoard.MAX_DURATION / DAY)}`,
    `\`reviewerEpochBudget\` (${civ(D.TaskBoard.reviewerEpochBudget)} CIV a week)`,
    `lives ${["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"][Number(D.AgentRegistry.birthGrant / D.AgentRegistry.upkeepPerDay)]} days on its grant`,
    `past the birth grant's ${D.AgentRegistry.birthGrant / D.AgentRegistry.upkeepPerDay} days`,
    // "Treasury cost at the cap": 100 agents at agentEpochCap a week, over the outflow window, against a
    // 9.7M Treasury (figures rounded as written: to 10,000 CIV, whole months).
    `Treasury cost at the cap, 100 agents: ${civ(D.TaskBoard.agentEpochCap)} CIV × 100 a week ≈ ${civ(roundTo(capGross30, 10_000n * CIV))} CIV per ${days(C.Treasury.OUTFLOW_WINDOW)} days gross, of which ${pct(D.Foundation.taxBps)} comes back as tax, ≈ ${civ(roundTo(capNet30, 10_000n * CIV))} net: ${(TREASURY_97M / capNet30).toString()} months of a 9.7M Treasury`,
    `(${pct(C.Treasury.MAX_OUTFLOW_BPS)} of the balance per ${days(C.Treasury.OUTFLOW_WINDOW)} days ≈ ${civ((TREASURY_97M * C.Treasury.MAX_OUTFLOW_BPS) / 10_000n)})`,
  ],
  "docs/lottery.md": [
    `At the default ${n(D.BlockLottery.burnDecayBps)} bps, 10 CIV burned weighs 10, ${(10 * Number(D.BlockLottery.burnDecayBps)) / 10_000}, ${(100 * Number(D.BlockLottery.burnDecayBps) ** 2) / 10_000 ** 2 / 10}`,
    `(10 / (1 - ${Number(D.BlockLottery.burnDecayBps) / 10_000}) = ${Math.round((10 * 10_000) / (10_000 - Number(D.BlockLottery.burnDecayBps)))} CIV-epochs in all)`,
    `(the defaults: ${civ(D.BlockLottery.revealBond)} CIV bond, ${civ(D.BlockLottery.epochReward)} CIV reward)`,
    `default budget, ${civ(D.Protocol.lotteryBudget)} CIV, is a year of daily epochs at ${civ(D.BlockLottery.epochReward)} CIV`,
    `\`CLAIM_PERIOD\` (default ${span(D.BlockLottery.claimPeriod)})`,
    `| \`epochReward\` | ${civ(D.BlockLottery.epochReward)} CIV | 0 – ${civ(C.BlockLottery.MAX_EPOCH_REWARD)} CIV |`,
    `| \`mineWeightPerUnit\` | ${civ(D.BlockLottery.mineWeightPerUnit)} CIV | 1 wei – ${civ(C.BlockLottery.MAX_MINE_WEIGHT_PER_UNIT)} CIV |`,
    `| \`burnDecayBps\` | ${n(D.BlockLottery.burnDecayBps)} | 0 – ${n(C.BlockLottery.MAX_BURN_DECAY_BPS)} |`,
    `| \`revealBond\` | ${civ(D.BlockLottery.revealBond)} CIV | ${civ(C.BlockLottery.MIN_REVEAL_BOND)} – ${civ(C.BlockLottery.MAX_REVEAL_BOND)} CIV |`,
    `| \`minEntryWeight\` | ${civ(D.BlockLottery.minEntryWeight)} CIV | 1 wei – ${civ(C.BlockLottery.MAX_MIN_ENTRY_WEIGHT)} CIV |`,
    `| \`EPOCH_DURATION\` | ${span(D.BlockLottery.epochDuration)} | ${span(C.BlockLottery.MIN_EPOCH_DURATION)} – ${span(C.BlockLottery.MAX_EPOCH_DURATION)} (fixed at deployment) |`,
    `| \`REVEAL_WINDOW\` | ${span(D.BlockLottery.revealWindow)} | ${span(C.BlockLottery.MIN_REVEAL_WINDOW)} – ${span(C.BlockLottery.MAX_REVEAL_WINDOW)} (fixed) |`,
    `| \`CLAIM_PERIOD\` | ${span(D.BlockLottery.claimPeriod)} | ${days(C.BlockLottery.MIN_CLAIM_PERIOD)} – ${span(C.BlockLottery.MAX_CLAIM_PERIOD)} (fixed) |`,
  ],
  "docs/market.md": [
    `free ${D.Market.genesisAllowancePerDay} a day up to ${D.Market.genesisAllowanceMax}, a quota of ${n(D.Market.genesisQuota)} per ${span(D.Market.genesisQuotaWindow).replace(/^1 /, "")}`,
    `${D.Market.genesisDecimals} decimals, tick ${civ(D.Market.genesisTickSize)} CIV and reserve ${civ(D.Market.genesisReservePrice)} CIV`,
    `epochs of \`epochDuration\` seconds (${span(D.Market.epochDuration)} by default)`,
    `\`[tickSize, ${n(C.ResourceMarket.MAX_TICK)} × tickSize]\``,
    `Full epochs raise it by the full step (${pct(D.Market.maxReserveStepBps)})`,
    `tick ${civ(D.Market.genesisTickSize)} CIV, reserve ${civ(D.Market.genesisReservePrice)} CIV (tick ${D.Market.genesisReservePrice / D.Market.genesisTickSize}), fee ${pct(D.Market.protocolFeeBps)}, tax ${pct(D.Foundation.taxBps)}`,
    `| \`epochDuration\` | market | ${n(D.Market.epochDuration)} s | [${span(C.ResourceMarket.MIN_EPOCH_DURATION)}, ${span(C.ResourceMarket.MAX_EPOCH_DURATION)}] |`,
    `| \`protocolFeeBps\` | market | ${D.Market.protocolFeeBps} | [0, ${n(C.ResourceMarket.MAX_PROTOCOL_FEE_BPS)}] |`,
    `| \`targetUtilisationBps\` | market | ${n(D.Market.targetUtilisationBps)} | [${n(C.ResourceMarket.MIN_TARGET_UTILISATION_BPS)}, ${n(C.ResourceMarket.MAX_TARGET_UTILISATION_BPS)}] |`,
    `| \`maxReserveStepBps\` | market | ${n(D.Market.maxReserveStepBps)} | [1, ${n(C.ResourceMarket.MAX_RESERVE_STEP_BPS)}] |`,
    `reserve in [tick, ${n(C.ResourceMarket.MAX_TICK)} × tick]`,
    `window [${span(C.ResourceLedger.MIN_QUOTA_WINDOW)}, ${span(C.ResourceLedger.MAX_QUOTA_WINDOW)}]`,
  ],
  "docs/agreements.md": [
    `| \`minAmount\` (wei) | 10^${D.Agreements.minAmount.toString().length - 1} (${civ(D.Agreements.minAmount)} CIV) | [10^${C.AgreementBase.MIN_AMOUNT_FLOOR.toString().length - 1}, 10^${C.AgreementBase.MIN_AMOUNT_CEILING.toString().length - 1}] |`,
    `| review, ruling | per proposal | [${span(C.AgreementBase.MIN_WINDOW)}, ${span(C.AgreementBase.MAX_WINDOW)}] (\`MIN_\`/\`MAX_WINDOW\`) |`,
    `[joinDeadline + ${span(C.AgreementBase.MIN_WINDOW)}, now + ${span(C.AgreementBase.MAX_HORIZON)}]`,
    `Worked example (${pct(D.Foundation.taxBps)} tax)`,
  ],
  "docs/validation.md": [
    `default ${civ(D.ValidationRegistry.minValidatorStake)} CIV`,
    `the window within [${span(C.ValidationRegistry.MIN_RESPONSE_WINDOW)}, ${span(C.ValidationRegistry.MAX_RESPONSE_WINDOW)}]`,
    `\`rewardPerPass\` (≤ ${civ(C.ValidationRegistry.MAX_REWARD_PER_PASS)} CIV)`,
    `(${C.ValidationRegistry.MIN_PASS_THRESHOLD}..${C.ValidationRegistry.MAX_RESPONSE})`,
    `${civ(D.Protocol.validationRewardBudget)} CIV at deployment, \`validationRewardBudget\``,
    `tag \`civitas.deliverable\`: ${civ(D.ValidationRegistry.rewardPerPass)} CIV per pass, ${civ(D.ValidationRegistry.rewardCapPerAgentPerEpoch)} CIV per agent per ${days(D.ValidationRegistry.rewardEpoch)}-day epoch, ${civ(D.ValidationRegistry.rewardMinFee)} CIV minimum fee, pass at ${D.ValidationRegistry.rewardPassThreshold}.`,
  ],
  "docs/indexer.md": [
    `(expired after \`QUEUE_GRACE_PERIOD\`, ${span(C.CivitasGovernor.QUEUE_GRACE_PERIOD)})`,
  ],
  "docs/security.md": [
    `every registration pays a ${civ(D.AgentRegistry.birthGrant)} CIV birth grant`,
    `N wallets \`register()\` (${civ(D.AgentRegistry.birthGrant)} CIV grant each, gas only)`,
    `their proposer is below the ${civ(D.Protocol.proposalThreshold)} CIV threshold`,
    `pay out at most ${pct(C.Treasury.MAX_OUTFLOW_BPS)} of the Treasury's balance per rolling ${span(C.Treasury.OUTFLOW_WINDOW)}`,
    `quorum is the larger of ${D.Protocol.quorumNumerator}% of circulating supply and an absolute floor (default ${civ(D.Protocol.quorumFloor)} CIV, a governance setting bounded to [${civ(C.CivitasGovernor.MIN_QUORUM_FLOOR)}, ${civ(C.CivitasGovernor.MAX_QUORUM_FLOOR)}] CIV`,
    `\`GovernorInsufficientProposerVotes(proposer, 0, ${civ(D.Protocol.proposalThreshold)} CIV)\``,
    `a registration adds ${civ(D.AgentRegistry.birthGrant)} CIV of _unearned_ balance`,
    `so ${n(D.Protocol.registryBudget / D.AgentRegistry.birthGrant)} registrations (the whole ${civ(D.Protocol.registryBudget)} CIV registry budget) add 0 votes`,
    `raises quorum (${D.Protocol.quorumNumerator}% of +${civ(D.Protocol.registryBudget)} CIV = +${civ((D.Protocol.registryBudget * D.Protocol.quorumNumerator) / 100n)} CIV)`,
    `one holder of the proposal threshold (${civ(D.Protocol.proposalThreshold)} CIV of votes)`,
    `each live proposal costs ${civ(D.Protocol.proposalThreshold)} CIV of earned`,
    `\`minDeliveryWindow\` is a governance setting (default ${span(D.Escrow.minDeliveryWindow)}, bounds [${span(C.Escrow.MIN_DELIVERY_WINDOW_FLOOR)}, ${span(C.Escrow.MIN_DELIVERY_WINDOW_CEILING)}]`,
    `\`minJobAmount\` (default ${civ(D.Escrow.minJobAmount)} CIV, bounds [${civ(C.Escrow.MIN_JOB_AMOUNT_FLOOR)} CIV, ${civ(C.Escrow.MIN_JOB_AMOUNT_CEILING)} CIV]`,
    `at least ${n(C.Escrow.REPUTATION_FULL_CREDIT_AMOUNT / CIV)} / ${C.Escrow.DELTA_COMPLETED + C.Escrow.DELTA_RATING} ≈ ${(C.Escrow.REPUTATION_FULL_CREDIT_AMOUNT / CIV / (C.Escrow.DELTA_COMPLETED + C.Escrow.DELTA_RATING)).toString()} CIV of value paid`,
    `+${C.Escrow.DELTA_COMPLETED} completed and +${C.Escrow.DELTA_RATING} rating per ${civ(C.Escrow.REPUTATION_FULL_CREDIT_AMOUNT)} CIV), on which ${pct(D.Escrow.protocolFeeBps)} fee and ${pct(D.Foundation.taxBps)} tax`,
    `(\`capBps\` of \`totalSupply\`, ${pct(D.Foundation.capBps)})`,
    `Hold the cap (${civ((C.CivitasToken.GENESIS_SUPPLY * D.Foundation.capBps) / 10_000n)} CIV at genesis supply)`,
    `Register with the minimum self-stake (${civ(D.Staking.minSelfStake)} CIV) at ${pct(C.Staking.MAX_COMMISSION_BPS)} commission`,
    `${civ(D.Staking.minSelfStake)} CIV locked for one unbonding period (${span(D.Staking.unbondingPeriod)})`,
  ],
  "docs/sim.md": [
    `receives the ${civ(D.AgentRegistry.birthGrant)} CIV birth grant`,
    `with \`selfStake ≥ minSelfStake\` (${civ(D.Staking.minSelfStake)} CIV)`,
    `staking rewards of the genesis epoch (${civ(D.Protocol.genesisEpochReward)} CIV over ${span(D.Protocol.genesisEpochDuration)})`,
    `\`registry.collectUpkeep(ids[])\` (${civ(D.AgentRegistry.upkeepPerDay)} CIV/day each)`,
    `posting the ${pct(D.Escrow.arbitratorBondBps)} bond`,
    `(defaults: voting delay ${span(D.Protocol.votingDelay)}, period ${span(D.Protocol.votingPeriod)}, timelock ${span(D.Protocol.timelockMinDelay)})`,
    `# ERC-8004 identity + ${civ(D.AgentRegistry.birthGrant)} CIV birth grant`,
  ],
  "docs/auditor.md": [
    `| \`sybil-burst\` | ${A["sybil-burst"].severity} | ${A["sybil-burst"].minAccounts} accounts within ${span(A["sybil-burst"].windowSeconds)} |`,
    `delegate at ${pct(A["governance-concentration"].nearQuorumBps)} of quorum`,
    `| \`proposal-spam\` | ${A["proposal-spam"].severity} | ${A["proposal-spam"].maxProposals} proposals by one proposer within ${span(A["proposal-spam"].windowSeconds)} |`,
    `| \`wash-trading\` | ${A["wash-trading"].severity} | ≥ ${civ(A["wash-trading"].minAmount)} CIV, ≥ ${pct(A["wash-trading"].returnBps)} coming back within ${span(A["wash-trading"].windowSeconds)}, 2 or 3 hops |`,
    `| \`reputation-ring\` | ${A["reputation-ring"].severity} | ≥ ${A["reputation-ring"].minJobs} jobs in ${span(A["reputation-ring"].windowSeconds)}, ≥ ${pct(A["reputation-ring"].shareBps)} reciprocal, group ≤ ${A["reputation-ring"].maxGroup} |`,
    `| \`one-sided-job\` | ${A["one-sided-job"].severity} | same owner, or funded by the other within ${span(A["one-sided-job"].fundingWindowSeconds)} |`,
    `| \`wealth-near-cap\` | ${A["wealth-near-cap"].severity} | holdings ≥ ${pct(A["wealth-near-cap"].nearCapBps)} of the cap |`,
    `| \`starvation-wave\` | ${A["starvation-wave"].severity} | ${A["starvation-wave"].minStarved} starvations within ${span(A["starvation-wave"].windowSeconds)} |`,
    `| \`validator-risk\` | ${A["validator-risk"].severity} (high for a slash ≥ ${pct(A["validator-risk"].highSlashBps)}) | commission rise ≥ ${n(A["validator-risk"].jumpBps)} bps |`,
    `| \`treasury-outflow\` | ${A["treasury-outflow"].severity} | outflows ≥ ${pct(A["treasury-outflow"].nearLimitBps)} of the limit in the Treasury's ${days(C.Treasury.OUTFLOW_WINDOW)}-day window |`,
    `Fewer than \`minJobs\` (${A["reputation-ring"].minJobs}) ring jobs per provider in ${span(A["reputation-ring"].windowSeconds)}`,
    `\`maxProposals\` (${A["proposal-spam"].maxProposals}) proposals per proposer in ${span(A["proposal-spam"].windowSeconds)}`,
    `fewer than \`minStarved\` (${A["starvation-wave"].minStarved}) starvations a day`,
  ],
};

/**
 * Measured figures: each is named with the command that measured it, in the same paragraph, so a reader
 * can measure again (gas and cost from benches, outcomes from simulation runs).
 */
const MEASURED: { file: string; figure: string; command: string }[] = [
  { file: "README.md", figure: "costs over 12,000 CIV of tax", command: "npm run bench:reputation-ring" },
  { file: "docs/escrow.md", figure: "costs about 12,400 CIV", command: "npm run bench:reputation-ring" },
  { file: "docs/security.md", figure: "**12,535 CIV**", command: "npm run bench:reputation-ring" },
  { file: "docs/staking.md", figure: "no gas within 1%", command: "npm run bench:staking" },
  { file: "docs/economy.md", figure: "ended with 10 of 20 agents", command: "npm start" },
  {
    file: "docs/economy.md",
    figure: "ended with 8 of 20 agents starved",
    command: "npm start -- --no-indexer",
  },
  { file: "docs/economy.md", figure: "3 of 20 starved", command: "npm start -- --no-indexer" },
  { file: "docs/economy.md", figure: "ended at 9,844,802 CIV", command: "npm start -- --no-indexer" },
];

const squash = (text: string) => text.replace(/\s+/g, " ");
const read = (file: string) => squash(readFileSync(join(REPO_ROOT, file), "utf8"));

/** The paragraph of `file` (text between blank lines) that contains `figure`, whitespace squashed. */
function paragraphOf(file: string, figure: string): string | undefined {
  const paragraphs = readFileSync(join(REPO_ROOT, file), "utf8")
    .split(/\n\s*\n/)
    .map(squash);
  return paragraphs.find((p) => p.includes(squash(figure)));
}

/** The section of `file` (text between two headings) that contains `figure`, whitespace squashed. */
function sectionOf(file: string, figure: string): string | undefined {
  const sections = readFileSync(join(REPO_ROOT, file), "utf8")
    .split(/\n(?=#+ )/)
    .map(squash);
  return sections.find((s) => s.includes(squash(figure)));
}

describe("docs: every figure derived from a parameter is the parameter's value", function () {
  for (const [file, figures] of Object.entries(FIGURES)) {
    it(`${file}: ${figures.length} figures match the Ignition parameters and the contracts' constants`, function () {
      const doc = read(file);
      const drifted = figures.map(squash).filter((figure) => !doc.includes(figure));
      expect(drifted, `${file} no longer says (computed from the parameters)`).to.deep.equal([]);
    });
  }

  it("the helpers format figures as the docs write them", function () {
    expect([civ(1000n * CIV), civ(CIV / 1000n), civ((25n * CIV) / 2n)]).to.deep.equal([
      "1,000",
      "0.001",
      "12.5",
    ]);
    expect([span(DAY), span(7n * DAY), span(HOUR), span(600n), pct(1250n)]).to.deep.equal([
      "1 day",
      "7 days",
      "1 hour",
      "10 minutes",
      "12.5%",
    ]);
    expect(() => days(HOUR)).to.throw(/not a whole number of days/);
  });

  for (const { file, figure, command } of MEASURED)
    it(`${file}: the measured "${figure}" names the command that measured it (${command})`, function () {
      // Named in its paragraph, or (a table of results) in its section.
      const paragraph = paragraphOf(file, figure);
      expect(paragraph, `${file} contains "${figure}"`).to.not.equal(undefined);
      if (!paragraph!.includes(command)) expect(sectionOf(file, figure)).to.contain(command);
    });
});
