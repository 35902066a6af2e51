// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IAgentRegistryCore} from "../interfaces/IAgentRegistry.sol";
import {ICivitasToken} from "../interfaces/ICivitasToken.sol";
import {IEscrow} from "../interfaces/IEscrow.sol";
import {ReputationCredit} from "../lib/ReputationCredit.sol";

/// @title Escrow
/// @notice Three-party job escrow with a bonded arbitrator. See {IEscrow} for the money rules and the
/// life cycle, and docs/escrow.md for the reputation table.
/// @dev Must be marked as a protocol account on the token (deposits untaxed, `payEarnings` allowed) and
/// hold the registry's reporter role (otherwise reports fail visibly with {ReputationReportFailed}).
contract Escrow is IEscrow, AccessControl, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IEscrow
    bytes32 public constant PARAMETER_ROLE = keccak256("PARAMETER_ROLE");

    /// @inheritdoc IEscrow
    uint8 public constant KIND_JOB = 0;

    /// @inheritdoc IEscrow
    uint32 public constant MIN_WINDOW = 1 hours;

    /// @inheritdoc IEscrow
    uint32 public constant MAX_WINDOW = 30 days;

    /// @inheritdoc IEscrow
    uint64 public constant MAX_DELIVERY_HORIZON = 365 days;

    /// @inheritdoc IEscrow
    uint256 public constant NO_SHOW_PROVIDER_BPS = 5_000;

    /// @inheritdoc IEscrow
    uint256 public constant MIN_ARBITRATOR_BOND_BPS = 100;

    /// @inheritdoc IEscrow
    uint256 public constant MAX_ARBITRATOR_BOND_BPS = 5_000;

    /// @inheritdoc IEscrow
    uint256 public constant MAX_PROTOCOL_FEE_BPS = 1_000;

    /// @inheritdoc IEscrow
    uint64 public constant MIN_DELIVERY_WINDOW_FLOOR = 1 hours;

    /// @inheritdoc IEscrow
    uint64 public constant MIN_DELIVERY_WINDOW_CEILING = 7 days;

    /// @inheritdoc IEscrow
    uint256 public constant MIN_JOB_AMOUNT_FLOOR = 1e15;

    /// @inheritdoc IEscrow
    uint256 public constant MIN_JOB_AMOUNT_CEILING = 10_000e18;

    /// @inheritdoc IEscrow
    uint256 public constant REPUTATION_FULL_CREDIT_AMOUNT = ReputationCredit.FULL_CREDIT_AMOUNT;

    // Reputation deltas (the table in docs/escrow.md is checked against these by test/escrow/Escrow.test.ts).

    /// @inheritdoc IEscrow
    int256 public constant DELTA_COMPLETED = 10;

    /// @inheritdoc IEscrow
    int256 public constant DELTA_PAID = 2;

    /// @inheritdoc IEscrow
    int256 public constant DELTA_CLIENT_SILENT = -2;

    /// @inheritdoc IEscrow
    int256 public constant DELTA_DELIVERY_MISSED = -15;

    /// @inheritdoc IEscrow
    int256 public constant DELTA_DISPUTE_WON = 5;

    /// @inheritdoc IEscrow
    int256 public constant DELTA_DISPUTE_LOST = -5;

    /// @inheritdoc IEscrow
    int256 public constant DELTA_RULED = 5;

    /// @inheritdoc IEscrow
    int256 public constant DELTA_ARBITRATOR_NO_SHOW = -20;

    /// @inheritdoc IEscrow
    int256 public constant DELTA_RATING = 1;

    uint256 private constant _BPS = 10_000;

    // Reason codes (left-aligned ASCII).
    bytes32 private constant _REASON_COMPLETED = "escrow.completed";
    bytes32 private constant _REASON_PAID = "escrow.paid";
    bytes32 private constant _REASON_CLIENT_SILENT = "escrow.clientSilent";
    bytes32 private constant _REASON_DELIVERY_MISSED = "escrow.deliveryMissed";
    bytes32 private constant _REASON_DISPUTE_WON = "escrow.disputeWon";
    bytes32 private constant _REASON_DISPUTE_LOST = "escrow.disputeLost";
    bytes32 private constant _REASON_RULED = "escrow.ruled";
    bytes32 private constant _REASON_ARBITRATOR_NO_SHOW = "escrow.arbitratorNoShow";
    bytes32 private constant _REASON_RATING = "escrow.rating";

    // State bitmaps for {EscrowInvalidState} (bit `uint8(state)` set for each allowed state).
    bytes32 private constant _CANCELLABLE = bytes32(
        (1 << uint8(State.Created)) | (1 << uint8(State.Agreed)) | (1 << uint8(State.Accepted))
    );
    bytes32 private constant _SETTLED = bytes32(
        (1 << uint8(State.Refunded)) |
            (1 << uint8(State.Completed)) |
            (1 << uint8(State.Ruled)) |
            (1 << uint8(State.NoShowResolved))
    );

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    ICivitasToken private immutable _token;
    IAgentRegistryCore private immutable _registry;
    /// @dev The token's Treasury (immutable there too), where protocol fees go: no call to ask for it.
    address private immutable _treasury;

    /// @dev The governance settings and the escrow counter, in one slot: `create` reads them all.
    struct Settings {
        /// @dev <= {MAX_ARBITRATOR_BOND_BPS} (5,000).
        uint16 arbitratorBondBps;
        /// @dev <= {MAX_PROTOCOL_FEE_BPS} (1,000).
        uint16 protocolFeeBps;
        /// @dev Seconds, <= {MIN_DELIVERY_WINDOW_CEILING} (7 days).
        uint32 minDeliveryWindow;
        /// @dev Wei, <= {MIN_JOB_AMOUNT_CEILING} (10,000 CIV).
        uint128 minJobAmount;
        /// @dev Escrows created; one increment per transaction.
        uint64 escrowCount;
    }

    /// @dev A job as stored: {IEscrow.Job} in four slots written by `create` (five before), so that `create`
    /// writes one fresh slot fewer. The bond is not stored: it is its rate fixed at creation applied to the
    /// amount ({_bondOf}), the same rounding as at creation. Each step finds what it checks in as few cold
    /// slots as the fields allow (issue 19): slot 1 `provider | state | deliveryDeadline | reviewDeadline |
    /// kind` is all that `agree` reads, and all `submit` reads and writes beside the review window; slot 0
    /// `client | clientId | reviewWindow | rulingWindow` is the client's (`fund`, `dispute`); slot 2
    /// `arbitrator | arbitratorId | providerId` and slot 3 `amount | arbitratorFee | bondBps | protocolFeeBps`
    /// complete `accept` (the bond) and `fund` (the deposit); slot 4 `rulingDeadline | clientRating |
    /// providerRating` is written only by a dispute or a rating. Bounds: agent ids below 2^48 (the registry
    /// numbers agents from 1, one per registration); amount and fee below 2^96 wei (79 billion CIV, ~7,900
    /// times the initial supply), else `SafeCastOverflowedUintDowncast`; deadlines are block times within a
    /// year of now, below 2^40; windows at most {MAX_WINDOW} (30 days), below 2^24.
    struct StoredJob {
        address client;
        uint48 clientId;
        uint24 reviewWindow;
        uint24 rulingWindow;
        address provider;
        State state;
        uint40 deliveryDeadline;
        uint40 reviewDeadline;
        uint8 kind;
        address arbitrator;
        uint48 arbitratorId;
        uint48 providerId;
        uint96 amount;
        uint96 arbitratorFee;
        uint16 bondBps;
        uint16 protocolFeeBps;
        uint64 rulingDeadline;
        int8 clientRating;
        int8 providerRating;
    }

    Settings private _settings;
    mapping(uint256 escrowId => StoredJob) private _escrows;
    /// @dev Per agent: the credit carried towards the next point and the counterparty streak ({ReputationCredit}).
    mapping(uint256 agentId => ReputationCredit.Credit) private _credits;

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @param admin Receives `DEFAULT_ADMIN_ROLE` and `PARAMETER_ROLE` (governance's timelock, or the
    /// deployer who hands them over).
    /// @param token_ The CIV token.
    /// @param registry_ The agent registry.
    /// @param arbitratorBondBps_ The initial bond rate, in bps (default 1,000).
    /// @param protocolFeeBps_ The initial protocol fee, in bps (default 100).
    /// @param minDeliveryWindow_ The initial minimum delivery window, in seconds (default 1 day).
    /// @param minJobAmount_ The initial minimum job amount, in wei (default 1 CIV).
    constructor(
        address admin,
        ICivitasToken token_,
        IAgentRegistryCore registry_,
        uint256 arbitratorBondBps_,
        uint256 protocolFeeBps_,
        uint256 minDeliveryWindow_,
        uint256 minJobAmount_
    ) {
        if (admin == address(0) || address(token_) == address(0) || address(registry_) == address(0)) {
            revert EscrowZeroAddress();
        }
        _token = token_;
        _registry = registry_;
        _treasury = token_.treasury();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(PARAMETER_ROLE, admin);
        _setArbitratorBondBps(arbitratorBondBps_);
        _setProtocolFeeBps(protocolFeeBps_);
        _setMinDeliveryWindow(minDeliveryWindow_);
        _setMinJobAmount(minJobAmount_);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IEscrow
    function token() external view returns (address) {
        return address(_token);
    }

    /// @inheritdoc IEscrow
    function registry() external view returns (address) {
        return address(_registry);
    }

    /// @inheritdoc IEscrow
    function arbitratorBondBps() external view returns (uint256) {
        return _settings.arbitratorBondBps;
    }

    /// @inheritdoc IEscrow
    function protocolFeeBps() external view returns (uint256) {
        return _settings.protocolFeeBps;
    }

    /// @inheritdoc IEscrow
    function minDeliveryWindow() external view returns (uint256) {
        return _settings.minDeliveryWindow;
    }

    /// @inheritdoc IEscrow
    function minJobAmount() external view returns (uint256) {
        return _settings.minJobAmount;
    }

    /// @inheritdoc IEscrow
    function reputationCreditOf(
        uint256 agentId
    ) external view returns (uint256 remainder, uint256 lastCounterpartyId, uint256 streak) {
        ReputationCredit.Credit storage c = _credits[agentId];
        return (c.remainder, c.lastCounterpartyId, c.streak);
    }

    /// @inheritdoc IEscrow
    function escrowCount() external view returns (uint256) {
        return _settings.escrowCount;
    }

    /// @inheritdoc IEscrow
    function escrowOf(uint256 escrowId) external view returns (Job memory) {
        StoredJob storage e = _escrows[escrowId];
        return
            Job({
                client: e.client,
                clientId: e.clientId,
                reviewWindow: e.reviewWindow,
                provider: e.provider,
                providerId: e.providerId,
                rulingWindow: e.rulingWindow,
                arbitrator: e.arbitrator,
                arbitratorId: e.arbitratorId,
                protocolFeeBps: e.protocolFeeBps,
                kind: e.kind,
                state: e.state,
                amount: e.amount,
                arbitratorFee: e.arbitratorFee,
                bond: uint128(_bondOf(e)),
                deliveryDeadline: e.deliveryDeadline,
                reviewDeadline: e.reviewDeadline,
                rulingDeadline: e.rulingDeadline,
                clientRating: e.clientRating,
                providerRating: e.providerRating
            });
    }

    /*//////////////////////////////////////////////////////////////
                           EXTERNAL: LIFE CYCLE
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IEscrow
    function create(Terms calldata terms) external nonReentrant returns (uint256 escrowId) {
        if (terms.kind != KIND_JOB) revert EscrowUnsupportedKind(terms.kind);
        address provider = terms.provider;
        address arbitrator = terms.arbitrator;
        if (
            provider == address(0) ||
            arbitrator == address(0) ||
            msg.sender == provider ||
            msg.sender == arbitrator ||
            provider == arbitrator
        ) revert EscrowInvalidParties(msg.sender, provider, arbitrator);
        // Each party's standing and agent id in one call (the ids are recorded below).
        uint48 clientId = _agentIdInGoodStanding(msg.sender);
        uint48 providerId = _agentIdInGoodStanding(provider);
        uint48 arbitratorId = _agentIdInGoodStanding(arbitrator);
        Settings memory settings = _checkTerms(terms);

        // One increment per transaction never reaches 2^64.
        escrowId = ++_settings.escrowCount;
        StoredJob storage e = _escrows[escrowId];
        // Four slots written (see {StoredJob}); the terms hash lives in the event only.
        e.client = msg.sender;
        e.clientId = clientId;
        // Fit: both windows are at most MAX_WINDOW (30 days < 2^24), checked by {_checkTerms}.
        e.reviewWindow = uint24(terms.reviewWindow);
        e.rulingWindow = uint24(terms.rulingWindow);
        e.provider = provider;
        e.state = State.Created;
        // Fits: the deadline is at most a year from now (checked by {_checkTerms}).
        e.deliveryDeadline = uint40(terms.deliveryDeadline);
        e.kind = terms.kind;
        e.arbitrator = arbitrator;
        e.arbitratorId = arbitratorId;
        e.providerId = providerId;
        e.amount = SafeCast.toUint96(terms.amount);
        e.arbitratorFee = SafeCast.toUint96(terms.arbitratorFee);
        e.bondBps = settings.arbitratorBondBps;
        e.protocolFeeBps = settings.protocolFeeBps;

        _emitCreated(escrowId, terms, settings, e);
    }

    /// @inheritdoc IEscrow
    function agree(uint256 escrowId) external {
        StoredJob storage e = _escrows[escrowId];
        _requireState(escrowId, e, State.Created);
        if (msg.sender != e.provider) revert EscrowUnauthorized(escrowId, msg.sender);
        _requireBefore(escrowId, e.deliveryDeadline);

        e.state = State.Agreed;
        emit ProviderAgreed(escrowId, msg.sender);
    }

    /// @inheritdoc IEscrow
    function accept(uint256 escrowId) external nonReentrant {
        StoredJob storage e = _escrows[escrowId];
        _requireState(escrowId, e, State.Agreed);
        if (msg.sender != e.arbitrator) revert EscrowUnauthorized(escrowId, msg.sender);
        _requireBefore(escrowId, e.deliveryDeadline);
        _requireGoodStanding(msg.sender);
        _requireProtocolAccount();

        e.state = State.Accepted;
        uint256 bond = _bondOf(e);
        IERC20(address(_token)).safeTransferFrom(msg.sender, address(this), bond);
        emit ArbitratorAccepted(escrowId, msg.sender, bond);
    }

    /// @inheritdoc IEscrow
    function fund(uint256 escrowId) external nonReentrant {
        _fund(escrowId);
    }

    /// @inheritdoc IEscrow
    function fundWithPermit(
        uint256 escrowId,
        uint256 permitDeadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant {
        StoredJob storage e = _escrows[escrowId];
        uint256 total = uint256(e.amount) + e.arbitratorFee;
        // A permit already consumed (front-run) must not block funding when the allowance is in place.
        try IERC20Permit(address(_token)).permit(msg.sender, address(this), total, permitDeadline, v, r, s) {} catch {}
        _fund(escrowId);
    }

    /// @inheritdoc IEscrow
    function cancel(uint256 escrowId) external nonReentrant {
        StoredJob storage e = _escrows[escrowId];
        State state = e.state;
        if (_bit(state) & _CANCELLABLE == 0) revert EscrowInvalidState(escrowId, state, _CANCELLABLE);
        if (msg.sender != e.client && msg.sender != e.provider && block.timestamp <= e.deliveryDeadline) {
            revert EscrowUnauthorized(escrowId, msg.sender);
        }

        e.state = State.Cancelled;
        uint256 bondReturned = state == State.Accepted ? _bondOf(e) : 0;
        if (bondReturned != 0) _token.returnPrincipal(e.arbitrator, bondReturned);
        emit EscrowCancelled(escrowId, msg.sender, bondReturned);
    }

    /// @inheritdoc IEscrow
    function submit(uint256 escrowId, string calldata deliverableURI, bytes32 deliverableHash) external nonReentrant {
        StoredJob storage e = _escrows[escrowId];
        _requireState(escrowId, e, State.Funded);
        if (msg.sender != e.provider) revert EscrowUnauthorized(escrowId, msg.sender);
        _requireBefore(escrowId, e.deliveryDeadline);

        // Cannot overflow: block.timestamp and reviewWindow (<= 30 days) both fit easily in 64 bits.
        uint64 reviewDeadline = uint64(block.timestamp) + e.reviewWindow;
        e.state = State.Submitted;
        // Fits: block time plus at most 30 days.
        e.reviewDeadline = uint40(reviewDeadline);
        emit DeliverableSubmitted(escrowId, msg.sender, deliverableURI, deliverableHash, reviewDeadline);
    }

    /// @inheritdoc IEscrow
    function approve(uint256 escrowId) external nonReentrant {
        StoredJob storage e = _escrows[escrowId];
        _requireState(escrowId, e, State.Submitted);
        if (msg.sender != e.client) revert EscrowUnauthorized(escrowId, msg.sender);

        uint256 paid = _settle(escrowId, e, State.Completed, _BPS, false, false);
        uint64 clientId = e.clientId;
        uint64 providerId = e.providerId;
        _reportPair(
            escrowId,
            IAgentRegistryCore.ReputationReport(
                providerId,
                _credit(providerId, clientId, DELTA_COMPLETED, paid, true),
                _REASON_COMPLETED
            ),
            IAgentRegistryCore.ReputationReport(
                clientId,
                _credit(clientId, providerId, DELTA_PAID, paid, true),
                _REASON_PAID
            )
        );
    }

    /// @inheritdoc IEscrow
    function dispute(uint256 escrowId, string calldata evidenceURI) external nonReentrant {
        StoredJob storage e = _escrows[escrowId];
        _requireState(escrowId, e, State.Submitted);
        if (msg.sender != e.client) revert EscrowUnauthorized(escrowId, msg.sender);
        _requireBefore(escrowId, e.reviewDeadline);

        // Cannot overflow: block.timestamp and rulingWindow (<= 30 days) both fit easily in 64 bits.
        uint64 rulingDeadline = uint64(block.timestamp) + e.rulingWindow;
        e.state = State.Disputed;
        e.rulingDeadline = rulingDeadline;
        address arbitrator = e.arbitrator;
        emit EscrowDisputed(escrowId, msg.sender, rulingDeadline);
        emit Dispute(arbitrator, escrowId, escrowId, escrowId);
        emit Evidence(arbitrator, escrowId, msg.sender, evidenceURI);
    }

    /// @inheritdoc IEscrow
    function submitEvidence(uint256 escrowId, string calldata evidenceURI) external {
        StoredJob storage e = _escrows[escrowId];
        _requireState(escrowId, e, State.Disputed);
        if (msg.sender != e.client && msg.sender != e.provider) revert EscrowUnauthorized(escrowId, msg.sender);
        emit Evidence(e.arbitrator, escrowId, msg.sender, evidenceURI);
    }

    /// @inheritdoc IEscrow
    function rule(uint256 escrowId, uint256 providerBps) external nonReentrant {
        StoredJob storage e = _escrows[escrowId];
        _requireState(escrowId, e, State.Disputed);
        if (msg.sender != e.arbitrator) revert EscrowUnauthorized(escrowId, msg.sender);
        _requireBefore(escrowId, e.rulingDeadline);
        if (providerBps > _BPS) revert EscrowInvalidRuling(providerBps);

        emit EscrowRuled(escrowId, msg.sender, providerBps);
        emit Ruling(msg.sender, escrowId, providerBps);
        uint256 paid = _settle(escrowId, e, State.Ruled, providerBps, true, false);
        uint64 clientId = e.clientId;
        uint64 providerId = e.providerId;
        _reportCredit(escrowId, e.arbitratorId, clientId, DELTA_RULED, paid, _REASON_RULED, true);
        if (providerBps > _BPS / 2) {
            _reportCredit(escrowId, providerId, clientId, DELTA_DISPUTE_WON, paid, _REASON_DISPUTE_WON, true);
            _report(escrowId, clientId, DELTA_DISPUTE_LOST, _REASON_DISPUTE_LOST);
        } else if (providerBps < _BPS / 2) {
            _reportCredit(escrowId, clientId, providerId, DELTA_DISPUTE_WON, paid, _REASON_DISPUTE_WON, true);
            _report(escrowId, providerId, DELTA_DISPUTE_LOST, _REASON_DISPUTE_LOST);
        }
    }

    /// @inheritdoc IEscrow
    function claim(uint256 escrowId) external nonReentrant {
        StoredJob storage e = _escrows[escrowId];
        _requireState(escrowId, e, State.Submitted);
        _requireAfter(escrowId, e.reviewDeadline);

        uint256 paid = _settle(escrowId, e, State.Completed, _BPS, false, false);
        uint64 clientId = e.clientId;
        uint64 providerId = e.providerId;
        _reportPair(
            escrowId,
            IAgentRegistryCore.ReputationReport(
                providerId,
                _credit(providerId, clientId, DELTA_COMPLETED, paid, true),
                _REASON_COMPLETED
            ),
            IAgentRegistryCore.ReputationReport(clientId, DELTA_CLIENT_SILENT, _REASON_CLIENT_SILENT)
        );
    }

    /// @inheritdoc IEscrow
    function reclaim(uint256 escrowId) external nonReentrant {
        StoredJob storage e = _escrows[escrowId];
        _requireState(escrowId, e, State.Funded);
        _requireAfter(escrowId, e.deliveryDeadline);

        _settle(escrowId, e, State.Refunded, 0, false, false);
        _report(escrowId, e.providerId, DELTA_DELIVERY_MISSED, _REASON_DELIVERY_MISSED);
    }

    /// @inheritdoc IEscrow
    function resolveNoShow(uint256 escrowId) external nonReentrant {
        StoredJob storage e = _escrows[escrowId];
        _requireState(escrowId, e, State.Disputed);
        _requireAfter(escrowId, e.rulingDeadline);

        _settle(escrowId, e, State.NoShowResolved, NO_SHOW_PROVIDER_BPS, false, true);
        _report(escrowId, e.arbitratorId, DELTA_ARBITRATOR_NO_SHOW, _REASON_ARBITRATOR_NO_SHOW);
    }

    /// @inheritdoc IEscrow
    function rate(uint256 escrowId, int8 score) external nonReentrant {
        StoredJob storage e = _escrows[escrowId];
        State state = e.state;
        if (_bit(state) & _SETTLED == 0) revert EscrowInvalidState(escrowId, state, _SETTLED);
        if (score != 1 && score != -1) revert EscrowInvalidRating(score);
        address ratee;
        uint64 rateeId;
        uint64 raterId;
        if (msg.sender == e.client) {
            if (e.clientRating != 0) revert EscrowAlreadyRated(escrowId, msg.sender);
            e.clientRating = score;
            (ratee, rateeId, raterId) = (e.provider, e.providerId, e.clientId);
        } else if (msg.sender == e.provider) {
            if (e.providerRating != 0) revert EscrowAlreadyRated(escrowId, msg.sender);
            e.providerRating = score;
            (ratee, rateeId, raterId) = (e.client, e.clientId, e.providerId);
        } else {
            revert EscrowUnauthorized(escrowId, msg.sender);
        }
        emit EscrowRated(escrowId, msg.sender, ratee, score);
        if (score < 0) {
            _report(escrowId, rateeId, -DELTA_RATING, _REASON_RATING);
        } else if (state == State.Completed) {
            // A completed job paid its whole amount (provider share 100%).
            _reportCredit(escrowId, rateeId, raterId, DELTA_RATING, e.amount, _REASON_RATING, false);
        }
    }

    /*//////////////////////////////////////////////////////////////
                           EXTERNAL: PARAMETERS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IEscrow
    function setArbitratorBondBps(uint256 newBondBps) external onlyRole(PARAMETER_ROLE) {
        _setArbitratorBondBps(newBondBps);
    }

    /// @inheritdoc IEscrow
    function setProtocolFeeBps(uint256 newFeeBps) external onlyRole(PARAMETER_ROLE) {
        _setProtocolFeeBps(newFeeBps);
    }

    /// @inheritdoc IEscrow
    function setMinDeliveryWindow(uint256 newWindow) external onlyRole(PARAMETER_ROLE) {
        _setMinDeliveryWindow(newWindow);
    }

    /// @inheritdoc IEscrow
    function setMinJobAmount(uint256 newAmount) external onlyRole(PARAMETER_ROLE) {
        _setMinJobAmount(newAmount);
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNAL
    //////////////////////////////////////////////////////////////*/

    function _fund(uint256 escrowId) private {
        StoredJob storage e = _escrows[escrowId];
        _requireState(escrowId, e, State.Accepted);
        if (msg.sender != e.client) revert EscrowUnauthorized(escrowId, msg.sender);
        uint256 earliestDeadline = block.timestamp + _settings.minDeliveryWindow;
        if (e.deliveryDeadline < earliestDeadline) {
            revert EscrowDeliveryWindowTooShort(escrowId, e.deliveryDeadline, earliestDeadline);
        }
        _requireGoodStanding(msg.sender);
        _requireGoodStanding(e.provider);
        _requireProtocolAccount();

        e.state = State.Funded;
        uint256 amount = e.amount;
        uint256 fee = e.arbitratorFee;
        IERC20(address(_token)).safeTransferFrom(msg.sender, address(this), amount + fee);
        emit EscrowFunded(escrowId, msg.sender, amount, fee);
    }

    /// @dev The governance settings, after checking `terms` against them: the amount, the delivery deadline
    /// and both windows (throws {EscrowAmountTooLow}, {EscrowInvalidDeadline}, {EscrowWindowOutOfBounds}).
    function _checkTerms(Terms calldata terms) private view returns (Settings memory settings) {
        settings = _settings;
        if (terms.amount < settings.minJobAmount) revert EscrowAmountTooLow(terms.amount, settings.minJobAmount);
        uint256 earliest = block.timestamp + settings.minDeliveryWindow;
        uint256 latest = block.timestamp + MAX_DELIVERY_HORIZON;
        if (terms.deliveryDeadline < earliest || terms.deliveryDeadline > latest) {
            revert EscrowInvalidDeadline(terms.deliveryDeadline, earliest, latest);
        }
        _requireWindow(terms.reviewWindow);
        _requireWindow(terms.rulingWindow);
    }

    /// @dev The events of `create` (a function of their own: `create` holds too many values on the stack),
    /// with the bond the job's rate gives its amount.
    function _emitCreated(
        uint256 escrowId,
        Terms calldata terms,
        Settings memory settings,
        StoredJob storage e
    ) private {
        emit EscrowCreated(
            escrowId,
            msg.sender,
            terms.provider,
            terms,
            _bondFor(terms.amount, settings.arbitratorBondBps),
            settings.protocolFeeBps,
            e.clientId,
            e.providerId,
            e.arbitratorId
        );
        emit MetaEvidence(escrowId, terms.termsURI);
    }

    /// @dev Closes a funded escrow: sets the final state, then pays every wei it holds.
    /// @param providerBps The provider's share of the amount, in bps (<= 10,000).
    /// @param feeEarned Whether the arbitrator earned its fee (a ruling); otherwise the client gets it back.
    /// @param bondForfeited Whether the bond is shared between the parties (a missed ruling).
    /// @return paid The value the job paid as earnings (provider share of the amount plus the arbitrator fee
    /// earned, before fee and tax): what positive reputation is scaled by.
    function _settle(
        uint256 escrowId,
        StoredJob storage e,
        State outcome,
        uint256 providerBps,
        bool feeEarned,
        bool bondForfeited
    ) private returns (uint256 paid) {
        e.state = outcome;
        Payout memory p;
        uint256 amount = e.amount;
        uint256 fee = e.arbitratorFee;
        uint256 bond = _bondOf(e);
        // Cannot overflow: amount < 2^96 and both rates are <= 10,000 bps, so each product is below 2^110.
        uint256 share = (amount * providerBps) / _BPS;
        p.protocolFee = (share * e.protocolFeeBps) / _BPS;
        unchecked {
            // Cannot underflow: protocolFee <= share <= amount (both rates are <= 10,000 bps).
            p.providerGross = share - p.protocolFee;
            p.clientRefund = amount - share;
        }
        if (feeEarned) p.arbitratorFeePaid = fee;
        else p.clientRefund += fee;
        if (bondForfeited) {
            p.bondToProvider = bond / 2;
            p.bondToClient = bond - p.bondToProvider;
        } else {
            p.bondToArbitrator = bond;
        }

        IERC20 token_ = IERC20(address(_token));
        if (p.protocolFee != 0) token_.safeTransfer(_treasury, p.protocolFee);
        if (p.providerGross != 0) _token.payEarnings(e.provider, p.providerGross);
        if (p.bondToProvider != 0) token_.safeTransfer(e.provider, p.bondToProvider);
        // Own principal back (refund, returned bond) is never capped; a forfeited bond share is growth, capped.
        if (p.clientRefund != 0 && p.bondToArbitrator != 0 && p.bondToClient == 0 && p.arbitratorFeePaid == 0) {
            // Nothing is paid between the two returns (approve, claim): one call, the same legs in the same order.
            _token.returnPrincipals(e.client, p.clientRefund, e.arbitrator, p.bondToArbitrator);
        } else {
            if (p.clientRefund != 0) _token.returnPrincipal(e.client, p.clientRefund);
            if (p.bondToClient != 0) token_.safeTransfer(e.client, p.bondToClient);
            // The fee is capped before the bond comes back, so the bond never pushes the fee over the cap.
            if (p.arbitratorFeePaid != 0) _token.payEarnings(e.arbitrator, p.arbitratorFeePaid);
            if (p.bondToArbitrator != 0) _token.returnPrincipal(e.arbitrator, p.bondToArbitrator);
        }
        emit EscrowSettled(escrowId, outcome, msg.sender, p);
        // Cannot overflow: both are parts of what the escrow holds (at most 2^129).
        unchecked {
            paid = share + p.arbitratorFeePaid;
        }
    }

    /// @dev Reports a positive delta through the protocol's reputation credit ({_credit}). A rating (`newJob`
    /// false) uses the streak of the job it rates and does not extend it.
    function _reportCredit(
        uint256 escrowId,
        uint64 agentId,
        uint64 counterpartyId,
        int256 fullDelta,
        uint256 paid,
        bytes32 reason,
        bool newJob
    ) private {
        int256 points = _credit(agentId, counterpartyId, fullDelta, paid, newJob);
        if (points != 0) _report(escrowId, agentId, points, reason);
    }

    /// @dev The whole points a positive delta earns through {ReputationCredit.accrue}: `fullDelta` scaled by
    /// `paid` and divided by the streak with `counterpartyId`; the rest is carried in the agent's credit.
    function _credit(
        uint64 agentId,
        uint64 counterpartyId,
        int256 fullDelta,
        uint256 paid,
        bool newJob
    ) private returns (int256) {
        // At most fullDelta (a few points): the cast is exact.
        return int256(ReputationCredit.accrue(_credits, agentId, counterpartyId, fullDelta, paid, newJob));
    }

    /// @dev Two reports about one escrow in one registry call ({IAgentRegistryCore.reportAgentReputations});
    /// a report with a delta of 0 is not made. When the registry refuses the pair, each report is tried on its
    /// own ({_report}), so the outcome is always what two separate reports give: each lands, or is emitted as
    /// {ReputationReportFailed}, and settlement is never blocked. The ids are the escrow's uint64 agent ids,
    /// so the casts back are exact.
    function _reportPair(
        uint256 escrowId,
        IAgentRegistryCore.ReputationReport memory first,
        IAgentRegistryCore.ReputationReport memory second
    ) private {
        if (first.delta == 0 || second.delta == 0) {
            if (first.delta != 0) _report(escrowId, uint64(first.agentId), first.delta, first.reason);
            if (second.delta != 0) _report(escrowId, uint64(second.agentId), second.delta, second.reason);
            return;
        }
        try _registry.reportAgentReputations(first, second, escrowId) returns (int256, int256) {} catch {
            _report(escrowId, uint64(first.agentId), first.delta, first.reason);
            _report(escrowId, uint64(second.agentId), second.delta, second.reason);
        }
    }

    /// @dev Writes reputation to the agent id recorded at creation (whatever its wallet is now); a refusal
    /// by the registry is emitted as {ReputationReportFailed}, never allowed to block settlement.
    function _report(uint256 escrowId, uint64 agentId, int256 delta, bytes32 reason) private {
        try _registry.reportAgentReputation(agentId, delta, reason, escrowId) returns (int256) {} catch (
            bytes memory err
        ) {
            emit ReputationReportFailed(escrowId, agentId, delta, reason, err);
        }
    }

    function _setMinDeliveryWindow(uint256 newWindow) private {
        if (newWindow < MIN_DELIVERY_WINDOW_FLOOR || newWindow > MIN_DELIVERY_WINDOW_CEILING) {
            revert EscrowMinDeliveryWindowOutOfBounds(
                newWindow,
                MIN_DELIVERY_WINDOW_FLOOR,
                MIN_DELIVERY_WINDOW_CEILING
            );
        }
        uint256 old = _settings.minDeliveryWindow;
        // Cannot truncate: newWindow <= MIN_DELIVERY_WINDOW_CEILING (7 days) < 2^32.
        _settings.minDeliveryWindow = uint32(newWindow);
        emit MinDeliveryWindowUpdated(old, newWindow);
    }

    function _setMinJobAmount(uint256 newAmount) private {
        if (newAmount < MIN_JOB_AMOUNT_FLOOR || newAmount > MIN_JOB_AMOUNT_CEILING) {
            revert EscrowMinJobAmountOutOfBounds(newAmount, MIN_JOB_AMOUNT_FLOOR, MIN_JOB_AMOUNT_CEILING);
        }
        uint256 old = _settings.minJobAmount;
        // Cannot truncate: newAmount <= MIN_JOB_AMOUNT_CEILING (1e22) < 2^128.
        _settings.minJobAmount = uint128(newAmount);
        emit MinJobAmountUpdated(old, newAmount);
    }

    function _setArbitratorBondBps(uint256 newBondBps) private {
        if (newBondBps < MIN_ARBITRATOR_BOND_BPS || newBondBps > MAX_ARBITRATOR_BOND_BPS) {
            revert EscrowBondBpsOutOfBounds(newBondBps, MIN_ARBITRATOR_BOND_BPS, MAX_ARBITRATOR_BOND_BPS);
        }
        uint256 old = _settings.arbitratorBondBps;
        // Cannot truncate: newBondBps <= MAX_ARBITRATOR_BOND_BPS (5,000) < 2^16.
        _settings.arbitratorBondBps = uint16(newBondBps);
        emit ArbitratorBondBpsUpdated(old, newBondBps);
    }

    function _setProtocolFeeBps(uint256 newFeeBps) private {
        if (newFeeBps > MAX_PROTOCOL_FEE_BPS) revert EscrowProtocolFeeTooHigh(newFeeBps, MAX_PROTOCOL_FEE_BPS);
        uint256 old = _settings.protocolFeeBps;
        // Cannot truncate: newFeeBps <= MAX_PROTOCOL_FEE_BPS (1,000) < 2^16.
        _settings.protocolFeeBps = uint16(newFeeBps);
        emit ProtocolFeeBpsUpdated(old, newFeeBps);
    }

    function _requireState(uint256 escrowId, StoredJob storage e, State expected) private view {
        State state = e.state;
        if (state != expected) revert EscrowInvalidState(escrowId, state, _bit(expected));
    }

    /// @dev The one-state bitmap of `state` (OpenZeppelin Governor's `_encodeStateBitmap`).
    function _bit(State state) private pure returns (bytes32) {
        return bytes32(1 << uint8(state));
    }

    function _requireGoodStanding(address agent) private view {
        if (!_registry.isInGoodStanding(agent)) revert EscrowNotInGoodStanding(agent);
    }

    /// @dev The agent id acting through `agent` now (recorded at creation; reputation is reported to it);
    /// throws {EscrowNotInGoodStanding} unless the agent is in good standing.
    function _agentIdInGoodStanding(address agent) private view returns (uint48) {
        uint256 agentId = _registry.agentIdInGoodStanding(agent);
        if (agentId == 0) revert EscrowNotInGoodStanding(agent);
        return SafeCast.toUint48(agentId);
    }

    /// @dev The arbitrator's bond of a job, in wei: its amount at the bond rate fixed at creation, rounded up,
    /// exactly what `create` computed and emitted in {EscrowCreated}.
    function _bondOf(StoredJob storage e) private view returns (uint256) {
        return _bondFor(e.amount, e.bondBps);
    }

    /// @dev `amount` at `bondBps`, rounded up, in wei (as OpenZeppelin's `mulDiv` rounding up). Only for
    /// amounts below 2^96 (a stored job's): the product is below 2^109, so the plain arithmetic is exact.
    function _bondFor(uint256 amount, uint256 bondBps) private pure returns (uint256) {
        return (amount * bondBps + (_BPS - 1)) / _BPS;
    }

    /// @dev A deposit into a non-protocol account would be taxed and leave the escrow short.
    function _requireProtocolAccount() private view {
        if (!_token.isProtocolAccount(address(this))) revert EscrowNotProtocolAccount(address(this));
    }

    function _requireWindow(uint32 window) private pure {
        if (window < MIN_WINDOW || window > MAX_WINDOW) revert EscrowWindowOutOfBounds(window, MIN_WINDOW, MAX_WINDOW);
    }

    /// @dev The action is allowed while `block.timestamp <= deadline`.
    function _requireBefore(uint256 escrowId, uint256 deadline) private view {
        if (block.timestamp > deadline) revert EscrowDeadlinePassed(escrowId, deadline);
    }

    /// @dev The timeout is allowed once `block.timestamp > deadline`.
    function _requireAfter(uint256 escrowId, uint256 deadline) private view {
        if (block.timestamp <= deadline) revert EscrowDeadlineNotPassed(escrowId, deadline);
    }
}
