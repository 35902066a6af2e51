// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title ICivitasToken
/// @notice The CIV token: an ERC-20 (18 decimals) with ERC-2612 permit and ERC-5805 votes on a timestamp
/// clock (ERC-6372 `mode=timestamp`), a tax on earnings paid to the Treasury, a wealth cap per ordinary
/// holder, a rolling mint window and an upkeep burn.
/// @dev Movement rules (see README "Token rules"):
/// - ordinary -> ordinary (an agent paying another): taxed at `taxBps`; the recipient's holdings after the
///   transfer may not exceed the wealth cap (reverts with {CivitasExceededWealthCap}).
///   Emits `Transfer(from, treasury, tax)` (only when tax > 0), `Transfer(from, to, net)`, then {TaxCharged}.
/// - ordinary -> protocol account (deposits: funding an escrow, staking): untaxed, uncapped.
/// - protocol account -> ordinary by plain transfer (grants, forfeited bonds): untaxed; any part that would
///   put the recipient above the cap goes to the Treasury instead. Emits `Transfer(from, treasury, excess)`,
///   `Transfer(from, to, amount - excess)` (each only when > 0), then {CapExcessRedirected} when excess > 0.
/// - a holder's own principal returned by a protocol account through {returnPrincipal} (a stake
///   withdrawal, an escrow refund, a returned bond): untaxed and never redirected by the cap, since it adds
///   nothing the holder did not own before depositing it (security issue 20, attack 7). Emits `Transfer`.
/// - earnings paid by a protocol account through {payEarnings}: taxed, then capped as above. Emits
///   `Transfer(payer, treasury, tax)`, `Transfer(payer, treasury, capExcess)`,
///   `Transfer(payer, payee, net - capExcess)` (each only when > 0), then {EarningsPaid}.
/// - mint and burn: untaxed; a mint to an ordinary account is capped like an ordinary transfer.
/// Holdings for the cap are liquid balance plus the stake reported by the stake ledger (bonded and
/// unbonding). Amounts are in wei, rates in basis points (10,000 = 100%), times in seconds.
/// Votes: a free grant is no power until it is earned (issue 20, attack 1). CIV paid by the Treasury to an
/// ordinary account (birth grants, any governance payment) is *unearned*: it is part of the balance but
/// carries no votes. Unearned CIV is spent first: a payment passes it on (unearned) to the payee, a burn
/// (upkeep) or a payment to the Treasury destroys it, a deposit in a protocol account keeps it recorded
/// against the depositor (stake: {getPastUnearnedStake}, which the Governor subtracts from stake votes;
/// escrow: returned unearned first on refund). Earnings paid through {payEarnings} (job payments, arbitrator
/// fees, staking rewards) and mints are earned: they vote. See {unearnedOf}.
interface ICivitasToken is IERC20 {
    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice A tax rate above the maximum was proposed.
    /// @param taxBps The rejected rate, in bps.
    /// @param maxTaxBps The maximum rate, in bps ({MAX_TAX_BPS}).
    error CivitasTaxTooHigh(uint256 taxBps, uint256 maxTaxBps);

    /// @notice A wealth cap outside its bounds was proposed.
    /// @param capBps The rejected cap, in bps of total supply.
    /// @param minCapBps The lowest allowed cap, in bps ({MIN_CAP_BPS}).
    /// @param maxCapBps The highest allowed cap, in bps ({MAX_CAP_BPS}).
    error CivitasCapOutOfBounds(uint256 capBps, uint256 minCapBps, uint256 maxCapBps);

    /// @notice A transfer or mint would put an ordinary account above the wealth cap.
    /// @param account The recipient.
    /// @param holding The holdings (liquid plus staked, wei) the account would reach.
    /// @param cap The wealth cap at that moment, in wei.
    error CivitasExceededWealthCap(address account, uint256 holding, uint256 cap);

    /// @notice A mint would exceed what the rolling 30-day mint window still allows.
    /// @param requested The amount asked for, in wei.
    /// @param available The amount still mintable in the current window, in wei.
    error CivitasExceededMintWindow(uint256 requested, uint256 available);

    /// @notice The caller must be a protocol account (only protocol contracts pay earnings).
    /// @param account The caller.
    error CivitasNotProtocolAccount(address account);

