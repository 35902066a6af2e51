// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ICivitasToken, ICivitasStakeLedger} from "../interfaces/ICivitasToken.sol";

/// @title CivitasToken (CIV)
/// @notice The one currency of Civitas: ERC-20 with ERC-2612 permit and ERC-5805 votes on a timestamp
/// clock, a tax on earnings to the Treasury, a wealth cap per ordinary holder, a rolling mint window and
/// an upkeep burn. See {ICivitasToken} for the movement rules.
contract CivitasToken is ICivitasToken, ERC20, ERC20Permit, ERC20Votes, AccessControl {
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
    }

    /// @dev Unearned CIV of one account, in wei (see {ICivitasToken-unearnedOf}).
    struct Unearned {
        /// @dev Part of the balance that came from the Treasury and carries no votes.
        uint128 liquid;
        /// @dev Unearned CIV deposited in protocol accounts other than the stake ledger (escrow), returned
        /// unearned first.
        uint128 deposited;
    }

    /// @dev One mint inside the rolling window.
    struct MintRecord {
        uint48 timestamp;
        uint208 amount;
    }

    address private immutable _treasury;
    Config private _config;
    mapping(address account => bool) private _protocolAccounts;
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
    mapping(address account => Unearned) private _unearned;
    /// @dev Unearned CIV each account has staked (deposited in the stake ledger), over time.
    mapping(address account => Checkpoints.Trace208) private _unearnedStake;

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @param admin Holder of every role at deployment (the deploy hands them to the timelock).
    /// @param treasury_ The Treasury: receives the genesis supply, all tax and all cap excess.
    constructor(address admin, address treasury_) ERC20("Civitas", "CIV") ERC20Permit("Civitas") {
        if (admin == address(0)) revert CivitasInvalidAccount(admin);
        if (treasury_ == address(0)) revert CivitasInvalidAccount(treasury_);
        _treasury = treasury_;
        _config = Config({stakeLedger: address(0), taxBps: 1_000, capBps: 500, nextSnapshot: 0});
        _protocolAccounts[treasury_] = true;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(MINTER_ROLE, admin);
        _grantRole(PARAMETER_ROLE, admin);
        emit TaxBpsUpdated(0, 1_000);
        emit CapBpsUpdated(0, 500);
        emit ProtocolAccountSet(treasury_, true);
        _mint(treasury_, GENESIS_SUPPLY);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

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
        return _protocolAccounts[account];
    }

    /// @inheritdoc ICivitasToken
    function holdingsOf(address account) public view returns (uint256) {
        return _holdingsOf(account, _config.stakeLedger);
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
        Unearned memory u = _unearned[account];
        return (u.liquid, u.deposited, _unearnedStake[account].latest());
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
        if (!_protocolAccounts[payer]) revert CivitasNotProtocolAccount(payer);
        if (payee == address(0)) revert ERC20InvalidReceiver(payee);
        Config memory config = _config;
        if (config.nextSnapshot != 0 && config.nextSnapshot < clock()) _recordDueSnapshots(MAX_SNAPSHOTS_PER_MOVEMENT);
        if (_protocolAccounts[payee]) {
            ERC20Votes._update(payer, payee, gross);
            emit EarningsPaid(payer, payee, gross, 0, 0);
            return (gross, 0, 0);
        }
        tax = (gross * config.taxBps) / BPS;
        // Cannot underflow: tax <= gross because taxBps <= BPS.
        unchecked {
            net = gross - tax;
        }
        capExcess = _capExcess(payee, net, config);
        if (tax > 0) ERC20Votes._update(payer, _treasury, tax);
        if (capExcess > 0) ERC20Votes._update(payer, _treasury, capExcess);
        // Cannot underflow: capExcess <= net by construction.
        // Earnings are earned: they carry votes, whatever the payer holds (the one path that does not return
        // unearned principal, see {_transferVotingUnits}).
        unchecked {
            if (net - capExcess > 0) {
                ERC20._update(payer, payee, net - capExcess);
                _moveDelegateVotes(delegates(payer), delegates(payee), net - capExcess);
            }
        }
        emit EarningsPaid(payer, payee, gross, tax, capExcess);
    }

    /// @inheritdoc ICivitasToken
    function returnPrincipal(address holder, uint256 amount) external {
        address payer = _msgSender();
        if (!_protocolAccounts[payer]) revert CivitasNotProtocolAccount(payer);
        if (holder == address(0)) revert ERC20InvalidReceiver(holder);
        uint48 nextSnapshot = _config.nextSnapshot;
        if (nextSnapshot != 0 && nextSnapshot < clock()) _recordDueSnapshots(MAX_SNAPSHOTS_PER_MOVEMENT);
        // No tax and no cap: the holder's holdings end where they were before it deposited.
        ERC20Votes._update(payer, holder, amount);
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
        if (newTaxBps > MAX_TAX_BPS) revert CivitasTaxTooHigh(newTaxBps, MAX_TAX_BPS);
        uint256 old = _config.taxBps;
        // Cannot truncate: newTaxBps <= MAX_TAX_BPS < 2**16.
        _config.taxBps = uint16(newTaxBps);
        emit TaxBpsUpdated(old, newTaxBps);
    }

    /// @inheritdoc ICivitasToken
    function setCapBps(uint256 newCapBps) external onlyRole(PARAMETER_ROLE) {
        if (newCapBps < MIN_CAP_BPS || newCapBps > MAX_CAP_BPS) {
            revert CivitasCapOutOfBounds(newCapBps, MIN_CAP_BPS, MAX_CAP_BPS);
        }
        uint256 old = _config.capBps;
        // Cannot truncate: newCapBps <= MAX_CAP_BPS < 2**16.
        _config.capBps = uint16(newCapBps);
        emit CapBpsUpdated(old, newCapBps);
    }

    /// @inheritdoc ICivitasToken
    function setProtocolAccount(address account, bool isProtocol) external onlyRole(PARAMETER_ROLE) {
        if (account == address(0) || account == _treasury) revert CivitasInvalidAccount(account);
        _protocolAccounts[account] = isProtocol;
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
        if (config.nextSnapshot != 0 && config.nextSnapshot < clock()) _recordDueSnapshots(MAX_SNAPSHOTS_PER_MOVEMENT);
        if (from == address(0) || to == address(0)) {
            // Mint or burn: untaxed; an ordinary recipient of a mint may not exceed the cap.
            ERC20Votes._update(from, to, value);
            if (from == address(0) && !_protocolAccounts[to]) _checkCap(to, config);
        } else if (_protocolAccounts[to]) {
            // Deposit into a protocol account, or a move between protocol accounts: untaxed, uncapped.
            ERC20Votes._update(from, to, value);
        } else if (_protocolAccounts[from]) {
            // Grant or forfeited bond (growth): untaxed; what would exceed the cap goes to the Treasury. A
            // holder's own principal comes back through {returnPrincipal} instead, never capped.
            uint256 excess = _capExcess(to, value, config);
            if (excess > 0) ERC20Votes._update(from, _treasury, excess);
            // Cannot underflow: excess <= value by construction.
            unchecked {
                if (value - excess > 0) ERC20Votes._update(from, to, value - excess);
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
            // Both balance legs first, then both vote legs, so the payer's delegate is read once. The
            // Treasury never delegates (see {_delegate}), so the tax leg's votes go to the zero address.
            // Unearned CIV leaves first and stays unearned with the payee (the tax takes what net cannot).
            if (tax > 0) ERC20._update(from, _treasury, tax);
            ERC20._update(from, to, net);
            uint256 unearned = _takeUnearned(from, value);
            uint256 unearnedNet = Math.min(unearned, net);
            if (unearnedNet > 0) _unearned[to].liquid += SafeCast.toUint128(unearnedNet);
            address fromDelegate = delegates(from);
            // Cannot underflow: unearned - unearnedNet <= tax because unearned <= value = net + tax.
            unchecked {
                _moveDelegateVotes(fromDelegate, delegates(to), net - unearnedNet);
                _moveDelegateVotes(fromDelegate, address(0), tax - (unearned - unearnedNet));
            }
            _checkCap(to, config);
            emit TaxCharged(from, to, value, tax);
        }
    }

    /// @dev Voting units: the balance minus its unearned part. A grant is no power until it is earned.
    function _getVotingUnits(address account) internal view override returns (uint256) {
        return balanceOf(account) - _unearned[account].liquid;
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
        } else {
            _moveDelegateVotes(delegates(from), delegates(to), amount - unearned);
        }
    }

    /// @dev The unearned part of one untaxed leg, with the bookkeeping {_transferVotingUnits} describes.
    function _shiftUnearned(address from, address to, uint256 amount) private returns (uint256 unearned) {
        if (from == address(0)) return 0;
        bool toOrdinary = to != address(0) && !_protocolAccounts[to];
        if (!_protocolAccounts[from]) {
            unearned = _takeUnearned(from, amount);
            if (unearned == 0 || to == address(0) || to == _treasury) return unearned;
            if (toOrdinary) {
                _unearned[to].liquid += SafeCast.toUint128(unearned);
            } else if (to == _config.stakeLedger) {
                Checkpoints.Trace208 storage stake = _unearnedStake[from];
                stake.push(clock(), SafeCast.toUint208(stake.latest() + unearned));
            } else {
                _unearned[from].deposited += SafeCast.toUint128(unearned);
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
            Unearned storage u = _unearned[to];
            unearned = Math.min(u.deposited, amount);
            if (unearned == 0) return 0;
            u.deposited -= SafeCast.toUint128(unearned);
        }
        _unearned[to].liquid += SafeCast.toUint128(unearned);
    }

    /// @dev Takes up to `amount` of `account`'s unearned liquid CIV (it leaves first) and returns how much.
    function _takeUnearned(address account, uint256 amount) private returns (uint256 taken) {
        uint256 liquid = _unearned[account].liquid;
        if (liquid == 0) return 0;
        taken = Math.min(liquid, amount);
        // Cannot underflow: taken <= liquid.
        unchecked {
            _unearned[account].liquid = uint128(liquid - taken);
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

    /// @dev Holdings for the cap: liquid balance plus stake reported by the ledger, in wei.
    function _holdingsOf(address account, address ledger) private view returns (uint256 holding) {
        holding = balanceOf(account);
        if (ledger != address(0)) holding += ICivitasStakeLedger(ledger).stakedBalanceOf(account);
    }

    /// @dev The part of an incoming `amount` that would put `account` above the cap, in wei.
    function _capExcess(address account, uint256 amount, Config memory config) private view returns (uint256) {
        uint256 cap = (totalSupply() * config.capBps) / BPS;
        uint256 holding = _holdingsOf(account, config.stakeLedger);
        if (holding >= cap) return amount;
        // Cannot underflow: holding < cap was just checked.
        unchecked {
            uint256 room = cap - holding;
            return amount > room ? amount - room : 0;
        }
    }

    /// @dev Reverts when `account`'s holdings exceed the cap.
    function _checkCap(address account, Config memory config) private view {
        uint256 cap = (totalSupply() * config.capBps) / BPS;
        uint256 holding = _holdingsOf(account, config.stakeLedger);
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
}
