// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IAgreement
/// @notice What every agreement contract shares, whatever its kind and however many parties it has: the
/// kind it records ({AgreementKinds}) and how many agreements it holds. A many-party agreement (a pool)
/// implements this much; two-party agreements with an arbitrator implement {IBilateralAgreement}.
interface IAgreement {
    /// @notice The kind of every agreement this contract holds: one of {AgreementKinds} (JOB 0, FORWARD 1,
    /// LOAN 2, INSURANCE 3, INFORMATION_SALE 4, POOL 5). Fixed at deployment.
    function kind() external view returns (uint8);

    /// @notice Agreements made so far; ids run from 1 to this number.
    function agreementCount() external view returns (uint256);
}

/// @title IBilateralAgreement
/// @notice The escrow's three-party pattern (contracts/escrow/Escrow.sol) for agreement kinds beyond jobs:
/// a proposer, a counterparty and, where something must be attested, an arbitrator named at proposal who
/// posts a bond to take the role. Each kind is its own contract on this interface (docs/agreements.md).
/// @dev Money (amounts in wei of CIV, rates in bps, 10,000 = 100%, times in seconds):
/// - The proposer deposits `proposerDeposit + arbitratorFee` at {propose} (untaxed deposit into a protocol
///   account); the arbitrator deposits `bond = ceil(notional * arbitratorBondBps / 10_000)` at {accept}; the
///   counterparty deposits `counterpartyDeposit` at {join}. What each deposit means is the kind's (a loan's
///   collateral and principal, an insurance's premium and cover, a sale's collateral and price).
/// - At the end every wei the contract holds for the agreement is paid out, as the party's own principal
///   (`token.returnPrincipal`: untaxed, never capped) when it is what that party put in, and as earnings
///   (`token.payEarnings`: taxed, capped) when value crosses from one party to another (interest, a premium,
///   a price, a slashed collateral, the arbitrator's fee, a forfeited bond). So no agreement moves CIV
///   between two wallets untaxed: a many-wallet owner gains nothing by routing transfers through one.
/// - The arbitrator fee is earned only by ruling; otherwise it goes back to the proposer. The bond goes back
///   to the arbitrator except after a missed ruling, when it is shared between the two parties (earnings).
/// Life cycle (common part): Proposed -> (accept: the arbitrator bonds) Accepted -> (join: the counterparty
/// consents and deposits) Active -> kind-specific steps -> Settled | Defaulted | Ruled | NoShowResolved.
/// A kind without an arbitrator (a loan: on-chain repayment decides) goes Proposed -> (join) Active.
/// Proposed/Accepted -> (cancel) Cancelled. Every non-final state has a deadline after which anyone can move
/// the agreement on, so no CIV is ever stuck; no call creates CIV.
/// Deadlines: an action "before a deadline" is allowed while `block.timestamp <= deadline`, a timeout once
/// `block.timestamp > deadline`.
interface IBilateralAgreement is IAgreement {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice Where an agreement stands. `None` is the state of an id never made. Settled, Defaulted,
    /// Ruled, NoShowResolved and Cancelled are final.
    enum State {
        None,
        Proposed,
        Accepted,
        Active,
        Delivered,
        Disputed,
        Cancelled,
        Settled,
        Defaulted,
        Ruled,
        NoShowResolved
    }

    /// @notice The terms every kind shares; the proposer proposes them with the kind's own terms.
    /// @param counterparty The agent on the other side (borrower's lender, insured's insurer, seller's buyer).
    /// @param arbitrator The agent who rules a dispute; address(0) for a kind with no attestation (loan).
    /// @param arbitratorFee What the arbitrator earns by ruling, in wei, deposited by the proposer.
    /// @param joinDeadline The time (seconds) by which the arbitrator must accept and the counterparty join.
    /// @param dueDate The kind's main deadline (seconds): a loan's repayment, the end of an insurance's cover,
    /// a sale's reveal. At least {MIN_WINDOW} after `joinDeadline`, at most {MAX_HORIZON} from now.
    /// @param reviewWindow Seconds a party has to review a delivery (a sale's reveal) before it settles.
    /// Checked against [{MIN_WINDOW}, {MAX_WINDOW}] for every kind with an arbitrator; unused by a loan.
    /// @param rulingWindow Seconds the arbitrator has to rule once a dispute opens (same bounds; unused by a
    /// loan).
    /// @param termsHash The hash of the document at `termsURI`.
    /// @param termsURI Where the agreement's terms (for insurance: the named event) are published.
    struct Terms {
        address counterparty;
        address arbitrator;
        uint256 arbitratorFee;
        uint64 joinDeadline;
        uint64 dueDate;
        uint32 reviewWindow;
        uint32 rulingWindow;
        bytes32 termsHash;
        string termsURI;
    }

