// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC8004ValidationRegistry} from "./IERC8004ValidationRegistry.sol";

/// @title IValidationRegistry
/// @notice The Civitas Validation Registry: ERC-8004's Validation Registry, unchanged, plus stake-secured
/// validation, attestation rewards and slashing of false validators (docs/validation.md).
/// @dev Rules:
/// - Stake-secured requests ({requestStakedValidation}): the validator must be a Civitas agent in good
///   standing that registered as a staking validator with at least {minValidatorStake} wei bonded in its
///   pool, and be neither the agent's owner, nor its agent wallet, nor the caller. The caller deposits a CIV
///   `fee` (untaxed: the registry is a protocol account). On the validator's first response the fee is paid
///   to it as earnings through `ICivitasToken.payEarnings` (taxed, wealth-capped). If no response came by
///   the deadline, the payer takes the fee back ({reclaimFee}, untaxed). Fees held always equal the sum of
///   the escrowed fees ({escrowedFees}).
/// - Attestation rewards ({claimAttestationReward}): governance sets a {RewardPolicy} per response tag and
///   a Treasury budget for this registry. A stake-secured request whose fee was paid, whose latest response
///   is at least the policy's pass threshold, whose fee met the policy's minimum and whose validator still
///   has the minimum bonded stake and is still not the agent's owner or wallet earns its agent (paid to the
///   agent wallet, or the owner when none) `min(rewardPerPass, tax charged on the fee, room left under the
///   per-agent cap of the epoch)`. Capping at the fee's tax makes self-validation through a second wallet
///   unprofitable: the loop pays at least the reward in tax. A draw the budget cannot cover, or beyond the
///   cap, pays nothing, visibly ({AttestationRewardDrawn} with its {RewardOutcome}), and can be retried.
/// - Slashing: governance (SLASHER_ROLE) slashes the validator of an answered request through the staking
///   contract's `slash`, citing the request hash ({ValidatorSlashed} links the request and the slash id);
///   a slashed request earns no reward.
/// Amounts in wei of CIV, rates in bps, times in seconds, responses in [0, 100].
interface IValidationRegistry is IERC8004ValidationRegistry {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice Where a stake-secured request's fee is.
    /// @dev None: not a stake-secured request. Escrowed: held by this registry. Paid: paid to the validator
    /// on its first response. Refunded: returned to the payer after the deadline.
    enum FeeStatus {
        None,
        Escrowed,
        Paid,
        Refunded
    }

    /// @notice What an attestation reward claim did.
    /// @dev Paid: the reward was drawn from the Treasury budget to the agent. CapReached: the agent already
    /// drew the policy's cap this epoch. BudgetShort: the registry's Treasury budget is below the reward.
    /// TreasuryRefused: the Treasury refused the draw. Only Paid consumes the claim.
    enum RewardOutcome {
        Paid,
        CapReached,
        BudgetShort,
        TreasuryRefused
    }

    /// @notice The terms of a stake-secured request.
    /// @param payer Who deposited the fee (and receives a refund).
    /// @param deadline Until when the validator is expected to respond, in seconds; after it the payer may
    /// reclaim an unpaid fee.
    /// @param status Where the fee is.
    /// @param rewardClaimed Whether its attestation reward was paid.
    /// @param slashed Whether governance slashed its validator for it.
    /// @param fee The fee, in wei.
    /// @param feeTax The tax charged when the fee was paid, in wei (0 before).
    struct StakedTerms {
        address payer;
        uint48 deadline;
        FeeStatus status;
        bool rewardClaimed;
        bool slashed;
        uint128 fee;
        uint128 feeTax;
    }

    /// @notice An attestation reward policy for one response tag (all zero: none).
    /// @param rewardPerPass The reward per passed validation, in wei (0 disables the tag).
    /// @param capPerAgentPerEpoch The most one agent may draw for this tag in one reward epoch, in wei.
    /// @param minFee The smallest fee that earns a reward, in wei.
    /// @param passThreshold The lowest response that counts as a pass, in [{MIN_PASS_THRESHOLD}, 100].
    struct RewardPolicy {
        uint128 rewardPerPass;
        uint128 capPerAgentPerEpoch;
        uint128 minFee;
        uint8 passThreshold;
    }

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice A request named the zero address as validator.
    error ValidationZeroValidator();

