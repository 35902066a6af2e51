// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IBlockLottery
/// @notice The economy's block lottery (sim-economy's mine / stake / burn; issue 17). Time is cut into
/// epochs of {EPOCH_DURATION} seconds from deployment; the chain's own consensus is untouched. In an epoch
/// an account enters by
/// - mining ({mine}): using `units` of the mining resource (compute credits bought in the resource market,
///   or the agent's free allowance of it, both metered by the ResourceLedger); weight `units *
///   mineWeightPerUnit`;
/// - staking ({stake}): locking CIV in the lottery until the epoch ends; weight `amount * remaining /
///   EPOCH_DURATION` (stake counts for the part of the epoch it is locked, so a last-second stake weighs
///   nothing);
/// - burning ({burn}, {enterBurn}): destroyed CIV builds a burn score that keeps `burnDecayBps` of itself
///   per epoch; an account enters an epoch with its score once per epoch.
/// Stake and burn entries count only in an epoch that has a mine entry (Slimcoin's rule, "mine is the
/// clock"): an epoch without one is drawn void.
///
/// Randomness is commit-reveal among entrants: an entrant may {commit} a hash with a reveal bond of
/// `revealBond` CIV during the epoch and {reveal} the secret in the {REVEAL_WINDOW} after it (its bond
/// returned); the seed is the XOR of every revealed secret (order-independent), hashed with the epoch. A
/// bond not revealed goes to the Treasury at the draw, so withholding a reveal is never free. An epoch
/// with no reveal is drawn void. Limits (docs/lottery.md): the last revealer sees the others' secrets and
/// may withhold, choosing between two outcomes for the price of its bond; one person with k committed
/// wallets chooses among up to 2^k outcomes for up to k bonds. One honest revealer is enough to make the
/// outcome unpredictable to the others before the reveal window, never enough to stop a withholder's choice.
///
/// After the reveal window anyone may {draw}: the winner is the entry whose cumulative weight range holds
/// `seed % totalWeight` (a binary search, O(log entries)), and the reward (`epochReward`, limited to the
/// lottery's Treasury budget and the Treasury's outflow limit) is drawn from the Treasury into the lottery.
/// The winner {claim}s it as earnings (taxed) until {CLAIM_PERIOD} after the draw; afterwards anyone may
/// {returnUnclaimed} it to the Treasury.
///
/// Money invariant: the lottery's CIV balance equals the stake still locked or unwithdrawn, plus bonds of
/// epochs not yet drawn, plus rewards drawn but neither claimed nor returned. Nothing else stays.
/// @dev Units: CIV in wei, resource usage in the resource's base units, weights in wei-equivalents, rates in
/// bps, times in seconds. Epoch `e` runs over `[genesis + e * EPOCH_DURATION, genesis + (e + 1) *
/// EPOCH_DURATION)`; its reveal window is the {REVEAL_WINDOW} seconds after that.
interface IBlockLottery {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice How an entry was made.
    enum EntryKind {
        Mine,
        Stake,
        Burn
    }

    /// @notice How an epoch's draw ended. `Won`: a winner was picked. `NoEntries`: nobody entered.
    /// `NoMineEntry`: entries but none by mining (Slimcoin's rule). `NoReveal`: no committed secret was
    /// revealed, so there is no seed.
    enum DrawOutcome {
        Won,
        NoEntries,
        NoMineEntry,
        NoReveal
    }