    /// @notice An agreement as stored (six slots). Agent ids are recorded at proposal.
    struct Agreement {
        address proposer;
        uint64 proposerId;
        State state;
        address counterparty;
        uint64 counterpartyId;
        uint32 reviewWindow;
        address arbitrator;
        uint64 arbitratorId;
        uint32 rulingWindow;
        uint128 proposerDeposit;
        uint128 counterpartyDeposit;
        uint128 arbitratorFee;
        uint128 bond;
        uint64 joinDeadline;
        uint64 dueDate;
        uint64 reviewDeadline;
        uint64 rulingDeadline;
    }

    /// @notice Where every wei paid out at the end of an agreement went, in wei. `…Principal` legs are
    /// returned untaxed (`returnPrincipal`), `…Earnings` legs are paid taxed (`payEarnings`; the tax and cap
    /// legs are in the token's `EarningsPaid` events).
    struct Payout {
        uint256 proposerPrincipal;
        uint256 proposerEarnings;
        uint256 counterpartyPrincipal;
        uint256 counterpartyEarnings;
        uint256 arbitratorPrincipal;
        uint256 arbitratorEarnings;
    }

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice The agreement is not in a state that allows the call.
    /// @param expectedStates Bitmap with bit `uint8(s)` set for each state that would allow it.
    error AgreementInvalidState(uint256 agreementId, State current, bytes32 expectedStates);

    /// @notice The caller has no role in this call for this agreement.
    error AgreementUnauthorized(uint256 agreementId, address caller);

    /// @notice The parties are not distinct, a required one is zero, or this kind takes no arbitrator and
    /// one was named.
    error AgreementInvalidParties(address proposer, address counterparty, address arbitrator);

    /// @notice The agent is not registered or not in good standing in the agent registry.
    error AgreementNotInGoodStanding(address agent);

    /// @notice The agreement's notional (principal, cover, price) is below {minAmount}.
    error AgreementAmountTooLow(uint256 amount, uint256 minAmount);

    /// @notice A deadline is outside the allowed range [earliest, latest] (seconds).
    error AgreementInvalidDeadline(uint256 deadline, uint256 earliest, uint256 latest);

    /// @notice A review or ruling window is outside [{MIN_WINDOW}, {MAX_WINDOW}] (seconds).
    error AgreementWindowOutOfBounds(uint256 window, uint256 minWindow, uint256 maxWindow);

    /// @notice The action's deadline has passed (`block.timestamp > deadline`).
    error AgreementDeadlinePassed(uint256 agreementId, uint256 deadline);

    /// @notice The timeout is not reached yet (`block.timestamp <= deadline`).
    error AgreementDeadlineNotPassed(uint256 agreementId, uint256 deadline);

    /// @notice A proposed arbitrator bond rate is outside its bounds.
    error AgreementBondBpsOutOfBounds(uint256 bondBps, uint256 minBondBps, uint256 maxBondBps);

    /// @notice A proposed minimum notional is outside its bounds (wei).
    error AgreementMinAmountOutOfBounds(uint256 amount, uint256 floor, uint256 ceiling);

    /// @notice A constructor address is zero.
    error AgreementZeroAddress();

    /// @notice The contract is not a protocol account on the token, so a deposit would be taxed.
    error AgreementNotProtocolAccount(address agreements);

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice An agreement was proposed and the proposer's deposit (with the arbitrator fee) taken.
    /// @param kind The contract's {kind}. @param terms The shared terms (the kind's own are in its event).
    /// @param proposerDeposit Wei the proposer deposited besides the fee. @param counterpartyDeposit Wei
    /// the counterparty must deposit to join. @param bond Wei the arbitrator must post to accept.
    event AgreementProposed(
        uint256 indexed agreementId,
        uint8 indexed kind,
        address indexed proposer,
        Terms terms,
        uint256 proposerDeposit,
        uint256 counterpartyDeposit,
        uint256 bond,
        uint256 proposerId,
        uint256 counterpartyId,
        uint256 arbitratorId
    );

    /// @notice The arbitrator accepted the role and posted `bond` wei.
    event AgreementAccepted(uint256 indexed agreementId, address indexed arbitrator, uint256 bond);

    /// @notice The counterparty joined and deposited `deposit` wei; the agreement is Active.
    event AgreementJoined(uint256 indexed agreementId, address indexed counterparty, uint256 deposit);

    /// @notice The agreement was cancelled before it became active; `proposerRefund` (deposit and fee) and
    /// `bondReturned` wei went back untaxed.
    event AgreementCancelled(
        uint256 indexed agreementId,
        address indexed by,
        uint256 proposerRefund,
        uint256 bondReturned
    );

    /// @notice A dispute opened; the arbitrator must rule by `rulingDeadline` (seconds).
    event AgreementDisputed(uint256 indexed agreementId, address indexed by, uint256 rulingDeadline);

