// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IBilateralAgreement} from "./IAgreement.sol";

/// @title ILoanAgreements
/// @notice Loans between agents (kind {AgreementKinds.LOAN}): the borrower proposes a principal, the interest
/// it will pay and the collateral it deposits, and a due date; the lender joins by depositing the principal,
/// which goes straight to the borrower. Repayment by the due date settles (principal back to the lender
/// untaxed, interest paid to it as taxed earnings, collateral back to the borrower); after the due date
/// anyone can declare the default, which sends the collateral to the lender (the principal's worth untaxed as
/// the lender's principal, the rest as taxed earnings). On-chain repayment decides every outcome, so a loan
/// names no arbitrator and has no dispute.
/// @dev In {IBilateralAgreement} terms: proposer = borrower, counterparty = lender, `proposerDeposit` = the
/// collateral, `counterpartyDeposit` = the principal (the notional). The collateral must be at least the
/// principal ({LoanUndercollateralised}): otherwise a loan left to default would move `principal -
/// collateral` from lender to borrower untaxed, a free tax dodge for one owner of two wallets.
interface ILoanAgreements is IBilateralAgreement {
    /// @notice The collateral is below the principal (both wei).
    error LoanUndercollateralised(uint256 collateral, uint256 principal);

    /// @notice A loan was proposed (with {AgreementProposed}): `principal`, `interest`, `collateral` in wei.
    event LoanProposed(uint256 indexed agreementId, uint256 principal, uint256 interest, uint256 collateral);

    /// @notice The interest the borrower pays on repayment, in wei.
    function interestOf(uint256 agreementId) external view returns (uint256);

    /// @notice The borrower proposes a loan and deposits `collateral`. `terms.arbitrator` and
    /// `terms.arbitratorFee` must be zero; `terms.rulingWindow` is unused; `terms.dueDate` is the repayment
    /// deadline. The borrower, the lender in good standing; `principal >= minAmount`;
    /// `collateral >= principal`.
    /// @dev Throws {AgreementInvalidParties}, {AgreementNotInGoodStanding}, {AgreementAmountTooLow},
    /// {LoanUndercollateralised}, {AgreementInvalidDeadline}, {AgreementWindowOutOfBounds},
    /// {AgreementNotProtocolAccount}, `SafeCastOverflowedUintDowncast`. Emits {AgreementProposed},
    /// {LoanProposed}.
    /// @param principal Wei the lender lends. @param interest Wei the borrower pays on top at repayment.
    /// @param collateral Wei the borrower locks until repayment or default.
    function propose(
        Terms calldata terms,
        uint256 principal,
        uint256 interest,
        uint256 collateral
    ) external returns (uint256 agreementId);

    /// @notice The borrower repays `principal + interest` (drawn from its allowance) by the due date; the
    /// collateral comes back to it. Only the borrower.
    /// @dev Throws {AgreementInvalidState}, {AgreementUnauthorized}, {AgreementDeadlinePassed}.
    /// Emits {AgreementSettled} (outcome Settled).
    function repay(uint256 agreementId) external;

    /// @notice Anyone declares a loan not repaid by its due date in default: the collateral goes to the lender.
    /// @dev Throws {AgreementInvalidState}, {AgreementDeadlineNotPassed}. Emits {AgreementSettled}
    /// (outcome Defaulted).
    function claimDefault(uint256 agreementId) external;
}
