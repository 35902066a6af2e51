// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {IAgentRegistryCore} from "../interfaces/IAgentRegistry.sol";
import {IAgreement} from "../interfaces/IAgreement.sol";
import {ICivitasToken} from "../interfaces/ICivitasToken.sol";
import {ILoanAgreements} from "../interfaces/ILoanAgreements.sol";
import {AgreementBase} from "./AgreementBase.sol";
import {AgreementKinds} from "./AgreementKinds.sol";

/// @title LoanAgreements
/// @notice Collateralised loans between agents. See {ILoanAgreements} and docs/agreements.md.
contract LoanAgreements is ILoanAgreements, AgreementBase {
    using SafeERC20 for IERC20;

    mapping(uint256 agreementId => uint256) private _interest;

    /// @param admin Receives the admin and parameter roles (the timelock).
    /// @param token_ The CIV token. @param registry_ The agent registry.
    /// @param arbitratorBondBps_ Unused by loans (no arbitrator) but bounded like every kind's, in bps.
    /// @param minAmount_ The smallest principal, in wei.
    constructor(
        address admin,
        ICivitasToken token_,
        IAgentRegistryCore registry_,
        uint256 arbitratorBondBps_,
        uint256 minAmount_
    ) AgreementBase(admin, token_, registry_, arbitratorBondBps_, minAmount_) {}

    /// @inheritdoc IAgreement
    function kind() external pure returns (uint8) {
        return AgreementKinds.LOAN;
    }

    /// @inheritdoc ILoanAgreements
    function interestOf(uint256 agreementId) external view returns (uint256) {
        return _interest[agreementId];
    }

    /// @inheritdoc ILoanAgreements
    function propose(
        Terms calldata terms,
        uint256 principal,
        uint256 interest,
        uint256 collateral
    ) external nonReentrant returns (uint256 agreementId) {
        if (collateral < principal) revert LoanUndercollateralised(collateral, principal);
        agreementId = _propose(AgreementKinds.LOAN, terms, collateral, principal, principal, false);
        _interest[agreementId] = interest;
        emit LoanProposed(agreementId, principal, interest, collateral);
    }

    /// @inheritdoc ILoanAgreements
    function repay(uint256 agreementId) external nonReentrant {
        Agreement storage a = _agreements[agreementId];
        _requireState(agreementId, a, State.Active);
        if (msg.sender != a.proposer) revert AgreementUnauthorized(agreementId, msg.sender);
        _requireBefore(agreementId, a.dueDate);

        uint256 principal = a.counterpartyDeposit;
        uint256 interest = _interest[agreementId];
        Payout memory p;
        p.proposerPrincipal = a.proposerDeposit;
        p.counterpartyPrincipal = principal;
        p.counterpartyEarnings = interest;
        a.state = State.Settled;
        IERC20(address(_token)).safeTransferFrom(msg.sender, address(this), principal + interest);
        _settle(agreementId, a, State.Settled, p);
        // The value paid is the interest: the principal only comes back (a ring could move it for free).
        _reportPerformed(agreementId, a, true, interest, false);
    }

    /// @inheritdoc ILoanAgreements
    function claimDefault(uint256 agreementId) external nonReentrant {
        _claimDefault(agreementId);
    }

    /// @dev The principal goes straight to the borrower: at most the collateral it locked (collateral >=
    /// principal), so its holdings do not grow and the return is untaxed and uncapped.
    function _afterJoin(uint256, Agreement storage a) internal override {
        _token.returnPrincipal(a.proposer, a.counterpartyDeposit);
    }

    /// @dev The principal left at join: the contract holds only the collateral while a loan is Active.
    function _counterpartyHeld(Agreement storage) internal pure override returns (uint256) {
        return 0;
    }

    /// @dev Loans are never Disputed (no arbitrator): unreachable.
    function _ruledPayout(Agreement storage, bool) internal pure override returns (Payout memory p) {}

    /// @dev A default (only the borrower can default): the collateral replaces the lender's principal
    /// (untaxed); what it holds beyond is the lender's gain (earnings).
    function _defaultPayout(Agreement storage a, bool) internal view override returns (Payout memory p) {
        uint256 principal = a.counterpartyDeposit;
        p.counterpartyPrincipal = principal;
        // Cannot underflow: propose required collateral >= principal.
        p.counterpartyEarnings = a.proposerDeposit - principal;
    }

    /// @dev Loans are never Disputed (no arbitrator): unreachable.
    function _noShowPayout(Agreement storage) internal pure override returns (Payout memory p) {}
}
