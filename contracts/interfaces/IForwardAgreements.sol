// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IBilateralAgreement} from "./IAgreement.sol";

/// @title IForwardAgreements
/// @notice Forwards on resource credits (kind {AgreementKinds.FORWARD}): the seller proposes to deliver
/// `quantity` credits of a resource (the ResourceLedger's ERC-1155) during a future market epoch for a `price`
/// in CIV fixed now, and deposits its collateral; a bonded arbitrator accepts; the buyer joins by depositing
/// the price and its own collateral. Physical delivery, no cash settlement (docs/agreements.md):
/// - Transferable credits settle automatically: the seller calls {deliver} from the start of the delivery
///   epoch until the due date; the credits move from the seller to the buyer in the same transaction and the
///   seller earns the price (taxed) with its collateral back, the buyer gets its collateral back.
/// - Credits that cannot move on the ledger (a non-transferable or retired resource: the seller serves the
///   buyer off the ledger) are attested: {deliver} records the claim and opens a review window; the buyer
///   {confirm}s or {dispute}s; silence past the review deadline settles for the seller ({finalize}); the
///   arbitrator rules a dispute; the loser of a ruling forfeits its collateral to the winner.
/// - A missed ruling voids the forward: each side gets its deposits back and half the bond (earnings).
/// - No delivery by the due date: anyone calls {claimDefault}; the buyer gets the price and its collateral
///   back and earns the seller's collateral (slashed).
/// The market's clearing price is not used to settle: a physical forward needs none, and a clearing price
/// one bidder can move is no fair oracle for cash settlement. Parties size the collateral against it.
/// @dev In {IBilateralAgreement} terms: proposer = seller, counterparty = buyer, `proposerDeposit` = the
/// seller's collateral, `counterpartyDeposit` = price + the buyer's collateral, notional = the price (the
/// minimum and the bond apply to it). The due date is at least the end of the delivery epoch.
interface IForwardAgreements is IBilateralAgreement {
    /// @notice The kind's own terms of a forward.
    /// @param resourceId The ResourceLedger resource whose credits are delivered.
    /// @param quantity Credits to deliver (the resource's smallest unit).
    /// @param deliveryEpoch The ResourceMarket epoch from whose start delivery is allowed; after the current.
    struct ForwardTerms {
        uint256 resourceId;
        uint256 quantity;
        uint256 deliveryEpoch;
    }

    /// @notice A forward as stored besides its {Agreement} (two slots).
    /// @param buyerCollateral Wei of the buyer's deposit that is collateral (the rest is the price).
    /// @param onLedger Whether delivery moved credits on the ledger (set at {deliver}).
    struct Forward {
        uint64 resourceId;
        uint64 deliveryEpoch;
        uint128 quantity;
        uint128 buyerCollateral;
        bool onLedger;
    }

    /// @notice The quantity is zero or does not fit 128 bits.
    error ForwardInvalidQuantity(uint256 quantity);

    /// @notice The resource is not active on the ledger (unknown or retired).
    error ForwardInactiveResource(uint256 resourceId);

    /// @notice The delivery epoch is not after the market's current epoch.
    error ForwardInvalidDeliveryEpoch(uint256 deliveryEpoch, uint256 currentEpoch);

    /// @notice Delivery opens at the start of the delivery epoch (`opensAt`, seconds); it is `timestamp`.
    error ForwardDeliveryNotOpen(uint256 agreementId, uint256 timestamp, uint256 opensAt);

    /// @notice The seller cannot deliver: it holds `balance` of the `quantity` credits or has not approved
    /// this contract (`approved`, ERC-1155 `setApprovalForAll`).
    error ForwardSellerNotReady(uint256 agreementId, uint256 balance, uint256 quantity, bool approved);

    /// @notice Credits arrived that this contract did not pull itself (`operator` is not the contract).
    error ForwardUnexpectedCredits(address operator);

    /// @notice The market or a constructor address is zero.
    error ForwardZeroAddress();

    /// @notice A forward was proposed (with {AgreementProposed}). Amounts in wei; `dueDate` is the terms'.
    /// @param deliveryOpensAt The start of the delivery epoch, seconds.
    event ForwardProposed(
        uint256 indexed agreementId,
        uint256 indexed resourceId,
        uint256 quantity,
        uint256 deliveryEpoch,
        uint256 deliveryOpensAt,
        uint256 price,
        uint256 sellerCollateral,
        uint256 buyerCollateral
    );