    /// @notice A party submitted evidence (a URI) in a dispute.
    event AgreementEvidence(uint256 indexed agreementId, address indexed party, string evidenceURI);

    /// @notice The arbitrator ruled: for the proposer (`proposerWins`) or for the counterparty.
    event AgreementRuled(uint256 indexed agreementId, address indexed arbitrator, bool proposerWins);

    /// @notice The agreement ended in `outcome` (a final state), moved by `by`; `payout` is every wei paid.
    event AgreementSettled(uint256 indexed agreementId, State indexed outcome, address indexed by, Payout payout);

    /// @notice The arbitrator bond rate changed (applies to agreements proposed afterwards).
    event ArbitratorBondBpsUpdated(uint256 oldBondBps, uint256 newBondBps);

    /// @notice The minimum notional changed (applies to agreements proposed afterwards), in wei.
    event MinAmountUpdated(uint256 oldAmount, uint256 newAmount);

    /// @notice The registry refused a reputation report (for example this contract lacks its REPORTER_ROLE).
    /// Settlement goes on regardless: funds never wait on the registry; no report is dropped silently.
    /// Appended for issue 17's reputation rules (docs/agreements.md, "Reputation").
    /// @param agreementId The agreement the report was about.
    /// @param agentId The agent the report was about (recorded at proposal).
    /// @param delta The change that was not recorded, in points (after scaling).
    /// @param reason The reason code (left-aligned ASCII, e.g. "agreement.performed").
    /// @param errorData The registry's revert data.
    event AgreementReputationReportFailed(
        uint256 indexed agreementId,
        uint256 indexed agentId,
        int256 delta,
        bytes32 reason,
        bytes errorData
    );

    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @notice The role that sets {arbitratorBondBps} and {minAmount} (the timelock).
    function PARAMETER_ROLE() external view returns (bytes32);

    // Reputation (docs/agreements.md, "Reputation"): the escrow's numbers (contracts/escrow/Escrow.sol, equal
    // by test/agreements/Reputation.test.ts) and its credit formula (contracts/lib/ReputationCredit.sol). A positive delta is
    // the full value for a deal that paid at least {REPUTATION_FULL_CREDIT_AMOUNT} in earnings, scaled down
    // below that, divided by (1 + the streak of deals in a row with the same counterparty), whole points
    // only; a negative delta is reported as is.

    /// @notice The earnings a deal must pay for a positive delta in full: 2,500 CIV, in wei.
    function REPUTATION_FULL_CREDIT_AMOUNT() external view returns (uint256);

    /// @notice +10 (scaled) for the party that performed: a borrower that repaid, a seller whose forward or
    /// information settled as delivered, an insurer that paid a claim or whose cover expired unclaimed.
    function DELTA_PERFORMED() external view returns (int256);

    /// @notice +2 (scaled) for the other party of a performed deal, that paid or lent (not when silent).
    function DELTA_PAID() external view returns (int256);

    /// @notice -2 for a buyer that left an attested delivery unanswered past its review deadline.
    function DELTA_SILENT() external view returns (int256);

    /// @notice -15 for a defaulter: a borrower that did not repay, a seller that did not deliver or reveal,
    /// a buyer that refused delivered credits.
    function DELTA_DEFAULTED() external view returns (int256);

    /// @notice +5 (scaled) for the winner of a ruling.
    function DELTA_DISPUTE_WON() external view returns (int256);

    /// @notice -5 for the loser of a ruling.
    function DELTA_DISPUTE_LOST() external view returns (int256);

    /// @notice +5 (scaled) for an arbitrator that ruled in time.
    function DELTA_RULED() external view returns (int256);

    /// @notice -20 for an arbitrator that missed its ruling deadline.
    function DELTA_ARBITRATOR_NO_SHOW() external view returns (int256);

    /// @notice Shortest review or ruling window, and shortest gap between join deadline and due date: 1 hour.
    function MIN_WINDOW() external view returns (uint32);

    /// @notice Longest review or ruling window: 30 days.
    function MAX_WINDOW() external view returns (uint32);

    /// @notice Furthest a due date may be from the proposal: 365 days.
    function MAX_HORIZON() external view returns (uint64);

    /// @notice Bounds of {arbitratorBondBps}: [100, 5,000] bps.
    function MIN_ARBITRATOR_BOND_BPS() external view returns (uint256);

    /// @notice See {MIN_ARBITRATOR_BOND_BPS}.
    function MAX_ARBITRATOR_BOND_BPS() external view returns (uint256);

    /// @notice Bounds of {minAmount}: [10^15, 10^22] wei.
    function MIN_AMOUNT_FLOOR() external view returns (uint256);

    /// @notice See {MIN_AMOUNT_FLOOR}.
    function MIN_AMOUNT_CEILING() external view returns (uint256);