    /// @notice The Treasury cannot be marked ordinary, delegate votes, receive delegated votes (they could
    /// never be cast), or be used as a stake ledger target; this address was rejected for that reason.
    /// @param account The rejected address.
    error CivitasInvalidAccount(address account);

    /// @notice A circulating-supply snapshot can only be scheduled for now or later.
    /// @param timepoint The rejected timepoint, in seconds.
    /// @param now_ The current clock, in seconds.
    error CivitasSnapshotInPast(uint256 timepoint, uint256 now_);

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice An ordinary-to-ordinary transfer was taxed. Emitted after its `Transfer` legs.
    /// @param from The payer.
    /// @param to The payee.
    /// @param gross The amount sent, in wei; `gross = net + tax`.
    /// @param tax The part paid to the Treasury, in wei (rounded down).
    event TaxCharged(address indexed from, address indexed to, uint256 gross, uint256 tax);

    /// @notice A protocol contract paid earnings (escrow payment, arbitrator fee, staking reward).
    /// Emitted after its `Transfer` legs.
    /// @param payer The protocol contract that paid.
    /// @param payee The account that earned.
    /// @param gross The earnings before tax, in wei; `gross = net + tax`.
    /// @param tax The part paid to the Treasury, in wei (rounded down).
    /// @param capExcess The part of `net` that went to the Treasury because of the wealth cap, in wei.
    event EarningsPaid(address indexed payer, address indexed payee, uint256 gross, uint256 tax, uint256 capExcess);

    /// @notice Part of an untaxed payment from a protocol account (grant, refund, withdrawal) went to the
    /// Treasury because the recipient would otherwise exceed the wealth cap. Emitted after its legs.
    /// @param from The protocol account that paid.
    /// @param account The recipient.
    /// @param amount The whole payment, in wei.
    /// @param excess The part redirected to the Treasury, in wei.
    event CapExcessRedirected(address indexed from, address indexed account, uint256 amount, uint256 excess);

    /// @notice The tax rate changed.
    /// @param oldTaxBps The previous rate, in bps.
    /// @param newTaxBps The new rate, in bps.
    event TaxBpsUpdated(uint256 oldTaxBps, uint256 newTaxBps);

    /// @notice The wealth cap changed.
    /// @param oldCapBps The previous cap, in bps of total supply.
    /// @param newCapBps The new cap, in bps of total supply.
    event CapBpsUpdated(uint256 oldCapBps, uint256 newCapBps);

    /// @notice An account was marked as a protocol account, or unmarked.
    /// @param account The account.
    /// @param isProtocol Whether it is now a protocol account.
    event ProtocolAccountSet(address indexed account, bool isProtocol);

    /// @notice The contract that reports each account's stake for the wealth cap changed.
    /// @param oldStakeLedger The previous ledger (zero when none).
    /// @param newStakeLedger The new ledger (zero for none).
    event StakeLedgerUpdated(address indexed oldStakeLedger, address indexed newStakeLedger);

    /// @notice A circulating-supply snapshot was scheduled (by the Governor, for a proposal's snapshot).
    /// @param timepoint The snapshot timepoint, in seconds.
    event CirculatingSnapshotScheduled(uint256 timepoint);

    /// @notice A scheduled snapshot's circulating supply was recorded, at the first movement after it (at most
    /// {MAX_SNAPSHOTS_PER_MOVEMENT} per movement) or by {recordDueSnapshots}.
    /// @param timepoint The snapshot timepoint, in seconds.
    /// @param circulatingSupply Total supply minus the Treasury's balance at that timepoint, in wei.
    event CirculatingSnapshotRecorded(uint256 timepoint, uint256 circulatingSupply);

    /// @notice Upkeep was burned from an agent's wallet by the upkeep-burner role (the agent registry).
    /// @param account The wallet burned from.
    /// @param amount The amount burned, in wei.
    event UpkeepBurned(address indexed account, uint256 amount);

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice The most pending snapshots one token movement takes off the queue: 4. Whatever number of
    /// snapshots is pending, a movement writes at most one checkpoint and pops at most this many, so proposal
    /// spam cannot make transfers exceed the block gas limit (issue 20, attack 2). Anyone may pop the rest
    /// with {recordDueSnapshots}; until then every pending snapshot's value is already exact.
    // solhint-disable-next-line func-name-mixedcase
    function MAX_SNAPSHOTS_PER_MOVEMENT() external view returns (uint256);

