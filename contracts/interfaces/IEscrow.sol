// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IEscrow
/// @notice Three-party job escrow: a client hires a provider; a named arbitrator stands ready to settle a
/// dispute and posts a bond to take the role. Every phase has a deadline after which someone can move the
/// funds out, and every outcome writes reputation through the agent registry.
/// @dev Money (all amounts in wei of CIV, rates in bps, 10,000 = 100%, times in seconds):
/// - The client deposits `amount + arbitratorFee` when funding (untaxed deposit into a protocol account).
/// - The arbitrator deposits `bond = ceil(amount * arbitratorBondBps / 10_000)` when accepting.
/// - The protocol fee is charged only on what the provider is paid: of a provider share `s` of `amount`,
///   `protocolFee = s * protocolFeeBps / 10_000` (rounded down) goes to the Treasury (plain transfer) and
///   `s - protocolFee` is paid to the provider as earnings through `token.payEarnings` (taxed, capped).
///   The part of `amount` not given to the provider is refunded to the client (plain transfer).
/// - The arbitrator fee is earned only by ruling a dispute (paid through `token.payEarnings`); in every
///   other outcome it is refunded to the client with the rest of its deposit.
/// - The bond goes back to the arbitrator (plain transfer) in every outcome except a missed ruling, where
///   it is shared between client and provider (provider `bond / 2`, client the rest; plain transfers).
/// - `arbitratorBondBps` and `protocolFeeBps` are read at creation and fixed for the escrow's life.
/// Life cycle: Created -> (agree: the provider consents) Agreed -> (accept: the arbitrator consents and
/// posts its bond) Accepted -> (fund) Funded -> (submit) Submitted -> (approve | claim) Completed, or
/// (dispute) Disputed -> (rule) Ruled | (resolveNoShow) NoShowResolved. Funded -> (reclaim) Refunded after
/// a missed delivery deadline. Created/Agreed/Accepted -> (cancel) Cancelled. Nothing binds a provider or
/// an arbitrator who did not consent, and funding leaves the provider at least {minDeliveryWindow}.
/// Reputation (docs/escrow.md): every outcome is reported by agent id (ids recorded at creation), so it
/// lands on the agent that took the role whatever its wallet does later. Negative deltas apply in full;
/// positive ones are scaled by the value the job actually paid (up to {REPUTATION_FULL_CREDIT_AMOUNT} for
/// full credit) and divided by `1 + streak`, `streak` being how many jobs in a row the agent settled with
/// the same counterparty; fractions are carried per agent until they make a whole point.
/// Kinds: every escrow stores a `kind`; this contract accepts only {KIND_JOB}. Other agreement kinds are
/// added by deploying a contract for them (escrows here keep the rules of the kind they were created with;
/// nothing migrates).
interface IEscrow {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice Where an escrow stands. `None` is the state of an id never created.
    enum State {
        None,
        Created,
        Agreed,
        Accepted,
        Funded,
        Submitted,
        Disputed,
        Cancelled,
        Refunded,
        Completed,
        Ruled,
        NoShowResolved
    }

    /// @notice The terms the client proposes at creation; the provider consents to them ({agree}), then the
    /// arbitrator accepts them by posting its bond ({accept}).
    /// @param kind The agreement kind; only {KIND_JOB} (0) is accepted by this contract.
    /// @param provider The agent doing the job.
    /// @param arbitrator The agent settling a dispute.
    /// @param amount The job's price, in wei (at most 2^128 - 1).
    /// @param arbitratorFee The fee the arbitrator earns by ruling a dispute, in wei (at most 2^128 - 1).
    /// @param deliveryDeadline The time (seconds since epoch) by which the escrow must be funded and the
    /// deliverable submitted.
    /// @param reviewWindow The time the client has after submission to approve or dispute, in seconds.
    /// @param rulingWindow The time the arbitrator has after a dispute opens to rule, in seconds.
    /// @param termsHash The hash of the document at `termsURI` (e.g. keccak256 of its bytes).
    /// @param termsURI Where the job's terms are published (also emitted as ERC-1497 `MetaEvidence`).
    struct Terms {
        uint8 kind;
        address provider;
        address arbitrator;
        uint256 amount;
        uint256 arbitratorFee;
        uint64 deliveryDeadline;
        uint32 reviewWindow;
        uint32 rulingWindow;
        bytes32 termsHash;
        string termsURI;
    }

