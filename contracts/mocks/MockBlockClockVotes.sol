// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Votes} from "@openzeppelin/contracts/governance/utils/Votes.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

/// @title MockBlockClockVotes
/// @notice An ERC-5805 votes source on OpenZeppelin's default block-number clock, used to prove the governor
/// refuses a votes source whose clock is not a timestamp. Test use only.
contract MockBlockClockVotes is Votes {
    constructor() EIP712("MockBlockClockVotes", "1") {}

    function _getVotingUnits(address) internal pure override returns (uint256) {
        return 0;
    }
}