    /// @notice The Treasury: holder of the genesis supply and recipient of all tax and cap excess.
    function treasury() external view returns (address);

    /// @notice The tax on earnings, in bps (default 1000, at most {MAX_TAX_BPS}).
    function taxBps() external view returns (uint256);

    /// @notice The wealth cap, in bps of total supply (default 500, within [{MIN_CAP_BPS}, {MAX_CAP_BPS}]).
    function capBps() external view returns (uint256);

    /// @notice The wealth cap now, in wei: `totalSupply() * capBps / 10_000`, rounded down.
    function wealthCap() external view returns (uint256);

    /// @notice The contract reporting staked balances for the cap (zero when none).
    function stakeLedger() external view returns (address);

    /// @notice Whether `account` is a protocol account (exempt from tax and cap; pays earnings).
    function isProtocolAccount(address account) external view returns (bool);

    /// @notice Holdings that count toward the cap: liquid balance plus stake, in wei.
    function holdingsOf(address account) external view returns (uint256);

    /// @notice How much the minter may still mint now, in wei, under the rolling 30-day window
    /// (10% of current total supply minus what was minted in the last 30 days).
    function mintableNow() external view returns (uint256);

    /// @notice Circulating supply now: total supply minus the Treasury's balance, in wei.
    function circulatingSupply() external view returns (uint256);

    /// @notice Circulating supply at a past scheduled snapshot (ERC-6372 timestamp, seconds), in wei.
    /// @dev Exact at every timepoint scheduled with {scheduleCirculatingSnapshot}, however many are pending;
    /// for any other timepoint it returns the value at the latest recording before it (0 before the first).
    /// Snapshots are recorded lazily, at the first movement after them (one checkpoint covers every snapshot
    /// due by then, since nothing moved in between), so taxed transfers pay no checkpoint.
    /// Reverts with OpenZeppelin's `ERC5805FutureLookup` for a timepoint not yet in the past.
    function getPastCirculatingSupply(uint256 timepoint) external view returns (uint256);

    /// @notice `account`'s unearned CIV, in wei: `liquid`, the part of its balance that carries no votes
    /// (`getVotes` counts `balanceOf - liquid` of each delegator); `deposited`, unearned CIV it put in protocol
    /// accounts other than the stake ledger (returned unearned first); `staked`, unearned CIV it staked.
    function unearnedOf(address account) external view returns (uint256 liquid, uint256 deposited, uint256 staked);

    /// @notice Unearned CIV `account` had staked at `timepoint` (a past timestamp, seconds), in wei. The
    /// Governor counts stake votes only above it. Throws OpenZeppelin's `ERC5805FutureLookup` for a
    /// timepoint not in the past.
    function getPastUnearnedStake(address account, uint256 timepoint) external view returns (uint256);

    /// @notice Scheduled snapshot timepoints not yet recorded, ascending, in seconds.
    function pendingSnapshots() external view returns (uint48[] memory timepoints);