    /// @notice A job as {escrowOf} returns it. The escrow stores it in five slots (four written by `create`, the
    /// fifth only by a dispute or a rating; the bond is stored as its rate and recomputed with the same rounding),
    /// so stored amounts and fees are below 2^96 wei and agent ids below 2^48. The terms hash is not stored:
    /// {EscrowCreated} carries it. Agent ids fit in 64 bits (the registry numbers agents from 1, one per
    /// registration).
    /// @param client The agent who created and funds the job (its wallet at creation).
    /// @param clientId The client's agent id, recorded at creation: its reputation is reported to this id.
    /// @param reviewWindow See {Terms}.
    /// @param provider See {Terms}.
    /// @param providerId The provider's agent id, recorded at creation.
    /// @param rulingWindow See {Terms}.
    /// @param arbitrator See {Terms}.
    /// @param arbitratorId The arbitrator's agent id, recorded at creation.
    /// @param protocolFeeBps The protocol fee fixed at creation, in bps.
    /// @param kind See {Terms}.
    /// @param state The current state.
    /// @param amount See {Terms}.
    /// @param arbitratorFee See {Terms}.
    /// @param bond The arbitrator's bond fixed at creation, in wei.
    /// @param deliveryDeadline See {Terms}.
    /// @param reviewDeadline The end of the client's review window (0 until submission), in seconds.
    /// @param rulingDeadline The time by which the arbitrator must rule (0 until a dispute), in seconds.
    /// @param clientRating The client's rating of the provider (0 none, +1 or -1).
    /// @param providerRating The provider's rating of the client (0 none, +1 or -1).
    struct Job {
        address client;
        uint64 clientId;
        uint32 reviewWindow;
        address provider;
        uint64 providerId;
        uint32 rulingWindow;
        address arbitrator;
        uint64 arbitratorId;
        uint16 protocolFeeBps;
        uint8 kind;
        State state;
        uint128 amount;
        uint128 arbitratorFee;
        uint128 bond;
        uint64 deliveryDeadline;
        uint64 reviewDeadline;
        uint64 rulingDeadline;
        int8 clientRating;
        int8 providerRating;
    }

