// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title ReputationCredit
/// @notice The escrow's farming-resistant reputation credit (issue 20), as a library any reporter can use:
/// a positive delta is scaled by the value paid and divided by the streak of deals in a row with the same
/// counterparty, and only whole points are reported (the fraction is carried). One wallet lending 1 wei back
/// and forth, or the same pair repeating a deal, earns (next to) nothing; a ring of wallets must pay real,
/// taxed value for every point.
/// @dev The formula is the escrow's `_reportCredit` (contracts/escrow/Escrow.sol), line for line, with the
/// same one-slot record; the escrow still carries its private copy (its owner may switch it to this
/// library). test/agreements/Reputation.test.ts checks both give the same points for the same sequence.
library ReputationCredit {
    /// @notice The value paid at or above which a deal earns its full delta (the escrow's
    /// `REPUTATION_FULL_CREDIT_AMOUNT`, equal by test), in wei.
    uint256 internal constant FULL_CREDIT_AMOUNT = 2_500e18;

    /// @dev Per agent, one slot: the fraction of a point carried (< {FULL_CREDIT_AMOUNT}), the last settled
    /// deal's counterparty and the streak with it (previous deals in a row with that counterparty).
    struct Credit {
        uint128 remainder;
        uint64 lastCounterpartyId;
        uint64 streak;
    }

    /// @dev Adds `fullDelta x min(paid, FULL) / (1 + streak)` credit units to `c` and returns the whole
    /// points to report (credit / FULL; the rest is carried). `newDeal` extends the streak with
    /// `counterpartyId` (a rating of an earlier deal uses its streak and does not).
    /// @param fullDelta The positive delta a deal of full value earns (at most a few hundred).
    /// @param paid The value the deal paid as earnings (before tax), in wei.
    function accrue(
        Credit storage c,
        uint64 counterpartyId,
        int256 fullDelta,
        uint256 paid,
        bool newDeal
    ) internal returns (uint256 points) {
        Credit memory m = c;
        uint256 streak;
        if (m.lastCounterpartyId == counterpartyId) streak = newDeal ? uint256(m.streak) + 1 : m.streak;
        // Cannot overflow: fullDelta is small, min(...) <= 2.5e21, remainder < 2.5e21.
        uint256 credit = m.remainder + (uint256(fullDelta) * Math.min(paid, FULL_CREDIT_AMOUNT)) / (streak + 1);
        points = credit / FULL_CREDIT_AMOUNT;
        // Fits: the remainder is below FULL_CREDIT_AMOUNT (2.5e21 < 2^128); the streak counts deals.
        m.remainder = uint128(credit % FULL_CREDIT_AMOUNT);
        if (newDeal) {
            m.lastCounterpartyId = counterpartyId;
            m.streak = uint64(streak);
        }
        c.remainder = m.remainder;
        c.lastCounterpartyId = m.lastCounterpartyId;
        c.streak = m.streak;
    }
}
