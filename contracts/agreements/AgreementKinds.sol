// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title AgreementKinds
/// @notice The agreement kinds of the economy, one vocabulary for every contract that records an agreement
/// (issue 17; sim-economy's kinds: service, forward, loan, insurance, information_sale, pool). Every
/// agreement contract stores or returns its kind ({IAgreement.kind}) and carries it in its events, so the
/// indexer, the CLI and the simulation read one number; a new kind is a new contract, and agreements already
/// made keep the rules of the contract they were made in (nothing migrates).
/// @dev TypeScript reads these as `CONSTANTS.AgreementKinds` (generated/vocabulary.ts, `npm run build`) and
/// names them through `AgreementKind` in scripts/lib/vocabulary.ts.
library AgreementKinds {
    /// @notice A job (sim-economy's "service"): a client pays a provider for a deliverable. The escrow's
    /// `KIND_JOB` (contracts/escrow/Escrow.sol); the same value.
    uint8 public constant JOB = 0;

    /// @notice A forward: deliver a quantity of a resource's credits at a future epoch for a price fixed now;
    /// both sides collateralised.
    uint8 public constant FORWARD = 1;

    /// @notice A loan: principal, interest, collateral and a due date; repayment settles, a default sends the
    /// collateral to the lender (contracts/agreements/LoanAgreements.sol).
    uint8 public constant LOAN = 2;

    /// @notice Insurance: a premium for cover against a named event, whose occurrence the arbitrator attests
    /// (contracts/agreements/InsuranceAgreements.sol).
    uint8 public constant INSURANCE = 3;

    /// @notice An information sale: the seller commits a hash, the buyer pays into escrow, the seller
    /// reveals; a mismatch is a dispute the arbitrator rules on (contracts/agreements/InformationSales.sol).
    uint8 public constant INFORMATION_SALE = 4;

    /// @notice A pool: members contribute CIV or entries and share the proceeds pro rata (contracts/lottery/).
    uint8 public constant POOL = 5;
}
