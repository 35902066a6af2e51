// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IResourceLedger
/// @notice The multi-resource ledger (ICN RFC 0013's ledger, on ERC-1155): governance registers resource
/// types, each with a policy; agents hold credits of a resource as ERC-1155 balances (token id = resource
/// id); authorised meters record usage, drawn first from the agent's free regenerating allowance (the
/// commons tier) and then from its credits. Usage a policy refuses is recorded as a {UsageDenied} event
/// with its reason, never silently dropped.
/// @dev Units: resource amounts in the resource's base units (its `decimals` are display metadata only);
/// times in seconds; a day is 86,400 seconds of block time. Allowance and quota follow the agent (its
/// registry agent id), not the wallet, so a thousand wallets bound to one agent share one allowance and one
/// quota; a wallet with no agent has no allowance and its own quota. Credits are minted only by the minter
/// role (the resource market), at the moment a winning bid is claimed, and burned only by metering.
/// Credits are minted without the ERC-1155 receiver hook: a contract that refuses ERC-1155 cannot block the
/// market's refund of its own CIV (the only deviation from ERC-1155's safe mint).
interface IResourceLedger {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice Why a meter's usage record was refused.
    /// @dev `QuotaExceeded`: the agent's usage in the current quota window plus this amount would exceed the
    /// quota. `InsufficientCredits`: the free allowance plus the credits held do not cover the amount.
    enum DenialReason {
        QuotaExceeded,
        InsufficientCredits
    }

    /// @notice A resource type's policy, set by governance.
    /// @param unit The unit's name (for example "gpu-second"), non-empty.
    /// @param allowancePerDay Free allowance an agent in good standing regains per day, in base units.
    /// @param allowanceMax The most free allowance an agent can hold, in base units (>= `allowancePerDay`).
    /// @param quota The most an agent may use per quota window, in base units (0: no quota).
    /// @param quotaWindow The quota window, in seconds, within [{MIN_QUOTA_WINDOW}, {MAX_QUOTA_WINDOW}].
    /// @param decimals Display decimals of the unit (at most {MAX_DECIMALS}); amounts are base units.
    /// @param transferable Whether holders may transfer credits to one another.
    struct Policy {
        string unit;
        uint128 allowancePerDay;
        uint128 allowanceMax;
        uint128 quota;
        uint32 quotaWindow;
        uint8 decimals;
        bool transferable;
    }

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice No resource type has this id (ids start at 1).
    /// @param resourceId The unknown id.
    error LedgerUnknownResource(uint256 resourceId);

    /// @notice The resource type was retired by governance.
    /// @param resourceId The retired resource.
    error LedgerResourceRetired(uint256 resourceId);

    /// @notice The policy's unit is empty, or its allowance maximum is below the allowance per day.
    /// @param allowancePerDay The proposed allowance per day.
    /// @param allowanceMax The proposed allowance maximum.
    error LedgerInvalidPolicy(uint256 allowancePerDay, uint256 allowanceMax);

    /// @notice The policy's decimals exceed {MAX_DECIMALS}.
    /// @param decimals The rejected decimals.
    /// @param maxDecimals {MAX_DECIMALS}.
    error LedgerDecimalsTooHigh(uint8 decimals, uint8 maxDecimals);

    /// @notice The policy's quota window is outside [{MIN_QUOTA_WINDOW}, {MAX_QUOTA_WINDOW}].
    /// @param quotaWindow The rejected window, in seconds.
    /// @param minWindow {MIN_QUOTA_WINDOW}.
    /// @param maxWindow {MAX_QUOTA_WINDOW}.
    error LedgerQuotaWindowOutOfBounds(uint256 quotaWindow, uint256 minWindow, uint256 maxWindow);

    /// @notice The caller is not an authorised meter of the resource.
    /// @param resourceId The resource.
    /// @param caller The caller.
    error LedgerUnauthorizedMeter(uint256 resourceId, address caller);

    /// @notice Credits of a non-transferable resource cannot move between holders.
    /// @param resourceId The resource.
    error LedgerNotTransferable(uint256 resourceId);

    /// @notice A zero amount or the zero address was given where it has no meaning.
    error LedgerZeroInput();

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice A resource type was registered.
    /// @param resourceId The new id (the ERC-1155 token id of its credits).
    /// @param policy Its policy.
    event ResourceRegistered(uint256 indexed resourceId, Policy policy);

    /// @notice A resource type's policy changed (old and new values).
    /// @param resourceId The resource.
    /// @param oldPolicy The previous policy.
    /// @param newPolicy The new policy.
    event PolicyUpdated(uint256 indexed resourceId, Policy oldPolicy, Policy newPolicy);

    /// @notice A resource type was retired: no more allowance, no more market epochs; credits still held can
    /// still be metered.
    /// @param resourceId The resource.
    event ResourceRetired(uint256 indexed resourceId);

    /// @notice A meter was authorised or de-authorised for a resource.
    /// @param resourceId The resource.
    /// @param meter The meter.
    /// @param authorised Whether it may now meter the resource.
    event MeterSet(uint256 indexed resourceId, address indexed meter, bool authorised);

    /// @notice Credits were minted to a buyer by the minter (the market). Emitted after the ERC-1155
    /// `TransferSingle`.
    /// @param resourceId The resource.
    /// @param account The holder.
    /// @param amount Base units minted.
    /// @param ref The minter's reference (the market's bid id).
    event CreditsMinted(uint256 indexed resourceId, address indexed account, uint256 amount, uint256 ref);

