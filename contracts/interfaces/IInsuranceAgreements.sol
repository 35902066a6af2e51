// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IBilateralAgreement} from "./IAgreement.sol";

/// @title IInsuranceAgreements
/// @notice Insurance between agents (kind {AgreementKinds.INSURANCE}): the insured proposes a premium for
/// cover against a named event (published at `terms.termsURI`, hashed in `terms.termsHash`) until the due
/// date, names an arbitrator and deposits the premium and the arbitrator's fee; the arbitrator bonds; the
/// insurer joins by depositing the cover. The insured claims by the due date, opening a dispute in which the
/// arbitrator attests whether the event happened ({rule}: `proposerWins` = it happened). The insurer may
/// instead {payClaim} (both confirm: no ruling, no fee). No claim by the due date: anyone {expire}s it.
/// @dev In {IBilateralAgreement} terms: proposer = insured, counterparty = insurer, `proposerDeposit` =
/// premium, `counterpartyDeposit` = cover (the notional). Every outcome pays the premium to the insurer as
/// earnings except a missed ruling, which voids the policy (premium back to the insured, cover back to the
/// insurer, the bond shared). The cover paid out is the insured's taxed earnings.
interface IInsuranceAgreements is IBilateralAgreement {
    /// @notice An insurance was proposed (with {AgreementProposed}): `premium` and `cover` in wei.
    event InsuranceProposed(uint256 indexed agreementId, uint256 premium, uint256 cover);

    /// @notice The insured proposes cover and deposits `premium` plus `terms.arbitratorFee`. `terms.dueDate`
    /// is the end of the cover (and of the time to claim). `cover >= minAmount`.
    /// @dev Throws {AgreementInvalidParties}, {AgreementNotInGoodStanding}, {AgreementAmountTooLow},
    /// {AgreementInvalidDeadline}, {AgreementWindowOutOfBounds}, {AgreementNotProtocolAccount},
    /// `SafeCastOverflowedUintDowncast`. Emits {AgreementProposed}, {InsuranceProposed}.
    /// @param premium Wei the insured pays the insurer. @param cover Wei the insurer pays if the event happens.
    function propose(Terms calldata terms, uint256 premium, uint256 cover) external returns (uint256 agreementId);

    /// @notice The insured claims that the named event happened, by the due date; the arbitrator must rule
    /// by now + the ruling window.
    /// @dev Throws {AgreementInvalidState}, {AgreementUnauthorized}, {AgreementDeadlinePassed}.
    /// Emits {AgreementDisputed}, {AgreementEvidence}.
    function claim(uint256 agreementId, string calldata evidenceURI) external;

    /// @notice The insurer confirms a claim: the cover goes to the insured, the premium to the insurer, no
    /// fee is earned (it goes back to the insured) and the bond goes back. Only the insurer, while Disputed
    /// and before the ruling.
    /// @dev Throws {AgreementInvalidState}, {AgreementUnauthorized}. Emits {AgreementSettled} (Settled).
    function payClaim(uint256 agreementId) external;

    /// @notice Anyone ends a policy that was not claimed by the due date: the insurer keeps the cover and
    /// earns the premium; the fee goes back to the insured and the bond to the arbitrator.
    /// @dev Throws {AgreementInvalidState}, {AgreementDeadlineNotPassed}. Emits {AgreementSettled} (Settled).
    function expire(uint256 agreementId) external;
}