    /// @notice A request reused a request hash.
    /// @param requestHash The hash already used.
    error ValidationRequestExists(bytes32 requestHash);

    /// @notice The caller is neither the owner nor an approved operator of the agent.
    /// @param agentId The agent.
    /// @param caller The caller.
    error ValidationNotAuthorized(uint256 agentId, address caller);

    /// @notice A response above 100 was given.
    /// @param response The response.
    /// @param maxResponse The highest response ({MAX_RESPONSE}).
    error ValidationResponseOutOfRange(uint8 response, uint8 maxResponse);

    /// @notice No request has this hash.
    /// @param requestHash The hash.
    error ValidationUnknownRequest(bytes32 requestHash);

    /// @notice Only the request's validator may respond.
    /// @param requestHash The request.
    /// @param caller The caller.
    /// @param validatorAddress The request's validator.
    error ValidationNotValidator(bytes32 requestHash, address caller, address validatorAddress);

    /// @notice A stake-secured request carried no fee.
    error ValidationZeroFee();

    /// @notice A stake-secured request's response window is outside its bounds.
    /// @param responseWindow The window asked for, in seconds.
    /// @param minWindow The shortest window ({MIN_RESPONSE_WINDOW}), in seconds.
    /// @param maxWindow The longest window ({MAX_RESPONSE_WINDOW}), in seconds.
    error ValidationResponseWindowOutOfBounds(uint256 responseWindow, uint256 minWindow, uint256 maxWindow);

    /// @notice The validator is not a staking validator with the minimum bonded stake.
    /// @param validatorAddress The validator.
    /// @param bondedStake Its pool's bonded stake, in wei (0 when not a staking validator).
    /// @param minStake The minimum ({minValidatorStake}), in wei.
    error ValidationValidatorStakeTooLow(address validatorAddress, uint256 bondedStake, uint256 minStake);

    /// @notice The validator is not an agent in good standing.
    /// @param validatorAddress The validator.
    error ValidationValidatorNotInGoodStanding(address validatorAddress);

    /// @notice The validator is the agent's owner, its agent wallet, or the requester.
    /// @param agentId The agent.
    /// @param validatorAddress The validator.
    error ValidationSelfValidation(uint256 agentId, address validatorAddress);

    /// @notice The request has no fee that could be reclaimed now.
    /// @param requestHash The request.
    /// @param status Where its fee is.
    error ValidationFeeNotEscrowed(bytes32 requestHash, FeeStatus status);

    /// @notice Only the payer of the fee may reclaim it.
    /// @param requestHash The request.
    /// @param caller The caller.
    /// @param payer The payer.
    error ValidationNotPayer(bytes32 requestHash, address caller, address payer);

    /// @notice The fee cannot be reclaimed before the deadline has passed.
    /// @param requestHash The request.
    /// @param deadline The deadline, in seconds.
    /// @param now_ The current time, in seconds.
    error ValidationDeadlineNotPassed(bytes32 requestHash, uint256 deadline, uint256 now_);

    /// @notice The request does not qualify for an attestation reward: its fee was never paid to its
    /// validator (not stake-secured, unanswered, or refunded).
    /// @param requestHash The request.
    /// @param status Where its fee is.
    error ValidationFeeNotPaid(bytes32 requestHash, FeeStatus status);

    /// @notice The request's attestation reward was already paid.
    /// @param requestHash The request.
    error ValidationRewardAlreadyClaimed(bytes32 requestHash);

    /// @notice The request's validator was slashed for it: no reward.
    /// @param requestHash The request.
    error ValidationRequestSlashed(bytes32 requestHash);

    /// @notice No reward policy is set for the response's tag.
    /// @param tag The tag.
    error ValidationNoRewardPolicy(string tag);

    /// @notice The latest response is below the policy's pass threshold.
    /// @param requestHash The request.
    /// @param response The latest response.
    /// @param passThreshold The threshold.
    error ValidationNotPassed(bytes32 requestHash, uint8 response, uint8 passThreshold);

    /// @notice The request's fee is below the policy's minimum, or paid no tax.
    /// @param requestHash The request.
    /// @param fee The fee, in wei.
    /// @param feeTax The tax charged on it, in wei.
    /// @param minFee The policy's minimum fee, in wei.
    error ValidationFeeTooLow(bytes32 requestHash, uint256 fee, uint256 feeTax, uint256 minFee);