    /// @notice An epoch's totals and draw, as {epochInfo} returns them.
    /// @param totalWeight Sum of all entries' weights.
    /// @param mineWeight Sum of the mine entries' weights.
    /// @param entryCount Number of entries (one account may make several).
    /// @param commits Commitments made.
    /// @param reveals Commitments revealed.
    /// @param bondsHeld Reveal bonds held for commitments not yet revealed, in wei.
    /// @param seedMix XOR of the revealed secrets' hashes so far.
    /// @param reward The reward held for the winner, in wei (0 once claimed or returned).
    /// @param claimDeadline Last second the winner may claim.
    /// @param winner The winning account (zero unless `outcome` is `Won`).
    /// @param drawn Whether {draw} ran.
    /// @param outcome The draw's outcome (meaningful once drawn).
    struct EpochInfo {
        uint256 totalWeight;
        uint256 mineWeight;
        uint256 entryCount;
        uint256 commits;
        uint256 reveals;
        uint256 bondsHeld;
        bytes32 seedMix;
        uint256 reward;
        uint256 claimDeadline;
        address winner;
        bool drawn;
        DrawOutcome outcome;
    }

    /// @notice One account's position in one epoch, as {ticketOf} returns it.
    /// @param weight Its total entry weight in the epoch.
    /// @param staked CIV it locked in the epoch, in wei (0 once withdrawn).
    /// @param bond Its reveal bond, in wei (0 once returned or forfeited).
    /// @param commitment Its commitment (zero if none).
    /// @param revealed Whether it revealed.
    /// @param burnEntered Whether it entered the epoch with its burn score.
    struct Ticket {
        uint256 weight;
        uint256 staked;
        uint256 bond;
        bytes32 commitment;
        bool revealed;
        bool burnEntered;
    }

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice A zero address was given at construction.
    error LotteryZeroAddress();

    /// @notice A zero amount was given.
    error LotteryZeroAmount();

    /// @notice A constructor setting is outside its bounds.
    /// @param value The rejected value.
    /// @param min The lowest allowed.
    /// @param max The highest allowed.
    error LotteryConfigOutOfBounds(uint256 value, uint256 min, uint256 max);

    /// @notice A governance setting is outside its bounds.
    /// @param value The rejected value.
    /// @param min The lowest allowed.
    /// @param max The highest allowed.
    error LotterySettingOutOfBounds(uint256 value, uint256 min, uint256 max);

    /// @notice The mining resource is not set or not active on the ledger.
    /// @param resourceId The resource (0: none set).
    error LotteryMiningUnavailable(uint256 resourceId);

    /// @notice The ledger refused to meter the usage (quota, or neither allowance nor credits cover it).
    /// @param resourceId The mining resource.
    /// @param account The miner.
    /// @param units Base units asked for.
    error LotteryMineRefused(uint256 resourceId, address account, uint256 units);

    /// @notice The entry's weight is below `minEntryWeight` (it would round to nothing, or is dust).
    /// @param weight The entry's weight.
    /// @param minWeight `minEntryWeight`.
    error LotteryWeightTooSmall(uint256 weight, uint256 minWeight);

    /// @notice The account already entered this epoch with its burn score.
    /// @param epoch The epoch.
    /// @param account The account.
    error LotteryBurnAlreadyEntered(uint256 epoch, address account);

    /// @notice The account has no entry in the epoch (a commitment needs one).
    /// @param epoch The epoch.
    /// @param account The account.
    error LotteryNotEntered(uint256 epoch, address account);

    /// @notice The account already committed in the epoch.
    /// @param epoch The epoch.
    /// @param account The account.
    error LotteryAlreadyCommitted(uint256 epoch, address account);

    /// @notice The commitment is zero.
    error LotteryZeroCommitment();

    /// @notice The account has no unrevealed commitment in the epoch.
    /// @param epoch The epoch.
    /// @param account The account.
    error LotteryNothingToReveal(uint256 epoch, address account);

    /// @notice The secret does not hash to the account's commitment.
    /// @param epoch The epoch.
    /// @param account The account.
    /// @param commitment The stored commitment.
    /// @param computed {commitmentOf} of the given secret.
    error LotteryBadReveal(uint256 epoch, address account, bytes32 commitment, bytes32 computed);

    /// @notice The call is outside the time window it needs.
    /// @param epoch The epoch.
    /// @param timestamp The block's timestamp, in seconds.
    /// @param opensAt First second of the window.
    /// @param closesAt Last second of the window (`type(uint256).max`: open-ended).
    error LotteryOutsideWindow(uint256 epoch, uint256 timestamp, uint256 opensAt, uint256 closesAt);