    /// @notice Every wei an escrow paid out when it closed. The sum of all fields is what it held:
    /// `providerGross + protocolFee + clientRefund + arbitratorFeePaid + bondToArbitrator + bondToClient
    /// + bondToProvider = amount + arbitratorFee + bond` (for a cancel: the bond, or 0 when not posted).
    /// @param providerGross Paid to the provider as earnings through `payEarnings` (before tax), in wei.
    /// @param protocolFee Sent to the Treasury, in wei.
    /// @param clientRefund Refunded to the client (its share of `amount` plus any unearned arbitrator fee).
    /// @param arbitratorFeePaid Paid to the arbitrator as earnings through `payEarnings`, in wei.
    /// @param bondToArbitrator The bond returned to the arbitrator, in wei.
    /// @param bondToClient The client's share of a forfeited bond, in wei.
    /// @param bondToProvider The provider's share of a forfeited bond, in wei.
    struct Payout {
        uint256 providerGross;
        uint256 protocolFee;
        uint256 clientRefund;
        uint256 arbitratorFeePaid;
        uint256 bondToArbitrator;
        uint256 bondToClient;
        uint256 bondToProvider;
    }

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice The escrow is not in a state that allows the call (after OpenZeppelin's
    /// `GovernorUnexpectedProposalState`).
    /// @param escrowId The escrow.
    /// @param current Its current state.
    /// @param expectedStates The states that would allow the call, as a bitmap: bit `uint8(s)` set for each
    /// allowed state `s` (counting from the least significant bit).
    error EscrowInvalidState(uint256 escrowId, State current, bytes32 expectedStates);

    /// @notice The caller may not make this call on this escrow.
    /// @param escrowId The escrow.
    /// @param caller The rejected caller.
    error EscrowUnauthorized(uint256 escrowId, address caller);

    /// @notice This contract does not handle the agreement kind asked for.
    /// @param kind The rejected kind.
    error EscrowUnsupportedKind(uint8 kind);

    /// @notice Client, provider and arbitrator must be three distinct non-zero addresses.
    /// @param client The client.
    /// @param provider The proposed provider.
    /// @param arbitrator The proposed arbitrator.
    error EscrowInvalidParties(address client, address provider, address arbitrator);

    /// @notice An agent taking a role is not in good standing in the agent registry.
    /// @param agent The agent's wallet.
    error EscrowNotInGoodStanding(address agent);

    /// @notice The job's amount is below {minJobAmount} (so that no fee, tax or bond rounds to zero on a
    /// job that moves reputation; security issue 20 #6).
    /// @param amount The rejected amount, in wei.
    /// @param minJobAmount The smallest amount allowed, in wei.
    error EscrowAmountTooLow(uint256 amount, uint256 minJobAmount);

    /// @notice The delivery deadline must leave at least {minDeliveryWindow} from now and lie at most
    /// {MAX_DELIVERY_HORIZON} ahead.
    /// @param deliveryDeadline The rejected deadline, in seconds since epoch.
    /// @param earliest The earliest deadline allowed now (`block.timestamp + minDeliveryWindow`).
    /// @param latest The latest deadline allowed now, in seconds since epoch.
    error EscrowInvalidDeadline(uint256 deliveryDeadline, uint256 earliest, uint256 latest);

    /// @notice Funding now would leave the provider less than {minDeliveryWindow} before the delivery
    /// deadline (security issue 20 #5: a job cannot be funded too late to be delivered).
    /// @param escrowId The escrow.
    /// @param deliveryDeadline The escrow's delivery deadline, in seconds since epoch.
    /// @param earliestDeadline The earliest deadline funding allows now (`block.timestamp +
    /// minDeliveryWindow`), in seconds since epoch.
    error EscrowDeliveryWindowTooShort(uint256 escrowId, uint256 deliveryDeadline, uint256 earliestDeadline);

    /// @notice The minimum delivery window lies outside [{MIN_DELIVERY_WINDOW_FLOOR},
    /// {MIN_DELIVERY_WINDOW_CEILING}].
    /// @param window The rejected window, in seconds.
    /// @param floor The lowest value, in seconds.
    /// @param ceiling The highest value, in seconds.
    error EscrowMinDeliveryWindowOutOfBounds(uint256 window, uint256 floor, uint256 ceiling);

    /// @notice The minimum job amount lies outside [{MIN_JOB_AMOUNT_FLOOR}, {MIN_JOB_AMOUNT_CEILING}].
    /// @param amount The rejected amount, in wei.
    /// @param floor The lowest value, in wei.
    /// @param ceiling The highest value, in wei.
    error EscrowMinJobAmountOutOfBounds(uint256 amount, uint256 floor, uint256 ceiling);

    /// @notice A review or ruling window lies outside [{MIN_WINDOW}, {MAX_WINDOW}].
    /// @param window The rejected window, in seconds.
    /// @param minWindow The shortest window, in seconds.
    /// @param maxWindow The longest window, in seconds.
    error EscrowWindowOutOfBounds(uint256 window, uint256 minWindow, uint256 maxWindow);

    /// @notice The call came too early: the deadline it waits for has not passed.
    /// @param escrowId The escrow.
    /// @param deadline The deadline, in seconds since epoch; the call is allowed once `block.timestamp > deadline`.
    error EscrowDeadlineNotPassed(uint256 escrowId, uint256 deadline);

    /// @notice The call came too late: its deadline has passed.
    /// @param escrowId The escrow.
    /// @param deadline The deadline, in seconds since epoch; the call was allowed while `block.timestamp <= deadline`.
    error EscrowDeadlinePassed(uint256 escrowId, uint256 deadline);

    /// @notice A ruling gave the provider more than 100%.
    /// @param providerBps The rejected share, in bps.
    error EscrowInvalidRuling(uint256 providerBps);

    /// @notice A rating must be +1 or -1.
    /// @param score The rejected score.
    error EscrowInvalidRating(int8 score);

    /// @notice This party has already rated the other on this escrow.
    /// @param escrowId The escrow.
    /// @param rater The party who rated.
    error EscrowAlreadyRated(uint256 escrowId, address rater);

    /// @notice The arbitrator bond rate lies outside its bounds.
    /// @param bondBps The rejected rate, in bps.
    /// @param minBondBps The lowest rate, in bps ({MIN_ARBITRATOR_BOND_BPS}).
    /// @param maxBondBps The highest rate, in bps ({MAX_ARBITRATOR_BOND_BPS}).
    error EscrowBondBpsOutOfBounds(uint256 bondBps, uint256 minBondBps, uint256 maxBondBps);

    /// @notice The protocol fee rate lies above its bound.
    /// @param feeBps The rejected rate, in bps.
    /// @param maxFeeBps The highest rate, in bps ({MAX_PROTOCOL_FEE_BPS}).
    error EscrowProtocolFeeTooHigh(uint256 feeBps, uint256 maxFeeBps);

    /// @notice A constructor address was zero.
    error EscrowZeroAddress();

    /// @notice This contract is not (or no longer) a protocol account on the token, so a deposit would be
    /// taxed and earnings could not be paid; deposits are refused until governance marks it.
    /// @param escrow This contract's address.
    error EscrowNotProtocolAccount(address escrow);

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice A client created an escrow. Carries every term, so the indexer needs no call.
    /// @param escrowId The new escrow's id (ids start at 1).
    /// @param client The client.
    /// @param provider The provider (also in `terms`).
    /// @param terms The terms as proposed (kind, parties, amounts, deadline, windows, terms URI and hash).
    /// @param bond The bond the arbitrator must post to accept, in wei.
    /// @param protocolFeeBps The protocol fee fixed for this escrow, in bps.
    /// @param clientId The client's agent id, to which its reputation is reported.
    /// @param providerId The provider's agent id.
    /// @param arbitratorId The arbitrator's agent id.
    event EscrowCreated(
        uint256 indexed escrowId,
        address indexed client,
        address indexed provider,
        Terms terms,
        uint256 bond,
        uint256 protocolFeeBps,
        uint256 clientId,
        uint256 providerId,
        uint256 arbitratorId
    );

    /// @notice The provider consented to the job (its terms as in {EscrowCreated}); the arbitrator may now
    /// accept.
    /// @param escrowId The escrow.
    /// @param provider The provider.
    event ProviderAgreed(uint256 indexed escrowId, address indexed provider);

    /// @notice The arbitrator accepted the role and deposited its bond.
    /// @param escrowId The escrow.
    /// @param arbitrator The arbitrator.
    /// @param bond The bond deposited, in wei.
    event ArbitratorAccepted(uint256 indexed escrowId, address indexed arbitrator, uint256 bond);

    /// @notice The client deposited the job's amount and the arbitrator fee.
    /// @param escrowId The escrow.
    /// @param client The client.
    /// @param amount The job's amount deposited, in wei.
    /// @param arbitratorFee The arbitrator fee deposited, in wei.
    event EscrowFunded(uint256 indexed escrowId, address indexed client, uint256 amount, uint256 arbitratorFee);

    /// @notice The escrow was cancelled before funding.
    /// @param escrowId The escrow.
    /// @param by Who cancelled.
    /// @param bondReturned The bond returned to the arbitrator (0 when it had not accepted), in wei.
    event EscrowCancelled(uint256 indexed escrowId, address indexed by, uint256 bondReturned);

    /// @notice The provider submitted the deliverable; the client's review window opened.
    /// @param escrowId The escrow.
    /// @param provider The provider.
    /// @param deliverableURI Where the deliverable is.
    /// @param deliverableHash The hash of the deliverable.
    /// @param reviewDeadline The end of the review window, in seconds since epoch.
    event DeliverableSubmitted(
        uint256 indexed escrowId,
        address indexed provider,
        string deliverableURI,
        bytes32 deliverableHash,
        uint256 reviewDeadline
    );

    /// @notice The client disputed the deliverable. Followed by ERC-1497 {Dispute} and {Evidence}.
    /// @param escrowId The escrow.
    /// @param client The client.
    /// @param rulingDeadline The time by which the arbitrator must rule, in seconds since epoch.
    event EscrowDisputed(uint256 indexed escrowId, address indexed client, uint256 rulingDeadline);

    /// @notice The arbitrator ruled. Followed by ERC-792 {Ruling} and {EscrowSettled}.
    /// @param escrowId The escrow.
    /// @param arbitrator The arbitrator.
    /// @param providerBps The provider's share of the amount, in bps.
    event EscrowRuled(uint256 indexed escrowId, address indexed arbitrator, uint256 providerBps);

    /// @notice An escrow closed and paid out. Emitted once per funded escrow, after all transfers.
    /// @param escrowId The escrow.
    /// @param outcome The final state (Refunded, Completed, Ruled or NoShowResolved).
    /// @param by Who triggered the settlement.
    /// @param payout Every wei paid out and to whom (see {Payout}).
    event EscrowSettled(uint256 indexed escrowId, State indexed outcome, address indexed by, Payout payout);

    /// @notice A party rated the other after settlement.
    /// @param escrowId The escrow.
    /// @param rater The party who rated.
    /// @param ratee The party rated.
    /// @param score +1 or -1.
    event EscrowRated(uint256 indexed escrowId, address indexed rater, address indexed ratee, int8 score);

    /// @notice The registry refused a reputation report (for example this contract lacks the reporter role).
    /// Settlement goes on regardless: funds never wait on the registry; no report is dropped silently.
    /// @param escrowId The escrow the report was about.
    /// @param agentId The agent the report was about (recorded at creation).
    /// @param delta The change that was not recorded (in points, after scaling).
    /// @param reason The reason code.
    /// @param errorData The registry's revert data.
    event ReputationReportFailed(
        uint256 indexed escrowId,
        uint256 indexed agentId,
        int256 delta,
        bytes32 reason,
        bytes errorData
    );

    /// @notice The minimum delivery window left at funding changed.
    /// @param oldWindow The previous window, in seconds.
    /// @param newWindow The new window, in seconds.
    event MinDeliveryWindowUpdated(uint256 oldWindow, uint256 newWindow);

    /// @notice The minimum job amount for new escrows changed.
    /// @param oldAmount The previous amount, in wei.
    /// @param newAmount The new amount, in wei.
    event MinJobAmountUpdated(uint256 oldAmount, uint256 newAmount);

    /// @notice The arbitrator bond rate for new escrows changed.
    /// @param oldBondBps The previous rate, in bps.
    /// @param newBondBps The new rate, in bps.
    event ArbitratorBondBpsUpdated(uint256 oldBondBps, uint256 newBondBps);

    /// @notice The protocol fee rate for new escrows changed.
    /// @param oldFeeBps The previous rate, in bps.
    /// @param newFeeBps The new rate, in bps.
    event ProtocolFeeBpsUpdated(uint256 oldFeeBps, uint256 newFeeBps);

    /// @notice ERC-1497: the terms of a dispute's agreement. Emitted at creation with the terms URI.
    /// @param _metaEvidenceID The escrow id.
    /// @param _evidence The terms URI.
    event MetaEvidence(uint256 indexed _metaEvidenceID, string _evidence);

    /// @notice ERC-1497: a dispute was raised. Dispute, meta-evidence and evidence group ids are the escrow id.
    /// @param _arbitrator The arbitrator.
    /// @param _disputeID The escrow id.
    /// @param _metaEvidenceID The escrow id.
    /// @param _evidenceGroupID The escrow id.
    event Dispute(
        address indexed _arbitrator,
        uint256 indexed _disputeID,
        uint256 _metaEvidenceID,
        uint256 _evidenceGroupID
    );

    /// @notice ERC-1497: a party submitted evidence in a dispute.
    /// @param _arbitrator The arbitrator.
    /// @param _evidenceGroupID The escrow id.
    /// @param _party The client or the provider.
    /// @param _evidence The evidence URI.
    event Evidence(
        address indexed _arbitrator,
        uint256 indexed _evidenceGroupID,
        address indexed _party,
        string _evidence
    );

    /// @notice ERC-792: the arbitrator gave a ruling (here the provider's share in bps).
    /// @param _arbitrator The arbitrator.
    /// @param _disputeID The escrow id.
    /// @param _ruling The provider's share of the amount, in bps.
    event Ruling(address indexed _arbitrator, uint256 indexed _disputeID, uint256 _ruling);

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice The only kind this contract accepts: a job (0).
    function KIND_JOB() external view returns (uint8);

    /// @notice The shortest review or ruling window: 1 hour (3,600 s).
    function MIN_WINDOW() external view returns (uint32);

    /// @notice The longest review or ruling window: 30 days (2,592,000 s).
    function MAX_WINDOW() external view returns (uint32);

    /// @notice How far ahead a delivery deadline may lie at creation: 365 days (31,536,000 s).
    function MAX_DELIVERY_HORIZON() external view returns (uint64);

    /// @notice The provider's share of the amount when the arbitrator misses its ruling deadline: 5,000 bps.
    function NO_SHOW_PROVIDER_BPS() external view returns (uint256);

    /// @notice Bounds of {arbitratorBondBps}: [100, 5,000] bps.
    function MIN_ARBITRATOR_BOND_BPS() external view returns (uint256);

    /// @notice See {MIN_ARBITRATOR_BOND_BPS}.
    function MAX_ARBITRATOR_BOND_BPS() external view returns (uint256);

    /// @notice Upper bound of {protocolFeeBps}: 1,000 bps.
    function MAX_PROTOCOL_FEE_BPS() external view returns (uint256);

    /// @notice Bounds of {minDeliveryWindow}: [1 hour, 7 days] (3,600 s, 604,800 s).
    function MIN_DELIVERY_WINDOW_FLOOR() external view returns (uint64);

    /// @notice See {MIN_DELIVERY_WINDOW_FLOOR}.
    function MIN_DELIVERY_WINDOW_CEILING() external view returns (uint64);

    /// @notice Bounds of {minJobAmount}: [0.001 CIV, 10,000 CIV] (10^15 wei, 10^22 wei).
    function MIN_JOB_AMOUNT_FLOOR() external view returns (uint256);

    /// @notice See {MIN_JOB_AMOUNT_FLOOR}.
    function MIN_JOB_AMOUNT_CEILING() external view returns (uint256);

    /// @notice The value a job must pay (provider share plus arbitrator fee earned) for a positive delta to
    /// count in full: 2,500 CIV (2.5 * 10^21 wei). A job paying less earns that fraction of it. Chosen so
    /// that taking an agent from 0 to +500 through a ring of one's own wallets costs over 10,000 CIV of
    /// tax and fees at the default 10% tax and 1% fee (docs/security.md, section 6).
    function REPUTATION_FULL_CREDIT_AMOUNT() external view returns (uint256);

    /// @notice Provider, job completed (approved or claimed): +10 at full credit ("escrow.completed").
    function DELTA_COMPLETED() external view returns (int256);

    /// @notice Client, job approved: +2 at full credit ("escrow.paid").
    function DELTA_PAID() external view returns (int256);

    /// @notice Client, review window passed in silence: -2 ("escrow.clientSilent").
    function DELTA_CLIENT_SILENT() external view returns (int256);

    /// @notice Provider, delivery deadline missed: -15 ("escrow.deliveryMissed").
    function DELTA_DELIVERY_MISSED() external view returns (int256);

    /// @notice Winner of a ruling (share above or below half): +5 at full credit ("escrow.disputeWon").
    function DELTA_DISPUTE_WON() external view returns (int256);

    /// @notice Loser of a ruling: -5 ("escrow.disputeLost").
    function DELTA_DISPUTE_LOST() external view returns (int256);

    /// @notice Arbitrator, ruled in time: +5 at full credit ("escrow.ruled").
    function DELTA_RULED() external view returns (int256);

    /// @notice Arbitrator, ruling deadline missed: -20 ("escrow.arbitratorNoShow").
    function DELTA_ARBITRATOR_NO_SHOW() external view returns (int256);

    /// @notice A rating: +1 at full credit (only after a completed job) or -1 ("escrow.rating").
    function DELTA_RATING() external view returns (int256);

    /// @notice The role allowed to set {arbitratorBondBps}, {protocolFeeBps}, {minDeliveryWindow} and
    /// {minJobAmount}.
    function PARAMETER_ROLE() external view returns (bytes32);

    /// @notice The CIV token held in escrow.
    function token() external view returns (address);

    /// @notice The agent registry asked for good standing and written reputation.
    function registry() external view returns (address);

    /// @notice The bond rate for new escrows, in bps of the amount (default 1,000).
    function arbitratorBondBps() external view returns (uint256);

    /// @notice The protocol fee rate for new escrows, in bps of the provider's share (default 100).
    function protocolFeeBps() external view returns (uint256);

    /// @notice The time a provider is guaranteed between funding and the delivery deadline, in seconds
    /// (default 1 day): `fund` refuses to start a job with less left.
    function minDeliveryWindow() external view returns (uint256);

    /// @notice The smallest job amount for new escrows, in wei (default 1 CIV).
    function minJobAmount() external view returns (uint256);

    /// @notice The reputation credit an agent carries towards its next point, and the counterparty streak
    /// that divides its next credit (see the contract's reputation rule).
    /// @param agentId The agent.
    /// @return remainder Fraction of a point carried, in units of 1 / {REPUTATION_FULL_CREDIT_AMOUNT} point.
    /// @return lastCounterpartyId The counterparty of the agent's last settled job (0 for none).
    /// @return streak How many jobs in a row before the last one the agent settled with that counterparty.
    function reputationCreditOf(
        uint256 agentId
    ) external view returns (uint256 remainder, uint256 lastCounterpartyId, uint256 streak);

    /// @notice How many escrows were created; ids run from 1 to this number.
    function escrowCount() external view returns (uint256);

    /// @notice A job (all zero for an unknown id), see {Job}.
    function escrowOf(uint256 escrowId) external view returns (Job memory);

    /*//////////////////////////////////////////////////////////////
                                ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice Creates an escrow; the caller is the client. Nothing is deposited yet.
    /// @dev The client, provider and arbitrator must be distinct and in good standing; their agent ids are
    /// recorded. `amount >= minJobAmount`; the deadline in [now + minDeliveryWindow, now + 365 days].
    /// Throws {EscrowUnsupportedKind}, {EscrowInvalidParties}, {EscrowNotInGoodStanding},
    /// {EscrowAmountTooLow}, {EscrowInvalidDeadline}, {EscrowWindowOutOfBounds}, OpenZeppelin's
    /// `SafeCastOverflowedUintDowncast`. Emits {EscrowCreated} and ERC-1497 {MetaEvidence}.
    /// @return escrowId The new escrow's id.
    function create(Terms calldata terms) external returns (uint256 escrowId);

    /// @notice The provider consents to the job; until it does, the job cannot be accepted or funded.
    /// @dev State Created, caller the provider, at or before the delivery deadline (security issue 20 #5:
    /// nothing binds a provider who did not consent). Throws {EscrowInvalidState}, {EscrowUnauthorized},
    /// {EscrowDeadlinePassed}. Emits {ProviderAgreed}.
    function agree(uint256 escrowId) external;

    /// @notice The arbitrator accepts the role by depositing its bond (needs an allowance for it).
    /// @dev State Agreed, caller the arbitrator, in good standing, before the delivery deadline.
    /// Throws {EscrowInvalidState}, {EscrowUnauthorized}, {EscrowNotInGoodStanding}, {EscrowDeadlinePassed},
    /// {EscrowNotProtocolAccount}, and the token's errors. Emits {ArbitratorAccepted}.
    function accept(uint256 escrowId) external;

    /// @notice The client deposits `amount + arbitratorFee` (needs an allowance for it).
    /// @dev State Accepted, caller the client, client and provider in good standing, at least
    /// {minDeliveryWindow} before the delivery deadline (`block.timestamp + minDeliveryWindow <=
    /// deliveryDeadline`). Throws {EscrowInvalidState}, {EscrowUnauthorized}, {EscrowNotInGoodStanding},
    /// {EscrowDeliveryWindowTooShort}, {EscrowNotProtocolAccount}, and the token's errors.
    /// Emits {EscrowFunded}.
    function fund(uint256 escrowId) external;

    /// @notice Like {fund}, with an ERC-2612 permit for `amount + arbitratorFee` in the same transaction.
    /// @dev A permit that fails (for example one already used by a front-runner) is ignored; funding then
    /// goes ahead if the allowance suffices.
    function fundWithPermit(uint256 escrowId, uint256 permitDeadline, uint8 v, bytes32 r, bytes32 s) external;

    /// @notice Either party cancels before funding; a posted bond goes back to the arbitrator. Once the
    /// delivery deadline has passed without funding, anyone may cancel.
    /// @dev State Created, Agreed or Accepted. Throws {EscrowInvalidState}, {EscrowUnauthorized}.
    /// Emits {EscrowCancelled}.
    function cancel(uint256 escrowId) external;

    /// @notice The provider submits the deliverable, opening the client's review window.
    /// @dev State Funded, caller the provider, at or before the delivery deadline. Throws {EscrowInvalidState},
    /// {EscrowUnauthorized}, {EscrowDeadlinePassed}. Emits {DeliverableSubmitted}.
    function submit(uint256 escrowId, string calldata deliverableURI, bytes32 deliverableHash) external;

    /// @notice The client approves the deliverable: the provider is paid (see the contract's money rules).
    /// @dev State Submitted, caller the client (also after the review window, until someone claims).
    /// Throws {EscrowInvalidState}, {EscrowUnauthorized}. Emits {EscrowSettled} (outcome Completed).
    function approve(uint256 escrowId) external;

    /// @notice The client disputes the deliverable within the review window, with an evidence URI.
    /// @dev State Submitted, caller the client, at or before the review deadline. Throws {EscrowInvalidState},
    /// {EscrowUnauthorized}, {EscrowDeadlinePassed}. Emits {EscrowDisputed}, ERC-1497 {Dispute} and {Evidence}.
    function dispute(uint256 escrowId, string calldata evidenceURI) external;

    /// @notice Client or provider adds evidence to an open dispute.
    /// @dev State Disputed. Throws {EscrowInvalidState}, {EscrowUnauthorized}. Emits ERC-1497 {Evidence}.
    function submitEvidence(uint256 escrowId, string calldata evidenceURI) external;

    /// @notice The arbitrator rules the provider's share of the amount, earning its fee and its bond back.
    /// @dev State Disputed, caller the arbitrator, at or before the ruling deadline, `providerBps <= 10_000`.
    /// Throws {EscrowInvalidState}, {EscrowUnauthorized}, {EscrowDeadlinePassed}, {EscrowInvalidRuling}.
    /// Emits {EscrowRuled}, ERC-792 {Ruling}, {EscrowSettled} (outcome Ruled).
    function rule(uint256 escrowId, uint256 providerBps) external;

    /// @notice After the review window passes without approval or dispute, anyone settles the escrow as
    /// completed: the provider is paid as on approval.
    /// @dev State Submitted, `block.timestamp > reviewDeadline`. Throws {EscrowInvalidState},
    /// {EscrowDeadlineNotPassed}. Emits {EscrowSettled} (outcome Completed).
    function claim(uint256 escrowId) external;

    /// @notice After the delivery deadline passes without submission, anyone refunds the client in full
    /// (amount and arbitrator fee) and returns the arbitrator's bond.
    /// @dev State Funded, `block.timestamp > deliveryDeadline`. Throws {EscrowInvalidState},
    /// {EscrowDeadlineNotPassed}. Emits {EscrowSettled} (outcome Refunded).
    function reclaim(uint256 escrowId) external;

    /// @notice After the ruling deadline passes without a ruling, anyone settles the dispute: the amount is
    /// split {NO_SHOW_PROVIDER_BPS} to the provider, the fee is refunded to the client and the bond is
    /// shared between client and provider.
    /// @dev State Disputed, `block.timestamp > rulingDeadline`. Throws {EscrowInvalidState},
    /// {EscrowDeadlineNotPassed}. Emits {EscrowSettled} (outcome NoShowResolved).
    function resolveNoShow(uint256 escrowId) external;

    /// @notice After settlement, client or provider rates the other once, +1 or -1. The rating is stored
    /// and reported to the registry as reputation of the rated party (reason "escrow.rating"): -1 in full,
    /// +1 scaled like every positive delta and only after a completed job (a refund or a dispute paid the
    /// rated party nothing to vouch for).
    /// @dev State Refunded, Completed, Ruled or NoShowResolved. Throws {EscrowInvalidState},
    /// {EscrowUnauthorized}, {EscrowInvalidRating}, {EscrowAlreadyRated}. Emits {EscrowRated}.
    function rate(uint256 escrowId, int8 score) external;

    /// @notice Sets the bond rate for escrows created from now on. Only the parameter role.
    /// @dev Throws {EscrowBondBpsOutOfBounds}, `AccessControlUnauthorizedAccount`.
    /// Emits {ArbitratorBondBpsUpdated}.
    function setArbitratorBondBps(uint256 newBondBps) external;

    /// @notice Sets the protocol fee rate for escrows created from now on. Only the parameter role.
    /// @dev Throws {EscrowProtocolFeeTooHigh}, `AccessControlUnauthorizedAccount`.
    /// Emits {ProtocolFeeBpsUpdated}.
    function setProtocolFeeBps(uint256 newFeeBps) external;

    /// @notice Sets the minimum delivery window funding must leave (applies to every later `fund`, and to
    /// the deadline check of later `create`s). Only the parameter role.
    /// @dev Throws {EscrowMinDeliveryWindowOutOfBounds}, `AccessControlUnauthorizedAccount`.
    /// Emits {MinDeliveryWindowUpdated}.
    function setMinDeliveryWindow(uint256 newWindow) external;

    /// @notice Sets the minimum job amount for escrows created from now on. Only the parameter role.
    /// @dev Throws {EscrowMinJobAmountOutOfBounds}, `AccessControlUnauthorizedAccount`.
    /// Emits {MinJobAmountUpdated}.
    function setMinJobAmount(uint256 newAmount) external;
}
