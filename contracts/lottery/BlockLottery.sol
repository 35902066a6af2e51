// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IBlockLottery} from "../interfaces/IBlockLottery.sol";
import {ICivitasToken} from "../interfaces/ICivitasToken.sol";
import {IResourceLedger} from "../interfaces/IResourceLedger.sol";
import {ITreasury} from "../interfaces/ITreasury.sol";

/// @title BlockLottery
/// @notice The economy's epoch lottery: mine, stake or burn to enter; commit-reveal among entrants for the
/// seed; the winner's reward from a Treasury budget. See {IBlockLottery} for the rules and docs/lottery.md
/// for the randomness's limits.
/// @dev Must be a protocol account on the token (untaxed deposits, `returnPrincipal`, `payEarnings`), hold a
/// Treasury budget, and be an authorised meter of the mining resource on the ledger.
/// Money invariant (tested by name): `balanceOf(this) == stake not withdrawn + bonds of undrawn epochs +
/// rewards held`.
contract BlockLottery is IBlockLottery, AccessControl {
    using SafeERC20 for IERC20;

    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IBlockLottery
    bytes32 public constant PARAMETER_ROLE = keccak256("PARAMETER_ROLE");
    /// @inheritdoc IBlockLottery
    uint256 public constant BPS = 10_000;
    /// @inheritdoc IBlockLottery
    uint256 public constant MAX_EPOCH_REWARD = 100_000e18;
    /// @inheritdoc IBlockLottery
    uint256 public constant MAX_MINE_WEIGHT_PER_UNIT = 1_000e18;
    /// @inheritdoc IBlockLottery
    uint256 public constant MAX_BURN_DECAY_BPS = 9_900;
    /// @inheritdoc IBlockLottery
    uint256 public constant MIN_REVEAL_BOND = 1e15;
    /// @inheritdoc IBlockLottery
    uint256 public constant MAX_REVEAL_BOND = 10_000e18;
    /// @inheritdoc IBlockLottery
    uint256 public constant MAX_MIN_ENTRY_WEIGHT = 1_000e18;
    /// @inheritdoc IBlockLottery
    uint256 public constant MIN_EPOCH_DURATION = 1 hours;
    /// @inheritdoc IBlockLottery
    uint256 public constant MAX_EPOCH_DURATION = 30 days;
    /// @inheritdoc IBlockLottery
    uint256 public constant MIN_REVEAL_WINDOW = 10 minutes;
    /// @inheritdoc IBlockLottery
    uint256 public constant MAX_REVEAL_WINDOW = 7 days;
    /// @inheritdoc IBlockLottery
    uint256 public constant MIN_CLAIM_PERIOD = 1 days;
    /// @inheritdoc IBlockLottery
    uint256 public constant MAX_CLAIM_PERIOD = 90 days;

    /// @dev Fixed-point scale of the burn decay's power.
    uint256 private constant RAY = 1e27;

    /// @inheritdoc IBlockLottery
    // solhint-disable-next-line immutable-vars-naming
    uint256 public immutable EPOCH_DURATION;
    /// @inheritdoc IBlockLottery
    // solhint-disable-next-line immutable-vars-naming
    uint256 public immutable REVEAL_WINDOW;
    /// @inheritdoc IBlockLottery
    // solhint-disable-next-line immutable-vars-naming
    uint256 public immutable CLAIM_PERIOD;
    /// @inheritdoc IBlockLottery
    uint256 public immutable genesis;

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev One entry: `entrant` holds the weights `[end - weight, end)` of its epoch.
    struct Entry {
        address entrant;
        uint256 end;
    }

    /// @dev An epoch's state; {EpochInfo} without the entry count.
    struct EpochState {
        uint256 totalWeight;
        uint256 mineWeight;
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

    /// @dev A burn score as of `epoch`.
    struct BurnScore {
        uint256 score;
        uint256 epoch;
    }

    ICivitasToken private immutable _token;
    ITreasury private immutable _treasury;
    IResourceLedger private immutable _ledger;

    uint256 private _epochReward;
    uint256 private _mineResourceId;
    uint256 private _mineWeightPerUnit;
    uint256 private _burnDecayBps;
    uint256 private _revealBond;
    uint256 private _minEntryWeight;

    mapping(uint256 epoch => EpochState) private _epochs;
    mapping(uint256 epoch => Entry[]) private _entries;
    mapping(uint256 epoch => mapping(address account => Ticket)) private _tickets;
    mapping(address account => BurnScore) private _burnScores;

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @param admin Governance (the deploy hands both roles to the timelock).
    /// @param token_ The CIV token.
    /// @param treasury_ The Treasury the rewards are drawn from (the lottery's budget there).
    /// @param ledger_ The ResourceLedger that meters mining.
    /// @param epochDuration {EPOCH_DURATION}, in seconds.
    /// @param revealWindow {REVEAL_WINDOW}, in seconds.
    /// @param claimPeriod {CLAIM_PERIOD}, in seconds.
    /// @param settings Initial `[epochReward, mineResourceId, mineWeightPerUnit, burnDecayBps, revealBond,
    /// minEntryWeight]`, each within its bounds.
    constructor(
        address admin,
        ICivitasToken token_,
        ITreasury treasury_,
        IResourceLedger ledger_,
        uint256 epochDuration,
        uint256 revealWindow,
        uint256 claimPeriod,
        uint256[6] memory settings
    ) {
        if (
            admin == address(0) ||
            address(token_) == address(0) ||
            address(treasury_) == address(0) ||
            address(ledger_) == address(0)
        ) revert LotteryZeroAddress();
        _checkConfig(epochDuration, MIN_EPOCH_DURATION, MAX_EPOCH_DURATION);
        _checkConfig(revealWindow, MIN_REVEAL_WINDOW, MAX_REVEAL_WINDOW);
        _checkConfig(claimPeriod, MIN_CLAIM_PERIOD, MAX_CLAIM_PERIOD);
        _token = token_;
        _treasury = treasury_;
        _ledger = ledger_;
        EPOCH_DURATION = epochDuration;
        REVEAL_WINDOW = revealWindow;
        CLAIM_PERIOD = claimPeriod;
        genesis = block.timestamp;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(PARAMETER_ROLE, admin);
        _setEpochReward(settings[0]);
        _setMineResource(settings[1]);
        _setMineWeightPerUnit(settings[2]);
        _setBurnDecayBps(settings[3]);
        _setRevealBond(settings[4]);
        _setMinEntryWeight(settings[5]);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IBlockLottery
    function currentEpoch() public view returns (uint256) {
        return (block.timestamp - genesis) / EPOCH_DURATION;
    }

    /// @inheritdoc IBlockLottery
    function epochStart(uint256 epoch) public view returns (uint256) {
        return genesis + epoch * EPOCH_DURATION;
    }

    /// @inheritdoc IBlockLottery
    function epochReward() external view returns (uint256) {
        return _epochReward;
    }

    /// @inheritdoc IBlockLottery
    function mineResourceId() external view returns (uint256) {
        return _mineResourceId;
    }

    /// @inheritdoc IBlockLottery
    function mineWeightPerUnit() external view returns (uint256) {
        return _mineWeightPerUnit;
    }

    /// @inheritdoc IBlockLottery
    function burnDecayBps() external view returns (uint256) {
        return _burnDecayBps;
    }

    /// @inheritdoc IBlockLottery
    function revealBond() external view returns (uint256) {
        return _revealBond;
    }

    /// @inheritdoc IBlockLottery
    function minEntryWeight() external view returns (uint256) {
        return _minEntryWeight;
    }

    /// @inheritdoc IBlockLottery
    function burnScoreOf(address account) public view returns (uint256) {
        BurnScore memory b = _burnScores[account];
        return _decayed(b.score, currentEpoch() - b.epoch);
    }

    /// @inheritdoc IBlockLottery
    function epochInfo(uint256 epoch) external view returns (EpochInfo memory) {
        EpochState storage e = _epochs[epoch];
        return
            EpochInfo({
                totalWeight: e.totalWeight,
                mineWeight: e.mineWeight,
                entryCount: _entries[epoch].length,
                commits: e.commits,
                reveals: e.reveals,
                bondsHeld: e.bondsHeld,
                seedMix: e.seedMix,
                reward: e.reward,
                claimDeadline: e.claimDeadline,
                winner: e.winner,
                drawn: e.drawn,
                outcome: e.outcome
            });
    }

    /// @inheritdoc IBlockLottery
    function ticketOf(uint256 epoch, address account) external view returns (Ticket memory) {
        return _tickets[epoch][account];
    }

    /// @inheritdoc IBlockLottery
    function commitmentOf(bytes32 secret, address entrant, uint256 epoch) public pure returns (bytes32) {
        return keccak256(abi.encode(secret, entrant, epoch));
    }

    /// @inheritdoc IBlockLottery
    function entrantAt(uint256 epoch, uint256 point) public view returns (address) {
        Entry[] storage entries = _entries[epoch];
        uint256 high = entries.length;
        if (high == 0 || point >= entries[high - 1].end) return address(0);
        // The first entry whose end is above `point`: ends are strictly increasing (every weight >= 1).
        uint256 low = 0;
        while (low < high) {
            uint256 mid = Math.average(low, high);
            if (entries[mid].end > point) high = mid;
            else low = mid + 1;
        }
        return entries[low].entrant;
    }

    /*//////////////////////////////////////////////////////////////
                                ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IBlockLottery
    function mine(uint256 units) external {
        if (units == 0) revert LotteryZeroAmount();
        uint256 resourceId = _mineResourceId;
        if (resourceId == 0 || !_ledger.isActive(resourceId)) revert LotteryMiningUnavailable(resourceId);
        uint256 weight = units * _mineWeightPerUnit;
        _checkWeight(weight);
        uint256 epoch = currentEpoch();
        address account = _msgSender();
        if (!_ledger.meter(resourceId, account, units, bytes32(epoch))) {
            revert LotteryMineRefused(resourceId, account, units);
        }
        _epochs[epoch].mineWeight += weight;
        _enter(epoch, account, EntryKind.Mine, units, weight);
    }

    /// @inheritdoc IBlockLottery
    function stake(uint256 amount) external {
        if (amount == 0) revert LotteryZeroAmount();
        uint256 epoch = currentEpoch();
        // The part of the epoch still ahead, out of EPOCH_DURATION (never zero inside the epoch).
        uint256 remaining = epochStart(epoch + 1) - block.timestamp;
        uint256 weight = Math.mulDiv(amount, remaining, EPOCH_DURATION);
        _checkWeight(weight);
        address account = _msgSender();
        _tickets[epoch][account].staked += amount;
        IERC20(address(_token)).safeTransferFrom(account, address(this), amount);
        _enter(epoch, account, EntryKind.Stake, amount, weight);
    }

    /// @inheritdoc IBlockLottery
    function burn(uint256 amount) external {
        if (amount == 0) revert LotteryZeroAmount();
        uint256 epoch = currentEpoch();
        address account = _msgSender();
        uint256 score = burnScoreOf(account) + amount;
        _burnScores[account] = BurnScore({score: score, epoch: epoch});
        Ticket storage t = _tickets[epoch][account];
        uint256 weight = t.burnEntered ? amount : score;
        _checkWeight(weight);
        t.burnEntered = true;
        IERC20(address(_token)).safeTransferFrom(account, address(this), amount);
        _token.burn(amount);
        emit Burned(account, epoch, amount, score);
        _enter(epoch, account, EntryKind.Burn, weight, weight);
    }

    /// @inheritdoc IBlockLottery
    function enterBurn() external {
        uint256 epoch = currentEpoch();
        address account = _msgSender();
        Ticket storage t = _tickets[epoch][account];
        if (t.burnEntered) revert LotteryBurnAlreadyEntered(epoch, account);
        uint256 score = burnScoreOf(account);
        _checkWeight(score);
        t.burnEntered = true;
        _enter(epoch, account, EntryKind.Burn, score, score);
    }

    /// @inheritdoc IBlockLottery
    function commit(bytes32 commitment) external {
        if (commitment == bytes32(0)) revert LotteryZeroCommitment();
        uint256 epoch = currentEpoch();
        address account = _msgSender();
        Ticket storage t = _tickets[epoch][account];
        if (t.weight == 0) revert LotteryNotEntered(epoch, account);
        if (t.commitment != bytes32(0)) revert LotteryAlreadyCommitted(epoch, account);
        uint256 bond = _revealBond;
        t.commitment = commitment;
        t.bond = bond;
        EpochState storage e = _epochs[epoch];
        ++e.commits;
        e.bondsHeld += bond;
        IERC20(address(_token)).safeTransferFrom(account, address(this), bond);
        emit Committed(epoch, account, commitment, bond);
    }

    /// @inheritdoc IBlockLottery
    function reveal(uint256 epoch, bytes32 secret) external {
        uint256 opensAt = epochStart(epoch + 1);
        uint256 closesAt = opensAt + REVEAL_WINDOW - 1;
        if (block.timestamp < opensAt || block.timestamp > closesAt) {
            revert LotteryOutsideWindow(epoch, block.timestamp, opensAt, closesAt);
        }
        address account = _msgSender();
        Ticket storage t = _tickets[epoch][account];
        bytes32 commitment = t.commitment;
        if (commitment == bytes32(0) || t.revealed) revert LotteryNothingToReveal(epoch, account);
        bytes32 computed = commitmentOf(secret, account, epoch);
        if (computed != commitment) revert LotteryBadReveal(epoch, account, commitment, computed);
        uint256 bond = t.bond;
        t.revealed = true;
        t.bond = 0;
        EpochState storage e = _epochs[epoch];
        ++e.reveals;
        e.bondsHeld -= bond;
        // XOR: the seed does not depend on the order of the reveals.
        bytes32 seedMix = e.seedMix ^ keccak256(abi.encode(secret, account));
        e.seedMix = seedMix;
        _token.returnPrincipal(account, bond);
        emit Revealed(epoch, account, secret, seedMix);
    }

    /// @inheritdoc IBlockLottery
    function draw(uint256 epoch) external {
        uint256 opensAt = epochStart(epoch + 1) + REVEAL_WINDOW;
        if (block.timestamp < opensAt) {
            revert LotteryOutsideWindow(epoch, block.timestamp, opensAt, type(uint256).max);
        }
        EpochState storage e = _epochs[epoch];
        if (e.drawn) revert LotteryAlreadyDrawn(epoch);
        e.drawn = true;
        uint256 totalWeight = e.totalWeight;
        DrawOutcome outcome = DrawOutcome.Won;
        if (totalWeight == 0) outcome = DrawOutcome.NoEntries;
        else if (e.mineWeight == 0) outcome = DrawOutcome.NoMineEntry;
        else if (e.reveals == 0) outcome = DrawOutcome.NoReveal;
        e.outcome = outcome;
        uint256 forfeited = e.bondsHeld;
        e.bondsHeld = 0;
        address winner;
        bytes32 seed;
        uint256 reward;
        uint256 claimDeadline;
        if (outcome == DrawOutcome.Won) {
            seed = keccak256(abi.encode(e.seedMix, epoch, address(this)));
            winner = entrantAt(epoch, uint256(seed) % totalWeight);
            IERC20 token = IERC20(address(_token));
            reward = Math.min(
                _epochReward,
                Math.min(_treasury.budgetOf(address(this), token), _treasury.outflowAvailable(token))
            );
            claimDeadline = block.timestamp + CLAIM_PERIOD;
            e.winner = winner;
            e.reward = reward;
            e.claimDeadline = claimDeadline;
            if (reward != 0) _treasury.draw(token, address(this), reward);
        }
        if (forfeited != 0) IERC20(address(_token)).safeTransfer(address(_treasury), forfeited);
        emit Drawn(epoch, outcome, winner, reward, seed, totalWeight, forfeited, claimDeadline);
    }

    /// @inheritdoc IBlockLottery
    function claim(uint256 epoch) external {
        EpochState storage e = _epochs[epoch];
        if (!e.drawn) revert LotteryNotDrawn(epoch);
        address winner = e.winner;
        if (_msgSender() != winner) revert LotteryNotWinner(epoch, _msgSender(), winner);
        uint256 reward = e.reward;
        if (reward == 0) revert LotteryNoReward(epoch);
        uint256 deadline = e.claimDeadline;
        if (block.timestamp > deadline) revert LotteryOutsideWindow(epoch, block.timestamp, 0, deadline);
        e.reward = 0;
        (, uint256 tax, uint256 capExcess) = _token.payEarnings(winner, reward);
        emit RewardClaimed(epoch, winner, reward, tax, capExcess);
    }

    /// @inheritdoc IBlockLottery
    function returnUnclaimed(uint256 epoch) external {
        EpochState storage e = _epochs[epoch];
        if (!e.drawn) revert LotteryNotDrawn(epoch);
        uint256 reward = e.reward;
        if (reward == 0) revert LotteryNoReward(epoch);
        uint256 opensAt = e.claimDeadline + 1;
        if (block.timestamp < opensAt) {
            revert LotteryOutsideWindow(epoch, block.timestamp, opensAt, type(uint256).max);
        }
        e.reward = 0;
        IERC20(address(_token)).safeTransfer(address(_treasury), reward);
        emit RewardReturned(epoch, reward);
    }

    /// @inheritdoc IBlockLottery
    function withdrawStake(uint256 epoch) external {
        uint256 opensAt = epochStart(epoch + 1);
        if (block.timestamp < opensAt) {
            revert LotteryOutsideWindow(epoch, block.timestamp, opensAt, type(uint256).max);
        }
        address account = _msgSender();
        Ticket storage t = _tickets[epoch][account];
        uint256 amount = t.staked;
        if (amount == 0) revert LotteryNothingToWithdraw(epoch, account);
        t.staked = 0;
        _token.returnPrincipal(account, amount);
        emit StakeWithdrawn(epoch, account, amount);
    }

    /// @inheritdoc IBlockLottery
    function setEpochReward(uint256 newValue) external onlyRole(PARAMETER_ROLE) {
        _setEpochReward(newValue);
    }

    /// @inheritdoc IBlockLottery
    function setMineResource(uint256 newValue) external onlyRole(PARAMETER_ROLE) {
        _setMineResource(newValue);
    }

    /// @inheritdoc IBlockLottery
    function setMineWeightPerUnit(uint256 newValue) external onlyRole(PARAMETER_ROLE) {
        _setMineWeightPerUnit(newValue);
    }

    /// @inheritdoc IBlockLottery
    function setBurnDecayBps(uint256 newValue) external onlyRole(PARAMETER_ROLE) {
        _setBurnDecayBps(newValue);
    }

    /// @inheritdoc IBlockLottery
    function setRevealBond(uint256 newValue) external onlyRole(PARAMETER_ROLE) {
        _setRevealBond(newValue);
    }

    /// @inheritdoc IBlockLottery
    function setMinEntryWeight(uint256 newValue) external onlyRole(PARAMETER_ROLE) {
        _setMinEntryWeight(newValue);
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNAL
    //////////////////////////////////////////////////////////////*/

    /// @dev Appends an entry of `weight` (already checked) for `account` in `epoch`.
    function _enter(uint256 epoch, address account, EntryKind kind, uint256 amount, uint256 weight) private {
        EpochState storage e = _epochs[epoch];
        uint256 total = e.totalWeight + weight;
        e.totalWeight = total;
        _entries[epoch].push(Entry({entrant: account, end: total}));
        _tickets[epoch][account].weight += weight;
        emit Entered(epoch, account, kind, amount, weight, total, e.mineWeight);
    }

    /// @dev Reverts with {LotteryWeightTooSmall} below `minEntryWeight` (which is at least 1).
    function _checkWeight(uint256 weight) private view {
        uint256 minWeight = _minEntryWeight;
        if (weight < minWeight) revert LotteryWeightTooSmall(weight, minWeight);
    }

    /// @dev `score * (burnDecayBps / BPS) ^ epochs`, rounded down (binary exponentiation in RAY fixed point).
    function _decayed(uint256 score, uint256 epochs) private view returns (uint256) {
        if (score == 0 || epochs == 0) return score;
        uint256 base = (_burnDecayBps * RAY) / BPS;
        uint256 factor = RAY;
        while (epochs != 0 && factor != 0) {
            if (epochs & 1 == 1) factor = Math.mulDiv(factor, base, RAY);
            epochs >>= 1;
            if (epochs != 0) base = Math.mulDiv(base, base, RAY);
        }
        return Math.mulDiv(score, factor, RAY);
    }

    function _checkConfig(uint256 value, uint256 min, uint256 max) private pure {
        if (value < min || value > max) revert LotteryConfigOutOfBounds(value, min, max);
    }

    function _checkSetting(uint256 value, uint256 min, uint256 max) private pure {
        if (value < min || value > max) revert LotterySettingOutOfBounds(value, min, max);
    }

    function _setEpochReward(uint256 newValue) private {
        _checkSetting(newValue, 0, MAX_EPOCH_REWARD);
        uint256 oldValue = _epochReward;
        _epochReward = newValue;
        emit EpochRewardUpdated(oldValue, newValue);
    }

    function _setMineResource(uint256 newValue) private {
        if (newValue != 0 && !_ledger.isActive(newValue)) revert LotteryMiningUnavailable(newValue);
        uint256 oldValue = _mineResourceId;
        _mineResourceId = newValue;
        emit MineResourceUpdated(oldValue, newValue);
    }

    function _setMineWeightPerUnit(uint256 newValue) private {
        _checkSetting(newValue, 1, MAX_MINE_WEIGHT_PER_UNIT);
        uint256 oldValue = _mineWeightPerUnit;
        _mineWeightPerUnit = newValue;
        emit MineWeightPerUnitUpdated(oldValue, newValue);
    }

    function _setBurnDecayBps(uint256 newValue) private {
        _checkSetting(newValue, 0, MAX_BURN_DECAY_BPS);
        uint256 oldValue = _burnDecayBps;
        _burnDecayBps = newValue;
        emit BurnDecayBpsUpdated(oldValue, newValue);
    }

    function _setRevealBond(uint256 newValue) private {
        _checkSetting(newValue, MIN_REVEAL_BOND, MAX_REVEAL_BOND);
        uint256 oldValue = _revealBond;
        _revealBond = newValue;
        emit RevealBondUpdated(oldValue, newValue);
    }

    function _setMinEntryWeight(uint256 newValue) private {
        _checkSetting(newValue, 1, MAX_MIN_ENTRY_WEIGHT);
        uint256 oldValue = _minEntryWeight;
        _minEntryWeight = newValue;
        emit MinEntryWeightUpdated(oldValue, newValue);
    }
}