    /// @notice The epoch was already drawn.
    /// @param epoch The epoch.
    error LotteryAlreadyDrawn(uint256 epoch);

    /// @notice The epoch has not been drawn yet.
    /// @param epoch The epoch.
    error LotteryNotDrawn(uint256 epoch);

    /// @notice The caller is not the epoch's winner.
    /// @param epoch The epoch.
    /// @param caller The caller.
    /// @param winner The winner (zero: no winner).
    error LotteryNotWinner(uint256 epoch, address caller, address winner);

    /// @notice The epoch holds no reward (none drawn, or already claimed or returned).
    /// @param epoch The epoch.
    error LotteryNoReward(uint256 epoch);

    /// @notice The account has no stake to withdraw in the epoch.
    /// @param epoch The epoch.
    /// @param account The account.
    error LotteryNothingToWithdraw(uint256 epoch, address account);

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice An account entered an epoch.
    /// @param epoch The epoch.
    /// @param entrant The account.
    /// @param kind How it entered.
    /// @param amount Base units mined, wei staked, or (burn) the burn score entered with, in wei.
    /// @param weight The entry's weight.
    /// @param totalWeight The epoch's total weight afterwards (the entry covers `[totalWeight - weight,
    /// totalWeight)`).
    /// @param mineWeight The epoch's mine weight afterwards.
    event Entered(
        uint256 indexed epoch,
        address indexed entrant,
        EntryKind indexed kind,
        uint256 amount,
        uint256 weight,
        uint256 totalWeight,
        uint256 mineWeight
    );

    /// @notice An account burned CIV into its burn score.
    /// @param account The account.
    /// @param epoch The epoch of the burn.
    /// @param amount CIV destroyed, in wei.
    /// @param score Its burn score afterwards, in wei.
    event Burned(address indexed account, uint256 indexed epoch, uint256 amount, uint256 score);

    /// @notice An entrant committed to a secret and locked its reveal bond.
    /// @param epoch The epoch.
    /// @param entrant The account.
    /// @param commitment `commitmentOf(secret, entrant, epoch)`.
    /// @param bond The bond locked, in wei.
    event Committed(uint256 indexed epoch, address indexed entrant, bytes32 commitment, uint256 bond);

    /// @notice An entrant revealed its secret; its bond was returned.
    /// @param epoch The epoch.
    /// @param entrant The account.
    /// @param secret The secret.
    /// @param seedMix The epoch's seed mix afterwards.
    event Revealed(uint256 indexed epoch, address indexed entrant, bytes32 secret, bytes32 seedMix);

    /// @notice An epoch was drawn.
    /// @param epoch The epoch.
    /// @param outcome How it ended.
    /// @param winner The winner (zero unless `Won`).
    /// @param reward The reward drawn from the Treasury and held for the winner, in wei.
    /// @param seed The seed (zero unless `Won`).
    /// @param totalWeight The epoch's total weight.
    /// @param forfeitedBonds Bonds of unrevealed commitments, sent to the Treasury, in wei.
    /// @param claimDeadline Last second the winner may claim.
    event Drawn(
        uint256 indexed epoch,
        DrawOutcome outcome,
        address indexed winner,
        uint256 reward,
        bytes32 seed,
        uint256 totalWeight,
        uint256 forfeitedBonds,
        uint256 claimDeadline
    );

    /// @notice The winner claimed its reward, paid as earnings.
    /// @param epoch The epoch.
    /// @param winner The winner.
    /// @param reward The gross reward, in wei.
    /// @param tax The tax on it, in wei.
    /// @param capExcess The part redirected to the Treasury by the wealth cap, in wei.
    event RewardClaimed(uint256 indexed epoch, address indexed winner, uint256 reward, uint256 tax, uint256 capExcess);

