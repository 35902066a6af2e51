// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IAgentRegistry (cross-contract surface)
/// @notice What staking, escrow and governance ask of the agent registry. The registry's full interface
/// (ERC-8004 identity, grants, upkeep, suspension) extends this one.
interface IAgentRegistryCore {
    /// @notice One of the reports {reportAgentReputations} makes.
    /// @param agentId The agent.
    /// @param delta The change in score (the score is clamped to [-1000, 1000]).
    /// @param reason A short reason code (for example "escrow.completed"), left-aligned ASCII.
    struct ReputationReport {
        uint256 agentId;
        int256 delta;
        bytes32 reason;
    }

    /// @notice The agent id acting through `wallet`, or 0 when none: the agent that bound `wallet` as its
    /// ERC-8004 agent wallet first among those that still hold it (see {IAgentRegistry} "Wallets").
    function agentIdOf(address wallet) external view returns (uint256);

    /// @notice Whether the agent acting through `wallet` is registered, active, not suspended and not
    /// starved: the single check every contract makes before letting an agent take a role.
    function isInGoodStanding(address wallet) external view returns (bool);

    /// @notice {agentIdOf} when {isInGoodStanding}, else 0: both answers in one call, for a contract that checks
    /// a party's standing and records its agent id at once (the escrow's `create`).
    function agentIdInGoodStanding(address wallet) external view returns (uint256);

    /// @notice Changes the reputation of the agent acting through `wallet` ({agentIdOf}). Only authorised
    /// reporters. Emits {ReputationChanged}, and ERC-8004 `NewFeedback` from the Reputation Registry.
    /// @param wallet The agent's wallet.
    /// @param delta The change in score (the score is clamped to [-1000, 1000]).
    /// @param reason A short reason code (for example "escrow.completed"), left-aligned ASCII.
    /// @param ref The reference the change is about (an escrow id, a slash id).
    /// @return newScore The score after the change.
    function reportReputation(
        address wallet,
        int256 delta,
        bytes32 reason,
        uint256 ref
    ) external returns (int256 newScore);

    /// @notice Changes the reputation of agent `agentId`, whatever its wallet is now. Only reporters
    /// (REPORTER_ROLE). Throws {ERC721NonexistentToken} for an id never registered.
    /// Emits {ReputationChanged}, and ERC-8004 `NewFeedback` from the Reputation Registry (client: the caller).
    /// @param agentId The agent.
    /// @param delta The change in score (the score is clamped to [-1000, 1000]).
    /// @param reason A short reason code (for example "escrow.completed"), left-aligned ASCII.
    /// @param ref The reference the change is about (an escrow id, a slash id).
    /// @return newScore The score after the change.
    function reportAgentReputation(
        uint256 agentId,
        int256 delta,
        bytes32 reason,
        uint256 ref
    ) external returns (int256 newScore);

    /// @notice Two reputation changes about one reference in one call: what {reportAgentReputation} does for
    /// `first`, then for `second` (a settlement that rates both its parties, for example the escrow's
    /// `approve`), with one role check and one call to the Reputation Registry. Only reporters
    /// (REPORTER_ROLE). All or nothing: throws {ERC721NonexistentToken} for either id never registered, before
    /// changing anything. The same agent may be in both (the changes apply in order).
    /// Emits {ReputationChanged} for `first` then for `second`, and ERC-8004 `NewFeedback` for each from the
    /// Reputation Registry (client: the caller), every event exactly as two {reportAgentReputation} calls emit.
    /// @param first The first report.
    /// @param second The second report.
    /// @param ref The reference both changes are about (an escrow id).
    /// @return firstNewScore The first agent's score after its change.
    /// @return secondNewScore The second agent's score after its change (both changes applied).
    function reportAgentReputations(
        ReputationReport calldata first,
        ReputationReport calldata second,
        uint256 ref
    ) external returns (int256 firstNewScore, int256 secondNewScore);
}

