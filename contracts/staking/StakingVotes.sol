// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC5805} from "@openzeppelin/contracts/interfaces/IERC5805.sol";
import {Votes} from "@openzeppelin/contracts/governance/utils/Votes.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";
import {IStaking} from "../interfaces/IStaking.sol";

/// @title StakingVotes
/// @notice The ERC-5805 side of staking (timestamp clock, ERC-6372): an account's voting power is its own
/// bonded stake, exactly, now and at any past timepoint, slashes included; votes are not delegable.
/// @dev Separated from the pools the way OpenZeppelin separates {Votes} from ERC20Votes: this contract keeps
/// the checkpoints and answers the queries; the staking contract reports every change through
/// {_checkpointAccount} and {_checkpointPool}, and says what an account's votes are now ({_votesNow}).
/// Checkpoints: per account its bonded shares and its bound validator, per validator its bonded pool's tokens
/// and shares, and the total bonded; a past vote is `shares * poolTokens / poolShares` at that time, in
/// O(log n) reads, exact under slashing (a slash moves the pool's tokens, not the shares).
abstract contract StakingVotes is IERC5805 {
    using Checkpoints for Checkpoints.Trace208;
    using Checkpoints for Checkpoints.Trace160;

    // Vote checkpoints (timestamp keys).
    mapping(address account => Checkpoints.Trace208) private _sharesCheckpoints;
    mapping(address account => Checkpoints.Trace160) private _validatorCheckpoints;
    mapping(address validator => Checkpoints.Trace208) private _poolTokensCheckpoints;
    mapping(address validator => Checkpoints.Trace208) private _poolSharesCheckpoints;
    Checkpoints.Trace208 private _totalCheckpoints;

    /// @notice ERC-6372 clock: the block timestamp.
    function clock() public view returns (uint48) {
        return Time.timestamp();
    }

    /// @notice ERC-6372 clock mode.
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() external pure returns (string memory) {
        return "mode=timestamp";
    }

    /// @notice `account`'s voting power now: its bonded stake, in wei.
    function getVotes(address account) external view returns (uint256) {
        return _votesNow(account);
    }

    /// @notice `account`'s bonded stake at `timepoint` (a past timestamp), in wei, slashes included.
    /// @dev Throws OpenZeppelin's `ERC5805FutureLookup` for a timepoint not in the past.
    function getPastVotes(address account, uint256 timepoint) external view returns (uint256) {
        uint48 key = _pastKey(timepoint);
        uint256 shares = _sharesCheckpoints[account].upperLookupRecent(key);
        if (shares == 0) return 0;
        address validatorAddr = address(_validatorCheckpoints[account].upperLookupRecent(key));
        uint256 poolTokens = _poolTokensCheckpoints[validatorAddr].upperLookupRecent(key);
        uint256 poolShares = _poolSharesCheckpoints[validatorAddr].upperLookupRecent(key);
        return Math.mulDiv(shares, poolTokens, poolShares);
    }

    /// @notice Bonded wei of all validators at `timepoint` (a past timestamp).
    /// @dev Throws OpenZeppelin's `ERC5805FutureLookup` for a timepoint not in the past.
    function getPastTotalSupply(uint256 timepoint) external view returns (uint256) {
        return _totalCheckpoints.upperLookupRecent(_pastKey(timepoint));
    }

    /// @notice Stake votes are never delegated: every account is its own delegate.
    function delegates(address account) external pure returns (address) {
        return account;
    }

    /// @notice Always reverts with {IStaking.StakingVotesNotDelegable}.
    function delegate(address) external pure {
        revert IStaking.StakingVotesNotDelegable();
    }

    /// @notice Always reverts with {IStaking.StakingVotesNotDelegable}.
    function delegateBySig(address, uint256, uint256, uint8, bytes32, bytes32) external pure {
        revert IStaking.StakingVotesNotDelegable();
    }

    /// @dev `account`'s voting power now (its bonded stake), in wei.
    function _votesNow(address account) internal view virtual returns (uint256);

    /// @dev Records `account`'s bonded shares now, and its bound validator when it changed.
    function _checkpointAccount(address account, address validator, uint256 bondedShares) internal {
        uint48 now_ = clock();
        _sharesCheckpoints[account].push(now_, SafeCast.toUint208(bondedShares));
        Checkpoints.Trace160 storage vc = _validatorCheckpoints[account];
        if (vc.latest() != uint160(validator)) vc.push(now_, uint160(validator));
    }

    /// @dev Records `validator`'s bonded pool (tokens, shares) and the total bonded now.
    function _checkpointPool(
        address validator,
        uint256 bondedTokens,
        uint256 bondedShares,
        uint256 totalBonded
    ) internal {
        uint48 now_ = clock();
        _poolTokensCheckpoints[validator].push(now_, SafeCast.toUint208(bondedTokens));
        _poolSharesCheckpoints[validator].push(now_, SafeCast.toUint208(bondedShares));
        _totalCheckpoints.push(now_, SafeCast.toUint208(totalBonded));
    }

    function _pastKey(uint256 timepoint) private view returns (uint48) {
        uint48 now_ = clock();
        if (timepoint >= now_) revert Votes.ERC5805FutureLookup(timepoint, now_);
        return SafeCast.toUint48(timepoint);
    }
}