    /// @notice An unclaimed reward went back to the Treasury after the claim deadline.
    /// @param epoch The epoch.
    /// @param amount The reward returned, in wei.
    event RewardReturned(uint256 indexed epoch, uint256 amount);

    /// @notice An account withdrew the stake it locked in an epoch.
    /// @param epoch The epoch.
    /// @param account The account.
    /// @param amount CIV returned, in wei.
    event StakeWithdrawn(uint256 indexed epoch, address indexed account, uint256 amount);

    /// @notice Governance changed the epoch reward (old and new, in wei).
    event EpochRewardUpdated(uint256 oldValue, uint256 newValue);
    /// @notice Governance changed the mining resource (old and new resource id; 0 disables mining).
    event MineResourceUpdated(uint256 oldValue, uint256 newValue);
    /// @notice Governance changed the weight of one mined base unit (old and new, in wei-equivalents).
    event MineWeightPerUnitUpdated(uint256 oldValue, uint256 newValue);
    /// @notice Governance changed the burn score's decay (old and new share kept per epoch, in bps).
    event BurnDecayBpsUpdated(uint256 oldValue, uint256 newValue);
    /// @notice Governance changed the reveal bond (old and new, in wei).
    event RevealBondUpdated(uint256 oldValue, uint256 newValue);
    /// @notice Governance changed the smallest entry weight (old and new, in wei-equivalents).
    event MinEntryWeightUpdated(uint256 oldValue, uint256 newValue);

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice Role that changes the governance settings (the timelock).
    function PARAMETER_ROLE() external view returns (bytes32);

    /// @notice Basis points in 100%: 10,000.
    function BPS() external view returns (uint256);

    /// @notice Highest `epochReward`: 100,000 CIV.
    function MAX_EPOCH_REWARD() external view returns (uint256);

    /// @notice Highest `mineWeightPerUnit`: 1,000 CIV-equivalents per base unit.
    function MAX_MINE_WEIGHT_PER_UNIT() external view returns (uint256);

    /// @notice Highest `burnDecayBps`: 9,900 (a burn score keeps at most 99% per epoch, so it always fades).
    function MAX_BURN_DECAY_BPS() external view returns (uint256);

    /// @notice Lowest `revealBond`: 0.001 CIV (withholding a reveal is never free).
    function MIN_REVEAL_BOND() external view returns (uint256);

    /// @notice Highest `revealBond`: 10,000 CIV.
    function MAX_REVEAL_BOND() external view returns (uint256);

    /// @notice Highest `minEntryWeight`: 1,000 CIV-equivalents (its lowest is 1: no entry weighs nothing).
    function MAX_MIN_ENTRY_WEIGHT() external view returns (uint256);

    /// @notice Bounds of {EPOCH_DURATION}: 1 hour and 30 days.
    function MIN_EPOCH_DURATION() external view returns (uint256);
    /// @notice See {MIN_EPOCH_DURATION}.
    function MAX_EPOCH_DURATION() external view returns (uint256);

    /// @notice Bounds of {REVEAL_WINDOW}: 10 minutes and 7 days.
    function MIN_REVEAL_WINDOW() external view returns (uint256);
    /// @notice See {MIN_REVEAL_WINDOW}.
    function MAX_REVEAL_WINDOW() external view returns (uint256);

    /// @notice Bounds of {CLAIM_PERIOD}: 1 day and 90 days.
    function MIN_CLAIM_PERIOD() external view returns (uint256);
    /// @notice See {MIN_CLAIM_PERIOD}.
    function MAX_CLAIM_PERIOD() external view returns (uint256);

    /// @notice Length of an epoch, in seconds (fixed at deployment).
    function EPOCH_DURATION() external view returns (uint256);

    /// @notice Length of the reveal window after each epoch, in seconds (fixed at deployment).
    function REVEAL_WINDOW() external view returns (uint256);