    /*//////////////////////////////////////////////////////////////
                                 ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice Pays `gross` of the caller's balance to `payee` as earnings: taxed at `taxBps`, and any
    /// part above the payee's wealth cap sent to the Treasury. The one path for protocol earnings.
    /// @dev Only protocol accounts. A payee that is itself a protocol account is paid untaxed.
    /// Throws {CivitasNotProtocolAccount}, `ERC20InsufficientBalance`, `ERC20InvalidReceiver`.
    /// @param payee The earner.
    /// @param gross The earnings before tax, in wei.
    /// @return net The after-tax amount (`gross - tax`), of which `capExcess` may have gone to the Treasury.
    /// @return tax The tax, in wei.
    /// @return capExcess The part of `net` redirected to the Treasury by the cap, in wei.
    function payEarnings(address payee, uint256 gross) external returns (uint256 net, uint256 tax, uint256 capExcess);

    /// @notice Returns `amount` of the caller's balance to `holder` as the holder's own principal: a stake
    /// withdrawal, an escrow refund, a returned arbitrator bond. Untaxed and never redirected by the wealth cap,
    /// even when the cap has fallen below the holder's holdings since the deposit (upkeep burns shrink the
    /// supply; governance may cut `capBps`): returning what the holder put in is not growth (security issue 20,
    /// attack 7). Only protocol accounts; each is trusted to return only what the holder deposited with it
    /// (growth goes through {payEarnings} or a plain transfer, which the cap applies to).
    /// @dev Throws {CivitasNotProtocolAccount}, `ERC20InvalidReceiver`, `ERC20InsufficientBalance`.
    /// Emits `Transfer(caller, holder, amount)`.
    /// @param holder The owner of the principal.
    /// @param amount The principal returned, in wei.
    function returnPrincipal(address holder, uint256 amount) external;

    /// @notice {returnPrincipal} to `holder`, then to `otherHolder`, in one call: the same two legs, in that
    /// order, with the same events (an escrow returning a refund and a bond at settlement). Only protocol
    /// accounts.
    /// @dev Throws {CivitasNotProtocolAccount}, `ERC20InvalidReceiver`, `ERC20InsufficientBalance`.
    /// Emits `Transfer(caller, holder, amount)`, then `Transfer(caller, otherHolder, otherAmount)`.
    /// @param holder The owner of the first principal.
    /// @param amount The first principal returned, in wei.
    /// @param otherHolder The owner of the second principal.
    /// @param otherAmount The second principal returned, in wei.
    function returnPrincipals(address holder, uint256 amount, address otherHolder, uint256 otherAmount) external;

    /// @notice Burns `amount` of the caller's own tokens.
    function burn(uint256 amount) external;

    /// @notice Burns upkeep from an agent's wallet. Only the upkeep-burner role (the agent registry).
    /// @dev Throws OpenZeppelin's `AccessControlUnauthorizedAccount`, `ERC20InsufficientBalance`.
    /// @param account The wallet to burn from.
    /// @param amount The amount, in wei.
    function burnUpkeep(address account, uint256 amount) external;

    /// @notice Mints new CIV. Only the minter role, within the rolling 30-day window.
    /// @dev Throws {CivitasExceededMintWindow}, {CivitasExceededWealthCap}, `AccessControlUnauthorizedAccount`.
    function mint(address to, uint256 amount) external;

    /// @notice Sets the tax rate, in bps. Only the parameter role. Throws {CivitasTaxTooHigh}.
    function setTaxBps(uint256 newTaxBps) external;

    /// @notice Sets the wealth cap, in bps of total supply. Only the parameter role.
    /// Throws {CivitasCapOutOfBounds}.
    function setCapBps(uint256 newCapBps) external;

    /// @notice Marks or unmarks a protocol account. Only the parameter role.
    /// Throws {CivitasInvalidAccount} for the Treasury or the zero address.
    function setProtocolAccount(address account, bool isProtocol) external;

    /// @notice Sets the stake ledger counted in holdings (zero for none). Only the parameter role.
    function setStakeLedger(address newStakeLedger) external;

    /// @notice Schedules a circulating-supply snapshot at `timepoint` (seconds, now or later). Only the
    /// snapshot role (the Governor, at each proposal, for the proposal's vote snapshot). Idempotent.
    /// @dev Throws {CivitasSnapshotInPast}, `AccessControlUnauthorizedAccount`.
    function scheduleCirculatingSnapshot(uint256 timepoint) external;

    /// @notice Records due snapshots without moving tokens: writes the checkpoint that covers them (when a
    /// movement has not already) and takes at most `maxCount` of them off the pending queue, emitting
    /// {CirculatingSnapshotRecorded} for each. Anyone may call it, in batches, to catch up after many
    /// proposals; it changes no value (pending snapshots are exact either way), only the queue's length.
    /// @param maxCount The most snapshots to take off the queue.
    /// @return recorded How many were taken off (0 when none is due).
    function recordDueSnapshots(uint256 maxCount) external returns (uint256 recorded);
}

/// @title ICivitasStakeLedger
/// @notice What the token asks of the staking contract to apply the wealth cap to staked holdings.
/// @dev The ledger credits stake to an account only from CIV that account itself moved into the ledger (the
/// staking contract pulls each deposit from its owner). The token relies on it: during a movement it asks the
/// ledger only about accounts that have moved CIV into it at some time ({ICivitasToken-holdingsOf} always asks).
interface ICivitasStakeLedger {
    /// @notice Stake owned by `account` that counts toward its wealth cap: bonded plus unbonding, in wei.
    function stakedBalanceOf(address account) external view returns (uint256);
}
