// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";

import {IAuditorRegistry} from "../interfaces/IAuditorRegistry.sol";

/// @title AuditorRegistry
/// @notice Auditors' verdicts on the indexer's flags (issue 15). Governance (the timelock, admin from
/// deployment) appoints and removes auditors; an auditor confirms, dismisses or escalates a flag with a note.
contract AuditorRegistry is IAuditorRegistry, AccessControl {
    /*//////////////////////////////////////////////////////////////
                                CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IAuditorRegistry
    bytes32 public constant AUDITOR_ROLE = keccak256("AUDITOR_ROLE");

    /*//////////////////////////////////////////////////////////////
                                 STORAGE
    //////////////////////////////////////////////////////////////*/

    struct Review {
        Verdict verdict;
        address auditor;
        uint64 recordedAt;
    }

    mapping(bytes32 flagId => Review review) private _reviews;

    /*//////////////////////////////////////////////////////////////
                               CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @param governance The admin (the timelock): appoints and removes auditors. Throws
    /// {AuditorRegistryZeroAddress}.
    constructor(address governance) {
        if (governance == address(0)) revert AuditorRegistryZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, governance);
    }

    /*//////////////////////////////////////////////////////////////
                                EXTERNAL
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IAuditorRegistry
    function recordVerdict(bytes32 flagId, Verdict verdict, string calldata noteUri) external onlyRole(AUDITOR_ROLE) {
        if (flagId == bytes32(0)) revert AuditorRegistryZeroFlag();
        if (verdict == Verdict.None) revert AuditorRegistryInvalidVerdict(verdict);
        if (bytes(noteUri).length == 0) revert AuditorRegistryEmptyNote(flagId);
        Review storage review = _reviews[flagId];
        Verdict previous = review.verdict;
        review.verdict = verdict;
        review.auditor = msg.sender;
        review.recordedAt = uint64(block.timestamp);
        emit VerdictRecorded(flagId, msg.sender, verdict, previous, noteUri);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IAuditorRegistry
    function verdictOf(bytes32 flagId) external view returns (Verdict verdict, address auditor, uint64 recordedAt) {
        Review storage review = _reviews[flagId];
        return (review.verdict, review.auditor, review.recordedAt);
    }

    /// @inheritdoc IAuditorRegistry
    function flagIdOf(string calldata rule, bytes32 transactionHash, uint256 logIndex) external pure returns (bytes32) {
        return keccak256(abi.encode(rule, transactionHash, logIndex));
    }
}