    /// @notice How long a winner may claim after the draw, in seconds (fixed at deployment).
    function CLAIM_PERIOD() external view returns (uint256);

    /// @notice Start of epoch 0 (the deployment's timestamp), in seconds.
    function genesis() external view returns (uint256);

    /// @notice The current epoch.
    function currentEpoch() external view returns (uint256);

    /// @notice First second of `epoch`.
    function epochStart(uint256 epoch) external view returns (uint256);

    /// @notice The reward drawn for a winning epoch, in wei (limited by the budget at the draw).
    function epochReward() external view returns (uint256);

    /// @notice The mining resource's id on the ledger (0: mining disabled).
    function mineResourceId() external view returns (uint256);

    /// @notice Weight of one mined base unit, in wei-equivalents.
    function mineWeightPerUnit() external view returns (uint256);

    /// @notice Share of a burn score kept from one epoch to the next, in bps.
    function burnDecayBps() external view returns (uint256);

    /// @notice CIV locked with a commitment and returned on reveal, in wei.
    function revealBond() external view returns (uint256);

    /// @notice The smallest weight an entry may have.
    function minEntryWeight() external view returns (uint256);

    /// @notice `account`'s burn score now (decayed to the current epoch), in wei.
    function burnScoreOf(address account) external view returns (uint256);

    /// @notice `epoch`'s totals and draw.
    function epochInfo(uint256 epoch) external view returns (EpochInfo memory);

    /// @notice `account`'s position in `epoch`.
    function ticketOf(uint256 epoch, address account) external view returns (Ticket memory);

    /// @notice The commitment of `secret` by `entrant` in `epoch`: `keccak256(abi.encode(secret, entrant,
    /// epoch))` (binding the entrant and the epoch, so nobody can copy another's commitment).
    function commitmentOf(bytes32 secret, address entrant, uint256 epoch) external pure returns (bytes32);

    /// @notice The account whose entry in `epoch` covers the weight `point` (the winner of a draw whose
    /// `seed % totalWeight` is `point`); zero when `point` is not below the epoch's total weight.
    function entrantAt(uint256 epoch, uint256 point) external view returns (address);