    /// @notice A reward policy outside its bounds was proposed.
    /// @param tag The tag.
    /// @param policy The rejected policy.
    error ValidationRewardPolicyOutOfBounds(string tag, RewardPolicy policy);

    /// @notice A minimum validator stake outside its bounds was proposed.
    /// @param minStake The rejected minimum, in wei.
    /// @param lowest The lowest allowed ({MIN_VALIDATOR_STAKE_FLOOR}), in wei.
    /// @param highest The highest allowed ({MAX_VALIDATOR_STAKE_FLOOR}), in wei.
    error ValidationMinStakeOutOfBounds(uint256 minStake, uint256 lowest, uint256 highest);

    /// @notice A reward epoch outside its bounds was given at deployment.
    /// @param epochDuration The rejected duration, in seconds.
    /// @param minDuration The shortest ({MIN_REWARD_EPOCH}), in seconds.
    /// @param maxDuration The longest ({MAX_REWARD_EPOCH}), in seconds.
    error ValidationRewardEpochOutOfBounds(uint256 epochDuration, uint256 minDuration, uint256 maxDuration);

    /// @notice Only an answered request can be cited for a slash.
    /// @param requestHash The request.
    error ValidationNoResponse(bytes32 requestHash);

    /// @notice The request's validator was already slashed for it.
    /// @param requestHash The request.
    error ValidationAlreadySlashed(bytes32 requestHash);

    /// @notice A zero address was given at deployment.
    error ValidationZeroAddress();

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice A stake-secured request was made (after its {ValidationRequest}); the fee is held here.
    /// @param requestHash The request.
    /// @param payer Who deposited the fee.
    /// @param validatorAddress The validator.
    /// @param agentId The agent.
    /// @param fee The fee, in wei.
    /// @param deadline Until when the validator is expected to respond, in seconds.
    /// @param validatorStake The validator pool's bonded stake at the request, in wei.
    event StakedValidationRequested(
        bytes32 indexed requestHash,
        address indexed payer,
        address indexed validatorAddress,
        uint256 agentId,
        uint256 fee,
        uint256 deadline,
        uint256 validatorStake
    );

    /// @notice A stake-secured request's fee was paid to its validator as earnings (after the validator's
    /// first {ValidationResponse}).
    /// @param requestHash The request.
    /// @param validatorAddress The validator.
    /// @param gross The fee, in wei; `gross = net + tax`.
    /// @param tax The tax charged, in wei.
    /// @param capExcess The part of the net sent to the Treasury by the wealth cap, in wei.
    event ValidationFeePaid(
        bytes32 indexed requestHash,
        address indexed validatorAddress,
        uint256 gross,
        uint256 tax,
        uint256 capExcess
    );

    /// @notice An unanswered request's fee went back to its payer after the deadline (untaxed).
    /// @param requestHash The request.
    /// @param payer The payer.
    /// @param amount The fee returned, in wei.
    event ValidationFeeRefunded(bytes32 indexed requestHash, address indexed payer, uint256 amount);

    /// @notice An attestation reward claim was made; `amount` is 0 unless `outcome` is Paid.
    /// @param requestHash The request.
    /// @param agentId The agent.
    /// @param recipient The agent's wallet (or owner when it has none).
    /// @param tag The response tag whose policy applied.
    /// @param epoch The reward epoch (`timestamp / rewardEpoch`).
    /// @param amount The reward drawn, in wei.
    /// @param outcome What the claim did.
    /// @param agentEpochTotal What the agent drew for this tag in this epoch afterwards, in wei.
    event AttestationRewardDrawn(
        bytes32 indexed requestHash,
        uint256 indexed agentId,
        address indexed recipient,
        string tag,
        uint256 epoch,
        uint256 amount,
        RewardOutcome outcome,
        uint256 agentEpochTotal
    );

    /// @notice Governance set the reward policy of a tag.
    /// @param tag The tag.
    /// @param oldPolicy The previous policy.
    /// @param newPolicy The new policy.
    event RewardPolicySet(string tag, RewardPolicy oldPolicy, RewardPolicy newPolicy);

    /// @notice Governance changed the minimum bonded stake of a stake-secured validator.
    /// @param oldMinStake The previous minimum, in wei.
    /// @param newMinStake The new minimum, in wei.
    event MinValidatorStakeUpdated(uint256 oldMinStake, uint256 newMinStake);

