// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

import {IAgentRegistry} from "../interfaces/IAgentRegistry.sol";
import {ICivitasToken} from "../interfaces/ICivitasToken.sol";
import {IERC8004ValidationRegistry} from "../interfaces/IERC8004ValidationRegistry.sol";
import {IStaking} from "../interfaces/IStaking.sol";
import {ITreasury} from "../interfaces/ITreasury.sol";
import {IValidationRegistry} from "../interfaces/IValidationRegistry.sol";

/// @title ValidationRegistry
/// @notice ERC-8004's Validation Registry with stake-secured requests, attestation rewards from a Treasury
/// budget, and slashing of false validators. See {IValidationRegistry} and docs/validation.md.
/// @dev Must be marked as a protocol account on the token (fee deposits untaxed, `payEarnings` allowed),
/// hold the staking contract's SLASHER_ROLE (for {slashValidator}) and a Treasury budget (for rewards).
/// Invariant: the registry's CIV balance is at least {escrowedFees} (it holds nothing else by design;
/// CIV sent to it by mistake stays there).
contract ValidationRegistry is IValidationRegistry, AccessControl, ReentrancyGuard {
    using SafeERC20 for IERC20;

    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IValidationRegistry
    bytes32 public constant PARAMETER_ROLE = keccak256("PARAMETER_ROLE");
    /// @inheritdoc IValidationRegistry
    bytes32 public constant SLASHER_ROLE = keccak256("SLASHER_ROLE");
    /// @inheritdoc IValidationRegistry
    uint8 public constant MAX_RESPONSE = 100;
    /// @inheritdoc IValidationRegistry
    uint8 public constant MIN_PASS_THRESHOLD = 50;
    /// @inheritdoc IValidationRegistry
    uint256 public constant MIN_RESPONSE_WINDOW = 1 hours;
    /// @inheritdoc IValidationRegistry
    uint256 public constant MAX_RESPONSE_WINDOW = 30 days;
    /// @inheritdoc IValidationRegistry
    uint256 public constant MAX_REWARD_PER_PASS = 1_000 ether;
    /// @inheritdoc IValidationRegistry
    uint256 public constant MIN_VALIDATOR_STAKE_FLOOR = 1 ether;
    /// @inheritdoc IValidationRegistry
    uint256 public constant MAX_VALIDATOR_STAKE_FLOOR = 1_000_000 ether;
    /// @inheritdoc IValidationRegistry
    uint256 public constant MIN_REWARD_EPOCH = 1 days;
    /// @inheritdoc IValidationRegistry
    uint256 public constant MAX_REWARD_EPOCH = 365 days;
    /// @inheritdoc IValidationRegistry
    bytes32 public constant SLASH_REASON = "validation.false";

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev One request. `validatorAddress != 0` marks a request as existing (validators are never zero).
    struct Validation {
        address validatorAddress;
        uint8 response;
        bool hasResponse;
        uint48 lastUpdate;
        uint256 agentId;
        bytes32 responseHash;
        string tag;
    }

    /// @dev The working values of one reward claim (kept in memory: too many for the stack).
    struct Claim {
        uint256 agentId;
        bytes32 tagHash;
        uint256 epoch;
        uint256 drawn;
        address recipient;
    }

    address private immutable _identityRegistry;
    ICivitasToken private immutable _token;
    IStaking private immutable _staking;
    uint256 private immutable _rewardEpoch;

    uint256 private _minValidatorStake;
    uint256 private _escrowedFees;

    mapping(bytes32 requestHash => Validation) private _validations;
    mapping(uint256 agentId => bytes32[]) private _agentValidations;
    mapping(address validatorAddress => bytes32[]) private _validatorRequests;
    mapping(bytes32 requestHash => StakedTerms) private _staked;
    mapping(bytes32 tagHash => RewardPolicy) private _policies;
    mapping(uint256 agentId => mapping(bytes32 tagHash => mapping(uint256 epoch => uint256))) private _drawn;

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @param identityRegistry_ The ERC-8004 identity registry (the Civitas agent registry).
    /// @param token_ The CIV token.
    /// @param staking_ The staking contract.
    /// @param admin Governance: holds the admin, parameter and slasher roles (the deploy hands them to the
    /// timelock).
    /// @param minValidatorStake_ The initial minimum bonded stake of a stake-secured validator, in wei.
    /// @param rewardEpoch_ The reward epoch, in seconds, within [{MIN_REWARD_EPOCH}, {MAX_REWARD_EPOCH}].
    constructor(
        address identityRegistry_,
        address token_,
        address staking_,
        address admin,
        uint256 minValidatorStake_,
        uint256 rewardEpoch_
    ) {
        if (identityRegistry_ == address(0) || token_ == address(0) || staking_ == address(0) || admin == address(0))
            revert ValidationZeroAddress();
        if (rewardEpoch_ < MIN_REWARD_EPOCH || rewardEpoch_ > MAX_REWARD_EPOCH) {
            revert ValidationRewardEpochOutOfBounds(rewardEpoch_, MIN_REWARD_EPOCH, MAX_REWARD_EPOCH);
        }
        _checkMinStake(minValidatorStake_);
        _identityRegistry = identityRegistry_;
        _token = ICivitasToken(token_);
        _staking = IStaking(staking_);
        _rewardEpoch = rewardEpoch_;
        _minValidatorStake = minValidatorStake_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(PARAMETER_ROLE, admin);
        _grantRole(SLASHER_ROLE, admin);
    }

    /*//////////////////////////////////////////////////////////////
                           ERC-8004 FUNCTIONS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IERC8004ValidationRegistry
    function getIdentityRegistry() external view returns (address) {
        return _identityRegistry;
    }

    /// @inheritdoc IERC8004ValidationRegistry
    function validationRequest(
        address validatorAddress,
        uint256 agentId,
        string calldata requestURI,
        bytes32 requestHash
    ) external {
        _request(validatorAddress, agentId, requestURI, requestHash);
    }

    /// @inheritdoc IERC8004ValidationRegistry
    function validationResponse(
        bytes32 requestHash,
        uint8 response,
        string calldata responseURI,
        bytes32 responseHash,
        string calldata tag
    ) external nonReentrant {
        if (response > MAX_RESPONSE) revert ValidationResponseOutOfRange(response, MAX_RESPONSE);
        Validation storage v = _validations[requestHash];
        address validatorAddress = v.validatorAddress;
        if (validatorAddress == address(0)) revert ValidationUnknownRequest(requestHash);
        if (msg.sender != validatorAddress) revert ValidationNotValidator(requestHash, msg.sender, validatorAddress);

        v.response = response;
        v.hasResponse = true;
        v.lastUpdate = SafeCast.toUint48(block.timestamp);
        v.responseHash = responseHash;
        v.tag = tag;
        emit ValidationResponse(validatorAddress, v.agentId, requestHash, response, responseURI, responseHash, tag);

        StakedTerms storage s = _staked[requestHash];
        if (s.status == FeeStatus.Escrowed) {
            uint256 fee = s.fee;
            s.status = FeeStatus.Paid;
            // Cannot underflow: every escrowed fee was added to the total when it was deposited.
            unchecked {
                _escrowedFees -= fee;
            }
            (, uint256 tax, uint256 capExcess) = _token.payEarnings(validatorAddress, fee);
            // Cannot truncate: the tax is a part of the fee, which fits 128 bits.
            s.feeTax = uint128(tax);
            emit ValidationFeePaid(requestHash, validatorAddress, fee, tax, capExcess);
        }
    }

    /// @inheritdoc IERC8004ValidationRegistry
    function getValidationStatus(
        bytes32 requestHash
    )
        external
        view
        returns (
            address validatorAddress,
            uint256 agentId,
            uint8 response,
            bytes32 responseHash,
            string memory tag,
            uint256 lastUpdate
        )
    {
        Validation storage v = _existing(requestHash);
        return (v.validatorAddress, v.agentId, v.response, v.responseHash, v.tag, v.lastUpdate);
    }

    /// @inheritdoc IERC8004ValidationRegistry
    function getSummary(
        uint256 agentId,
        address[] calldata validatorAddresses,
        string calldata tag
    ) external view returns (uint64 count, uint8 averageResponse) {
        uint256 sum;
        (count, sum, , ) = _summary(agentId, validatorAddresses, _tagFilter(tag), false);
        averageResponse = _average(sum, count);
    }

    /// @inheritdoc IERC8004ValidationRegistry
    function getAgentValidations(uint256 agentId) external view returns (bytes32[] memory) {
        return _agentValidations[agentId];
    }

    /// @inheritdoc IERC8004ValidationRegistry
    function getValidatorRequests(address validatorAddress) external view returns (bytes32[] memory) {
        return _validatorRequests[validatorAddress];
    }

    /*//////////////////////////////////////////////////////////////
                            CIVITAS VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IValidationRegistry
    function token() external view returns (address) {
        return address(_token);
    }

    /// @inheritdoc IValidationRegistry
    function staking() external view returns (address) {
        return address(_staking);
    }

    /// @inheritdoc IValidationRegistry
    function rewardEpoch() external view returns (uint256) {
        return _rewardEpoch;
    }

    /// @inheritdoc IValidationRegistry
    function currentEpoch() public view returns (uint256) {
        return block.timestamp / _rewardEpoch;
    }

    /// @inheritdoc IValidationRegistry
    function minValidatorStake() external view returns (uint256) {
        return _minValidatorStake;
    }

    /// @inheritdoc IValidationRegistry
    function escrowedFees() external view returns (uint256) {
        return _escrowedFees;
    }

    /// @inheritdoc IValidationRegistry
    function stakedTerms(bytes32 requestHash) external view returns (StakedTerms memory) {
        return _staked[requestHash];
    }

    /// @inheritdoc IValidationRegistry
    function rewardPolicy(string calldata tag) external view returns (RewardPolicy memory) {
        return _policies[keccak256(bytes(tag))];
    }

    /// @inheritdoc IValidationRegistry
    function rewardDrawn(uint256 agentId, string calldata tag, uint256 epoch) external view returns (uint256) {
        return _drawn[agentId][keccak256(bytes(tag))][epoch];
    }

    /// @inheritdoc IValidationRegistry
    function getValidatorStakes(address[] calldata validatorAddresses) external view returns (uint256[] memory stakes) {
        stakes = new uint256[](validatorAddresses.length);
        for (uint256 i; i < validatorAddresses.length; ++i) {
            stakes[i] = _bondedStake(validatorAddresses[i]);
        }
    }

    /// @inheritdoc IValidationRegistry
    function getStakeWeightedSummary(
        uint256 agentId,
        address[] calldata validatorAddresses,
        string calldata tag
    ) external view returns (uint64 count, uint8 averageResponse, uint8 stakeWeightedResponse, uint256 totalStake) {
        uint256 sum;
        uint256 weightedSum;
        (count, sum, weightedSum, totalStake) = _summary(agentId, validatorAddresses, _tagFilter(tag), true);
        averageResponse = _average(sum, count);
        stakeWeightedResponse = _average(weightedSum, totalStake);
    }

    /*//////////////////////////////////////////////////////////////
                           CIVITAS ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IValidationRegistry
    function requestStakedValidation(
        address validatorAddress,
        uint256 agentId,
        string calldata requestURI,
        bytes32 requestHash,
        uint256 fee,
        uint256 responseWindow
    ) external nonReentrant {
        address owner = _request(validatorAddress, agentId, requestURI, requestHash);
        if (fee == 0) revert ValidationZeroFee();
        if (responseWindow < MIN_RESPONSE_WINDOW || responseWindow > MAX_RESPONSE_WINDOW) {
            revert ValidationResponseWindowOutOfBounds(responseWindow, MIN_RESPONSE_WINDOW, MAX_RESPONSE_WINDOW);
        }
        if (validatorAddress == msg.sender || _isAgentSelf(agentId, owner, validatorAddress)) {
            revert ValidationSelfValidation(agentId, validatorAddress);
        }
        IAgentRegistry registry = IAgentRegistry(_identityRegistry);
        if (!registry.isInGoodStanding(validatorAddress)) revert ValidationValidatorNotInGoodStanding(validatorAddress);
        uint256 stake = _requireStake(validatorAddress);

        uint256 deadline = block.timestamp + responseWindow;
        _staked[requestHash] = StakedTerms({
            payer: msg.sender,
            deadline: SafeCast.toUint48(deadline),
            status: FeeStatus.Escrowed,
            rewardClaimed: false,
            slashed: false,
            fee: SafeCast.toUint128(fee),
            feeTax: 0
        });
        _escrowedFees += fee;
        emit StakedValidationRequested(requestHash, msg.sender, validatorAddress, agentId, fee, deadline, stake);
        // A deposit into a protocol account: untaxed. The exact amount arrives (the token has no fee hook
        // on deposits), so the escrow total stays equal to what is held.
        IERC20(address(_token)).safeTransferFrom(msg.sender, address(this), fee);
    }

    /// @inheritdoc IValidationRegistry
    function reclaimFee(bytes32 requestHash) external nonReentrant {
        StakedTerms storage s = _staked[requestHash];
        if (s.status != FeeStatus.Escrowed) revert ValidationFeeNotEscrowed(requestHash, s.status);
        if (msg.sender != s.payer) revert ValidationNotPayer(requestHash, msg.sender, s.payer);
        if (block.timestamp <= s.deadline) revert ValidationDeadlineNotPassed(requestHash, s.deadline, block.timestamp);
        uint256 fee = s.fee;
        s.status = FeeStatus.Refunded;
        // Cannot underflow: every escrowed fee was added to the total when it was deposited.
        unchecked {
            _escrowedFees -= fee;
        }
        emit ValidationFeeRefunded(requestHash, msg.sender, fee);
        // A refund from a protocol account: untaxed (the token redirects any wealth-cap excess).
        IERC20(address(_token)).safeTransfer(msg.sender, fee);
    }

    /// @inheritdoc IValidationRegistry
    function claimAttestationReward(
        bytes32 requestHash
    ) external nonReentrant returns (uint256 amount, RewardOutcome outcome) {
        (Validation storage v, StakedTerms storage s, RewardPolicy memory policy) = _eligible(requestHash);
        Claim memory c;
        c.agentId = v.agentId;
        c.tagHash = keccak256(bytes(v.tag));
        c.epoch = currentEpoch();
        c.drawn = _drawn[c.agentId][c.tagHash][c.epoch];
        // A cap lowered below what was already drawn leaves no room (never an underflow).
        uint256 room = policy.capPerAgentPerEpoch > c.drawn ? policy.capPerAgentPerEpoch - c.drawn : 0;
        // The reward never exceeds the tax the fee paid: validating oneself through a second wallet costs
        // at least what it earns.
        uint256 reward = Math.min(Math.min(policy.rewardPerPass, s.feeTax), room);
        c.recipient = IAgentRegistry(_identityRegistry).getAgentWallet(c.agentId);
        if (c.recipient == address(0)) c.recipient = IERC721(_identityRegistry).ownerOf(c.agentId);

        ITreasury treasury = ITreasury(_token.treasury());
        if (reward == 0) {
            outcome = RewardOutcome.CapReached;
        } else if (treasury.budgetOf(address(this), IERC20(address(_token))) < reward) {
            outcome = RewardOutcome.BudgetShort;
        } else {
            // The claim is consumed before the external call, and restored if the Treasury refuses.
            s.rewardClaimed = true;
            _drawn[c.agentId][c.tagHash][c.epoch] = c.drawn + reward;
            try treasury.draw(IERC20(address(_token)), c.recipient, reward) {
                amount = reward;
                outcome = RewardOutcome.Paid;
            } catch {
                s.rewardClaimed = false;
                _drawn[c.agentId][c.tagHash][c.epoch] = c.drawn;
                outcome = RewardOutcome.TreasuryRefused;
            }
        }
        _emitRewardDrawn(requestHash, c, v.tag, amount, outcome);
    }

    /// @inheritdoc IValidationRegistry
    function setRewardPolicy(string calldata tag, RewardPolicy calldata policy) external onlyRole(PARAMETER_ROLE) {
        bool off =
            policy.rewardPerPass == 0 &&
                policy.capPerAgentPerEpoch == 0 &&
                policy.minFee == 0 &&
                policy.passThreshold == 0;
        bool valid =
            policy.rewardPerPass != 0 &&
                policy.rewardPerPass <= MAX_REWARD_PER_PASS &&
                policy.capPerAgentPerEpoch >= policy.rewardPerPass &&
                policy.minFee != 0 &&
                policy.passThreshold >= MIN_PASS_THRESHOLD &&
                policy.passThreshold <= MAX_RESPONSE;
        if (!off && !valid) revert ValidationRewardPolicyOutOfBounds(tag, policy);
        bytes32 tagHash = keccak256(bytes(tag));
        RewardPolicy memory oldPolicy = _policies[tagHash];
        _policies[tagHash] = policy;
        emit RewardPolicySet(tag, oldPolicy, policy);
    }

    /// @inheritdoc IValidationRegistry
    function setMinValidatorStake(uint256 newMinStake) external onlyRole(PARAMETER_ROLE) {
        _checkMinStake(newMinStake);
        uint256 oldMinStake = _minValidatorStake;
        _minValidatorStake = newMinStake;
        emit MinValidatorStakeUpdated(oldMinStake, newMinStake);
    }

    /// @inheritdoc IValidationRegistry
    function slashValidator(
        bytes32 requestHash,
        uint256 slashBps
    ) external onlyRole(SLASHER_ROLE) nonReentrant returns (uint256 slashId) {
        Validation storage v = _existing(requestHash);
        if (!v.hasResponse) revert ValidationNoResponse(requestHash);
        StakedTerms storage s = _staked[requestHash];
        if (s.slashed) revert ValidationAlreadySlashed(requestHash);
        s.slashed = true;
        address validatorAddress = v.validatorAddress;
        slashId = _staking.slash(validatorAddress, slashBps, SLASH_REASON);
        emit ValidatorSlashed(requestHash, validatorAddress, v.agentId, slashId, slashBps);
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNAL
    //////////////////////////////////////////////////////////////*/

    /// @dev The ERC-8004 request path, shared by both request functions; returns the agent's owner.
    function _request(
        address validatorAddress,
        uint256 agentId,
        string calldata requestURI,
        bytes32 requestHash
    ) private returns (address owner) {
        if (validatorAddress == address(0)) revert ValidationZeroValidator();
        if (_validations[requestHash].validatorAddress != address(0)) revert ValidationRequestExists(requestHash);
        IERC721 identity = IERC721(_identityRegistry);
        owner = identity.ownerOf(agentId);
        if (
            msg.sender != owner &&
            !identity.isApprovedForAll(owner, msg.sender) &&
            identity.getApproved(agentId) != msg.sender
        ) revert ValidationNotAuthorized(agentId, msg.sender);

        Validation storage v = _validations[requestHash];
        v.validatorAddress = validatorAddress;
        v.agentId = agentId;
        v.lastUpdate = SafeCast.toUint48(block.timestamp);
        _agentValidations[agentId].push(requestHash);
        _validatorRequests[validatorAddress].push(requestHash);
        emit ValidationRequest(validatorAddress, agentId, requestURI, requestHash);
    }

    /// @dev Checks that request `requestHash` may claim its attestation reward now (see
    /// {claimAttestationReward} for the errors) and returns it, its terms and its tag's policy.
    function _eligible(
        bytes32 requestHash
    ) private view returns (Validation storage v, StakedTerms storage s, RewardPolicy memory policy) {
        v = _existing(requestHash);
        s = _staked[requestHash];
        if (s.status != FeeStatus.Paid) revert ValidationFeeNotPaid(requestHash, s.status);
        if (s.rewardClaimed) revert ValidationRewardAlreadyClaimed(requestHash);
        if (s.slashed) revert ValidationRequestSlashed(requestHash);
        policy = _policies[keccak256(bytes(v.tag))];
        if (policy.rewardPerPass == 0) revert ValidationNoRewardPolicy(v.tag);
        if (v.response < policy.passThreshold)
            revert ValidationNotPassed(requestHash, v.response, policy.passThreshold);
        if (s.fee < policy.minFee || s.feeTax == 0) {
            revert ValidationFeeTooLow(requestHash, s.fee, s.feeTax, policy.minFee);
        }
        uint256 agentId = v.agentId;
        address validatorAddress = v.validatorAddress;
        address owner = IERC721(_identityRegistry).ownerOf(agentId);
        if (_isAgentSelf(agentId, owner, validatorAddress)) revert ValidationSelfValidation(agentId, validatorAddress);
        _requireStake(validatorAddress);
    }

    /// @dev Emits {AttestationRewardDrawn} for claim `c` (its own frame: the event has many fields).
    function _emitRewardDrawn(
        bytes32 requestHash,
        Claim memory c,
        string storage tag,
        uint256 amount,
        RewardOutcome outcome
    ) private {
        emit AttestationRewardDrawn(
            requestHash,
            c.agentId,
            c.recipient,
            tag,
            c.epoch,
            amount,
            outcome,
            c.drawn + amount
        );
    }

    /// @dev The request `requestHash`; throws {ValidationUnknownRequest} when there is none.
    function _existing(bytes32 requestHash) private view returns (Validation storage v) {
        v = _validations[requestHash];
        if (v.validatorAddress == address(0)) revert ValidationUnknownRequest(requestHash);
    }

    /// @dev Whether `validatorAddress` is agent `agentId`'s owner or its agent wallet.
    function _isAgentSelf(uint256 agentId, address owner, address validatorAddress) private view returns (bool) {
        return
            validatorAddress == owner || validatorAddress == IAgentRegistry(_identityRegistry).getAgentWallet(agentId);
    }

    /// @dev The validator pool's bonded stake; throws {ValidationValidatorStakeTooLow} below the minimum.
    function _requireStake(address validatorAddress) private view returns (uint256 stake) {
        stake = _bondedStake(validatorAddress);
        if (stake < _minValidatorStake) {
            revert ValidationValidatorStakeTooLow(validatorAddress, stake, _minValidatorStake);
        }
    }

    /// @dev The bonded stake of `validatorAddress`'s staking pool (0 when it is not a staking validator).
    function _bondedStake(address validatorAddress) private view returns (uint256) {
        return _staking.validatorInfo(validatorAddress).bondedTokens;
    }

    /// @dev Throws {ValidationMinStakeOutOfBounds} unless `minStake` is within its bounds.
    function _checkMinStake(uint256 minStake) private pure {
        if (minStake < MIN_VALIDATOR_STAKE_FLOOR || minStake > MAX_VALIDATOR_STAKE_FLOOR) {
            revert ValidationMinStakeOutOfBounds(minStake, MIN_VALIDATOR_STAKE_FLOOR, MAX_VALIDATOR_STAKE_FLOOR);
        }
    }

    /// @dev Sums over agent `agentId`'s answered requests matching the filters (see {getSummary}; `tagHash`
    /// zero for any tag): their count, the sum of their responses and, with `weighted`, the sum of
    /// `response * stake` and of the stakes of their validators' pools.
    function _summary(
        uint256 agentId,
        address[] calldata validatorAddresses,
        bytes32 tagHash,
        bool weighted
    ) private view returns (uint64 count, uint256 sum, uint256 weightedSum, uint256 totalStake) {
        bytes32[] storage hashes = _agentValidations[agentId];
        for (uint256 i; i < hashes.length; ++i) {
            Validation storage v = _validations[hashes[i]];
            if (!_matches(v, validatorAddresses, tagHash)) continue;
            ++count;
            sum += v.response;
            if (weighted) {
                uint256 stake = _bondedStake(v.validatorAddress);
                totalStake += stake;
                weightedSum += stake * v.response;
            }
        }
    }

    /// @dev The tag filter's hash: zero for the empty tag (no filter; no string hashes to zero).
    function _tagFilter(string calldata tag) private pure returns (bytes32) {
        return bytes(tag).length == 0 ? bytes32(0) : keccak256(bytes(tag));
    }

    /// @dev `sum / count`, rounded down, 0 when `count` is 0. Averages of responses in [0, 100] are in
    /// [0, 100]: the cast cannot truncate.
    function _average(uint256 sum, uint256 count) private pure returns (uint8) {
        return count == 0 ? 0 : uint8(sum / count);
    }

    /// @dev Whether request `v` is answered, by a listed validator, with tag hash `tagHash` (any when zero).
    function _matches(
        Validation storage v,
        address[] calldata validatorAddresses,
        bytes32 tagHash
    ) private view returns (bool) {
        if (!v.hasResponse) return false;
        if (tagHash != bytes32(0) && keccak256(bytes(v.tag)) != tagHash) return false;
        return _listed(v.validatorAddress, validatorAddresses);
    }

    /// @dev Whether `account` is in `list`; an empty list lists everyone.
    function _listed(address account, address[] calldata list) private pure returns (bool) {
        if (list.length == 0) return true;
        for (uint256 j; j < list.length; ++j) {
            if (list[j] == account) return true;
        }
        return false;
    }
}