/// @title IAgentRegistry
/// @notice The Civitas agent registry: every agent is an ERC-721 identity that implements the ERC-8004
/// Identity Registry (register, agent URI, metadata, a verified agent wallet), plus the Civitas economy
/// around it: a one-time birth grant from the Treasury, a daily upkeep burned from the agent's wallet, a
/// status (active, suspended, starved) and a reputation score.
/// @dev Rules (README "Agent registry", docs/registry.md):
/// - Identity (ERC-8004): agent ids start at 1 (so {agentIdOf} returns 0 for "none"). Anyone may register
///   any number of agents; the registering address owns the NFT and is its first agent wallet. Every
///   transfer of the NFT (to anyone, its own owner included) clears the agent wallet.
/// - Wallets: one address may be the agent wallet of several agents; it acts in the economy ({agentIdOf})
///   for the first of them to bind it that still holds it (its "primary" agent). When that agent lets it go,
///   the address acts for no agent until an agent binds it again ({setAgentWallet}).
/// - A wallet's record follows it: {lastAgentOf} remembers the last agent a wallet acted for. When the
///   wallet next becomes an agent's primary wallet, that agent inherits the record: suspension, starvation
///   with its unpaid upkeep ({debtOf}), and a negative score ({WalletRecordInherited}). Only the flag's own
///   lifting (unsuspend, revive, {settleDebt}) clears it.
/// - Birth grant: the first registration of a wallet draws {birthGrant} wei of CIV from the registry's
///   Treasury budget. A wallet is never granted twice. When the budget is short, the registration still
///   succeeds, with no grant, and {AgentRegistered} says why ({GrantOutcome}).
/// - Upkeep: {upkeepPerDay} wei is burned from the wallet of each active agent per whole day (86,400 s)
///   elapsed since its last collection (its registration at first). Anyone may collect. The clock advances
///   by whole days only, so the unpaid part of a day is never lost. An agent that cannot pay in full is
///   charged what its wallet holds, becomes starved and owes the rest ({debtOf}). An agent without a wallet
///   is never charged nor starved: its days accrue and are charged to the next wallet bound. Starved and
///   suspended agents accrue no upkeep; reviving, settling the debt or unsuspending restarts the clock.
///   Upkeep due is settled from the old wallet before the agent wallet changes (set, unset, NFT transfer)
///   and before a suspension, so that changing wallets never moves or avoids a debt.
/// - Suspension: governance or a guardian suspends and unsuspends, with a reason. A suspended agent keeps
///   its tokens; it is not in good standing. Suspension and starvation are independent flags.
/// - Reputation: a score in [{MIN_SCORE}, {MAX_SCORE}], starting at 0, clamped at the bounds, changed only
///   by reporters (REPORTER_ROLE). Each report emits {ReputationChanged} and records ERC-8004 feedback in
///   the Reputation Registry that the registry creates ({reputationRegistry}): client: the reporter; tag1:
///   its {reporterTag}; tag2: the reason; value: the applied change; feedbackHash: the reference.
/// Amounts are in wei of CIV (18 decimals), times in seconds of block time.
interface IAgentRegistry is IAgentRegistryCore {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice An ERC-8004 on-chain metadata entry.
    struct MetadataEntry {
        string metadataKey;
        bytes metadataValue;
    }

    /// @notice An agent's status, from its two independent flags (suspended, starved).
    /// @dev `None` is returned for ids that were never minted. Only `Active` is in good standing.
    enum AgentStatus {
        None,
        Active,
        Starved,
        Suspended,
        SuspendedAndStarved
    }

    /// @notice What happened to the birth grant at a registration.
    /// - `Paid`: the wallet's first registration; `birthGrant` was drawn from the Treasury to the wallet.
    /// - `AlreadyGranted`: the wallet registered before (whatever it received then); nothing paid.
    /// - `BudgetExhausted`: first registration, but the registry's Treasury budget was below `birthGrant`.
    /// - `Disabled`: first registration, but `birthGrant` is 0.
    enum GrantOutcome {
        Paid,
        AlreadyGranted,
        BudgetExhausted,
        Disabled
    }

    /// @notice The stored record of an agent.
    /// @param wallet The agent wallet (zero when unset).
    /// @param lastCollectedAt When upkeep was last charged up to (seconds); advances by whole days.
    /// @param score The reputation score, in [-1000, 1000].
    /// @param suspended Whether the agent is suspended.
    /// @param starved Whether the agent is starved.
    struct Agent {
        address wallet;
        uint64 lastCollectedAt;
        int16 score;
        bool suspended;
        bool starved;
    }

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice The metadata key `agentWallet` is reserved: it is set only through {setAgentWallet}.
    /// @param metadataKey The rejected key.
    error AgentRegistryReservedMetadataKey(string metadataKey);