    /// @notice Governance slashed a validator for its response to a request (the staking contract's
    /// `Slashed` event, with the same `slashId`, carries the amounts).
    /// @param requestHash The request cited.
    /// @param validatorAddress The validator.
    /// @param agentId The agent the request was about.
    /// @param slashId The staking contract's slash id.
    /// @param slashBps The fraction slashed, in bps.
    event ValidatorSlashed(
        bytes32 indexed requestHash,
        address indexed validatorAddress,
        uint256 indexed agentId,
        uint256 slashId,
        uint256 slashBps
    );

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice May set reward policies and the minimum validator stake.
    function PARAMETER_ROLE() external view returns (bytes32);

    /// @notice May slash validators citing a request.
    function SLASHER_ROLE() external view returns (bytes32);

    /// @notice The highest response (100).
    function MAX_RESPONSE() external view returns (uint8);

    /// @notice The lowest pass threshold a policy may set (50).
    function MIN_PASS_THRESHOLD() external view returns (uint8);

    /// @notice The shortest response window of a stake-secured request (1 hour), in seconds.
    function MIN_RESPONSE_WINDOW() external view returns (uint256);

    /// @notice The longest response window of a stake-secured request (30 days), in seconds.
    function MAX_RESPONSE_WINDOW() external view returns (uint256);

    /// @notice The highest reward per pass a policy may set (1,000 CIV), in wei.
    function MAX_REWARD_PER_PASS() external view returns (uint256);

    /// @notice The lowest minimum validator stake (1 CIV), in wei.
    function MIN_VALIDATOR_STAKE_FLOOR() external view returns (uint256);

    /// @notice The highest minimum validator stake (1,000,000 CIV), in wei.
    function MAX_VALIDATOR_STAKE_FLOOR() external view returns (uint256);

    /// @notice The shortest reward epoch (1 day), in seconds.
    function MIN_REWARD_EPOCH() external view returns (uint256);

    /// @notice The longest reward epoch (365 days), in seconds.
    function MAX_REWARD_EPOCH() external view returns (uint256);

    /// @notice The reason code given to the staking contract's `slash` ("validation.false").
    function SLASH_REASON() external view returns (bytes32);

    /// @notice The CIV token (fees and rewards).
    function token() external view returns (address);

    /// @notice The staking contract (validators' bonded stake, slashing).
    function staking() external view returns (address);

    /// @notice The reward epoch, in seconds (fixed at deployment).
    function rewardEpoch() external view returns (uint256);

    /// @notice The current reward epoch: `block.timestamp / rewardEpoch`.
    function currentEpoch() external view returns (uint256);

    /// @notice The minimum bonded stake of a stake-secured validator's pool, in wei.
    function minValidatorStake() external view returns (uint256);

    /// @notice The fees held for unanswered stake-secured requests, in wei.
    function escrowedFees() external view returns (uint256);

    /// @notice The stake-secured terms of a request (all zero when it is not one).
    function stakedTerms(bytes32 requestHash) external view returns (StakedTerms memory);

    /// @notice The reward policy of a response tag (all zero when none).
    function rewardPolicy(string calldata tag) external view returns (RewardPolicy memory);

    /// @notice What agent `agentId` drew for `tag` in reward epoch `epoch`, in wei.
    function rewardDrawn(uint256 agentId, string calldata tag, uint256 epoch) external view returns (uint256);

    /// @notice The bonded stake of each validator's staking pool now, in wei (0 for an address that is not
    /// a staking validator), in the order given: the weights a reader of {getSummary} may apply.
    function getValidatorStakes(address[] calldata validatorAddresses) external view returns (uint256[] memory);

    /// @notice Like {getSummary}, with each answered request weighted by its validator pool's bonded stake
    /// now: `stakeWeightedResponse = sum(response * stake) / sum(stake)`, rounded down (0 when no stake).
    /// @return count The answered requests matching the filters (as {getSummary}).
    /// @return averageResponse Their plain average (as {getSummary}).
    /// @return stakeWeightedResponse Their stake-weighted average, in [0, 100].
    /// @return totalStake The sum of the stakes counted, in wei (a validator counted once per request).
    function getStakeWeightedSummary(
        uint256 agentId,
        address[] calldata validatorAddresses,
        string calldata tag
    ) external view returns (uint64 count, uint8 averageResponse, uint8 stakeWeightedResponse, uint256 totalStake);