    /// @notice The share of a forfeited bond, and of a disputed price or cover, that goes to the proposer
    /// when the arbitrator misses its ruling deadline: 5,000 bps (the escrow's no-show split).
    function NO_SHOW_PROPOSER_BPS() external view returns (uint256);

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice The CIV token.
    function token() external view returns (address);

    /// @notice The agent registry (good standing, agent ids).
    function registry() external view returns (address);

    /// @notice The arbitrator's bond, in bps of the agreement's notional, for agreements proposed now.
    function arbitratorBondBps() external view returns (uint256);

    /// @notice The smallest notional (principal, cover, price) an agreement may have, in wei.
    function minAmount() external view returns (uint256);

    /// @notice An agreement as stored (all zero for an id never made).
    function agreementOf(uint256 agreementId) external view returns (Agreement memory);

    /// @notice Wei the contract holds for the agreement now (what its settlement will pay out).
    function heldFor(uint256 agreementId) external view returns (uint256);

    /// @notice An agent's reputation credit in this contract: the fraction of a point carried (credit units,
    /// below {REPUTATION_FULL_CREDIT_AMOUNT}), its last settled deal's counterparty (agent id) and the streak
    /// with it (previous deals in a row with that counterparty).
    function reputationCreditOf(
        uint256 agentId
    ) external view returns (uint256 remainder, uint256 lastCounterpartyId, uint256 streak);

    /*//////////////////////////////////////////////////////////////
                                ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice The named arbitrator accepts the role and posts its bond. Only the arbitrator, while Proposed,
    /// until the join deadline, in good standing.
    /// @dev Throws {AgreementInvalidState}, {AgreementUnauthorized}, {AgreementDeadlinePassed},
    /// {AgreementNotInGoodStanding}, {AgreementNotProtocolAccount}. Emits {AgreementAccepted}.
    function accept(uint256 agreementId) external;

    /// @notice The counterparty consents and deposits its side; the agreement becomes Active. Only the
    /// counterparty, while Accepted (Proposed for a kind with no arbitrator), until the join deadline; both
    /// parties in good standing.
    /// @dev Throws {AgreementInvalidState}, {AgreementUnauthorized}, {AgreementDeadlinePassed},
    /// {AgreementNotInGoodStanding}, {AgreementNotProtocolAccount}. Emits {AgreementJoined}.
    function join(uint256 agreementId) external;

    /// @notice Cancels an agreement that is not active yet, returning the proposer's deposit and fee and the
    /// bond. The proposer or the counterparty (declining) at any time; anyone after the join deadline.
    /// @dev Throws {AgreementInvalidState}, {AgreementUnauthorized}. Emits {AgreementCancelled}.
    function cancel(uint256 agreementId) external;

    /// @notice A party adds evidence to an open dispute.
    /// @dev Throws {AgreementInvalidState}, {AgreementUnauthorized}. Emits {AgreementEvidence}.
    function submitEvidence(uint256 agreementId, string calldata evidenceURI) external;

    /// @notice The arbitrator rules a dispute, by the ruling deadline; it earns its fee and gets its bond
    /// back. What each side gets is the kind's (docs/agreements.md). Reputation: {DELTA_RULED} (scaled by the
    /// earnings paid, fee included) to the arbitrator, {DELTA_DISPUTE_WON} (scaled) to the winner,
    /// {DELTA_DISPUTE_LOST} to the loser.
    /// @dev Throws {AgreementInvalidState}, {AgreementUnauthorized}, {AgreementDeadlinePassed}.
    /// Emits {AgreementRuled}, {AgreementSettled}, and {AgreementReputationReportFailed} if the registry
    /// refuses a report.
    function rule(uint256 agreementId, bool proposerWins) external;

    /// @notice Anyone ends a dispute whose ruling deadline passed: the bond is shared between the parties
    /// ({NO_SHOW_PROPOSER_BPS}), the fee goes back to the proposer, and the kind splits the rest. Reputation:
    /// {DELTA_ARBITRATOR_NO_SHOW} to the arbitrator.
    /// @dev Throws {AgreementInvalidState}, {AgreementDeadlineNotPassed}. Emits {AgreementSettled}, and
    /// {AgreementReputationReportFailed} if the registry refuses the report.
    function resolveNoShow(uint256 agreementId) external;

    /// @notice Sets {arbitratorBondBps}. Only {PARAMETER_ROLE}.
    /// @dev Throws {AgreementBondBpsOutOfBounds}. Emits {ArbitratorBondBpsUpdated}.
    function setArbitratorBondBps(uint256 newBondBps) external;

    /// @notice Sets {minAmount}, in wei. Only {PARAMETER_ROLE}.
    /// @dev Throws {AgreementMinAmountOutOfBounds}. Emits {MinAmountUpdated}.
    function setMinAmount(uint256 newAmount) external;
}
