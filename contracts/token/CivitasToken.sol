// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ERC20, IERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ICivitasToken, ICivitasStakeLedger} from "../interfaces/ICivitasToken.sol";
import {ERC3009} from "./ERC3009.sol";

/// @title CivitasToken (CIV)
/// @notice The one currency of Civitas: ERC-20 with ERC-2612 permit and ERC-5805 votes on a timestamp
/// clock, a tax on earnings to the Treasury, a wealth cap per ordinary holder, a rolling mint window and
/// an upkeep burn. See {ICivitasToken} for the movement rules.
contract CivitasToken is ICivitasToken, ERC20, ERC20Permit, ERC20Votes, ERC3009, AccessControl {
    using Checkpoints for Checkpoints.Trace208;

    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @notice Role that may mint within the window (the timelock after deployment).
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");
    /// @notice Role that sets the tax, the cap, protocol accounts and the stake ledger.
    bytes32 public constant PARAMETER_ROLE = keccak256("PARAMETER_ROLE");
    /// @notice Role that burns agents' upkeep (the agent registry).
    bytes32 public constant UPKEEP_BURNER_ROLE = keccak256("UPKEEP_BURNER_ROLE");
    /// @notice Role that schedules circulating-supply snapshots (the Governor, for proposal snapshots).
    bytes32 public constant SNAPSHOT_ROLE = keccak256("SNAPSHOT_ROLE");

    /// @notice Supply minted to the Treasury at deployment: 10,000,000 CIV, in wei.
    uint256 public constant GENESIS_SUPPLY = 10_000_000 ether;
    /// @notice Basis-point denominator: 10,000 bps = 100%.
    uint256 public constant BPS = 10_000;
    /// @notice Highest tax on earnings, in bps (20%).
    uint256 public constant MAX_TAX_BPS = 2_000;
    /// @notice Lowest wealth cap, in bps of total supply (0.1%).
    uint256 public constant MIN_CAP_BPS = 10;
    /// @notice Highest wealth cap, in bps of total supply (50%).
    uint256 public constant MAX_CAP_BPS = 5_000;
    /// @notice Share of total supply mintable in any rolling window, in bps (10%).
    uint256 public constant MINT_WINDOW_BPS = 1_000;
    /// @notice Length of the rolling mint window, in seconds (30 days).
    uint256 public constant MINT_WINDOW = 30 days;
    /// @inheritdoc ICivitasToken
    uint256 public constant MAX_SNAPSHOTS_PER_MOVEMENT = 4;

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev Read on every transfer, so packed into one slot.
    struct Config {
        address stakeLedger;
        uint16 taxBps;
        uint16 capBps;
        /// @dev Earliest scheduled circulating-supply snapshot not yet recorded (0 when none).
        uint48 nextSnapshot;
        /// @dev A lower bound of the wealth cap, as a power of two: `2 ** capFloorLog2 <= wealthCap()` always
        /// (0 when the cap is below 2 wei: no bound). Kept exact on every mint, burn and cap change, so that
        /// a recipient whose holdings stay under it is known to be under the cap without reading the supply.
        uint8 capFloorLog2;
    }

    /// @dev What a movement reads about one account, in one slot: its balance, its unearned liquid CIV in wei
    /// (see {ICivitasToken-unearnedOf}) and two flags. The token keeps its own balances (not OpenZeppelin's
    /// `_balances`) so that a transfer reads each side's balance and flags in one cold slot (issue 19).
    /// Balances fit: the total supply is at most `type(uint120).max` wei (see {_maxSupply}).
    struct Account {
        /// @dev Balance, in wei ({balanceOf}).
        uint120 balance;
        /// @dev Part of the balance that came from the Treasury and carries no votes.
        uint120 liquid;
        /// @dev A protocol account (see {ICivitasToken-isProtocolAccount}).
        bool protocol;
        /// @dev The account has moved CIV into the stake ledger at some time, so the ledger may report stake
        /// for it; the cap asks the ledger only about such accounts (see {ICivitasStakeLedger}).
        bool staker;
    }

    /// @dev One mint inside the rolling window.
    struct MintRecord {
        uint48 timestamp;
        uint208 amount;
    }

    address private immutable _treasury;
    Config private _config;
    /// @dev Circulating supply (total minus Treasury balance) at each recorded snapshot timepoint.
    Checkpoints.Trace208 private _circulating;
    /// @dev Scheduled snapshot timepoints, ascending; entries before `_snapshotHead` are recorded.
    uint48[] private _snapshots;
    uint256 private _snapshotHead;
    /// @dev Every scheduled snapshot strictly before this timepoint is answered by `_circulating` (it is the
    /// clock of the last recording), whether or not it is still in the pending queue.
    uint48 private _coveredUntil;
    /// @dev Mints in time order; entries before `_mintHead` have left the window.
    MintRecord[] private _mints;
    uint256 private _mintHead;
    mapping(address account => Account) private _accounts;
    /// @dev Unearned CIV each account deposited in protocol accounts other than the stake ledger (escrow), in
    /// wei, returned unearned first. Stored shifted left by one with the low bit set by the first deposit and
    /// never cleared: an account whose deposits all came back keeps a non-zero slot, so its next deposit
    /// rewrites a slot (2,900 gas) instead of creating one (20,000) (issue 19: an arbitrator's bond, job after
    /// job).
    mapping(address account => uint256) private _deposited;
    /// @dev Total supply, in wei ({totalSupply}).
    uint256 private _supply;
    /// @dev Unearned CIV each account has staked (deposited in the stake ledger), over time.
    mapping(address account => Checkpoints.Trace208) private _unearnedStake;

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @param admin Holder of every role at deployment (the deploy hands them to the timelock).
    /// @param treasury_ The Treasury: receives the genesis supply, all tax and all cap excess.
    /// @param initialTaxBps The tax on earnings, bps, at most {MAX_TAX_BPS} (Ignition parameter
    /// `Foundation.taxBps`, default 1000 = 10%).
    /// @param initialCapBps The wealth cap, bps of total supply, within [{MIN_CAP_BPS}, {MAX_CAP_BPS}] (Ignition
    /// parameter `Foundation.capBps`, default 500 = 5%).
    /// @dev Throws {CivitasInvalidAccount}, {CivitasTaxTooHigh}, {CivitasCapOutOfBounds}. Emits
    /// {TaxBpsUpdated} and {CapBpsUpdated} (from 0), {ProtocolAccountSet} for the Treasury.
    constructor(
        address admin,
        address treasury_,
        uint256 initialTaxBps,
        uint256 initialCapBps
    ) ERC20("Civitas", "CIV") ERC20Permit("Civitas") {
        if (admin == address(0)) revert CivitasInvalidAccount(admin);
        if (treasury_ == address(0)) revert CivitasInvalidAccount(treasury_);
        _treasury = treasury_;
        _setTaxBps(initialTaxBps);
        _setCapBps(initialCapBps);
        _accounts[treasury_].protocol = true;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(MINTER_ROLE, admin);
        _grantRole(PARAMETER_ROLE, admin);
        emit ProtocolAccountSet(treasury_, true);
        _mint(treasury_, GENESIS_SUPPLY);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice Balance of `account`, in wei (kept with its flags, see {Account}).
    function balanceOf(address account) public view override(ERC20, IERC20) returns (uint256) {
        return _accounts[account].balance;
    }

    /// @notice Total supply, in wei.
    function totalSupply() public view override(ERC20, IERC20) returns (uint256) {
        return _supply;
    }

    /// @inheritdoc ICivitasToken
    function treasury() external view returns (address) {
        return _treasury;
    }

    /// @inheritdoc ICivitasToken
    function taxBps() external view returns (uint256) {
        return _config.taxBps;
    }

    /// @inheritdoc ICivitasToken
    function capBps() external view returns (uint256) {
        return _config.capBps;
    }

    /// @inheritdoc ICivitasToken
    function wealthCap() public view returns (uint256) {
        return (totalSupply() * _config.capBps) / BPS;
    }

    /// @inheritdoc ICivitasToken
    function stakeLedger() external view returns (address) {
        return _config.stakeLedger;
    }

    /// @inheritdoc ICivitasToken
    function isProtocolAccount(address account) public view returns (bool) {
        return _accounts[account].protocol;
    }

    /// @inheritdoc ICivitasToken
    function holdingsOf(address account) public view returns (uint256) {
        // The exact figure: the ledger is asked whatever the account's staker flag says.
        return _capHoldingsOf(account, _config.stakeLedger, true);
    }

    /// @inheritdoc ICivitasToken
    function mintableNow() public view returns (uint256) {
        uint256 limit = (totalSupply() * MINT_WINDOW_BPS) / BPS;
        uint256 minted = _mintedInWindow();
        return minted >= limit ? 0 : limit - minted;
    }

    /// @inheritdoc ICivitasToken
    function circulatingSupply() public view returns (uint256) {
        return totalSupply() - balanceOf(_treasury);
    }

    /// @inheritdoc ICivitasToken
    function getPastCirculatingSupply(uint256 timepoint) external view returns (uint256) {
        uint48 key = _validateTimepoint(timepoint);
        uint48 next = _config.nextSnapshot;
        // A pending snapshot at or before `key` means no movement since the last recording: from that
        // recording's clock on, the value is the current one; before it, the recorded checkpoints answer.
        if (next != 0 && next <= key && key >= _coveredUntil) return circulatingSupply();
        return _circulating.upperLookupRecent(key);
    }

    /// @inheritdoc ICivitasToken
    function unearnedOf(address account) external view returns (uint256 liquid, uint256 deposited, uint256 staked) {
        return (_accounts[account].liquid, _deposited[account] >> 1, _unearnedStake[account].latest());
    }

    /// @inheritdoc ICivitasToken
    function getPastUnearnedStake(address account, uint256 timepoint) external view returns (uint256) {
        return _unearnedStake[account].upperLookupRecent(_validateTimepoint(timepoint));
    }

    /// @inheritdoc ICivitasToken
    function pendingSnapshots() external view returns (uint48[] memory timepoints) {
        uint256 head = _snapshotHead;
        timepoints = new uint48[](_snapshots.length - head);
        for (uint256 i = 0; i < timepoints.length; ++i) timepoints[i] = _snapshots[head + i];
    }

    /// @notice ERC-6372 clock: block timestamp, in seconds.
    function clock() public view override returns (uint48) {
        return Time.timestamp();
    }

    /// @notice ERC-6372 clock mode: timestamps.
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    /// @inheritdoc ERC20Permit
    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }

    /*//////////////////////////////////////////////////////////////
                                ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICivitasToken
    function payEarnings(address payee, uint256 gross) external returns (uint256 net, uint256 tax, uint256 capExcess) {
        address payer = _msgSender();
        if (!_accounts[payer].protocol) revert CivitasNotProtocolAccount(payer);
        if (payee == address(0)) revert ERC20InvalidReceiver(payee);
        Config memory config = _config;
        _recordDueSnapshotsIfDue(config.nextSnapshot);
        Account memory payeeAccount = _accounts[payee];
        if (payeeAccount.protocol) {
            _moveVoting(payer, payee, gross);
            emit EarningsPaid(payer, payee, gross, 0, 0);
            return (gross, 0, 0);
        }
        tax = (gross * config.taxBps) / BPS;
        // Cannot underflow: tax <= gross because taxBps <= BPS.
        unchecked {
            net = gross - tax;
        }
        capExcess = _capExcess(payee, net, config, payeeAccount.staker);
        if (tax > 0) _moveVoting(payer, _treasury, tax);
        if (capExcess > 0) _moveVoting(payer, _treasury, capExcess);
        // Cannot underflow: capExcess <= net by construction.
        // Earnings are earned: they carry votes, whatever the payer holds (the one path that does not return
        // unearned principal, see {_transferVotingUnits}).
        unchecked {
            if (net - capExcess > 0) {
                _move(payer, payee, net - capExcess);
                _moveDelegateVotes(delegates(payer), delegates(payee), net - capExcess);
            }
        }
        emit EarningsPaid(payer, payee, gross, tax, capExcess);
    }

    /// @inheritdoc ICivitasToken
    function returnPrincipal(address holder, uint256 amount) external {
        _returnPrincipal(holder, amount);
    }

    /// @inheritdoc ICivitasToken
    function returnPrincipals(address holder, uint256 amount, address otherHolder, uint256 otherAmount) external {
        _returnPrincipal(holder, amount);
        _returnPrincipal(otherHolder, otherAmount);
    }

    /// @inheritdoc ICivitasToken
    function burn(uint256 amount) external {
        _burn(_msgSender(), amount);
    }

    /// @inheritdoc ICivitasToken
    function burnUpkeep(address account, uint256 amount) external onlyRole(UPKEEP_BURNER_ROLE) {
        _burn(account, amount);
        emit UpkeepBurned(account, amount);
    }

    /// @inheritdoc ICivitasToken
    function mint(address to, uint256 amount) external onlyRole(MINTER_ROLE) {
        uint256 available = mintableNow();
        if (amount > available) revert CivitasExceededMintWindow(amount, available);
        _pruneMintWindow();
        _mints.push(MintRecord({timestamp: clock(), amount: SafeCast.toUint208(amount)}));
        _mint(to, amount);
    }

    /// @inheritdoc ICivitasToken
    function setTaxBps(uint256 newTaxBps) external onlyRole(PARAMETER_ROLE) {
        _setTaxBps(newTaxBps);
    }

    /// @inheritdoc ICivitasToken
    function setCapBps(uint256 newCapBps) external onlyRole(PARAMETER_ROLE) {
        _setCapBps(newCapBps);
    }

    /// @inheritdoc ICivitasToken
    function setProtocolAccount(address account, bool isProtocol) external onlyRole(PARAMETER_ROLE) {
        if (account == address(0) || account == _treasury) revert CivitasInvalidAccount(account);
        _accounts[account].protocol = isProtocol;
        emit ProtocolAccountSet(account, isProtocol);
    }

    /// @inheritdoc ICivitasToken
    function setStakeLedger(address newStakeLedger) external onlyRole(PARAMETER_ROLE) {
        if (newStakeLedger == _treasury) revert CivitasInvalidAccount(newStakeLedger);
        address old = _config.stakeLedger;
        _config.stakeLedger = newStakeLedger;
        emit StakeLedgerUpdated(old, newStakeLedger);
    }

    /// @inheritdoc ICivitasToken
    function scheduleCirculatingSnapshot(uint256 timepoint) external onlyRole(SNAPSHOT_ROLE) {
        uint48 now_ = clock();
        if (timepoint < now_) revert CivitasSnapshotInPast(timepoint, now_);
        uint48 key = SafeCast.toUint48(timepoint);
        // Insert in order, walking back from the tail: proposals schedule `now + votingDelay`, so the walk
        // only passes entries later than `key` (none unless governance shortened the voting delay).
        uint256 head = _snapshotHead;
        uint256 i = _snapshots.length;
        while (i > head && _snapshots[i - 1] > key) --i;
        if (i > head && _snapshots[i - 1] == key) return;
        _snapshots.push(key);
        for (uint256 j = _snapshots.length - 1; j > i; --j) _snapshots[j] = _snapshots[j - 1];
        _snapshots[i] = key;
        _config.nextSnapshot = _snapshots[head];
        emit CirculatingSnapshotScheduled(timepoint);
    }

    /// @inheritdoc ICivitasToken
    function recordDueSnapshots(uint256 maxCount) external returns (uint256 recorded) {
        uint48 next = _config.nextSnapshot;
        if (next == 0 || next >= clock()) return 0;
        return _recordDueSnapshots(maxCount);
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNAL
    //////////////////////////////////////////////////////////////*/

    /// @dev Applies the movement rules of {ICivitasToken} to every transfer, mint and burn. Before any
    /// balance moves, records the circulating supply of every scheduled snapshot that is now past.
    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        Config memory config = _config;
        _recordDueSnapshotsIfDue(config.nextSnapshot);
        if (from == address(0) || to == address(0)) {
            // Mint or burn: untaxed; an ordinary recipient of a mint may not exceed the cap.
            _moveVoting(from, to, value);
            if (from == address(0)) {
                Account memory minted = _accounts[to];
                // The floor read here is the one from before the mint: still below the (larger) cap.
                if (!minted.protocol) _checkCap(to, config, minted.staker);
            }
            _refreshCapFloor(config);
            return;
        }
        // The payee's flags, one cold slot; the payer's own slot is read (once cold) below as needed.
        Account memory payee = _accounts[to];
        if (to == config.stakeLedger) _markStaker(from);
        if (payee.protocol) {
            // Deposit into a protocol account, or a move between protocol accounts: untaxed, uncapped.
            _moveVoting(from, to, value);
        } else if (_accounts[from].protocol) {
            // Grant or forfeited bond (growth): untaxed; what would exceed the cap goes to the Treasury. A
            // holder's own principal comes back through {returnPrincipal} instead, never capped.
            uint256 excess = _capExcess(to, value, config, payee.staker);
            if (excess > 0) _moveVoting(from, _treasury, excess);
            // Cannot underflow: excess <= value by construction.
            unchecked {
                if (value - excess > 0) _moveVoting(from, to, value - excess);
            }
            if (excess > 0) emit CapExcessRedirected(from, to, value, excess);
        } else {
            // An ordinary account paying another: taxed, and the payee is capped.
            uint256 tax = (value * config.taxBps) / BPS;
            uint256 net;
            // Cannot underflow: tax <= value because taxBps <= BPS.
            unchecked {
                net = value - tax;
            }
            // Both balance legs first, then the vote legs, so each delegate is read once. The Treasury never
            // delegates (see {_delegate}), so the tax leg's votes go to the zero address.
            // Unearned CIV leaves first and stays unearned with the payee (the tax takes what net cannot).
            if (tax > 0) _move(from, _treasury, tax);
            _move(from, to, net);
            uint256 unearned = _takeUnearned(from, value);
            uint256 unearnedNet = Math.min(unearned, net);
            if (unearnedNet > 0) _accounts[to].liquid += SafeCast.toUint120(unearnedNet);
            _moveTaxedVotes(from, to, net - unearnedNet, unearned - unearnedNet, tax);
            _checkCap(to, config, payee.staker);
            emit TaxCharged(from, to, value, tax);
        }
    }

    /// @dev The vote legs of a taxed payment: `payeeVotes` from the payer's delegate to the payee's, and the
    /// tax's votes (the tax minus the unearned part it took, `unearnedTaxed`) from the payer's delegate to
    /// nobody. The payer's delegate is written once (one checkpoint, one {DelegateVotesChanged}).
    function _moveTaxedVotes(address from, address to, uint256 payeeVotes, uint256 unearnedTaxed, uint256 tax) private {
        address fromDelegate = delegates(from);
        address toDelegate = delegates(to);
        // Cannot underflow: unearnedTaxed <= tax because the unearned part is at most value = net + tax.
        uint256 taxVotes;
        unchecked {
            taxVotes = tax - unearnedTaxed;
        }
        if (fromDelegate == toDelegate) {
            _moveDelegateVotes(fromDelegate, address(0), taxVotes);
        } else {
            _moveDelegateVotes(fromDelegate, address(0), payeeVotes + taxVotes);
            _moveDelegateVotes(address(0), toDelegate, payeeVotes);
        }
    }

    /// @dev Records that `account` has moved CIV into the stake ledger (see {Account-staker}); written once.
    function _markStaker(address account) private {
        Account storage a = _accounts[account];
        if (!a.staker) a.staker = true;
    }

    /// @dev Records the circulating supply of the due snapshots when the earliest pending one (`next`, 0 when
    /// none) is past. The one check every movement makes first.
    function _recordDueSnapshotsIfDue(uint48 next) private {
        if (next != 0 && next < clock()) _recordDueSnapshots(MAX_SNAPSHOTS_PER_MOVEMENT);
    }

    /// @dev Sets {Config-capFloorLog2} to the floor of log2 of the current wealth cap (0 below 2 wei), writing
    /// only when it changes. Called after every change of the supply or the cap rate.
    function _refreshCapFloor(Config memory config) private {
        uint256 cap = (totalSupply() * config.capBps) / BPS;
        // Cannot truncate: log2 of a uint256 is below 256.
        uint8 floorLog2 = cap > 1 ? uint8(Math.log2(cap)) : 0;
        if (floorLog2 != config.capFloorLog2) _config.capFloorLog2 = floorLog2;
    }

    /// @dev Voting units: the balance minus its unearned part. A grant is no power until it is earned.
    function _getVotingUnits(address account) internal view override returns (uint256) {
        Account storage a = _accounts[account];
        return a.balance - a.liquid;
    }

    /// @dev The largest total supply, in wei: every balance fits {Account-balance}. Mints beyond it throw
    /// {ERC20ExceededSafeSupply}, as ERC20Votes' own (larger) bound does.
    function _maxSupply() internal pure override returns (uint256) {
        return type(uint120).max;
    }

    /// @dev One balance leg, as OpenZeppelin's `ERC20._update` does on its own storage: moves `value` wei from
    /// `from` to `to` (address(0): mint or burn) and emits {Transfer}. Moves no votes. Throws
    /// {ERC20InsufficientBalance}, {ERC20ExceededSafeSupply}.
    function _move(address from, address to, uint256 value) private {
        if (from == address(0)) {
            uint256 supply = _supply + value;
            if (supply > _maxSupply()) revert ERC20ExceededSafeSupply(supply, _maxSupply());
            _supply = supply;
        } else {
            Account storage payer = _accounts[from];
            uint256 fromBalance = payer.balance;
            if (fromBalance < value) revert ERC20InsufficientBalance(from, fromBalance, value);
            // Cannot underflow: value <= fromBalance was just checked.
            unchecked {
                payer.balance = uint120(fromBalance - value);
            }
        }
        // Cannot overflow or truncate: value and every balance are at most the supply, at most type(uint120).max.
        unchecked {
            if (to == address(0)) {
                _supply -= value;
            } else {
                _accounts[to].balance += uint120(value);
            }
        }
        emit Transfer(from, to, value);
    }

    /// @dev {returnPrincipal}: the caller must be a protocol account. No tax and no cap: the holder's holdings
    /// end where they were before it deposited.
    function _returnPrincipal(address holder, uint256 amount) private {
        address payer = _msgSender();
        if (!_accounts[payer].protocol) revert CivitasNotProtocolAccount(payer);
        if (holder == address(0)) revert ERC20InvalidReceiver(holder);
        _recordDueSnapshotsIfDue(_config.nextSnapshot);
        _moveVoting(payer, holder, amount);
    }

    /// @dev One balance leg with its votes (ERC20Votes' `_update` on the token's own balances).
    function _moveVoting(address from, address to, uint256 value) private {
        _move(from, to, value);
        _transferVotingUnits(from, to, value);
    }

    /// @dev Moves votes for one untaxed leg (mint, burn, deposit, grant, return of principal, protocol to
    /// protocol), keeping unearned CIV out of every delegate's votes:
    /// - from the Treasury to an ordinary account (birth grant, any governance payment): all unearned;
    /// - from an ordinary account (burn, deposit): its unearned CIV leaves first; deposited in the stake
    ///   ledger it is recorded as unearned stake (the Governor subtracts it from stake votes), in another
    ///   protocol account (escrow) as unearned deposit; burned or paid to the Treasury it is gone;
    /// - from a protocol account to an ordinary one (refund, withdrawal, returned bond): the recipient's
    ///   unearned stake (from the stake ledger) or deposit (from others) comes back first, unearned.
    /// Earnings ({payEarnings}) and mints are earned and do not come through here with unearned parts.
    function _transferVotingUnits(address from, address to, uint256 amount) internal override {
        uint256 unearned = _shiftUnearned(from, to, amount);
        if (from == address(0) || to == address(0)) {
            // Total-supply checkpoints count every token. A burn's unearned part carried no votes: the
            // delegate is credited it first, so that the stock full-amount debit leaves the right count.
            if (unearned > 0) _moveDelegateVotes(address(0), delegates(from), unearned);
            super._transferVotingUnits(from, to, amount);
        } else if (amount > unearned) {
            // The Treasury never delegates (see {_delegate}): its delegate is not read.
            _moveDelegateVotes(delegates(from), to == _treasury ? address(0) : delegates(to), amount - unearned);
        }
    }

    /// @dev The unearned part of one untaxed leg, with the bookkeeping {_transferVotingUnits} describes.
    function _shiftUnearned(address from, address to, uint256 amount) private returns (uint256 unearned) {
        if (from == address(0)) return 0;
        bool toOrdinary = to != address(0) && !_accounts[to].protocol;
        if (!_accounts[from].protocol) {
            unearned = _takeUnearned(from, amount);
            if (unearned == 0 || to == address(0) || to == _treasury) return unearned;
            if (toOrdinary) {
                _accounts[to].liquid += SafeCast.toUint120(unearned);
            } else if (to == _config.stakeLedger) {
                Checkpoints.Trace208 storage stake = _unearnedStake[from];
                stake.push(clock(), SafeCast.toUint208(stake.latest() + unearned));
            } else {
                // Cannot overflow: deposits are part of the supply (below 2^120).
                _deposited[from] = (_deposited[from] | 1) + (unearned << 1);
            }
            return unearned;
        }
        if (!toOrdinary) return 0;
        if (from == _treasury) {
            unearned = amount;
        } else if (from == _config.stakeLedger) {
            Checkpoints.Trace208 storage stake = _unearnedStake[to];
            uint256 staked = stake.latest();
            unearned = Math.min(staked, amount);
            if (unearned == 0) return 0;
            // What is left can never exceed the stake the ledger still holds (slashes take unearned stake too).
            uint256 left = Math.min(staked - unearned, ICivitasStakeLedger(from).stakedBalanceOf(to));
            stake.push(clock(), SafeCast.toUint208(left));
        } else {
            uint256 deposited = _deposited[to] >> 1;
            unearned = Math.min(deposited, amount);
            if (unearned == 0) return 0;
            // Cannot underflow: unearned <= deposited. The low bit stays set.
            unchecked {
                _deposited[to] = ((deposited - unearned) << 1) | 1;
            }
        }
        _accounts[to].liquid += SafeCast.toUint120(unearned);
    }

    /// @dev Takes up to `amount` of `account`'s unearned liquid CIV (it leaves first) and returns how much.
    function _takeUnearned(address account, uint256 amount) private returns (uint256 taken) {
        uint256 liquid = _accounts[account].liquid;
        if (liquid == 0) return 0;
        taken = Math.min(liquid, amount);
        // Cannot underflow: taken <= liquid.
        unchecked {
            _accounts[account].liquid = uint120(liquid - taken);
        }
    }

    /// @dev The Treasury's votes stay undelegated: it never votes, and the tax path relies on it. Nobody may
    /// delegate to the Treasury either: votes delegated there could never be cast (issue 20, attack 10).
    function _delegate(address account, address delegatee) internal override {
        if (account == _treasury) revert CivitasInvalidAccount(account);
        if (delegatee == _treasury) revert CivitasInvalidAccount(delegatee);
        super._delegate(account, delegatee);
    }

    /// @dev Called when the earliest pending snapshot is due (strictly before now). Writes at most one
    /// checkpoint: the current circulating supply at the later of that snapshot and {_coveredUntil} (the clock
    /// of the last recording). Nothing has moved since then (a movement would have recorded), so that value
    /// is right for every pending snapshot from there to now; earlier pending ones are already answered by
    /// older checkpoints. Then pops at most `maxCount` due snapshots off the queue, emitting each one's value.
    /// Bounded: one checkpoint and `maxCount` pops, however many snapshots are pending.
    function _recordDueSnapshots(uint256 maxCount) private returns (uint256 recorded) {
        uint48 now_ = clock();
        uint256 head = _snapshotHead;
        uint48 from = _snapshots[head];
        uint48 covered = _coveredUntil;
        if (covered > from) from = covered;
        if (from < now_) {
            _circulating.push(from, SafeCast.toUint208(circulatingSupply()));
            _coveredUntil = now_;
        }
        uint256 length = _snapshots.length;
        while (recorded < maxCount && head < length) {
            uint48 timepoint = _snapshots[head];
            if (timepoint >= now_) break;
            emit CirculatingSnapshotRecorded(timepoint, _circulating.upperLookupRecent(timepoint));
            ++head;
            ++recorded;
        }
        _snapshotHead = head;
        _config.nextSnapshot = head < length ? _snapshots[head] : 0;
    }

    /// @dev Holdings for the cap in a movement: the liquid balance, plus the ledger's stake only when the
    /// account has ever deposited there (`staker`); no other account can hold stake (see {ICivitasStakeLedger}).
    function _capHoldingsOf(address account, address ledger, bool staker) private view returns (uint256 holding) {
        holding = balanceOf(account);
        if (staker && ledger != address(0)) holding += ICivitasStakeLedger(ledger).stakedBalanceOf(account);
    }

    /// @dev Whether `holding` is certainly within the cap without reading the supply: at most the cap's
    /// power-of-two floor ({Config-capFloorLog2}).
    function _belowCapFloor(uint256 holding, Config memory config) private pure returns (bool) {
        return config.capFloorLog2 != 0 && holding <= (uint256(1) << config.capFloorLog2);
    }

    /// @dev The part of an incoming `amount` that would put `account` above the cap, in wei.
    function _capExcess(
        address account,
        uint256 amount,
        Config memory config,
        bool staker
    ) private view returns (uint256) {
        uint256 holding = _capHoldingsOf(account, config.stakeLedger, staker);
        if (_belowCapFloor(holding + amount, config)) return 0;
        uint256 cap = (totalSupply() * config.capBps) / BPS;
        if (holding >= cap) return amount;
        // Cannot underflow: holding < cap was just checked.
        unchecked {
            uint256 room = cap - holding;
            return amount > room ? amount - room : 0;
        }
    }

    /// @dev Reverts when `account`'s holdings exceed the cap.
    function _checkCap(address account, Config memory config, bool staker) private view {
        uint256 holding = _capHoldingsOf(account, config.stakeLedger, staker);
        if (_belowCapFloor(holding, config)) return;
        uint256 cap = (totalSupply() * config.capBps) / BPS;
        if (holding > cap) revert CivitasExceededWealthCap(account, holding, cap);
    }

    /// @dev Sum of mints inside the rolling window, in wei.
    function _mintedInWindow() private view returns (uint256 minted) {
        uint256 start = block.timestamp > MINT_WINDOW ? block.timestamp - MINT_WINDOW : 0;
        uint256 length = _mints.length;
        for (uint256 i = _mintHead; i < length; ++i) {
            MintRecord memory record = _mints[i];
            if (record.timestamp > start) minted += record.amount;
        }
    }

    /// @dev Advances `_mintHead` past mints that have left the window, so views stay cheap.
    function _pruneMintWindow() private {
        uint256 start = block.timestamp > MINT_WINDOW ? block.timestamp - MINT_WINDOW : 0;
        uint256 head = _mintHead;
        uint256 length = _mints.length;
        while (head < length && _mints[head].timestamp <= start) ++head;
        _mintHead = head;
    }

    /// @inheritdoc AccessControl
    function supportsInterface(bytes4 interfaceId) public view override returns (bool) {
        return super.supportsInterface(interfaceId);
    }

    /// @dev Sets the tax (constructor and {setTaxBps}). Throws {CivitasTaxTooHigh}. Emits {TaxBpsUpdated}.
    function _setTaxBps(uint256 newTaxBps) private {
        if (newTaxBps > MAX_TAX_BPS) revert CivitasTaxTooHigh(newTaxBps, MAX_TAX_BPS);
        uint256 old = _config.taxBps;
        // Cannot truncate: newTaxBps <= MAX_TAX_BPS < 2**16.
        _config.taxBps = uint16(newTaxBps);
        emit TaxBpsUpdated(old, newTaxBps);
    }

    /// @dev Sets the wealth cap (constructor and {setCapBps}). Throws {CivitasCapOutOfBounds}. Emits
    /// {CapBpsUpdated}.
    function _setCapBps(uint256 newCapBps) private {
        if (newCapBps < MIN_CAP_BPS || newCapBps > MAX_CAP_BPS) {
            revert CivitasCapOutOfBounds(newCapBps, MIN_CAP_BPS, MAX_CAP_BPS);
        }
        uint256 old = _config.capBps;
        // Cannot truncate: newCapBps <= MAX_CAP_BPS < 2**16.
        _config.capBps = uint16(newCapBps);
        _refreshCapFloor(_config);
        emit CapBpsUpdated(old, newCapBps);
    }
}
