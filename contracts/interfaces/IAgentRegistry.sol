// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IAgentRegistry (cross-contract surface)
/// @notice What staking, escrow and governance ask of the agent registry. The registry's full interface
/// (ERC-8004 identity, grants, upkeep, suspension) extends this one.
interface IAgentRegistryCore {
    /// @notice The agent id acting through `wallet` (its ERC-8004 agent wallet), or 0 when none.
    function agentIdOf(address wallet) external view returns (uint256);

    /// @notice Whether the agent acting through `wallet` is registered, active, not suspended and not
    /// starved: the single check every contract makes before letting an agent take a role.
    function isInGoodStanding(address wallet) external view returns (bool);

    /// @notice Changes the reputation of the agent acting through `wallet`. Only authorised reporters.
    /// @param wallet The agent's wallet.
    /// @param delta The change in score (the score is clamped to [-1000, 1000]).
    /// @param reason A short reason code (for example "escrow.completed"), left-aligned ASCII.
    /// @param ref The reference the change is about (an escrow id, a slash id).
    /// @return newScore The score after the change.
    function reportReputation(
        address wallet,
        int256 delta,
        bytes32 reason,
        uint256 ref
    ) external returns (int256 newScore);
}
