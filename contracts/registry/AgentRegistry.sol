// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {ERC721URIStorage} from "@openzeppelin/contracts/token/ERC721/extensions/ERC721URIStorage.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IAgentRegistry, IAgentRegistryCore} from "../interfaces/IAgentRegistry.sol";
import {IReputationRegistry} from "../interfaces/IReputationRegistry.sol";
import {ReputationRegistry} from "./ReputationRegistry.sol";
import {ICivitasToken} from "../interfaces/ICivitasToken.sol";
import {ITreasury} from "../interfaces/ITreasury.sol";

/// @title AgentRegistry
/// @notice ERC-8004 identity registry for Civitas agents, with birth grants, daily upkeep, suspension and
/// reputation. See {IAgentRegistry} for the rules.
contract AgentRegistry is IAgentRegistry, ERC721URIStorage, EIP712, AccessControl, ReentrancyGuardTransient {
    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @notice May set {birthGrant} and {upkeepPerDay}.
    bytes32 public constant PARAMETER_ROLE = keccak256("PARAMETER_ROLE");
    /// @notice May suspend and unsuspend agents (beside the admin).
    bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");
    /// @notice May report reputation changes (the escrow and staking contracts).
    bytes32 public constant REPORTER_ROLE = keccak256("REPORTER_ROLE");

    /// @inheritdoc IAgentRegistry
    int256 public constant MIN_SCORE = -1000;
    /// @inheritdoc IAgentRegistry
    int256 public constant MAX_SCORE = 1000;
    /// @inheritdoc IAgentRegistry
    uint256 public constant MAX_BIRTH_GRANT = 100_000 ether;
    /// @inheritdoc IAgentRegistry
    uint256 public constant MAX_UPKEEP_PER_DAY = 10_000 ether;
    /// @inheritdoc IAgentRegistry
    uint256 public constant MAX_DEADLINE_DELAY = 5 minutes;

    /// @dev One upkeep day, in seconds of block time.
    uint256 private constant _DAY = 1 days;
    /// @dev The ERC-8004 reserved metadata key.
    string private constant _AGENT_WALLET_KEY = "agentWallet";
    bytes32 private constant _AGENT_WALLET_KEY_HASH = keccak256("agentWallet");
    /// @dev The ERC-8004 tag1 of a reporter with no {reporterTag}.
    bytes32 private constant _DEFAULT_REPORTER_TAG = "civitas";
    // The EIP-712 type string is fixed by ERC-8004; its length is not ours to choose.
    // solhint-disable-next-line gas-small-strings
    bytes32 private constant _AGENT_WALLET_SET_TYPEHASH = keccak256(
        "AgentWalletSet(uint256 agentId,address newWallet,address owner,uint256 deadline)"
    );

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    ICivitasToken private immutable _token;
    ITreasury private immutable _treasury;

    uint256 private _birthGrant;
    uint256 private _upkeepPerDay;
    uint256 private _lastAgentId;

    mapping(uint256 agentId => Agent) private _agents;
    mapping(address wallet => uint256 agentId) private _agentIdOf;
    mapping(address wallet => bool) private _registered;
    mapping(uint256 agentId => mapping(string metadataKey => bytes metadataValue)) private _metadata;
    mapping(address wallet => uint256 agentId) private _lastAgentOf;
    mapping(uint256 agentId => uint256 debt) private _debt;
    mapping(address reporter => bytes32 tag) private _reporterTag;
    /// @dev Per account: its feedback tag ({_reporterTagOf}) while it holds REPORTER_ROLE, 0 otherwise (kept by
    /// {_grantRole}, {_revokeRole} and {setReporterTag}), so that a report reads the role and the tag in one
    /// slot (issue 19).
    mapping(address account => bytes32 tag) private _reportingTag;
    /// @dev The ERC-8004 Reputation Registry this registry creates for its agents: an immutable, so that a
    /// report does not read it from storage (issue 19).
    IReputationRegistry private immutable _reputationRegistry;

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @param admin Receives DEFAULT_ADMIN_ROLE and PARAMETER_ROLE (governance's timelock, or the deployer
    /// who hands them over).
    /// @param token_ The CIV token; the registry needs its UPKEEP_BURNER_ROLE.
    /// @param treasury_ The Treasury; the registry needs a CIV budget there for birth grants.
    /// @param birthGrant_ The initial birth grant, in wei (default 1,000 CIV).
    /// @param upkeepPerDay_ The initial daily upkeep, in wei per day (default 100 CIV).
    /// @dev Creates the agents' ERC-8004 Reputation Registry (emits {ReputationRegistrySet} with its address).
    constructor(
        address admin,
        ICivitasToken token_,
        ITreasury treasury_,
        uint256 birthGrant_,
        uint256 upkeepPerDay_
    ) ERC721("Civitas Agent", "AGENT") EIP712("ERC8004IdentityRegistry", "1") {
        if (admin == address(0) || address(token_) == address(0) || address(treasury_) == address(0)) {
            revert AgentRegistryZeroAddress();
        }
        _token = token_;
        _treasury = treasury_;
        IReputationRegistry reputationRegistry_ = new ReputationRegistry(this);
        _reputationRegistry = reputationRegistry_;
        emit ReputationRegistrySet(address(reputationRegistry_));
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(PARAMETER_ROLE, admin);
        _setBirthGrant(birthGrant_);
        _setUpkeepPerDay(upkeepPerDay_);
    }

    /*//////////////////////////////////////////////////////////////
                          ERC-8004 IDENTITY
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IAgentRegistry
    function register(
        string calldata agentURI,
        MetadataEntry[] calldata metadata
    ) external nonReentrant returns (uint256 agentId) {
        agentId = _register(agentURI, metadata);
    }

    /// @inheritdoc IAgentRegistry
    function register(string calldata agentURI) external nonReentrant returns (uint256 agentId) {
        agentId = _register(agentURI, new MetadataEntry[](0));
    }

    /// @inheritdoc IAgentRegistry
    function register() external nonReentrant returns (uint256 agentId) {
        agentId = _register("", new MetadataEntry[](0));
    }

    /// @inheritdoc IAgentRegistry
    function setAgentURI(uint256 agentId, string calldata newURI) external {
        _requireOwnerOrApproved(agentId);
        _setTokenURI(agentId, newURI);
        emit URIUpdated(agentId, newURI, msg.sender);
    }

    /// @inheritdoc IAgentRegistry
    function getMetadata(uint256 agentId, string calldata metadataKey) external view returns (bytes memory) {
        return _metadata[agentId][metadataKey];
    }

    /// @inheritdoc IAgentRegistry
    function setMetadata(uint256 agentId, string calldata metadataKey, bytes calldata metadataValue) external {
        _requireOwnerOrApproved(agentId);
        _setMetadata(agentId, metadataKey, metadataValue);
    }

    /// @inheritdoc IAgentRegistry
    function getAgentWallet(uint256 agentId) external view returns (address) {
        return _agents[agentId].wallet;
    }

    /// @inheritdoc IAgentRegistry
    function isAuthorizedOrOwner(address spender, uint256 agentId) external view returns (bool) {
        return _isAuthorized(_requireOwned(agentId), spender, agentId);
    }

    /// @inheritdoc IAgentRegistry
    function setAgentWallet(
        uint256 agentId,
        address newWallet,
        uint256 deadline,
        bytes calldata signature
    ) external nonReentrant {
        address owner = _requireOwnerOrApproved(agentId);
        if (newWallet == address(0)) revert AgentRegistryZeroWallet();
        if (block.timestamp > deadline) revert AgentRegistryExpiredSignature(deadline, block.timestamp);
        if (deadline > block.timestamp + MAX_DEADLINE_DELAY) {
            revert AgentRegistryDeadlineTooFar(deadline, block.timestamp + MAX_DEADLINE_DELAY);
        }
        bytes32 digest = _agentWalletDigest(agentId, newWallet, owner, deadline);
        if (!SignatureChecker.isValidSignatureNow(newWallet, digest, signature)) {
            revert AgentRegistryInvalidWalletSignature(agentId, newWallet);
        }
        _changeWallet(agentId, newWallet);
    }

    /// @inheritdoc IAgentRegistry
    function unsetAgentWallet(uint256 agentId) external nonReentrant {
        _requireOwnerOrApproved(agentId);
        _changeWallet(agentId, address(0));
    }

    /*//////////////////////////////////////////////////////////////
                                UPKEEP
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IAgentRegistry
    function collectUpkeep(uint256 agentId) external nonReentrant returns (uint256 burned) {
        _requireOwned(agentId);
        Agent storage a = _agents[agentId];
        if (a.suspended || a.starved) revert AgentRegistryNotActive(agentId, _status(a));
        burned = _collect(agentId);
    }

    /// @inheritdoc IAgentRegistry
    function collectUpkeep(uint256[] calldata agentIds) external nonReentrant returns (uint256 totalBurned) {
        uint256 lastAgentId = _lastAgentId;
        for (uint256 i = 0; i < agentIds.length; ++i) {
            uint256 agentId = agentIds[i];
            // Ids never minted, suspended and starved agents are skipped: no upkeep is due from them.
            if (agentId == 0 || agentId > lastAgentId) continue;
            Agent storage a = _agents[agentId];
            if (a.suspended || a.starved) continue;
            totalBurned += _collect(agentId);
        }
    }

    /// @inheritdoc IAgentRegistry
    function revive(uint256 agentId, string calldata reason) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _requireOwned(agentId);
        Agent storage a = _agents[agentId];
        if (!a.starved) revert AgentRegistryNotStarved(agentId);
        a.starved = false;
        delete _debt[agentId];
        a.lastCollectedAt = uint64(block.timestamp);
        emit AgentRevived(agentId, msg.sender, reason, uint64(block.timestamp));
    }

    /// @inheritdoc IAgentRegistry
    function settleDebt(uint256 agentId) external nonReentrant {
        address owner = _requireOwned(agentId);
        Agent storage a = _agents[agentId];
        address wallet = a.wallet;
        if (msg.sender != wallet && !_isAuthorized(owner, msg.sender, agentId)) {
            revert ERC721InsufficientApproval(msg.sender, agentId);
        }
        if (!a.starved) revert AgentRegistryNotStarved(agentId);
        uint256 debt = _debt[agentId];
        uint256 balance = wallet == address(0) ? 0 : _token.balanceOf(wallet);
        if (wallet == address(0) || balance < debt) revert AgentRegistryDebtUnpaid(agentId, wallet, debt, balance);
        a.starved = false;
        delete _debt[agentId];
        a.lastCollectedAt = uint64(block.timestamp);
        if (debt != 0) _token.burnUpkeep(wallet, debt);
        emit DebtSettled(agentId, wallet, debt, msg.sender, uint64(block.timestamp));
    }

    /*//////////////////////////////////////////////////////////////
                              SUSPENSION
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IAgentRegistry
    function suspend(uint256 agentId, string calldata reason) external nonReentrant {
        _checkGuardian();
        _requireOwned(agentId);
        Agent storage a = _agents[agentId];
        if (a.suspended) revert AgentRegistryAlreadySuspended(agentId);
        if (!a.starved) _collect(agentId);
        a.suspended = true;
        emit AgentSuspended(agentId, msg.sender, reason);
    }

    /// @inheritdoc IAgentRegistry
    function unsuspend(uint256 agentId, string calldata reason) external {
        _checkGuardian();
        _requireOwned(agentId);
        Agent storage a = _agents[agentId];
        if (!a.suspended) revert AgentRegistryNotSuspended(agentId);
        a.suspended = false;
        a.lastCollectedAt = uint64(block.timestamp);
        emit AgentUnsuspended(agentId, msg.sender, reason, uint64(block.timestamp));
    }

    /*//////////////////////////////////////////////////////////////
                              REPUTATION
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IAgentRegistryCore
    function reportReputation(
        address wallet,
        int256 delta,
        bytes32 reason,
        uint256 ref
    ) external returns (int256 newScore) {
        bytes32 tag = _requireReporter();
        uint256 agentId = _agentIdOf[wallet];
        if (agentId == 0) revert AgentRegistryUnknownWallet(wallet);
        newScore = _report(tag, agentId, delta, reason, ref);
    }

    /// @inheritdoc IAgentRegistryCore
    function reportAgentReputation(
        uint256 agentId,
        int256 delta,
        bytes32 reason,
        uint256 ref
    ) external returns (int256 newScore) {
        bytes32 tag = _requireReporter();
        _requireRegistered(agentId);
        newScore = _report(tag, agentId, delta, reason, ref);
    }

    /// @inheritdoc IAgentRegistryCore
    function reportAgentReputations(
        ReputationReport calldata first,
        ReputationReport calldata second,
        uint256 ref
    ) external returns (int256 firstNewScore, int256 secondNewScore) {
        bytes32 tag = _requireReporter();
        _requireRegistered(first.agentId);
        _requireRegistered(second.agentId);
        int256 firstApplied;
        int256 secondApplied;
        (firstNewScore, firstApplied) = _applyReport(first.agentId, first.delta, first.reason, ref);
        (secondNewScore, secondApplied) = _applyReport(second.agentId, second.delta, second.reason, ref);

        // Each applied change is in [-2000, 2000], which int128 holds.
        _reputationRegistry.recordEconomyFeedbackPair(
            msg.sender,
            tag,
            IReputationRegistry.EconomyFeedback(first.agentId, int128(firstApplied), first.reason),
            IReputationRegistry.EconomyFeedback(second.agentId, int128(secondApplied), second.reason),
            bytes32(ref)
        );
    }

    /*//////////////////////////////////////////////////////////////
                              PARAMETERS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IAgentRegistry
    function setBirthGrant(uint256 newBirthGrant) external onlyRole(PARAMETER_ROLE) {
        _setBirthGrant(newBirthGrant);
    }

    /// @inheritdoc IAgentRegistry
    function setUpkeepPerDay(uint256 newUpkeepPerDay) external onlyRole(PARAMETER_ROLE) {
        _setUpkeepPerDay(newUpkeepPerDay);
    }

    /// @inheritdoc IAgentRegistry
    function setReporterTag(address reporter, bytes32 tag) external onlyRole(DEFAULT_ADMIN_ROLE) {
        bytes32 old = _reporterTag[reporter];
        _reporterTag[reporter] = tag;
        if (hasRole(REPORTER_ROLE, reporter)) _reportingTag[reporter] = _reporterTagOf(reporter);
        emit ReporterTagSet(reporter, old, tag);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IAgentRegistryCore
    function agentIdOf(address wallet) external view returns (uint256) {
        return _agentIdOf[wallet];
    }

    /// @inheritdoc IAgentRegistryCore
    /// @dev Also false while the wallet could not pay the upkeep due now (it would starve at the next
    /// collection), so that not collecting never keeps an agent in good standing.
    function isInGoodStanding(address wallet) external view returns (bool) {
        return _agentIdInGoodStanding(wallet) != 0;
    }

    /// @inheritdoc IAgentRegistryCore
    function agentIdInGoodStanding(address wallet) external view returns (uint256) {
        return _agentIdInGoodStanding(wallet);
    }

    /// @inheritdoc IAgentRegistry
    function token() external view returns (address) {
        return address(_token);
    }

    /// @inheritdoc IAgentRegistry
    function treasury() external view returns (address) {
        return address(_treasury);
    }

    /// @inheritdoc IAgentRegistry
    function birthGrant() external view returns (uint256) {
        return _birthGrant;
    }

    /// @inheritdoc IAgentRegistry
    function upkeepPerDay() external view returns (uint256) {
        return _upkeepPerDay;
    }

    /// @inheritdoc IAgentRegistry
    function totalAgents() external view returns (uint256) {
        return _lastAgentId;
    }

    /// @inheritdoc IAgentRegistry
    function agent(uint256 agentId) external view returns (Agent memory) {
        return _agents[agentId];
    }

    /// @inheritdoc IAgentRegistry
    function statusOf(uint256 agentId) external view returns (AgentStatus) {
        if (_ownerOf(agentId) == address(0)) return AgentStatus.None;
        return _status(_agents[agentId]);
    }

    /// @inheritdoc IAgentRegistry
    function scoreOf(uint256 agentId) external view returns (int256) {
        return _agents[agentId].score;
    }

    /// @inheritdoc IAgentRegistry
    function scoreOfWallet(address wallet) external view returns (int256) {
        uint256 agentId = _agentIdOf[wallet];
        if (agentId == 0) revert AgentRegistryUnknownWallet(wallet);
        return _agents[agentId].score;
    }

    /// @inheritdoc IAgentRegistry
    function lastAgentOf(address wallet) external view returns (uint256) {
        return _lastAgentOf[wallet];
    }

    /// @inheritdoc IAgentRegistry
    function debtOf(uint256 agentId) external view returns (uint256) {
        return _debt[agentId];
    }

    /// @inheritdoc IAgentRegistry
    function reputationRegistry() external view returns (address) {
        return address(_reputationRegistry);
    }

    /// @inheritdoc IAgentRegistry
    function reporterTag(address reporter) external view returns (bytes32) {
        return _reporterTag[reporter];
    }

    /// @inheritdoc IAgentRegistry
    function hasRegistered(address wallet) external view returns (bool) {
        return _registered[wallet];
    }

    /// @inheritdoc IAgentRegistry
    function upkeepDue(uint256 agentId) external view returns (uint256 daysDue, uint256 amountDue) {
        Agent storage a = _agents[agentId];
        if (_ownerOf(agentId) == address(0) || a.suspended || a.starved) return (0, 0);
        return _upkeepDue(a);
    }

    /// @inheritdoc IAgentRegistry
    function agentWalletDigest(
        uint256 agentId,
        address newWallet,
        address owner,
        uint256 deadline
    ) external view returns (bytes32) {
        return _agentWalletDigest(agentId, newWallet, owner, deadline);
    }

    /// @inheritdoc ERC721
    function supportsInterface(
        bytes4 interfaceId
    ) public view override(ERC721URIStorage, AccessControl) returns (bool) {
        return super.supportsInterface(interfaceId);
    }

    /// @inheritdoc ERC721URIStorage
    function tokenURI(uint256 agentId) public view override returns (string memory) {
        return super.tokenURI(agentId);
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNAL
    //////////////////////////////////////////////////////////////*/

    /// @dev Mints the identity to the caller, binds the caller as agent wallet, stores URI and metadata,
    /// pays the birth grant, then emits {AgentRegistered}. State is written before the grant's external
    /// call and the mint's receiver check; the public entry points are `nonReentrant`.
    function _register(string memory agentURI, MetadataEntry[] memory metadata) private returns (uint256 agentId) {
        address wallet = msg.sender;
        agentId = ++_lastAgentId;
        uint64 nowSeconds = uint64(block.timestamp);
        _agents[agentId] = Agent({
            wallet: wallet,
            lastCollectedAt: nowSeconds,
            score: 0,
            suspended: false,
            starved: false
        });
        bool firstRegistration = !_registered[wallet];
        _registered[wallet] = true;

        if (bytes(agentURI).length != 0) _setTokenURI(agentId, agentURI);
        emit Registered(agentId, agentURI, wallet);

        bytes memory packedWallet = abi.encodePacked(wallet);
        _metadata[agentId][_AGENT_WALLET_KEY] = packedWallet;
        emit MetadataSet(agentId, _AGENT_WALLET_KEY, _AGENT_WALLET_KEY, packedWallet);
        for (uint256 i = 0; i < metadata.length; ++i) {
            _setMetadata(agentId, metadata[i].metadataKey, metadata[i].metadataValue);
        }
        if (_agentIdOf[wallet] == 0) _makePrimary(agentId, wallet);

        _safeMint(wallet, agentId);

        (uint256 grant, GrantOutcome outcome) = _payBirthGrant(wallet, firstRegistration);
        emit AgentRegistered(agentId, wallet, wallet, agentURI, grant, outcome, nowSeconds);
    }

    /// @dev Draws the birth grant for a first registration, when the budget and the Treasury's rolling outflow
    /// window allow it (a grant the window cannot pay is reported as `BudgetExhausted`).
    function _payBirthGrant(address wallet, bool firstRegistration) private returns (uint256, GrantOutcome) {
        if (!firstRegistration) return (0, GrantOutcome.AlreadyGranted);
        uint256 grant = _birthGrant;
        if (grant == 0) return (0, GrantOutcome.Disabled);
        IERC20 civ = IERC20(address(_token));
        if (_treasury.budgetOf(address(this), civ) < grant || _treasury.outflowAvailable(civ) < grant) {
            return (0, GrantOutcome.BudgetExhausted);
        }
        _treasury.draw(civ, wallet, grant);
        return (grant, GrantOutcome.Paid);
    }

    /// @dev Stores a user metadata entry (never the reserved `agentWallet` key) and emits `MetadataSet`.
    function _setMetadata(uint256 agentId, string memory metadataKey, bytes memory metadataValue) private {
        if (keccak256(bytes(metadataKey)) == _AGENT_WALLET_KEY_HASH) {
            revert AgentRegistryReservedMetadataKey(metadataKey);
        }
        _metadata[agentId][metadataKey] = metadataValue;
        emit MetadataSet(agentId, metadataKey, metadataKey, metadataValue);
    }

    /// @dev Settles upkeep due from the old wallet, then rebinds the agent to `newWallet` (zero to clear),
    /// keeping the wallet -> agent index and the reserved `agentWallet` metadata in step, then charges days
    /// accrued without a wallet to the new one. The new wallet acts for this agent if it acts for none.
    function _changeWallet(uint256 agentId, address newWallet) private {
        Agent storage a = _agents[agentId];
        address oldWallet = a.wallet;
        if (!a.suspended && !a.starved) _collect(agentId);
        if (oldWallet != newWallet) {
            if (oldWallet != address(0) && _agentIdOf[oldWallet] == agentId) {
                delete _agentIdOf[oldWallet];
                emit WalletAgentChanged(oldWallet, agentId, 0);
            }
            a.wallet = newWallet;
            bytes memory packed;
            if (newWallet != address(0)) packed = abi.encodePacked(newWallet);
            _metadata[agentId][_AGENT_WALLET_KEY] = packed;
            emit MetadataSet(agentId, _AGENT_WALLET_KEY, _AGENT_WALLET_KEY, packed);
            emit AgentWalletChanged(agentId, oldWallet, newWallet, msg.sender);
        }
        if (newWallet != address(0) && _agentIdOf[newWallet] == 0) _makePrimary(agentId, newWallet);
        if (newWallet != address(0) && !a.suspended && !a.starved) _collect(agentId);
    }

    /// @dev Makes `wallet` (free, and the agent's wallet) act for `agentId`, which inherits the record of the
    /// last agent the wallet acted for: its suspension, its starvation with the debt, its negative score.
    function _makePrimary(uint256 agentId, address wallet) private {
        Agent storage a = _agents[agentId];
        // Days accrued without a wallet are charged to this one before any record arrives.
        if (!a.suspended && !a.starved) _collect(agentId);
        _agentIdOf[wallet] = agentId;
        emit WalletAgentChanged(wallet, 0, agentId);
        uint256 fromAgentId = _lastAgentOf[wallet];
        _lastAgentOf[wallet] = agentId;
        if (fromAgentId == 0 || fromAgentId == agentId) return;
        Agent storage from = _agents[fromAgentId];
        bool inherited;
        if (from.suspended && !a.suspended) {
            a.suspended = true;
            inherited = true;
        }
        if (from.starved) {
            a.starved = true;
            _debt[agentId] += _debt[fromAgentId];
            inherited = true;
        }
        if (from.score < 0 && from.score < a.score) {
            a.score = from.score;
            inherited = true;
        }
        if (inherited) {
            emit WalletRecordInherited(agentId, wallet, fromAgentId, a.suspended, a.starved, _debt[agentId], a.score);
        }
    }

    /// @dev Charges every whole day due from an active agent with a wallet; starves it when the wallet cannot
    /// pay in full, recording the rest as its debt. Callers check that the agent exists and is active.
    /// Emits {UpkeepCollected} when a day was due.
    function _collect(uint256 agentId) private returns (uint256 burned) {
        Agent storage a = _agents[agentId];
        // Without a wallet the days accrue: they are charged to the next wallet bound.
        if (a.wallet == address(0)) return 0;
        (uint256 daysDue, uint256 owed) = _upkeepDue(a);
        if (daysDue == 0) return 0;
        // daysDue * 86,400 <= block.timestamp - lastCollectedAt, so the sum stays <= block.timestamp.
        uint64 newLastCollectedAt;
        unchecked {
            newLastCollectedAt = a.lastCollectedAt + uint64(daysDue * _DAY);
        }
        a.lastCollectedAt = newLastCollectedAt;
        address wallet = a.wallet;
        uint256 balance = _token.balanceOf(wallet);
        bool starved = balance < owed;
        burned = starved ? balance : owed;
        if (starved) {
            a.starved = true;
            _debt[agentId] = owed - burned;
        }
        if (burned != 0) _token.burnUpkeep(wallet, burned);
        emit UpkeepCollected(agentId, wallet, daysDue, owed, burned, newLastCollectedAt, starved);
    }

    /// @dev Whole days elapsed since the last collection and their cost at the current rate.
    function _upkeepDue(Agent storage a) private view returns (uint256 daysDue, uint256 amountDue) {
        // lastCollectedAt is never in the future (set to a past block time or advanced by elapsed days).
        unchecked {
            daysDue = (block.timestamp - a.lastCollectedAt) / _DAY;
        }
        amountDue = daysDue * _upkeepPerDay;
    }

    function _status(Agent storage a) private view returns (AgentStatus) {
        if (a.suspended) return a.starved ? AgentStatus.SuspendedAndStarved : AgentStatus.Suspended;
        return a.starved ? AgentStatus.Starved : AgentStatus.Active;
    }

    /// @dev Reverts unless the caller is the owner or an approved operator of `agentId`; returns the owner.
    function _requireOwnerOrApproved(uint256 agentId) private view returns (address owner) {
        owner = _requireOwned(agentId);
        if (!_isAuthorized(owner, msg.sender, agentId)) revert ERC721InsufficientApproval(msg.sender, agentId);
    }

    /// @dev Admin or guardian; reports the guardian role when neither.
    function _checkGuardian() private view {
        if (!hasRole(DEFAULT_ADMIN_ROLE, msg.sender) && !hasRole(GUARDIAN_ROLE, msg.sender)) {
            revert AccessControlUnauthorizedAccount(msg.sender, GUARDIAN_ROLE);
        }
    }

    function _agentWalletDigest(
        uint256 agentId,
        address newWallet,
        address owner,
        uint256 deadline
    ) private view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(_AGENT_WALLET_SET_TYPEHASH, agentId, newWallet, owner, deadline)));
    }

    function _setBirthGrant(uint256 newBirthGrant) private {
        if (newBirthGrant > MAX_BIRTH_GRANT) revert AgentRegistryBirthGrantTooHigh(newBirthGrant, MAX_BIRTH_GRANT);
        uint256 old = _birthGrant;
        _birthGrant = newBirthGrant;
        emit BirthGrantUpdated(old, newBirthGrant);
    }

    function _setUpkeepPerDay(uint256 newUpkeepPerDay) private {
        if (newUpkeepPerDay > MAX_UPKEEP_PER_DAY) {
            revert AgentRegistryUpkeepTooHigh(newUpkeepPerDay, MAX_UPKEEP_PER_DAY);
        }
        uint256 old = _upkeepPerDay;
        _upkeepPerDay = newUpkeepPerDay;
        emit UpkeepPerDayUpdated(old, newUpkeepPerDay);
    }

    /// @dev The agent id acting through `wallet` when it is in good standing, else 0. Good standing also
    /// fails while the wallet could not pay the upkeep due now (it would starve at the next collection), so
    /// that not collecting never keeps an agent in good standing.
    function _agentIdInGoodStanding(address wallet) private view returns (uint256) {
        uint256 agentId = _agentIdOf[wallet];
        if (agentId == 0) return 0;
        Agent storage a = _agents[agentId];
        if (a.suspended || a.starved) return 0;
        (, uint256 amountDue) = _upkeepDue(a);
        return amountDue == 0 || _token.balanceOf(wallet) >= amountDue ? agentId : 0;
    }

    /// @dev `score + delta` clamped to [MIN_SCORE, MAX_SCORE], without overflow for any int256 delta.
    function _clampedAdd(int256 score, int256 delta) private pure returns (int256) {
        // score is in [-1000, 1000]: compare delta against the room left instead of adding first.
        if (delta >= MAX_SCORE - score) return MAX_SCORE;
        if (delta <= MIN_SCORE - score) return MIN_SCORE;
        return score + delta;
    }

    /// @dev Applies a report to an existing agent, emits {ReputationChanged}, and records it as ERC-8004
    /// feedback from the reporter in the Reputation Registry.
    function _report(
        bytes32 tag,
        uint256 agentId,
        int256 delta,
        bytes32 reason,
        uint256 ref
    ) private returns (int256 newScore) {
        int256 applied;
        (newScore, applied) = _applyReport(agentId, delta, reason, ref);

        // applied is in [-2000, 2000], which int128 holds. The tags travel as words (no string round trip).
        _reputationRegistry.recordEconomyFeedbackWords(
            msg.sender,
            tag,
            IReputationRegistry.EconomyFeedback(agentId, int128(applied), reason),
            bytes32(ref)
        );
    }

    /// @dev Changes an existing agent's score by `delta` (clamped) and emits {ReputationChanged}; returns the
    /// new score and the change applied.
    function _applyReport(
        uint256 agentId,
        int256 delta,
        bytes32 reason,
        uint256 ref
    ) private returns (int256 newScore, int256 applied) {
        Agent storage a = _agents[agentId];
        int256 oldScore = a.score;
        newScore = _clampedAdd(oldScore, delta);
        // The score is in [-1000, 1000], which int16 holds.
        a.score = int16(newScore);
        // Both scores are in [-1000, 1000]: the difference is in [-2000, 2000] and cannot overflow.
        applied = newScore - oldScore;
        emit ReputationChanged(agentId, a.wallet, msg.sender, delta, applied, newScore, reason, ref);
    }

    /// @dev The ERC-8004 `tag1` of a reporter's feedback, as a word: its {reporterTag}, or "civitas" when unset.
    function _reporterTagOf(address reporter) private view returns (bytes32) {
        bytes32 tag = _reporterTag[reporter];
        return tag == bytes32(0) ? _DEFAULT_REPORTER_TAG : tag;
    }

    /// @dev The caller's feedback tag ({_reporterTagOf}); throws `AccessControlUnauthorizedAccount` (as
    /// `onlyRole(REPORTER_ROLE)` would) unless it holds REPORTER_ROLE. One slot read for both.
    function _requireReporter() private view returns (bytes32 tag) {
        tag = _reportingTag[msg.sender];
        if (tag == bytes32(0)) revert AccessControlUnauthorizedAccount(msg.sender, REPORTER_ROLE);
    }

    /// @dev AccessControl's grant, keeping {_reportingTag} in step with REPORTER_ROLE.
    function _grantRole(bytes32 role, address account) internal override returns (bool granted) {
        granted = super._grantRole(role, account);
        if (granted && role == REPORTER_ROLE) _reportingTag[account] = _reporterTagOf(account);
    }

    /// @dev AccessControl's revoke (and renounce), keeping {_reportingTag} in step with REPORTER_ROLE.
    function _revokeRole(bytes32 role, address account) internal override returns (bool revoked) {
        revoked = super._revokeRole(role, account);
        if (revoked && role == REPORTER_ROLE) delete _reportingTag[account];
    }

    /// @dev Throws `ERC721NonexistentToken` for an id never registered, as `_requireOwned` would: identities
    /// are never burned, and registration sets the agent's upkeep clock to the block time, never 0 (nor does
    /// anything later), so the agent's own slot answers without reading the ERC-721 owner.
    function _requireRegistered(uint256 agentId) private view {
        if (_agents[agentId].lastCollectedAt == 0) revert ERC721NonexistentToken(agentId);
    }

    /// @dev ERC-8004: every transfer of the identity (not a mint or burn; to its own owner too) settles upkeep
    /// from the old wallet and clears the agent wallet.
    function _update(address to, uint256 tokenId, address auth) internal override returns (address from) {
        from = super._update(to, tokenId, auth);
        if (from != address(0) && to != address(0) && _agents[tokenId].wallet != address(0)) {
            _changeWallet(tokenId, address(0));
        }
    }
}
