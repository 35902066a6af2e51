// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title ReputationCredit
/// @notice The one reputation-credit rule of the protocol (issue 20 #6): a positive reputation delta earned
/// by a settled deal is scaled by the value the deal paid and divided by the streak of deals in a row with the
/// same counterparty, and only whole points are reported (the fraction is carried to the agent's next deal).
/// One wallet paying 1 wei back and forth, or the same pair repeating a deal, earns (next to) nothing; a ring
/// of wallets must pay real, taxed value for every point (docs/security.md, section 6).
/// @dev Used by the escrow (contracts/escrow/Escrow.sol) and by the bilateral agreements
/// (contracts/agreements/AgreementBase.sol), each keeping its own `mapping(agentId => Credit)`. Internal
/// functions only: inlined into the caller, no external call. test/agreements/Reputation.test.ts checks that
/// both give the same points for the same sequence.
library ReputationCredit {
    /// @notice The value paid at or above which a deal earns its full delta: 2,500 CIV, in wei. Exposed as
    /// `REPUTATION_FULL_CREDIT_AMOUNT` by the escrow and the agreements.
    uint256 internal constant FULL_CREDIT_AMOUNT = 2_500e18;

    /// @notice Per agent, one slot.
    /// @param remainder The fraction of a point carried, in units of 1 / {FULL_CREDIT_AMOUNT} point (always
    /// below {FULL_CREDIT_AMOUNT}, so it fits 128 bits).
    /// @param lastCounterpartyId The agent id of the counterparty of the agent's last settled deal (0: none).
    /// @param streak How many deals in a row before the last one the agent settled with that counterparty.
    struct Credit {
        uint128 remainder;
        uint64 lastCounterpartyId;
        uint64 streak;
    }

    /// @notice Adds `fullDelta x min(paid, FULL_CREDIT_AMOUNT) / (1 + streak)` credit units to the agent's
    /// record and returns the whole points to report (credit / {FULL_CREDIT_AMOUNT}); the rest is carried.
    /// `streak` is the record's streak, plus one when this is a new deal with the same counterparty as the
    /// last; it is 0 with any other counterparty.
    /// @dev One read and one write of the agent's slot. Cannot overflow: `fullDelta` is small (at most a few
    /// hundred), `min(paid, FULL)` <= 2.5e21 and the remainder < 2.5e21. Reverts on nothing.
    /// @param credits The caller's credit records, by agent id.
    /// @param agentId The agent earning the delta.
    /// @param counterpartyId The agent id of the deal's counterparty (the streak is counted against it).
    /// @param fullDelta The positive delta a deal paying {FULL_CREDIT_AMOUNT} or more earns, in points.
    /// @param paid The value the deal paid as earnings (before fee and tax), in wei.
    /// @param newDeal True for a settlement (extends the streak and records `counterpartyId`); false for a
    /// later rating of an earlier deal (uses the streak as it stands and does not extend it).
    /// @return points The whole points to report, 0 to `fullDelta` (the carried remainder is below one point).
    function accrue(
        mapping(uint256 agentId => Credit) storage credits,
        uint256 agentId,
        uint64 counterpartyId,
        int256 fullDelta,
        uint256 paid,
        bool newDeal
    ) internal returns (uint256 points) {
        Credit memory c = credits[agentId];
        uint256 streak;
        if (c.lastCounterpartyId == counterpartyId) streak = newDeal ? uint256(c.streak) + 1 : c.streak;
        uint256 credit = c.remainder + (uint256(fullDelta) * Math.min(paid, FULL_CREDIT_AMOUNT)) / (streak + 1);
        points = credit / FULL_CREDIT_AMOUNT;
        // Fits: the remainder is below FULL_CREDIT_AMOUNT (2.5e21 < 2^128); the streak counts deals.
        c.remainder = uint128(credit % FULL_CREDIT_AMOUNT);
        if (newDeal) {
            c.lastCounterpartyId = counterpartyId;
            c.streak = uint64(streak);
        }
        credits[agentId] = c;
    }
}
