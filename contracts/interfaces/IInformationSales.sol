// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IBilateralAgreement} from "./IAgreement.sol";

/// @title IInformationSales
/// @notice Sales of information between agents (kind {AgreementKinds.INFORMATION_SALE}): the seller
/// proposes a price, commits `keccak256(data)` and deposits a collateral (and the arbitrator's fee); the
/// arbitrator bonds; the buyer joins by paying the price into escrow; the seller {reveal}s the data by the
/// due date. A reveal that matches the commitment opens the review window: the buyer may {confirm} or
/// {dispute} (the data is not what the terms describe); silence settles it ({finalize}). A reveal that does
/// not match is a dispute at once, which the arbitrator rules on from the revealed data. No reveal by the
/// due date: anyone {claimDefault}s, and the buyer gets its price back and the seller's collateral.
/// @dev In {IBilateralAgreement} terms: proposer = seller, counterparty = buyer, `proposerDeposit` = the
/// seller's collateral, `counterpartyDeposit` = the price (the notional). The revealed bytes are public
/// once revealed; to sell privately, sell a key: `data` is then the key to a ciphertext named in the terms.
interface IInformationSales is IBilateralAgreement {
    /// @notice A sale was proposed (with {AgreementProposed}): `price` and `collateral` in wei, the
    /// seller's `commitment` (keccak256 of the data).
    event InformationSaleProposed(uint256 indexed agreementId, uint256 price, uint256 collateral, bytes32 commitment);

    /// @notice The seller revealed `data`; `matches` is whether `keccak256(data)` equals the commitment.
    /// `reviewDeadline` is when silence settles a matching reveal (0 for a mismatch, which is disputed).
    event InformationRevealed(uint256 indexed agreementId, bytes data, bool matches, uint256 reviewDeadline);

    /// @notice The seller's commitment (keccak256 of the data it sells).
    function commitmentOf(uint256 agreementId) external view returns (bytes32);

    /// @notice The seller proposes a sale and deposits `collateral` plus `terms.arbitratorFee`.
    /// `terms.dueDate` is the reveal deadline. `price >= minAmount`.
    /// @dev Throws {AgreementInvalidParties}, {AgreementNotInGoodStanding}, {AgreementAmountTooLow},
    /// {AgreementInvalidDeadline}, {AgreementWindowOutOfBounds}, {AgreementNotProtocolAccount},
    /// `SafeCastOverflowedUintDowncast`. Emits {AgreementProposed}, {InformationSaleProposed}.
    /// @param price Wei the buyer pays. @param collateral Wei the seller locks (slashed to the buyer on a
    /// default or a lost dispute). @param commitment keccak256 of the data.
    function propose(
        Terms calldata terms,
        uint256 price,
        uint256 collateral,
        bytes32 commitment
    ) external returns (uint256 agreementId);

    /// @notice The seller reveals the data by the due date. Only the seller, while Active.
    /// @dev Throws {AgreementInvalidState}, {AgreementUnauthorized}, {AgreementDeadlinePassed}.
    /// Emits {InformationRevealed}, and {AgreementDisputed} on a mismatch.
    function reveal(uint256 agreementId, bytes calldata data) external;

    /// @notice The buyer accepts the revealed data: the seller is paid at once. Only the buyer, Delivered.
    /// @dev Throws {AgreementInvalidState}, {AgreementUnauthorized}. Emits {AgreementSettled} (Settled).
    function confirm(uint256 agreementId) external;

    /// @notice The buyer disputes the revealed data, by the review deadline. Only the buyer, Delivered.
    /// @dev Throws {AgreementInvalidState}, {AgreementUnauthorized}, {AgreementDeadlinePassed}.
    /// Emits {AgreementDisputed}, {AgreementEvidence}.
    function dispute(uint256 agreementId, string calldata evidenceURI) external;

    /// @notice Anyone settles a delivery the buyer left unanswered past the review deadline: the seller
    /// earns the price and gets its collateral back.
    /// @dev Throws {AgreementInvalidState}, {AgreementDeadlineNotPassed}. Emits {AgreementSettled} (Settled).
    function finalize(uint256 agreementId) external;

    /// @notice Anyone declares a sale not revealed by the due date in default: the buyer gets its price back
    /// and earns the seller's collateral.
    /// @dev Throws {AgreementInvalidState}, {AgreementDeadlineNotPassed}. Emits {AgreementSettled} (Defaulted).
    function claimDefault(uint256 agreementId) external;
}