    /*//////////////////////////////////////////////////////////////
                                ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice Makes a stake-secured request: as {validationRequest}, and deposits `fee` wei of CIV from the
    /// caller (approve this registry first), paid to the validator on its first response or returned to
    /// the caller if it has not responded by `block.timestamp + responseWindow`.
    /// @dev Throws everything {validationRequest} throws, then {ValidationZeroFee},
    /// {ValidationResponseWindowOutOfBounds}, {ValidationSelfValidation},
    /// {ValidationValidatorNotInGoodStanding}, {ValidationValidatorStakeTooLow}, and the token's errors.
    /// Emits {ValidationRequest}, {StakedValidationRequested}.
    /// @param validatorAddress The validator: a staking validator (an agent in good standing).
    /// @param agentId The agent.
    /// @param requestURI Where the request's data lives.
    /// @param requestHash The request's commitment.
    /// @param fee The fee, in wei (more than 0).
    /// @param responseWindow How long the validator has to respond, in seconds.
    function requestStakedValidation(
        address validatorAddress,
        uint256 agentId,
        string calldata requestURI,
        bytes32 requestHash,
        uint256 fee,
        uint256 responseWindow
    ) external;

    /// @notice Returns an unanswered stake-secured request's fee to its payer once its deadline has
    /// passed (untaxed). Only the payer. The validator may still respond afterwards, unpaid.
    /// @dev Throws {ValidationFeeNotEscrowed}, {ValidationNotPayer}, {ValidationDeadlineNotPassed}.
    /// Emits {ValidationFeeRefunded}.
    function reclaimFee(bytes32 requestHash) external;

    /// @notice Pays the attestation reward of a passed stake-secured request to its agent, from this
    /// registry's Treasury budget. Anyone may call; the reward goes to the agent's wallet (or its owner).
    /// @dev Throws {ValidationUnknownRequest}, {ValidationFeeNotPaid}, {ValidationRewardAlreadyClaimed},
    /// {ValidationRequestSlashed}, {ValidationNoRewardPolicy}, {ValidationNotPassed},
    /// {ValidationFeeTooLow}, {ValidationSelfValidation}, {ValidationValidatorStakeTooLow}.
    /// Emits {AttestationRewardDrawn} (amount 0 unless paid).
    /// @return amount The reward paid, in wei.
    /// @return outcome What the claim did.
    function claimAttestationReward(bytes32 requestHash) external returns (uint256 amount, RewardOutcome outcome);

    /// @notice Sets the reward policy of response tag `tag`. Only PARAMETER_ROLE (governance). An all-zero
    /// policy removes it.
    /// @dev Bounds: `rewardPerPass <= MAX_REWARD_PER_PASS`; when `rewardPerPass > 0`:
    /// `capPerAgentPerEpoch >= rewardPerPass`, `minFee > 0`, `passThreshold` in [MIN_PASS_THRESHOLD, 100].
    /// Throws {ValidationRewardPolicyOutOfBounds}, `AccessControlUnauthorizedAccount`. Emits {RewardPolicySet}.
    function setRewardPolicy(string calldata tag, RewardPolicy calldata policy) external;

    /// @notice Sets the minimum bonded stake of a stake-secured validator, in wei. Only PARAMETER_ROLE.
    /// @dev Throws {ValidationMinStakeOutOfBounds}, `AccessControlUnauthorizedAccount`.
    /// Emits {MinValidatorStakeUpdated}.
    function setMinValidatorStake(uint256 newMinStake) external;

    /// @notice Slashes `slashBps` of the validator of answered request `requestHash` through the staking
    /// contract, for a false response. Only SLASHER_ROLE (governance); this registry must hold the staking
    /// contract's SLASHER_ROLE.
    /// @dev Throws {ValidationUnknownRequest}, {ValidationNoResponse}, {ValidationAlreadySlashed}, the
    /// staking contract's `StakingUnknownValidator`, `StakingSlashOutOfBounds`,
    /// `AccessControlUnauthorizedAccount`. Emits {ValidatorSlashed} (after staking's `Slashed`).
    /// @return slashId The staking contract's slash id.
    function slashValidator(bytes32 requestHash, uint256 slashBps) external returns (uint256 slashId);
}