    /// @notice The agent owes unpaid upkeep its wallet cannot pay yet.
    /// @param agentId The agent.
    /// @param wallet Its wallet (zero when none).
    /// @param debt The unpaid upkeep, in wei.
    /// @param balance What the wallet holds, in wei.
    error AgentRegistryDebtUnpaid(uint256 agentId, address wallet, uint256 debt, uint256 balance);

    /// @notice The zero address cannot be an agent wallet (use {unsetAgentWallet}).
    error AgentRegistryZeroWallet();

    /// @notice The wallet-change signature's deadline has passed.
    /// @param deadline The signed deadline, in seconds.
    /// @param currentTime The block time, in seconds.
    error AgentRegistryExpiredSignature(uint256 deadline, uint256 currentTime);

    /// @notice The wallet-change signature's deadline is further than {MAX_DEADLINE_DELAY} from now.
    /// @param deadline The signed deadline, in seconds.
    /// @param maxDeadline The latest deadline accepted now, in seconds.
    error AgentRegistryDeadlineTooFar(uint256 deadline, uint256 maxDeadline);

    /// @notice The signature is not the new wallet's EIP-712 (or ERC-1271) signature of the wallet change.
    /// @param agentId The agent.
    /// @param newWallet The wallet that should have signed.
    error AgentRegistryInvalidWalletSignature(uint256 agentId, address newWallet);

    /// @notice No agent acts through this wallet.
    /// @param wallet The wallet.
    error AgentRegistryUnknownWallet(address wallet);

    /// @notice The agent is not active (it is suspended or starved), so no upkeep is due.
    /// @param agentId The agent.
    /// @param status Its status.
    error AgentRegistryNotActive(uint256 agentId, AgentStatus status);

    /// @notice The agent is already suspended.
    /// @param agentId The agent.
    error AgentRegistryAlreadySuspended(uint256 agentId);

    /// @notice The agent is not suspended.
    /// @param agentId The agent.
    error AgentRegistryNotSuspended(uint256 agentId);

    /// @notice The agent is not starved.
    /// @param agentId The agent.
    error AgentRegistryNotStarved(uint256 agentId);

    /// @notice A birth grant above {MAX_BIRTH_GRANT} was proposed.
    /// @param birthGrant The rejected grant, in wei.
    /// @param maxBirthGrant The maximum, in wei.
    error AgentRegistryBirthGrantTooHigh(uint256 birthGrant, uint256 maxBirthGrant);

    /// @notice An upkeep above {MAX_UPKEEP_PER_DAY} was proposed.
    /// @param upkeepPerDay The rejected upkeep, in wei per day.
    /// @param maxUpkeepPerDay The maximum, in wei per day.
    error AgentRegistryUpkeepTooHigh(uint256 upkeepPerDay, uint256 maxUpkeepPerDay);

    /// @notice A zero address was given for the token, Treasury or admin.
    error AgentRegistryZeroAddress();