    /*//////////////////////////////////////////////////////////////
                                 ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice Enters the current epoch by using `units` of the mining resource, metered by the ledger
    /// (the lottery is the resource's authorised meter): the caller's agent's free allowance first, then its
    /// credits. Weight `units * mineWeightPerUnit`.
    /// @dev Throws {LotteryZeroAmount}, {LotteryMiningUnavailable}, {LotteryWeightTooSmall},
    /// {LotteryMineRefused}, and the ledger's errors. Emits {Entered}.
    function mine(uint256 units) external;

    /// @notice Enters the current epoch by locking `amount` CIV (approved to the lottery) until it ends.
    /// Weight `amount * (epoch end - now) / EPOCH_DURATION`, rounded down.
    /// @dev Throws {LotteryZeroAmount}, {LotteryWeightTooSmall}, the token's errors. Emits {Entered}.
    function stake(uint256 amount) external;

    /// @notice Destroys `amount` CIV (approved to the lottery) into the caller's burn score, and enters the
    /// current epoch: with the whole score if it has not entered with its burn score this epoch, otherwise
    /// with `amount`.
    /// @dev Throws {LotteryZeroAmount}, {LotteryWeightTooSmall}, the token's errors. Emits {Burned},
    /// {Entered}.
    function burn(uint256 amount) external;

    /// @notice Enters the current epoch with the caller's burn score (once per epoch).
    /// @dev Throws {LotteryBurnAlreadyEntered}, {LotteryWeightTooSmall}. Emits {Entered}.
    function enterBurn() external;

    /// @notice Commits to a secret for the current epoch and locks `revealBond` CIV (approved to the lottery).
    /// Only an account that entered the epoch; once per epoch.
    /// @dev Throws {LotteryZeroCommitment}, {LotteryNotEntered}, {LotteryAlreadyCommitted}, the token's
    /// errors. Emits {Committed}.
    /// @param commitment {commitmentOf}(secret, caller, current epoch).
    function commit(bytes32 commitment) external;

    /// @notice Reveals the caller's secret for `epoch` during its reveal window; the bond is returned.
    /// @dev Throws {LotteryOutsideWindow}, {LotteryNothingToReveal}, {LotteryBadReveal}. Emits {Revealed}.
    function reveal(uint256 epoch, bytes32 secret) external;

    /// @notice Draws `epoch` after its reveal window: picks the winner, draws the reward from the Treasury,
    /// sends unrevealed bonds to the Treasury. Anyone may call it; the result does not depend on who or when.
    /// @dev Throws {LotteryOutsideWindow}, {LotteryAlreadyDrawn}, and the Treasury's errors. Emits {Drawn}.
    function draw(uint256 epoch) external;

    /// @notice Pays `epoch`'s reward to its winner (the caller) as earnings, until the claim deadline.
    /// @dev Throws {LotteryNotDrawn}, {LotteryNotWinner}, {LotteryNoReward}, {LotteryOutsideWindow}.
    /// Emits {RewardClaimed}.
    function claim(uint256 epoch) external;

    /// @notice Returns `epoch`'s unclaimed reward to the Treasury after the claim deadline. Anyone.
    /// @dev Throws {LotteryNotDrawn}, {LotteryNoReward}, {LotteryOutsideWindow}. Emits {RewardReturned}.
    function returnUnclaimed(uint256 epoch) external;

    /// @notice Returns the CIV the caller locked in `epoch`, once the epoch has ended.
    /// @dev Throws {LotteryOutsideWindow}, {LotteryNothingToWithdraw}. Emits {StakeWithdrawn}.
    function withdrawStake(uint256 epoch) external;

    /// @notice Sets `epochReward` (at most {MAX_EPOCH_REWARD}). Only the parameter role.
    /// @dev Throws {LotterySettingOutOfBounds}, `AccessControlUnauthorizedAccount`. Emits {EpochRewardUpdated}.
    function setEpochReward(uint256 newValue) external;

    /// @notice Sets the mining resource (0 disables mining; otherwise an active ledger resource). Only the
    /// parameter role. The ledger must also authorise the lottery as its meter.
    /// @dev Throws {LotteryMiningUnavailable}, `AccessControlUnauthorizedAccount`. Emits {MineResourceUpdated}.
    function setMineResource(uint256 newValue) external;

    /// @notice Sets `mineWeightPerUnit` (1 to {MAX_MINE_WEIGHT_PER_UNIT}). Only the parameter role.
    /// @dev Throws {LotterySettingOutOfBounds}, `AccessControlUnauthorizedAccount`.
    /// Emits {MineWeightPerUnitUpdated}.
    function setMineWeightPerUnit(uint256 newValue) external;

    /// @notice Sets `burnDecayBps` (0 to {MAX_BURN_DECAY_BPS}). Only the parameter role.
    /// @dev Throws {LotterySettingOutOfBounds}, `AccessControlUnauthorizedAccount`. Emits {BurnDecayBpsUpdated}.
    function setBurnDecayBps(uint256 newValue) external;

    /// @notice Sets `revealBond` ({MIN_REVEAL_BOND} to {MAX_REVEAL_BOND}); commitments already made keep
    /// theirs. Only the parameter role.
    /// @dev Throws {LotterySettingOutOfBounds}, `AccessControlUnauthorizedAccount`. Emits {RevealBondUpdated}.
    function setRevealBond(uint256 newValue) external;

    /// @notice Sets `minEntryWeight` (1 to {MAX_MIN_ENTRY_WEIGHT}). Only the parameter role.
    /// @dev Throws {LotterySettingOutOfBounds}, `AccessControlUnauthorizedAccount`.
    /// Emits {MinEntryWeightUpdated}.
    function setMinEntryWeight(uint256 newValue) external;
}