    /// @notice Usage was recorded: `fromAllowance` taken from the free allowance and `fromCredits` burned
    /// from the account's credits (`amount = fromAllowance + fromCredits`).
    /// @param resourceId The resource.
    /// @param account The wallet that used the resource.
    /// @param meter The meter that recorded it.
    /// @param amount Base units used.
    /// @param fromAllowance Base units covered by the free allowance.
    /// @param fromCredits Base units burned from credits.
    /// @param ref The meter's reference (a request id, a job id).
    event UsageRecorded(
        uint256 indexed resourceId,
        address indexed account,
        address indexed meter,
        uint256 amount,
        uint256 fromAllowance,
        uint256 fromCredits,
        bytes32 ref
    );

    /// @notice Usage was refused by the resource's policy; nothing changed.
    /// @param resourceId The resource.
    /// @param account The wallet.
    /// @param meter The meter that asked.
    /// @param amount Base units asked for.
    /// @param reason Why it was refused.
    /// @param ref The meter's reference.
    event UsageDenied(
        uint256 indexed resourceId,
        address indexed account,
        address indexed meter,
        uint256 amount,
        DenialReason reason,
        bytes32 ref
    );

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice Role that registers resources, sets policies and meters, and retires resources (the timelock).
    function PARAMETER_ROLE() external view returns (bytes32);

    /// @notice Role that mints credits (the resource market).
    function MINTER_ROLE() external view returns (bytes32);

    /// @notice Highest display decimals of a unit: 18.
    function MAX_DECIMALS() external view returns (uint8);

    /// @notice Shortest quota window: 1 hour.
    function MIN_QUOTA_WINDOW() external view returns (uint32);

    /// @notice Longest quota window: 30 days.
    function MAX_QUOTA_WINDOW() external view returns (uint32);

    /// @notice The agent registry asked for agent ids and good standing.
    function registry() external view returns (address);

    /// @notice How many resource types were ever registered (ids are 1..count).
    function resourceCount() external view returns (uint256);

    /// @notice The policy of `resourceId`. Throws {LedgerUnknownResource}.
    function policyOf(uint256 resourceId) external view returns (Policy memory);

    /// @notice Whether `resourceId` was registered and is not retired.
    function isActive(uint256 resourceId) external view returns (bool);

    /// @notice Whether `resourceId` was retired.
    function isRetired(uint256 resourceId) external view returns (bool);

    /// @notice Whether `meter` may meter `resourceId`.
    function isMeter(uint256 resourceId, address meter) external view returns (bool);

    /// @notice Free allowance `account`'s agent could use now, in base units: 0 for a wallet with no agent,
    /// an agent not in good standing, or a retired resource.
    function allowanceOf(uint256 resourceId, address account) external view returns (uint256);

    /// @notice Base units `account`'s agent (or the wallet, with no agent) used in the current quota window.
    function usedInWindow(uint256 resourceId, address account) external view returns (uint256);

    /// @notice Credits of `resourceId` ever minted, in base units.
    function totalMinted(uint256 resourceId) external view returns (uint256);

    /// @notice Credits of `resourceId` ever burned by metering, in base units.
    function totalBurned(uint256 resourceId) external view returns (uint256);

    /*//////////////////////////////////////////////////////////////
                                 ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice Registers a resource type with `policy`. Only the parameter role.
    /// @dev Throws {LedgerInvalidPolicy}, {LedgerDecimalsTooHigh}, {LedgerQuotaWindowOutOfBounds},
    /// `AccessControlUnauthorizedAccount`. Emits {ResourceRegistered}.
    /// @return resourceId The new id.
    function registerResource(Policy calldata policy) external returns (uint256 resourceId);

    /// @notice Replaces a resource type's policy. Allowances already accrued are capped by the new maximum
    /// at their next use. Only the parameter role.
    /// @dev Throws {LedgerUnknownResource}, {LedgerResourceRetired}, {LedgerInvalidPolicy},
    /// {LedgerDecimalsTooHigh}, {LedgerQuotaWindowOutOfBounds}, `AccessControlUnauthorizedAccount`.
    /// Emits {PolicyUpdated}.
    function setPolicy(uint256 resourceId, Policy calldata policy) external;

    /// @notice Authorises or de-authorises a meter of a resource. Only the parameter role.
    /// @dev Throws {LedgerUnknownResource}, {LedgerZeroInput}, `AccessControlUnauthorizedAccount`.
    /// Emits {MeterSet}.
    function setMeter(uint256 resourceId, address meter, bool authorised) external;

    /// @notice Retires a resource type for good (see {ResourceRetired}). Only the parameter role.
    /// @dev Throws {LedgerUnknownResource}, {LedgerResourceRetired}, `AccessControlUnauthorizedAccount`.
    /// Emits {ResourceRetired}.
    function retire(uint256 resourceId) external;

    /// @notice Mints `amount` credits of `resourceId` to `account`. Only the minter role (the market).
    /// @dev Throws {LedgerUnknownResource}, {LedgerZeroInput}, `AccessControlUnauthorizedAccount`.
    /// Emits `TransferSingle`, then {CreditsMinted}.
    /// @param ref The minter's reference (the market's bid id).
    function mint(address account, uint256 resourceId, uint256 amount, uint256 ref) external;

    /// @notice Records `amount` base units of `resourceId` used by `account`: checked against the quota,
    /// then drawn from the agent's free allowance, then burned from `account`'s credits. A refusal by the
    /// policy is not a revert: it emits {UsageDenied} and returns false. Only authorised meters.
    /// @dev Throws {LedgerUnknownResource}, {LedgerUnauthorizedMeter}, {LedgerZeroInput}.
    /// Emits {UsageRecorded} (and `TransferSingle` for the burn when credits are used) or {UsageDenied}.
    /// @param ref The meter's reference (a request id, a job id).
    /// @return recorded Whether the usage was recorded.
    function meter(uint256 resourceId, address account, uint256 amount, bytes32 ref) external returns (bool recorded);
}