    /// @notice The seller delivered: on the ledger (`onLedger`, the agreement settles in the same
    /// transaction) or off it, attested (`reviewDeadline` is when silence settles it; 0 when on the ledger).
    event ForwardDelivered(
        uint256 indexed agreementId,
        uint256 indexed resourceId,
        uint256 quantity,
        bool onLedger,
        uint256 reviewDeadline
    );

    /// @notice The buyer refused the credits (its ERC-1155 receiver hook reverted): it is in default; the
    /// seller keeps the credits, earns the price and the buyer's collateral ({AgreementSettled}, Defaulted).
    event ForwardRefused(uint256 indexed agreementId, address indexed buyer);

    /// @notice The ResourceMarket whose epochs time deliveries.
    function market() external view returns (address);

    /// @notice The ResourceLedger whose credits are delivered (the market's).
    function ledger() external view returns (address);

    /// @notice The kind's own terms of a forward.
    function forwardOf(uint256 agreementId) external view returns (Forward memory);

    /// @notice When delivery of a forward opens: the start of its delivery epoch, in seconds.
    function deliveryOpensAt(uint256 agreementId) external view returns (uint256);

    /// @notice The seller proposes a forward and deposits `sellerCollateral` (plus `terms.arbitratorFee`).
    /// `terms.dueDate` is the delivery deadline: at least the end of the delivery epoch. The seller, the buyer
    /// and the arbitrator distinct and in good standing; `price >= minAmount`; the resource active.
    /// @dev Throws {ForwardInvalidQuantity}, {ForwardInactiveResource}, {ForwardInvalidDeliveryEpoch},
    /// {AgreementInvalidParties}, {AgreementNotInGoodStanding}, {AgreementAmountTooLow},
    /// {AgreementInvalidDeadline}, {AgreementWindowOutOfBounds}, {AgreementNotProtocolAccount},
    /// `SafeCastOverflowedUintDowncast`. Emits {AgreementProposed}, {ForwardProposed}.
    /// @param price Wei the buyer pays for the whole quantity (deposited at join, paid at settlement).
    /// @param sellerCollateral Wei the seller locks; slashed to the buyer on default or a lost dispute.
    /// @param buyerCollateral Wei the buyer locks at join; slashed to the seller on a lost dispute.
    function propose(
        Terms calldata terms,
        ForwardTerms calldata forward,
        uint256 price,
        uint256 sellerCollateral,
        uint256 buyerCollateral
    ) external returns (uint256 agreementId);

    /// @notice The seller delivers, from the start of the delivery epoch until the due date. Credits that can
    /// move on the ledger go from the seller to the buyer now (the seller must have approved this contract
    /// with `setApprovalForAll`) and the forward settles; otherwise the delivery is attested (Delivered).
    /// A buyer that refuses the credits (its ERC-1155 hook reverts) is in default ({ForwardRefused}).
    /// @dev Throws {AgreementInvalidState}, {AgreementUnauthorized}, {ForwardDeliveryNotOpen},
    /// {AgreementDeadlinePassed}, {ForwardSellerNotReady}. Emits {ForwardDelivered} then {AgreementSettled}
    /// (outcome Settled), or {ForwardRefused} then {AgreementSettled} (outcome Defaulted).
    function deliver(uint256 agreementId) external;

    /// @notice The buyer confirms an attested delivery: the forward settles for the seller. Only the buyer.
    /// @dev Throws {AgreementInvalidState}, {AgreementUnauthorized}. Emits {AgreementSettled}.
    function confirm(uint256 agreementId) external;

    /// @notice The buyer disputes an attested delivery by its review deadline; the arbitrator must rule.
    /// @dev Throws {AgreementInvalidState}, {AgreementUnauthorized}, {AgreementDeadlinePassed}.
    /// Emits {AgreementDisputed}, {AgreementEvidence}.
    function dispute(uint256 agreementId, string calldata evidenceURI) external;

    /// @notice Anyone settles an attested delivery for the seller once its review deadline passed unanswered.
    /// @dev Throws {AgreementInvalidState}, {AgreementDeadlineNotPassed}. Emits {AgreementSettled}.
    function finalize(uint256 agreementId) external;

    /// @notice Anyone declares a forward not delivered by its due date in default: the buyer gets the price
    /// and its collateral back and earns the seller's collateral.
    /// @dev Throws {AgreementInvalidState}, {AgreementDeadlineNotPassed}. Emits {AgreementSettled}
    /// (outcome Defaulted).
    function claimDefault(uint256 agreementId) external;
}
