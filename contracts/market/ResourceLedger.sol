// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ERC1155} from "@openzeppelin/contracts/token/ERC1155/ERC1155.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Arrays} from "@openzeppelin/contracts/utils/Arrays.sol";

import {IAgentRegistryCore} from "../interfaces/IAgentRegistry.sol";
import {IResourceLedger} from "../interfaces/IResourceLedger.sol";

/// @title ResourceLedger
/// @notice Resource credits (ERC-1155), policies, free allowances, quotas and metering. See {IResourceLedger}.
/// @dev Accounting invariant per resource: `totalMinted - totalBurned == sum of balances`.
contract ResourceLedger is IResourceLedger, ERC1155, AccessControl {
    using Arrays for uint256[];

    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IResourceLedger
    bytes32 public constant PARAMETER_ROLE = keccak256("PARAMETER_ROLE");

    /// @inheritdoc IResourceLedger
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");

    /// @inheritdoc IResourceLedger
    uint8 public constant MAX_DECIMALS = 18;

    /// @inheritdoc IResourceLedger
    uint32 public constant MIN_QUOTA_WINDOW = 1 hours;

    /// @inheritdoc IResourceLedger
    uint32 public constant MAX_QUOTA_WINDOW = 30 days;

    uint256 private constant _DAY = 1 days;

    /// @dev Subjects of wallets with no agent live above every possible agent id.
    uint256 private constant _WALLET_SUBJECT = 1 << 192;

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev An agent's free allowance of one resource: the level at `updatedAt` (regenerates from there).
    struct Allowance {
        uint128 level;
        uint64 updatedAt;
        bool initialised;
    }

    /// @dev Usage in the quota window numbered `window` (`timestamp / quotaWindow`).
    struct Usage {
        uint128 used;
        uint64 window;
    }

    IAgentRegistryCore private immutable _registry;
    uint256 private _resourceCount;
    mapping(uint256 resourceId => Policy) private _policies;
    mapping(uint256 resourceId => bool) private _retired;
    mapping(uint256 resourceId => mapping(address meter => bool)) private _meters;
    mapping(uint256 resourceId => mapping(uint256 subject => Allowance)) private _allowances;
    mapping(uint256 resourceId => mapping(uint256 subject => Usage)) private _usage;
    mapping(uint256 resourceId => uint256) private _minted;
    mapping(uint256 resourceId => uint256) private _burned;

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @param admin Receives `DEFAULT_ADMIN_ROLE` and `PARAMETER_ROLE` (the timelock, or the deployer who
    /// hands them over).
    /// @param registry_ The agent registry.
    /// @param uri_ The ERC-1155 metadata URI template (`{id}` substituted by clients).
    constructor(address admin, IAgentRegistryCore registry_, string memory uri_) ERC1155(uri_) {
        if (admin == address(0) || address(registry_) == address(0)) revert LedgerZeroInput();
        _registry = registry_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(PARAMETER_ROLE, admin);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IResourceLedger
    function registry() external view returns (address) {
        return address(_registry);
    }

    /// @inheritdoc IResourceLedger
    function resourceCount() external view returns (uint256) {
        return _resourceCount;
    }

    /// @inheritdoc IResourceLedger
    function policyOf(uint256 resourceId) external view returns (Policy memory) {
        _requireKnown(resourceId);
        return _policies[resourceId];
    }

    /// @inheritdoc IResourceLedger
    function isActive(uint256 resourceId) public view returns (bool) {
        return resourceId != 0 && resourceId <= _resourceCount && !_retired[resourceId];
    }

    /// @inheritdoc IResourceLedger
    function isRetired(uint256 resourceId) external view returns (bool) {
        return _retired[resourceId];
    }

    /// @inheritdoc IResourceLedger
    function isMeter(uint256 resourceId, address meter_) external view returns (bool) {
        return _meters[resourceId][meter_];
    }

    /// @inheritdoc IResourceLedger
    function allowanceOf(uint256 resourceId, address account) external view returns (uint256) {
        (uint256 subject, bool isAgent) = _subjectOf(account);
        if (!isAgent || !isActive(resourceId) || !_registry.isInGoodStanding(account)) return 0;
        return _currentAllowance(_policies[resourceId], _allowances[resourceId][subject]);
    }

    /// @inheritdoc IResourceLedger
    function usedInWindow(uint256 resourceId, address account) external view returns (uint256) {
        if (resourceId == 0 || resourceId > _resourceCount) return 0;
        (uint256 subject, ) = _subjectOf(account);
        return _usedIn(_usage[resourceId][subject], block.timestamp / _policies[resourceId].quotaWindow);
    }

    /// @inheritdoc IResourceLedger
    function totalMinted(uint256 resourceId) external view returns (uint256) {
        return _minted[resourceId];
    }

    /// @inheritdoc IResourceLedger
    function totalBurned(uint256 resourceId) external view returns (uint256) {
        return _burned[resourceId];
    }

    /// @inheritdoc ERC1155
    function supportsInterface(bytes4 interfaceId) public view override(ERC1155, AccessControl) returns (bool) {
        return super.supportsInterface(interfaceId);
    }

    /*//////////////////////////////////////////////////////////////
                              GOVERNANCE
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IResourceLedger
    function registerResource(Policy calldata policy) external onlyRole(PARAMETER_ROLE) returns (uint256 resourceId) {
        _checkPolicy(policy);
        resourceId = ++_resourceCount;
        _policies[resourceId] = policy;
        emit ResourceRegistered(resourceId, policy);
    }

    /// @inheritdoc IResourceLedger
    function setPolicy(uint256 resourceId, Policy calldata policy) external onlyRole(PARAMETER_ROLE) {
        _requireActive(resourceId);
        _checkPolicy(policy);
        Policy memory old = _policies[resourceId];
        _policies[resourceId] = policy;
        emit PolicyUpdated(resourceId, old, policy);
    }

    /// @inheritdoc IResourceLedger
    function setMeter(uint256 resourceId, address meter_, bool authorised) external onlyRole(PARAMETER_ROLE) {
        _requireKnown(resourceId);
        if (meter_ == address(0)) revert LedgerZeroInput();
        _meters[resourceId][meter_] = authorised;
        emit MeterSet(resourceId, meter_, authorised);
    }

    /// @inheritdoc IResourceLedger
    function retire(uint256 resourceId) external onlyRole(PARAMETER_ROLE) {
        _requireActive(resourceId);
        _retired[resourceId] = true;
        emit ResourceRetired(resourceId);
    }

    /*//////////////////////////////////////////////////////////////
                                ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IResourceLedger
    function mint(address account, uint256 resourceId, uint256 amount, uint256 ref) external onlyRole(MINTER_ROLE) {
        _requireKnown(resourceId);
        if (amount == 0 || account == address(0)) revert LedgerZeroInput();
        _minted[resourceId] += amount;
        // No receiver hook: see the interface (a refusing contract cannot block its own refund).
        _update(address(0), account, _single(resourceId), _single(amount));
        emit CreditsMinted(resourceId, account, amount, ref);
    }

    /// @inheritdoc IResourceLedger
    function meter(uint256 resourceId, address account, uint256 amount, bytes32 ref) external returns (bool) {
        _requireKnown(resourceId);
        if (!_meters[resourceId][msg.sender]) revert LedgerUnauthorizedMeter(resourceId, msg.sender);
        if (amount == 0 || account == address(0)) revert LedgerZeroInput();
        (bool recorded, DenialReason reason, uint256 fromAllowance) = _draw(resourceId, account, amount);
        if (!recorded) {
            emit UsageDenied(resourceId, account, msg.sender, amount, reason, ref);
            return false;
        }
        emit UsageRecorded(resourceId, account, msg.sender, amount, fromAllowance, amount - fromAllowance, ref);
        return true;
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNAL
    //////////////////////////////////////////////////////////////*/

    /// @dev Refuses transfers between holders of non-transferable resources (mints and burns pass).
    function _update(address from, address to, uint256[] memory ids, uint256[] memory values) internal override {
        if (from != address(0) && to != address(0)) {
            for (uint256 i = 0; i < ids.length; ++i) {
                uint256 id = ids.unsafeMemoryAccess(i);
                if (!_policies[id].transferable) revert LedgerNotTransferable(id);
            }
        }
        super._update(from, to, ids, values);
    }

    /// @dev The allowance now: a new agent starts full; otherwise the stored level plus what regenerated
    /// since (`allowancePerDay` per day, pro rata per second), capped at `allowanceMax`.
    function _currentAllowance(Policy storage policy, Allowance memory a) private view returns (uint256) {
        uint256 max = policy.allowanceMax;
        if (!a.initialised) return max;
        uint256 regenerated = Math.mulDiv(policy.allowancePerDay, block.timestamp - a.updatedAt, _DAY);
        return Math.min(max, uint256(a.level) + regenerated);
    }

    /// @dev Applies the policy to `amount` used by `account`: the quota, then the free allowance, then the
    /// credits (burned). Changes nothing when refused.
    function _draw(
        uint256 resourceId,
        address account,
        uint256 amount
    ) private returns (bool recorded, DenialReason reason, uint256 fromAllowance) {
        (uint256 subject, bool isAgent) = _subjectOf(account);
        Policy storage policy = _policies[resourceId];

        // Quota (rate limit) per fixed window.
        Usage memory usage;
        {
            uint64 window = uint64(block.timestamp / policy.quotaWindow);
            uint256 used = _usedIn(_usage[resourceId][subject], window) + amount;
            if (policy.quota != 0 && used > policy.quota) return (false, DenialReason.QuotaExceeded, 0);
            usage = Usage({used: SafeCast.toUint128(used), window: window});
        }

        // Free allowance first (agents in good standing, active resources), then credits.
        bool eligible = isAgent && !_retired[resourceId] && _registry.isInGoodStanding(account);
        uint256 available = eligible ? _currentAllowance(policy, _allowances[resourceId][subject]) : 0;
        fromAllowance = Math.min(available, amount);
        // Cannot underflow: fromAllowance <= amount.
        uint256 fromCredits = amount - fromAllowance;
        if (fromCredits > balanceOf(account, resourceId)) return (false, DenialReason.InsufficientCredits, 0);

        _usage[resourceId][subject] = usage;
        if (eligible) {
            // Fits: available <= allowanceMax (uint128).
            _allowances[resourceId][subject] = Allowance({
                level: uint128(available - fromAllowance),
                updatedAt: uint64(block.timestamp),
                initialised: true
            });
        }
        if (fromCredits != 0) _burnCredits(account, resourceId, fromCredits);
        return (true, reason, fromAllowance);
    }

    /// @dev Burns `amount` credits of `account` (metering).
    function _burnCredits(address account, uint256 resourceId, uint256 amount) private {
        _burned[resourceId] += amount;
        _update(account, address(0), _single(resourceId), _single(amount));
    }

    /// @dev Usage recorded in quota window number `window` (0 when the record is of an earlier window).
    function _usedIn(Usage storage usage, uint256 window) private view returns (uint256) {
        return usage.window == window ? usage.used : 0;
    }

    /// @dev The subject whose allowance and quota apply: the agent id, or the wallet when it has none.
    function _subjectOf(address account) private view returns (uint256 subject, bool isAgent) {
        uint256 agentId = _registry.agentIdOf(account);
        if (agentId != 0) return (agentId, true);
        return (_WALLET_SUBJECT | uint256(uint160(account)), false);
    }

    function _checkPolicy(Policy calldata policy) private pure {
        if (bytes(policy.unit).length == 0 || policy.allowanceMax < policy.allowancePerDay) {
            revert LedgerInvalidPolicy(policy.allowancePerDay, policy.allowanceMax);
        }
        if (policy.decimals > MAX_DECIMALS) revert LedgerDecimalsTooHigh(policy.decimals, MAX_DECIMALS);
        if (policy.quotaWindow < MIN_QUOTA_WINDOW || policy.quotaWindow > MAX_QUOTA_WINDOW) {
            revert LedgerQuotaWindowOutOfBounds(policy.quotaWindow, MIN_QUOTA_WINDOW, MAX_QUOTA_WINDOW);
        }
    }

    function _requireKnown(uint256 resourceId) private view {
        if (resourceId == 0 || resourceId > _resourceCount) revert LedgerUnknownResource(resourceId);
    }

    function _requireActive(uint256 resourceId) private view {
        _requireKnown(resourceId);
        if (_retired[resourceId]) revert LedgerResourceRetired(resourceId);
    }

    function _single(uint256 value) private pure returns (uint256[] memory array) {
        array = new uint256[](1);
        array[0] = value;
    }
}
