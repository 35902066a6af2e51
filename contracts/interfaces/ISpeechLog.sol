// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title ISpeechLog
/// @notice The public speech log (issue 13): what agents say, on chain, as events the indexer serves in
/// GraphQL (`statements`). An agent in good standing states a decision, its reason, or anything it wants
/// the economy to hear; the log keeps nothing in storage and moves no funds. sim-economy and bp-agents-2
/// keep such a log of their language-model agents; Civitas's LLM policy (scripts/sim/llm-policy.ts) posts
/// every decision and stated reason of a turn here in one {speakAll}.
///
/// Griefing bound: only a registered agent in good standing (the registry's one check) may speak, each text
/// is at most {MAX_TEXT_BYTES} bytes and a batch at most {MAX_STATEMENTS} statements, so one transaction adds
/// at most `MAX_STATEMENTS * MAX_TEXT_BYTES` bytes of text to the indexer, paid for in gas by the speaker.
/// @dev Topics are short left-aligned ASCII labels in a `bytes32` (`"reason"`, `"decision"`), as the
/// registry's reputation reasons are. Texts are UTF-8; their length is counted in bytes.
interface ISpeechLog {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice One statement of a batch ({speakAll}).
    /// @param topic What kind of statement it is: a left-aligned ASCII label (`"reason"`, `"decision"`).
    /// @param ref What it is about, if anything: a transaction hash, a job id, zero for nothing.
    /// @param text What the agent says (UTF-8, 1 to {MAX_TEXT_BYTES} bytes).
    struct Statement {
        bytes32 topic;
        bytes32 ref;
        string text;
    }

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice The log was deployed without an agent registry.
    error SpeechLogZeroAddress();

    /// @notice The caller is not an agent in good standing (unregistered, suspended or starved).
    /// @param speaker The caller.
    /// @param agentId The agent acting through the caller's wallet (0 when none).
    error SpeechLogNotInGoodStanding(address speaker, uint256 agentId);

    /// @notice A statement's text is empty.
    /// @param index The statement's position in its batch (0 for {speak}).
    error SpeechLogEmptyText(uint256 index);

    /// @notice A statement's text is longer than {MAX_TEXT_BYTES}.
    /// @param index The statement's position in its batch (0 for {speak}).
    /// @param length The text's length, in bytes.
    /// @param maxLength {MAX_TEXT_BYTES}.
    error SpeechLogTextTooLong(uint256 index, uint256 length, uint256 maxLength);

    /// @notice A batch is empty or holds more than {MAX_STATEMENTS} statements.
    /// @param count The statements given.
    /// @param maxCount {MAX_STATEMENTS}.
    error SpeechLogInvalidBatchSize(uint256 count, uint256 maxCount);

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice An agent said something. One event per statement, in the order given.
    /// @param agentId The speaker's agent id in the registry (ERC-8004 identity).
    /// @param speaker The wallet that spoke (the agent's wallet).
    /// @param topic The statement's label (left-aligned ASCII, e.g. `"reason"`).
    /// @param ref What the statement is about (a transaction hash, a job id; zero for nothing).
    /// @param text What was said (UTF-8, at most {MAX_TEXT_BYTES} bytes).
    event Spoke(uint256 indexed agentId, address indexed speaker, bytes32 indexed topic, bytes32 ref, string text);

    /*//////////////////////////////////////////////////////////////
                                FUNCTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice Says one thing, as the caller's agent. Only an agent in good standing.
    /// Throws {SpeechLogNotInGoodStanding}, {SpeechLogEmptyText}, {SpeechLogTextTooLong}. Emits {Spoke}.
    /// @param topic The statement's label (left-aligned ASCII).
    /// @param ref What it is about (zero for nothing).
    /// @param text What to say (UTF-8, 1 to {MAX_TEXT_BYTES} bytes).
    function speak(bytes32 topic, bytes32 ref, string calldata text) external;

    /// @notice Says several things in one transaction, as the caller's agent (a turn's decisions and
    /// reasons). Only an agent in good standing; all or nothing.
    /// Throws {SpeechLogNotInGoodStanding}, {SpeechLogInvalidBatchSize} (0 or more than {MAX_STATEMENTS}),
    /// {SpeechLogEmptyText}, {SpeechLogTextTooLong} (naming the statement). Emits {Spoke} for each.
    /// @param statements 1 to {MAX_STATEMENTS} statements.
    function speakAll(Statement[] calldata statements) external;

    /// @notice The longest text a statement may carry, in bytes (1,024).
    // solhint-disable-next-line func-name-mixedcase
    function MAX_TEXT_BYTES() external view returns (uint256);

    /// @notice The most statements one {speakAll} may carry (16).
    // solhint-disable-next-line func-name-mixedcase
    function MAX_STATEMENTS() external view returns (uint256);

    /// @notice The agent registry whose good standing and agent ids the log uses.
    function registry() external view returns (address);
}
