// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

/// @title AgenticCommerce
/// @notice The gas anchor for the escrow: a minimal, non-hooked ERC-8183 (Agentic Commerce) kernel written
/// from the ERC text: Open -> Funded -> Submitted -> Completed | Rejected | Expired, one ERC-20 for the
/// contract, an optional platform fee (bps) paid to a treasury on completion only. Benchmark use only
/// (bench/escrow-gas.ts); it carries none of Civitas's guarantees (bond, tax, cap, reputation).
contract AgenticCommerce is ReentrancyGuard {
    using SafeERC20 for IERC20;

    /// @notice The six job states of ERC-8183.
    enum JobStatus {
        Open,
        Funded,
        Submitted,
        Completed,
        Rejected,
        Expired
    }

    /// @notice One job (the fields ERC-8183 requires).
    struct Job {
        address client;
        address provider;
        address evaluator;
        address hook;
        JobStatus status;
        uint256 budget;
        uint256 expiredAt;
        string description;
    }

    /// @notice The caller may not perform this action on this job.
    error ACPUnauthorized(uint256 jobId, address caller);
    /// @notice The job is not in a state that allows this action.
    error ACPWrongStatus(uint256 jobId, JobStatus status);
    /// @notice Invalid job parameters.
    error ACPInvalidJob();
    /// @notice The budget changed since the client read it (front-running protection).
    error ACPBudgetMismatch(uint256 jobId, uint256 budget, uint256 expected);
    /// @notice The job has not expired yet.
    error ACPNotExpired(uint256 jobId, uint256 expiredAt);

    event JobCreated(
        uint256 indexed jobId,
        address indexed client,
        address indexed provider,
        address evaluator,
        uint256 expiredAt
    );
    event ProviderSet(uint256 indexed jobId, address indexed provider);
    event BudgetSet(uint256 indexed jobId, uint256 amount);
    event JobFunded(uint256 indexed jobId, address indexed client, uint256 amount);
    event JobSubmitted(uint256 indexed jobId, address indexed provider, bytes32 deliverable);
    event JobCompleted(uint256 indexed jobId, address indexed evaluator, bytes32 reason);
    event JobRejected(uint256 indexed jobId, address indexed rejector, bytes32 reason);
    event JobExpired(uint256 indexed jobId);
    event PaymentReleased(uint256 indexed jobId, address indexed provider, uint256 amount, uint256 fee);
    event Refunded(uint256 indexed jobId, address indexed client, uint256 amount);

    /// @notice Basis-point denominator.
    uint256 public constant BPS = 10_000;
    /// @notice The payment token.
    IERC20 public immutable paymentToken;
    /// @notice Receives the platform fee.
    address public immutable treasury;
    /// @notice Platform fee on completion, in bps.
    uint256 public immutable feeBps;
    /// @notice Jobs created so far (ids start at 1).
    uint256 public jobCount;
    mapping(uint256 jobId => Job) private _jobs;

    constructor(IERC20 paymentToken_, address treasury_, uint256 feeBps_) {
        paymentToken = paymentToken_;
        treasury = treasury_;
        feeBps = feeBps_;
    }

    /// @notice The job's data.
    function getJob(uint256 jobId) external view returns (Job memory) {
        return _jobs[jobId];
    }

    /// @notice Creates a job in Open with the caller as client.
    function createJob(
        address provider,
        address evaluator,
        uint256 expiredAt,
        string calldata description,
        address hook
    ) external returns (uint256 jobId) {
        if (evaluator == address(0) || expiredAt <= block.timestamp) revert ACPInvalidJob();
        jobId = ++jobCount;
        Job storage job = _jobs[jobId];
        job.client = msg.sender;
        job.provider = provider;
        job.evaluator = evaluator;
        job.hook = hook;
        job.expiredAt = expiredAt;
        job.description = description;
        emit JobCreated(jobId, msg.sender, provider, evaluator, expiredAt);
    }

    /// @notice Sets the provider of an Open job created without one (client only).
    function setProvider(uint256 jobId, address provider) external {
        Job storage job = _jobs[jobId];
        if (msg.sender != job.client) revert ACPUnauthorized(jobId, msg.sender);
        if (job.status != JobStatus.Open) revert ACPWrongStatus(jobId, job.status);
        if (job.provider != address(0) || provider == address(0)) revert ACPInvalidJob();
        job.provider = provider;
        emit ProviderSet(jobId, provider);
    }

    /// @notice Sets the budget of an Open job (client or provider).
    function setBudget(uint256 jobId, uint256 amount) external {
        Job storage job = _jobs[jobId];
        if (msg.sender != job.client && msg.sender != job.provider) revert ACPUnauthorized(jobId, msg.sender);
        if (job.status != JobStatus.Open) revert ACPWrongStatus(jobId, job.status);
        job.budget = amount;
        emit BudgetSet(jobId, amount);
    }

    /// @notice Pulls the budget from the client into escrow (client only).
    function fund(uint256 jobId, uint256 expectedBudget) external nonReentrant {
        Job storage job = _jobs[jobId];
        if (msg.sender != job.client) revert ACPUnauthorized(jobId, msg.sender);
        if (job.status != JobStatus.Open) revert ACPWrongStatus(jobId, job.status);
        uint256 budget = job.budget;
        if (budget == 0 || job.provider == address(0)) revert ACPInvalidJob();
        if (budget != expectedBudget) revert ACPBudgetMismatch(jobId, budget, expectedBudget);
        job.status = JobStatus.Funded;
        paymentToken.safeTransferFrom(msg.sender, address(this), budget);
        emit JobFunded(jobId, msg.sender, budget);
    }

    /// @notice Marks the work submitted (provider only).
    function submit(uint256 jobId, bytes32 deliverable) external {
        Job storage job = _jobs[jobId];
        if (msg.sender != job.provider) revert ACPUnauthorized(jobId, msg.sender);
        if (job.status != JobStatus.Funded) revert ACPWrongStatus(jobId, job.status);
        job.status = JobStatus.Submitted;
        emit JobSubmitted(jobId, msg.sender, deliverable);
    }

    /// @notice Completes a submitted job and pays the provider, minus the fee (evaluator only).
    function complete(uint256 jobId, bytes32 reason) external nonReentrant {
        Job storage job = _jobs[jobId];
        if (msg.sender != job.evaluator) revert ACPUnauthorized(jobId, msg.sender);
        if (job.status != JobStatus.Submitted) revert ACPWrongStatus(jobId, job.status);
        job.status = JobStatus.Completed;
        uint256 budget = job.budget;
        uint256 fee = (budget * feeBps) / BPS;
        if (fee > 0) paymentToken.safeTransfer(treasury, fee);
        paymentToken.safeTransfer(job.provider, budget - fee);
        emit JobCompleted(jobId, msg.sender, reason);
        emit PaymentReleased(jobId, job.provider, budget - fee, fee);
    }

    /// @notice Rejects a job: the client while Open, the evaluator while Funded or Submitted (refunded).
    function reject(uint256 jobId, bytes32 reason) external nonReentrant {
        Job storage job = _jobs[jobId];
        JobStatus status = job.status;
        if (status == JobStatus.Open) {
            if (msg.sender != job.client) revert ACPUnauthorized(jobId, msg.sender);
        } else if (status == JobStatus.Funded || status == JobStatus.Submitted) {
            if (msg.sender != job.evaluator) revert ACPUnauthorized(jobId, msg.sender);
        } else {
            revert ACPWrongStatus(jobId, status);
        }
        job.status = JobStatus.Rejected;
        if (status != JobStatus.Open) {
            paymentToken.safeTransfer(job.client, job.budget);
            emit Refunded(jobId, job.client, job.budget);
        }
        emit JobRejected(jobId, msg.sender, reason);
    }

    /// @notice Refunds an expired Funded or Submitted job to its client (anyone).
    function claimRefund(uint256 jobId) external nonReentrant {
        Job storage job = _jobs[jobId];
        if (job.status != JobStatus.Funded && job.status != JobStatus.Submitted) {
            revert ACPWrongStatus(jobId, job.status);
        }
        if (block.timestamp < job.expiredAt) revert ACPNotExpired(jobId, job.expiredAt);
        job.status = JobStatus.Expired;
        paymentToken.safeTransfer(job.client, job.budget);
        emit JobExpired(jobId);
        emit Refunded(jobId, job.client, job.budget);
    }
}