    /*//////////////////////////////////////////////////////////////
                            ERC-8004 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice ERC-8004: an agent was registered.
    /// @param agentId The new agent id (ERC-721 token id).
    /// @param agentURI Its agent URI (may be empty).
    /// @param owner The owner of the identity NFT (the registering address).
    event Registered(uint256 indexed agentId, string agentURI, address indexed owner);

    /// @notice ERC-8004: an on-chain metadata entry was set. Also emitted for the reserved key
    /// `agentWallet` (value `abi.encodePacked(wallet)`, or empty when cleared).
    /// @param agentId The agent.
    /// @param indexedMetadataKey The key (indexed: topic is its keccak256).
    /// @param metadataKey The key.
    /// @param metadataValue The value.
    event MetadataSet(
        uint256 indexed agentId,
        string indexed indexedMetadataKey,
        string metadataKey,
        bytes metadataValue
    );

    /// @notice ERC-8004: an agent URI was changed.
    /// @param agentId The agent.
    /// @param newURI The new URI.
    /// @param updatedBy The owner or approved operator who changed it.
    event URIUpdated(uint256 indexed agentId, string newURI, address indexed updatedBy);

    /*//////////////////////////////////////////////////////////////
                            CIVITAS EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice An agent was registered (emitted after ERC-8004 `Registered`, its `MetadataSet`s and the
    /// ERC-721 `Transfer` of the mint, and after the grant's token transfer).
    /// @param agentId The new agent id.
    /// @param owner The NFT owner (the registering address).
    /// @param wallet The agent wallet (the registering address).
    /// @param agentURI The agent URI.
    /// @param grant The birth grant paid to the wallet, in wei (0 unless `grantOutcome` is `Paid`).
    /// @param grantOutcome Why the grant is what it is.
    /// @param lastCollectedAt The start of the upkeep clock (the registration time), in seconds.
    event AgentRegistered(
        uint256 indexed agentId,
        address indexed owner,
        address indexed wallet,
        string agentURI,
        uint256 grant,
        GrantOutcome grantOutcome,
        uint64 lastCollectedAt
    );

    /// @notice An agent's wallet changed: set, unset, or cleared by an NFT transfer.
    /// @param agentId The agent.
    /// @param oldWallet The previous wallet (zero when none).
    /// @param newWallet The new wallet (zero when cleared).
    /// @param by The caller (owner or operator, or the transfer's caller).
    event AgentWalletChanged(uint256 indexed agentId, address indexed oldWallet, address indexed newWallet, address by);

    /// @notice The agent a wallet acts for ({agentIdOf}) changed.
    /// @param wallet The wallet.
    /// @param oldAgentId The agent it acted for (0 when none).
    /// @param newAgentId The agent it acts for now (0 when none).
    event WalletAgentChanged(address indexed wallet, uint256 indexed oldAgentId, uint256 indexed newAgentId);

    /// @notice A wallet became an agent's primary wallet and brought its record: the agent now carries the
    /// flags, debt and negative score of the last agent the wallet acted for (emitted only when something
    /// was inherited).
    /// @param agentId The agent that inherited.
    /// @param wallet The wallet.
    /// @param fromAgentId The last agent the wallet acted for.
    /// @param suspended Whether the agent is now suspended.
    /// @param starved Whether the agent is now starved.
    /// @param debt The agent's unpaid upkeep now, in wei.
    /// @param score The agent's score now.
    event WalletRecordInherited(
        uint256 indexed agentId,
        address indexed wallet,
        uint256 indexed fromAgentId,
        bool suspended,
        bool starved,
        uint256 debt,
        int256 score
    );

    /// @notice A starved agent paid its debt and is active again; its upkeep clock restarts now.
    /// @param agentId The agent.
    /// @param wallet The wallet burned from.
    /// @param debt The debt burned, in wei.
    /// @param by The caller.
    /// @param lastCollectedAt The restarted upkeep clock (now), in seconds.
    event DebtSettled(
        uint256 indexed agentId,
        address indexed wallet,
        uint256 debt,
        address by,
        uint64 lastCollectedAt
    );

    /// @notice The ERC-8004 Reputation Registry that receives the reports as feedback was created (in the
    /// registry's constructor, once).
    /// @param reputationRegistry The registry.
    event ReputationRegistrySet(address indexed reputationRegistry);

    /// @notice The tag1 of a reporter's feedback changed.
    /// @param reporter The reporter.
    /// @param oldTag The previous tag (left-aligned ASCII; zero: `civitas`).
    /// @param newTag The new tag.
    event ReporterTagSet(address indexed reporter, bytes32 oldTag, bytes32 newTag);

    /// @notice Upkeep was collected from an agent.
    /// @param agentId The agent.
    /// @param wallet The wallet burned from (zero when the agent had none).
    /// @param daysCharged Whole days charged.
    /// @param owed `daysCharged * upkeepPerDay`, in wei.
    /// @param burned The amount burned, in wei (`owed`, or the wallet's whole balance when it starved).
    /// @param lastCollectedAt The new upkeep clock, in seconds (advanced by `daysCharged` days).
    /// @param starved Whether the agent starved (`burned < owed`; it then owes `owed - burned`).
    event UpkeepCollected(
        uint256 indexed agentId,
        address indexed wallet,
        uint256 daysCharged,
        uint256 owed,
        uint256 burned,
        uint64 lastCollectedAt,
        bool starved
    );

    /// @notice Governance revived a starved agent; its upkeep clock restarts now.
    /// @param agentId The agent.
    /// @param by The caller.
    /// @param reason Why.
    /// @param lastCollectedAt The restarted upkeep clock (now), in seconds.
    event AgentRevived(uint256 indexed agentId, address indexed by, string reason, uint64 lastCollectedAt);

    /// @notice An agent was suspended (any upkeep due was collected just before).
    /// @param agentId The agent.
    /// @param by The governance or guardian account.
    /// @param reason Why.
    event AgentSuspended(uint256 indexed agentId, address indexed by, string reason);

    /// @notice An agent's suspension was lifted; its upkeep clock restarts now.
    /// @param agentId The agent.
    /// @param by The governance or guardian account.
    /// @param reason Why.
    /// @param lastCollectedAt The restarted upkeep clock (now), in seconds.
    event AgentUnsuspended(uint256 indexed agentId, address indexed by, string reason, uint64 lastCollectedAt);

    /// @notice A reporter changed an agent's reputation.
    /// @param agentId The agent.
    /// @param wallet The agent wallet reported about.
    /// @param reporter The reporter (caller).
    /// @param requestedDelta The change asked for.
    /// @param appliedDelta The change applied after clamping (`newScore - oldScore`).
    /// @param newScore The score after the change.
    /// @param reason The reason code (left-aligned ASCII).
    /// @param ref The reference (escrow id, slash id).
    event ReputationChanged(
        uint256 indexed agentId,
        address indexed wallet,
        address indexed reporter,
        int256 requestedDelta,
        int256 appliedDelta,
        int256 newScore,
        bytes32 reason,
        uint256 ref
    );

    /// @notice The birth grant changed.
    /// @param oldBirthGrant The previous grant, in wei.
    /// @param newBirthGrant The new grant, in wei.
    event BirthGrantUpdated(uint256 oldBirthGrant, uint256 newBirthGrant);

    /// @notice The daily upkeep changed (it applies to every day collected from now on).
    /// @param oldUpkeepPerDay The previous upkeep, in wei per day.
    /// @param newUpkeepPerDay The new upkeep, in wei per day.
    event UpkeepPerDayUpdated(uint256 oldUpkeepPerDay, uint256 newUpkeepPerDay);

    /*//////////////////////////////////////////////////////////////
                            ERC-8004 IDENTITY
    //////////////////////////////////////////////////////////////*/

    /// @notice Registers an agent owned by the caller, whose agent wallet is the caller, with a URI and
    /// metadata; pays the birth grant on the wallet's first registration.
    /// @dev Emits `Registered`, `MetadataSet` (the `agentWallet` entry, then each entry), {WalletAgentChanged}
    /// and {WalletRecordInherited} when the caller becomes the new agent's primary wallet, `Transfer`, the
    /// grant's token events, then {AgentRegistered}. Throws {AgentRegistryReservedMetadataKey},
    /// `ERC721InvalidReceiver` (contract callers must accept ERC-721).
    /// @return agentId The new agent id (from 1).
    function register(string calldata agentURI, MetadataEntry[] calldata metadata) external returns (uint256 agentId);

    /// @notice Same as {register} with no metadata.
    function register(string calldata agentURI) external returns (uint256 agentId);

    /// @notice Same as {register} with an empty URI and no metadata.
    function register() external returns (uint256 agentId);

    /// @notice Sets the agent URI (also the ERC-721 `tokenURI`). Only the owner or an approved operator.
    /// @dev Throws `ERC721NonexistentToken`, `ERC721InsufficientApproval`.
    function setAgentURI(uint256 agentId, string calldata newURI) external;

    /// @notice The on-chain metadata value of `metadataKey` (`agentWallet`: the packed 20-byte wallet).
    function getMetadata(uint256 agentId, string calldata metadataKey) external view returns (bytes memory);

    /// @notice Sets a metadata entry. Only the owner or an approved operator.
    /// @dev Throws `ERC721NonexistentToken`, `ERC721InsufficientApproval`, {AgentRegistryReservedMetadataKey}.
    function setMetadata(uint256 agentId, string calldata metadataKey, bytes calldata metadataValue) external;

    /// @notice The agent wallet (zero when unset, and for an id that does not exist, as ERC-8004's reference).
    function getAgentWallet(uint256 agentId) external view returns (address);

    /// @notice Whether `spender` is the owner of `agentId` or approved for it (ERC-8004 reference identity
    /// registry; the Reputation Registry refuses their feedback). Throws `ERC721NonexistentToken`.
    function isAuthorizedOrOwner(address spender, uint256 agentId) external view returns (bool);

    /// @notice Binds `newWallet` as the agent wallet. Only the owner or an approved operator, with the new
    /// wallet's EIP-712 signature (domain `ERC8004IdentityRegistry`, version `1`) of
    /// `AgentWalletSet(uint256 agentId,address newWallet,address owner,uint256 deadline)`, or its ERC-1271
    /// approval when it is a contract. Upkeep due is collected from the old wallet first, and days accrued
    /// without a wallet from the new one after. The wallet may already serve other agents; it acts for this
    /// one ({agentIdOf}) only if it acts for none (setting the same wallet again claims it when it is free).
    /// @dev Throws `ERC721NonexistentToken`, `ERC721InsufficientApproval`, {AgentRegistryZeroWallet},
    /// {AgentRegistryExpiredSignature}, {AgentRegistryDeadlineTooFar}, {AgentRegistryInvalidWalletSignature}.
    /// @param deadline The signature's deadline, in seconds; at most {MAX_DEADLINE_DELAY} from now.
    function setAgentWallet(uint256 agentId, address newWallet, uint256 deadline, bytes calldata signature) external;

    /// @notice Clears the agent wallet. Only the owner or an approved operator. Upkeep due is collected
    /// first. Throws `ERC721NonexistentToken`, `ERC721InsufficientApproval`.
    function unsetAgentWallet(uint256 agentId) external;

    /*//////////////////////////////////////////////////////////////
                                 UPKEEP
    //////////////////////////////////////////////////////////////*/

    /// @notice Collects the upkeep due from an active agent: every whole day elapsed since its last
    /// collection. Anyone may call. Does nothing (returns 0, no event) when no whole day has elapsed, or when
    /// the agent has no wallet (its days accrue and are charged to the next wallet bound, so that nobody can
    /// starve an agent between a transfer of its NFT and its new owner's binding of a wallet).
    /// @dev Throws `ERC721NonexistentToken`, {AgentRegistryNotActive}.
    /// @return burned The amount burned, in wei.
    function collectUpkeep(uint256 agentId) external returns (uint256 burned);

    /// @notice Collects upkeep from each agent of a batch. Ids that do not exist, agents that are suspended
    /// or starved, and agents with no whole day due are skipped (no event); one agent never reverts the
    /// batch.
    /// @return totalBurned The amount burned over the batch, in wei.
    function collectUpkeep(uint256[] calldata agentIds) external returns (uint256 totalBurned);

    /// @notice Revives a starved agent and restarts its upkeep clock now. Only the admin role (governance).
    /// @dev Throws `AccessControlUnauthorizedAccount`, `ERC721NonexistentToken`, {AgentRegistryNotStarved}.
    /// The debt ({debtOf}) is forgiven.
    function revive(uint256 agentId, string calldata reason) external;

    /// @notice Pays a starved agent's debt ({debtOf}) by burning it from the agent's wallet, which revives the
    /// agent and restarts its upkeep clock now. Only the owner, an approved operator or the agent wallet.
    /// @dev Throws `ERC721NonexistentToken`, `ERC721InsufficientApproval`, {AgentRegistryNotStarved},
    /// {AgentRegistryDebtUnpaid} (no wallet, or it holds less than the debt). Emits {DebtSettled}.
    function settleDebt(uint256 agentId) external;

    /*//////////////////////////////////////////////////////////////
                               SUSPENSION
    //////////////////////////////////////////////////////////////*/

    /// @notice Suspends an agent, after collecting any upkeep due. Only the admin or guardian role.
    /// @dev Throws `AccessControlUnauthorizedAccount` (with GUARDIAN_ROLE), `ERC721NonexistentToken`,
    /// {AgentRegistryAlreadySuspended}.
    function suspend(uint256 agentId, string calldata reason) external;

    /// @notice Lifts a suspension and restarts the upkeep clock now. Only the admin or guardian role.
    /// @dev Throws `AccessControlUnauthorizedAccount` (with GUARDIAN_ROLE), `ERC721NonexistentToken`,
    /// {AgentRegistryNotSuspended}.
    function unsuspend(uint256 agentId, string calldata reason) external;

    /*//////////////////////////////////////////////////////////////
                               PARAMETERS
    //////////////////////////////////////////////////////////////*/

    /// @notice Sets the birth grant, in wei (at most {MAX_BIRTH_GRANT}). Only the parameter role.
    /// @dev Throws `AccessControlUnauthorizedAccount`, {AgentRegistryBirthGrantTooHigh}.
    function setBirthGrant(uint256 newBirthGrant) external;

    /// @notice Sets the ERC-8004 tag1 of a reporter's feedback (`civitas.escrow`, `civitas.staking`), as
    /// left-aligned ASCII. Only the admin. Zero restores the default `civitas`.
    /// @dev Throws `AccessControlUnauthorizedAccount`. Emits {ReporterTagSet}.
    function setReporterTag(address reporter, bytes32 tag) external;

    /// @notice Sets the daily upkeep, in wei per day (at most {MAX_UPKEEP_PER_DAY}). Only the parameter
    /// role. It applies to every day collected afterwards, including days already elapsed.
    /// @dev Throws `AccessControlUnauthorizedAccount`, {AgentRegistryUpkeepTooHigh}.
    function setUpkeepPerDay(uint256 newUpkeepPerDay) external;

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice The lowest reputation score (-1000).
    function MIN_SCORE() external view returns (int256);

    /// @notice The highest reputation score (1000).
    function MAX_SCORE() external view returns (int256);

    /// @notice The highest birth grant governance may set (100,000 CIV), in wei.
    function MAX_BIRTH_GRANT() external view returns (uint256);

    /// @notice The highest daily upkeep governance may set (10,000 CIV), in wei per day.
    function MAX_UPKEEP_PER_DAY() external view returns (uint256);

    /// @notice How far in the future a wallet-change signature's deadline may be (300 s, as ERC-8004).
    function MAX_DEADLINE_DELAY() external view returns (uint256);

    /// @notice The CIV token (upkeep is burned in it, grants are paid in it).
    function token() external view returns (address);

    /// @notice The Treasury the birth grants are drawn from.
    function treasury() external view returns (address);

    /// @notice The birth grant, in wei (default 1,000 CIV).
    function birthGrant() external view returns (uint256);

    /// @notice The daily upkeep, in wei per day (default 100 CIV).
    function upkeepPerDay() external view returns (uint256);

    /// @notice How many agents were registered (the last agent id).
    function totalAgents() external view returns (uint256);

    /// @notice The stored record of an agent (all zero for an id never minted).
    function agent(uint256 agentId) external view returns (Agent memory);

    /// @notice The agent's status. `None` for an id never minted.
    function statusOf(uint256 agentId) external view returns (AgentStatus);

    /// @notice The reputation score of an agent, in [-1000, 1000] (0 for an id never minted).
    function scoreOf(uint256 agentId) external view returns (int256);

    /// @notice The reputation score of the agent acting through `wallet`. Throws {AgentRegistryUnknownWallet}.
    function scoreOfWallet(address wallet) external view returns (int256);

    /// @notice The last agent `wallet` acted for ({agentIdOf}), kept after it lets the agent go: the record
    /// the wallet brings to its next agent. 0 when it never acted for one.
    function lastAgentOf(address wallet) external view returns (uint256);

    /// @notice The unpaid upkeep of a starved agent, in wei (0 when not starved).
    function debtOf(uint256 agentId) external view returns (uint256);

    /// @notice The ERC-8004 Reputation Registry receiving the reports as feedback: created by this registry's
    /// constructor, fixed for its life.
    function reputationRegistry() external view returns (address);

    /// @notice The tag1 of `reporter`'s feedback, as left-aligned ASCII (zero: `civitas`).
    function reporterTag(address reporter) external view returns (bytes32);

    /// @notice Whether `wallet` has ever registered an agent (and so can never be granted again).
    function hasRegistered(address wallet) external view returns (bool);

    /// @notice The upkeep due now if the agent were collected: whole days and amount, in wei. Zero for
    /// agents that are not active.
    function upkeepDue(uint256 agentId) external view returns (uint256 daysDue, uint256 amountDue);

    /// @notice The EIP-712 digest a new wallet signs for {setAgentWallet}.
    function agentWalletDigest(
        uint256 agentId,
        address newWallet,
        address owner,
        uint256 deadline
    ) external view returns (bytes32);
}
