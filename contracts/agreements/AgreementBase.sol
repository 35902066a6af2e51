// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IAgentRegistryCore} from "../interfaces/IAgentRegistry.sol";
import {IAgreement, IBilateralAgreement} from "../interfaces/IAgreement.sol";
import {ICivitasToken} from "../interfaces/ICivitasToken.sol";
import {ReputationCredit} from "../lib/ReputationCredit.sol";

/// @title AgreementBase
/// @notice The common part of every two-party agreement kind (see {IBilateralAgreement}): parties checked
/// and recorded at proposal, the arbitrator's bond, the counterparty's join, cancellation, disputes, rulings
/// and a missed ruling, and the one settlement path that pays out every wei an agreement holds. Each kind
/// (loan, insurance, information sale) adds its own proposal and steps and decides who gets what.
/// Also the steps kinds share: an attested delivery (confirm, dispute, finalize) and a default, and the
/// reputation every settlement writes (docs/agreements.md, "Reputation"), with the escrow's farming-resistant
/// credit ({ReputationCredit}).
/// @dev Must be marked as a protocol account on the token (deposits untaxed, `payEarnings` allowed), and hold
/// the registry's REPORTER_ROLE (otherwise reports fail visibly with {AgreementReputationReportFailed}).
abstract contract AgreementBase is IBilateralAgreement, AccessControl, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IBilateralAgreement
    bytes32 public constant PARAMETER_ROLE = keccak256("PARAMETER_ROLE");

    /// @inheritdoc IBilateralAgreement
    uint32 public constant MIN_WINDOW = 1 hours;

    /// @inheritdoc IBilateralAgreement
    uint32 public constant MAX_WINDOW = 30 days;

    /// @inheritdoc IBilateralAgreement
    uint64 public constant MAX_HORIZON = 365 days;

    /// @inheritdoc IBilateralAgreement
    uint256 public constant MIN_ARBITRATOR_BOND_BPS = 100;

    /// @inheritdoc IBilateralAgreement
    uint256 public constant MAX_ARBITRATOR_BOND_BPS = 5_000;

    /// @inheritdoc IBilateralAgreement
    uint256 public constant MIN_AMOUNT_FLOOR = 1e15;

    /// @inheritdoc IBilateralAgreement
    uint256 public constant MIN_AMOUNT_CEILING = 10_000e18;

    /// @inheritdoc IBilateralAgreement
    uint256 public constant NO_SHOW_PROPOSER_BPS = 5_000;

    /// @inheritdoc IBilateralAgreement
    uint256 public constant REPUTATION_FULL_CREDIT_AMOUNT = ReputationCredit.FULL_CREDIT_AMOUNT;

    // Reputation deltas: the escrow's (test/agreements/Reputation.test.ts checks them equal, and the table in
    // docs/agreements.md against these).

    /// @inheritdoc IBilateralAgreement
    int256 public constant DELTA_PERFORMED = 10;

    /// @inheritdoc IBilateralAgreement
    int256 public constant DELTA_PAID = 2;

    /// @inheritdoc IBilateralAgreement
    int256 public constant DELTA_SILENT = -2;

    /// @inheritdoc IBilateralAgreement
    int256 public constant DELTA_DEFAULTED = -15;

    /// @inheritdoc IBilateralAgreement
    int256 public constant DELTA_DISPUTE_WON = 5;

    /// @inheritdoc IBilateralAgreement
    int256 public constant DELTA_DISPUTE_LOST = -5;

    /// @inheritdoc IBilateralAgreement
    int256 public constant DELTA_RULED = 5;

    /// @inheritdoc IBilateralAgreement
    int256 public constant DELTA_ARBITRATOR_NO_SHOW = -20;

    uint256 internal constant _BPS = 10_000;

    // Reason codes (left-aligned ASCII).
    bytes32 private constant _REASON_PERFORMED = "agreement.performed";
    bytes32 private constant _REASON_PAID = "agreement.paid";
    bytes32 private constant _REASON_SILENT = "agreement.silent";
    bytes32 private constant _REASON_DEFAULTED = "agreement.defaulted";
    bytes32 private constant _REASON_DISPUTE_WON = "agreement.disputeWon";
    bytes32 private constant _REASON_DISPUTE_LOST = "agreement.disputeLost";
    bytes32 private constant _REASON_RULED = "agreement.ruled";
    bytes32 private constant _REASON_ARBITRATOR_NO_SHOW = "agreement.arbitratorNoShow";

    bytes32 private constant _CANCELLABLE = bytes32((1 << uint8(State.Proposed)) | (1 << uint8(State.Accepted)));

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    ICivitasToken internal immutable _token;
    IAgentRegistryCore internal immutable _registry;

    /// @dev Governance settings and the counter in one slot.
    struct Settings {
        /// @dev <= {MAX_ARBITRATOR_BOND_BPS}.
        uint16 arbitratorBondBps;
        /// @dev Wei, <= {MIN_AMOUNT_CEILING}.
        uint128 minAmount;
        /// @dev Agreements made; one increment per transaction.
        uint64 count;
    }

    Settings private _settings;
    mapping(uint256 agreementId => Agreement) internal _agreements;
    mapping(uint256 agentId => ReputationCredit.Credit) private _credits;

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @param admin Receives `DEFAULT_ADMIN_ROLE` and `PARAMETER_ROLE` (the timelock, or the deployer who
    /// hands them over).
    /// @param token_ The CIV token.
    /// @param registry_ The agent registry.
    /// @param arbitratorBondBps_ The initial bond rate, in bps.
    /// @param minAmount_ The initial minimum notional, in wei.
    constructor(
        address admin,
        ICivitasToken token_,
        IAgentRegistryCore registry_,
        uint256 arbitratorBondBps_,
        uint256 minAmount_
    ) {
        if (admin == address(0) || address(token_) == address(0) || address(registry_) == address(0)) {
            revert AgreementZeroAddress();
        }
        _token = token_;
        _registry = registry_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(PARAMETER_ROLE, admin);
        _setArbitratorBondBps(arbitratorBondBps_);
        _setMinAmount(minAmount_);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IBilateralAgreement
    function token() external view returns (address) {
        return address(_token);
    }

    /// @inheritdoc IBilateralAgreement
    function registry() external view returns (address) {
        return address(_registry);
    }

    /// @inheritdoc IBilateralAgreement
    function arbitratorBondBps() external view returns (uint256) {
        return _settings.arbitratorBondBps;
    }

    /// @inheritdoc IBilateralAgreement
    function minAmount() external view returns (uint256) {
        return _settings.minAmount;
    }

    /// @inheritdoc IAgreement
    function agreementCount() external view returns (uint256) {
        return _settings.count;
    }

    /// @inheritdoc IBilateralAgreement
    function agreementOf(uint256 agreementId) external view returns (Agreement memory) {
        return _agreements[agreementId];
    }

    /// @inheritdoc IBilateralAgreement
    function heldFor(uint256 agreementId) public view virtual returns (uint256) {
        Agreement storage a = _agreements[agreementId];
        State state = a.state;
        if (state == State.None || _isFinal(state)) return 0;
        uint256 held = uint256(a.proposerDeposit) + a.arbitratorFee;
        if (state != State.Proposed) held += a.bond;
        if (state != State.Proposed && state != State.Accepted) held += _counterpartyHeld(a);
        return held;
    }

    /// @inheritdoc IBilateralAgreement
    function reputationCreditOf(
        uint256 agentId
    ) external view returns (uint256 remainder, uint256 lastCounterpartyId, uint256 streak) {
        ReputationCredit.Credit storage c = _credits[agentId];
        return (c.remainder, c.lastCounterpartyId, c.streak);
    }

    /*//////////////////////////////////////////////////////////////
                           EXTERNAL: COMMON STEPS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IBilateralAgreement
    function accept(uint256 agreementId) external nonReentrant {
        Agreement storage a = _agreements[agreementId];
        _requireState(agreementId, a, State.Proposed);
        if (a.arbitrator == address(0) || msg.sender != a.arbitrator) {
            revert AgreementUnauthorized(agreementId, msg.sender);
        }
        _requireBefore(agreementId, a.joinDeadline);
        _requireGoodStanding(msg.sender);
        _requireProtocolAccount();

        a.state = State.Accepted;
        uint256 bond = a.bond;
        IERC20(address(_token)).safeTransferFrom(msg.sender, address(this), bond);
        emit AgreementAccepted(agreementId, msg.sender, bond);
    }

    /// @inheritdoc IBilateralAgreement
    function join(uint256 agreementId) external nonReentrant {
        Agreement storage a = _agreements[agreementId];
        _requireState(agreementId, a, a.arbitrator == address(0) ? State.Proposed : State.Accepted);
        if (msg.sender != a.counterparty) revert AgreementUnauthorized(agreementId, msg.sender);
        _requireBefore(agreementId, a.joinDeadline);
        _requireGoodStanding(msg.sender);
        _requireGoodStanding(a.proposer);
        _requireProtocolAccount();

        a.state = State.Active;
        uint256 deposit = a.counterpartyDeposit;
        IERC20(address(_token)).safeTransferFrom(msg.sender, address(this), deposit);
        emit AgreementJoined(agreementId, msg.sender, deposit);
        _afterJoin(agreementId, a);
    }

    /// @inheritdoc IBilateralAgreement
    function cancel(uint256 agreementId) external nonReentrant {
        Agreement storage a = _agreements[agreementId];
        State state = a.state;
        if (_bit(state) & _CANCELLABLE == 0) revert AgreementInvalidState(agreementId, state, _CANCELLABLE);
        if (msg.sender != a.proposer && msg.sender != a.counterparty && block.timestamp <= a.joinDeadline) {
            revert AgreementUnauthorized(agreementId, msg.sender);
        }

        a.state = State.Cancelled;
        uint256 refund = uint256(a.proposerDeposit) + a.arbitratorFee;
        uint256 bondReturned = state == State.Accepted ? a.bond : 0;
        if (refund != 0) _token.returnPrincipal(a.proposer, refund);
        if (bondReturned != 0) _token.returnPrincipal(a.arbitrator, bondReturned);
        emit AgreementCancelled(agreementId, msg.sender, refund, bondReturned);
    }

    /// @inheritdoc IBilateralAgreement
    function submitEvidence(uint256 agreementId, string calldata evidenceURI) external {
        Agreement storage a = _agreements[agreementId];
        _requireState(agreementId, a, State.Disputed);
        if (msg.sender != a.proposer && msg.sender != a.counterparty) {
            revert AgreementUnauthorized(agreementId, msg.sender);
        }
        emit AgreementEvidence(agreementId, msg.sender, evidenceURI);
    }

    /// @inheritdoc IBilateralAgreement
    function rule(uint256 agreementId, bool proposerWins) external nonReentrant {
        Agreement storage a = _agreements[agreementId];
        _requireState(agreementId, a, State.Disputed);
        if (msg.sender != a.arbitrator) revert AgreementUnauthorized(agreementId, msg.sender);
        _requireBefore(agreementId, a.rulingDeadline);

        emit AgreementRuled(agreementId, msg.sender, proposerWins);
        Payout memory p = _ruledPayout(a, proposerWins);
        p.arbitratorEarnings = a.arbitratorFee;
        p.arbitratorPrincipal = a.bond;
        _settle(agreementId, a, State.Ruled, p);

        uint256 paid = _earnings(p);
        (uint64 winnerId, uint64 loserId) = proposerWins
            ? (a.proposerId, a.counterpartyId)
            : (a.counterpartyId, a.proposerId);
        _reportCredit(agreementId, a.arbitratorId, a.proposerId, DELTA_RULED, paid, _REASON_RULED);
        _reportCredit(agreementId, winnerId, loserId, DELTA_DISPUTE_WON, paid, _REASON_DISPUTE_WON);
        _report(agreementId, loserId, DELTA_DISPUTE_LOST, _REASON_DISPUTE_LOST);
    }

    /// @inheritdoc IBilateralAgreement
    function resolveNoShow(uint256 agreementId) external nonReentrant {
        Agreement storage a = _agreements[agreementId];
        _requireState(agreementId, a, State.Disputed);
        _requireAfter(agreementId, a.rulingDeadline);

        Payout memory p = _noShowPayout(a);
        uint256 bond = a.bond;
        uint256 bondToProposer = Math.mulDiv(bond, NO_SHOW_PROPOSER_BPS, _BPS);
        p.proposerPrincipal += a.arbitratorFee;
        p.proposerEarnings += bondToProposer;
        p.counterpartyEarnings += bond - bondToProposer;
        _settle(agreementId, a, State.NoShowResolved, p);
        _report(agreementId, a.arbitratorId, DELTA_ARBITRATOR_NO_SHOW, _REASON_ARBITRATOR_NO_SHOW);
    }

    /*//////////////////////////////////////////////////////////////
                           EXTERNAL: PARAMETERS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IBilateralAgreement
    function setArbitratorBondBps(uint256 newBondBps) external onlyRole(PARAMETER_ROLE) {
        _setArbitratorBondBps(newBondBps);
    }

    /// @inheritdoc IBilateralAgreement
    function setMinAmount(uint256 newAmount) external onlyRole(PARAMETER_ROLE) {
        _setMinAmount(newAmount);
    }

    /*//////////////////////////////////////////////////////////////
                            INTERNAL: KIND HOOKS
    //////////////////////////////////////////////////////////////*/

    /// @dev Runs after the counterparty's deposit is in (a loan pays the principal out to the borrower).
    function _afterJoin(uint256 agreementId, Agreement storage a) internal virtual {}

    /// @dev What of the counterparty's deposit the contract still holds while Active or later.
    function _counterpartyHeld(Agreement storage a) internal view virtual returns (uint256) {
        return a.counterpartyDeposit;
    }

    /// @dev The parties' legs of a ruling (the base adds the arbitrator's fee and bond).
    function _ruledPayout(Agreement storage a, bool proposerWins) internal view virtual returns (Payout memory);

    /// @dev The parties' legs after a missed ruling, deposits only (the base adds the fee and the bond).
    function _noShowPayout(Agreement storage a) internal view virtual returns (Payout memory);

    /// @dev Every leg of a default ({_settleDefault}): the winner's side of a ruling against the defaulter,
    /// the fee back to the proposer (no ruling earned it), the bond back to the arbitrator.
    function _defaultPayout(
        Agreement storage a,
        bool proposerDefaulted
    ) internal view virtual returns (Payout memory p) {
        p = _ruledPayout(a, !proposerDefaulted);
        p.proposerPrincipal += a.arbitratorFee;
        p.arbitratorPrincipal = a.bond;
    }

    /// @dev Every leg of a settled delivery ({_settleDelivered}): the seller (proposer) wins, the fee goes
    /// back to it, the bond back to the arbitrator.
    function _deliveredPayout(uint256, Agreement storage a) internal view virtual returns (Payout memory p) {
        p = _ruledPayout(a, true);
        p.proposerPrincipal += a.arbitratorFee;
        p.arbitratorPrincipal = a.bond;
    }

    /*//////////////////////////////////////////////////////////////
                           INTERNAL: FOR KINDS
    //////////////////////////////////////////////////////////////*/

    /// @dev Checks and records a proposal and takes the proposer's deposit and fee. `notional` is what the
    /// minimum applies to and the bond is a share of; `needsArbitrator` false means the kind takes none.
    function _propose(
        uint8 kind_,
        Terms calldata terms,
        uint256 proposerDeposit,
        uint256 counterpartyDeposit,
        uint256 notional,
        bool needsArbitrator
    ) internal returns (uint256 agreementId) {
        uint256 bond = _checkProposal(terms, notional, needsArbitrator);
        // One increment per transaction never reaches 2^64.
        agreementId = ++_settings.count;
        Agreement storage a = _agreements[agreementId];
        a.proposer = msg.sender;
        a.proposerId = _agentIdOf(msg.sender);
        a.state = State.Proposed;
        a.counterparty = terms.counterparty;
        a.counterpartyId = _agentIdOf(terms.counterparty);
        a.reviewWindow = terms.reviewWindow;
        a.arbitrator = terms.arbitrator;
        if (needsArbitrator) a.arbitratorId = _agentIdOf(terms.arbitrator);
        a.rulingWindow = terms.rulingWindow;
        a.proposerDeposit = SafeCast.toUint128(proposerDeposit);
        a.counterpartyDeposit = SafeCast.toUint128(counterpartyDeposit);
        a.arbitratorFee = SafeCast.toUint128(terms.arbitratorFee);
        a.bond = SafeCast.toUint128(bond);
        a.joinDeadline = terms.joinDeadline;
        a.dueDate = terms.dueDate;

        _emitProposed(agreementId, kind_, terms, a);
        uint256 total = proposerDeposit + terms.arbitratorFee;
        if (total != 0) IERC20(address(_token)).safeTransferFrom(msg.sender, address(this), total);
    }

    /// @dev The checks of `_propose` (parties, standing, amount, deadlines, windows); returns the bond.
    function _checkProposal(
        Terms calldata terms,
        uint256 notional,
        bool needsArbitrator
    ) private view returns (uint256 bond) {
        address proposer = msg.sender;
        address counterparty = terms.counterparty;
        address arbitrator = terms.arbitrator;
        if (
            counterparty == address(0) ||
            counterparty == proposer ||
            (
                needsArbitrator
                    ? arbitrator == address(0) || arbitrator == proposer || arbitrator == counterparty
                    : arbitrator != address(0) || terms.arbitratorFee != 0
            )
        ) revert AgreementInvalidParties(proposer, counterparty, arbitrator);
        _requireGoodStanding(proposer);
        _requireGoodStanding(counterparty);
        if (needsArbitrator) _requireGoodStanding(arbitrator);
        _requireProtocolAccount();
        Settings memory settings = _settings;
        if (notional < settings.minAmount) revert AgreementAmountTooLow(notional, settings.minAmount);
        if (terms.joinDeadline <= block.timestamp) {
            revert AgreementInvalidDeadline(terms.joinDeadline, block.timestamp + 1, block.timestamp + MAX_HORIZON);
        }
        uint256 earliestDue = uint256(terms.joinDeadline) + MIN_WINDOW;
        uint256 latestDue = block.timestamp + MAX_HORIZON;
        if (terms.dueDate < earliestDue || terms.dueDate > latestDue) {
            revert AgreementInvalidDeadline(terms.dueDate, earliestDue, latestDue);
        }
        if (needsArbitrator) {
            _requireWindow(terms.reviewWindow);
            _requireWindow(terms.rulingWindow);
            bond = Math.mulDiv(notional, settings.arbitratorBondBps, _BPS, Math.Rounding.Ceil);
        }
    }

    /// @dev {AgreementProposed} from what `_propose` stored (a function of its own: stack depth).
    function _emitProposed(uint256 agreementId, uint8 kind_, Terms calldata terms, Agreement storage a) private {
        emit AgreementProposed(
            agreementId,
            kind_,
            a.proposer,
            terms,
            a.proposerDeposit,
            a.counterpartyDeposit,
            a.bond,
            a.proposerId,
            a.counterpartyId,
            a.arbitratorId
        );
    }

    /// @dev Opens a dispute: the arbitrator must rule by now + the agreement's ruling window.
    function _openDispute(uint256 agreementId, Agreement storage a) internal {
        // Cannot overflow: block.timestamp and rulingWindow (<= 30 days) both fit easily in 64 bits.
        uint64 rulingDeadline = uint64(block.timestamp) + a.rulingWindow;
        a.state = State.Disputed;
        a.rulingDeadline = rulingDeadline;
        emit AgreementDisputed(agreementId, msg.sender, rulingDeadline);
    }

    /// @dev Ends an agreement: sets its final state, then pays every leg of `p` (principal legs returned
    /// untaxed, earnings legs taxed) and emits {AgreementSettled}. The kind makes `p` add up to what the
    /// contract holds for the agreement (checked by the invariant test).
    function _settle(uint256 agreementId, Agreement storage a, State outcome, Payout memory p) internal {
        a.state = outcome;
        _pay(a.proposer, p.proposerPrincipal, p.proposerEarnings);
        _pay(a.counterparty, p.counterpartyPrincipal, p.counterpartyEarnings);
        _pay(a.arbitrator, p.arbitratorPrincipal, p.arbitratorEarnings);
        emit AgreementSettled(agreementId, outcome, msg.sender, p);
    }

    /*//////////////////////////////////////////////////////////////
                  INTERNAL: ATTESTED DELIVERY AND DEFAULT
    //////////////////////////////////////////////////////////////*/

    // The steps a kind with an attested delivery (a forward off the ledger, an information sale) exposes:
    // the seller (proposer) delivers, the buyer (counterparty) confirms or disputes by the review deadline,
    // silence settles for the seller; no delivery by the due date is the seller's default.

    /// @dev Records a delivery: Delivered, and the buyer may answer until now + the review window.
    function _markDelivered(Agreement storage a) internal returns (uint64 reviewDeadline) {
        // Cannot overflow: block.timestamp and reviewWindow (<= 30 days) both fit easily in 64 bits.
        reviewDeadline = uint64(block.timestamp) + a.reviewWindow;
        a.state = State.Delivered;
        a.reviewDeadline = reviewDeadline;
    }

    /// @dev The buyer confirms a delivery: it settles for the seller.
    function _confirmDelivery(uint256 agreementId) internal {
        Agreement storage a = _agreements[agreementId];
        _requireState(agreementId, a, State.Delivered);
        if (msg.sender != a.counterparty) revert AgreementUnauthorized(agreementId, msg.sender);
        _settleDelivered(agreementId, a, false);
    }

    /// @dev The buyer disputes a delivery by its review deadline; the arbitrator must rule.
    function _disputeDelivery(uint256 agreementId, string calldata evidenceURI) internal {
        Agreement storage a = _agreements[agreementId];
        _requireState(agreementId, a, State.Delivered);
        if (msg.sender != a.counterparty) revert AgreementUnauthorized(agreementId, msg.sender);
        _requireBefore(agreementId, a.reviewDeadline);

        _openDispute(agreementId, a);
        emit AgreementEvidence(agreementId, msg.sender, evidenceURI);
    }

    /// @dev Anyone settles a delivery left unanswered past its review deadline, for the seller.
    function _finalizeDelivery(uint256 agreementId) internal {
        Agreement storage a = _agreements[agreementId];
        _requireState(agreementId, a, State.Delivered);
        _requireAfter(agreementId, a.reviewDeadline);
        _settleDelivered(agreementId, a, true);
    }

    /// @dev Anyone declares an Active agreement past its due date in the proposer's default.
    function _claimDefault(uint256 agreementId) internal {
        Agreement storage a = _agreements[agreementId];
        _requireState(agreementId, a, State.Active);
        _requireAfter(agreementId, a.dueDate);
        _settleDefault(agreementId, a, true);
    }

    /// @dev Settles a delivery for the seller ({_deliveredPayout}) and reports it performed; a silent buyer
    /// gets {DELTA_SILENT} instead of {DELTA_PAID}.
    function _settleDelivered(uint256 agreementId, Agreement storage a, bool buyerSilent) internal {
        Payout memory p = _deliveredPayout(agreementId, a);
        _settle(agreementId, a, State.Settled, p);
        _reportPerformed(agreementId, a, true, _earnings(p), buyerSilent);
    }

    /// @dev Settles a default ({_defaultPayout}, outcome Defaulted) and reports {DELTA_DEFAULTED} to the
    /// defaulter.
    function _settleDefault(uint256 agreementId, Agreement storage a, bool proposerDefaulted) internal {
        _settle(agreementId, a, State.Defaulted, _defaultPayout(a, proposerDefaulted));
        _report(agreementId, proposerDefaulted ? a.proposerId : a.counterpartyId, DELTA_DEFAULTED, _REASON_DEFAULTED);
    }

    /*//////////////////////////////////////////////////////////////
                           INTERNAL: REPUTATION
    //////////////////////////////////////////////////////////////*/

    /// @dev A deal both sides honoured: {DELTA_PERFORMED} to the performer and {DELTA_PAID} to the other
    /// party (or {DELTA_SILENT} when it left a delivery unanswered), scaled by `paid` (wei of earnings).
    function _reportPerformed(
        uint256 agreementId,
        Agreement storage a,
        bool proposerPerformed,
        uint256 paid,
        bool otherSilent
    ) internal {
        (uint64 performerId, uint64 otherId) = proposerPerformed
            ? (a.proposerId, a.counterpartyId)
            : (a.counterpartyId, a.proposerId);
        _reportCredit(agreementId, performerId, otherId, DELTA_PERFORMED, paid, _REASON_PERFORMED);
        if (otherSilent) _report(agreementId, otherId, DELTA_SILENT, _REASON_SILENT);
        else _reportCredit(agreementId, otherId, performerId, DELTA_PAID, paid, _REASON_PAID);
    }

    /// @dev The earnings legs of a payout (before tax): the value a settlement paid, what positive
    /// reputation is scaled by. Principal coming back is not value paid (a ring can move it for free).
    function _earnings(Payout memory p) internal pure returns (uint256) {
        return p.proposerEarnings + p.counterpartyEarnings + p.arbitratorEarnings;
    }

    function _requireState(uint256 agreementId, Agreement storage a, State expected) internal view {
        State state = a.state;
        if (state != expected) revert AgreementInvalidState(agreementId, state, _bit(expected));
    }

    /// @dev The action is allowed while `block.timestamp <= deadline`.
    function _requireBefore(uint256 agreementId, uint256 deadline) internal view {
        if (block.timestamp > deadline) revert AgreementDeadlinePassed(agreementId, deadline);
    }

    /// @dev The timeout is allowed once `block.timestamp > deadline`.
    function _requireAfter(uint256 agreementId, uint256 deadline) internal view {
        if (block.timestamp <= deadline) revert AgreementDeadlineNotPassed(agreementId, deadline);
    }

    /// @dev The one-state bitmap of `state`.
    function _bit(State state) internal pure returns (bytes32) {
        return bytes32(1 << uint8(state));
    }

    /*//////////////////////////////////////////////////////////////
                                PRIVATE
    //////////////////////////////////////////////////////////////*/

    /// @dev A positive delta through the protocol's reputation credit ({ReputationCredit.accrue}, the escrow's
    /// rule): `fullDelta` scaled by `paid` and divided by the streak with `counterpartyId`; whole points
    /// reported, the rest carried.
    function _reportCredit(
        uint256 agreementId,
        uint64 agentId,
        uint64 counterpartyId,
        int256 fullDelta,
        uint256 paid,
        bytes32 reason
    ) private {
        if (agentId == 0) return;
        uint256 points = ReputationCredit.accrue(_credits, agentId, counterpartyId, fullDelta, paid, true);
        // Positive and at most a few hundred: the cast is exact.
        if (points != 0) _report(agreementId, agentId, int256(points), reason);
    }

    /// @dev Writes reputation to the agent id recorded at proposal (whatever its wallet is now). An id of 0
    /// (a party the registry never knew: impossible with the real registry, which requires good standing
    /// at proposal) is skipped; a refusal by the registry is emitted as {AgreementReputationReportFailed},
    /// never allowed to block settlement.
    function _report(uint256 agreementId, uint64 agentId, int256 delta, bytes32 reason) private {
        if (agentId == 0) return;
        try _registry.reportAgentReputation(agentId, delta, reason, agreementId) returns (int256) {} catch (
            bytes memory err
        ) {
            emit AgreementReputationReportFailed(agreementId, agentId, delta, reason, err);
        }
    }

    function _pay(address to, uint256 principal, uint256 earnings) private {
        if (principal != 0) _token.returnPrincipal(to, principal);
        if (earnings != 0) _token.payEarnings(to, earnings);
    }

    function _isFinal(State state) private pure returns (bool) {
        return
            state == State.Cancelled ||
            state == State.Settled ||
            state == State.Defaulted ||
            state == State.Ruled ||
            state == State.NoShowResolved;
    }

    function _setArbitratorBondBps(uint256 newBondBps) private {
        if (newBondBps < MIN_ARBITRATOR_BOND_BPS || newBondBps > MAX_ARBITRATOR_BOND_BPS) {
            revert AgreementBondBpsOutOfBounds(newBondBps, MIN_ARBITRATOR_BOND_BPS, MAX_ARBITRATOR_BOND_BPS);
        }
        uint256 old = _settings.arbitratorBondBps;
        // Cannot truncate: newBondBps <= MAX_ARBITRATOR_BOND_BPS (5,000) < 2^16.
        _settings.arbitratorBondBps = uint16(newBondBps);
        emit ArbitratorBondBpsUpdated(old, newBondBps);
    }

    function _setMinAmount(uint256 newAmount) private {
        if (newAmount < MIN_AMOUNT_FLOOR || newAmount > MIN_AMOUNT_CEILING) {
            revert AgreementMinAmountOutOfBounds(newAmount, MIN_AMOUNT_FLOOR, MIN_AMOUNT_CEILING);
        }
        uint256 old = _settings.minAmount;
        // Cannot truncate: newAmount <= MIN_AMOUNT_CEILING (1e22) < 2^128.
        _settings.minAmount = uint128(newAmount);
        emit MinAmountUpdated(old, newAmount);
    }

    function _requireGoodStanding(address agent) private view {
        if (!_registry.isInGoodStanding(agent)) revert AgreementNotInGoodStanding(agent);
    }

    function _agentIdOf(address agent) private view returns (uint64) {
        return SafeCast.toUint64(_registry.agentIdOf(agent));
    }

    /// @dev A deposit into a non-protocol account would be taxed and leave the contract short.
    function _requireProtocolAccount() private view {
        if (!_token.isProtocolAccount(address(this))) revert AgreementNotProtocolAccount(address(this));
    }

    function _requireWindow(uint32 window) private pure {
        if (window < MIN_WINDOW || window > MAX_WINDOW)
            revert AgreementWindowOutOfBounds(window, MIN_WINDOW, MAX_WINDOW);
    }
}
