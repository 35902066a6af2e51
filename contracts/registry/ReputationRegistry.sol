// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IAgentRegistry} from "../interfaces/IAgentRegistry.sol";
import {IERC8004Reputation} from "../interfaces/IERC8004Reputation.sol";
import {IReputationRegistry} from "../interfaces/IReputationRegistry.sol";
import {WordText} from "../lib/WordText.sol";

/// @title ReputationRegistry
/// @notice ERC-8004 Reputation Registry for Civitas agents, open to any client, fed also by the economy's
/// reporters through the AgentRegistry. See {IReputationRegistry}.
contract ReputationRegistry is IReputationRegistry {
    /// @inheritdoc IReputationRegistry
    int128 public constant MAX_ABS_VALUE = 1e38;
    /// @inheritdoc IReputationRegistry
    uint8 public constant MAX_VALUE_DECIMALS = 18;

    /// @dev One feedback stored in full (any value, decimals and tags): value, decimals and revocation share a
    /// slot, each tag has its own. Used for {giveFeedback} and for economy feedback that has no compact form.
    struct Feedback {
        int128 value;
        uint8 valueDecimals;
        bool isRevoked;
        string tag1;
        string tag2;
    }

    /// @dev The two tags of compact feedback, each a left-aligned string of at most 32 bytes without
    /// trailing zero bytes (the string is the word with its trailing zero bytes removed).
    struct TagPair {
        bytes32 tag1;
        bytes32 tag2;
    }

    /// @dev A feedback as the read functions return it.
    struct Record {
        int128 value;
        uint8 valueDecimals;
        bool isRevoked;
        string tag1;
        string tag2;
    }

    /// @dev Compact entry: bit 31 marks it (an entry of 0 means the feedback is stored in full in `_feedback`).
    uint256 private constant _COMPACT = 1 << 31;
    /// @dev Compact entry: bit 30 is the revocation.
    uint256 private constant _REVOKED = 1 << 30;
    /// @dev Compact entry: bits 16 to 29 hold the tag pair's code, 1 to `_MAX_PAIRS`.
    uint256 private constant _MAX_PAIRS = (1 << 14) - 1;
    /// @dev Entries that share word 0 of a log with the last index.
    uint64 private constant _HEAD_ENTRIES = 6;

    IAgentRegistry private immutable _identityRegistry;

    /// @dev The feedback log of one (agent, client): word 0 holds the last index (bits 0-63) and the 32-bit
    /// entries of indexes 1-6; word k >= 1 holds the entries of indexes 7 + 8(k-1) to 14 + 8(k-1). An entry
    /// is 0 for feedback stored in full, or a compact feedback: `_COMPACT`, `_REVOKED` when revoked, the tag
    /// pair's code (bits 16-29) and the value as int16 (bits 0-15), with 0 decimals. The economy's reports
    /// (one per settled job) thus write one word that is usually already written, instead of three fresh slots.
    mapping(uint256 agentId => mapping(address client => mapping(uint256 word => uint256))) private _log;
    mapping(uint256 agentId => mapping(address client => mapping(uint64 index => Feedback))) private _feedback;
    mapping(uint256 agentId => address[] clients) private _clients;
    mapping(uint256 agentId => mapping(address client => mapping(uint64 index => address[] responders)))
        private _responders;
    mapping(uint256 agentId => mapping(address client => mapping(uint64 index => mapping(address responder => uint64))))
        private _responseCount;
    /// @dev Codes of the tag pairs of compact feedback, by keccak256 of the two tag words.
    mapping(bytes32 pairKey => uint256 code) private _pairCode;
    mapping(uint256 code => TagPair) private _pairTags;
    uint256 private _pairCount;
    /// @dev The codes of two tag pairs that share `tag1`, packed (first in bits 0-15, second in bits 16-31), by
    /// keccak256 of the three tag words: the two economy feedbacks of one {recordEconomyFeedbackPair} (an
    /// escrow's `completed` and `paid`) read one slot instead of two (issue 19). Written once per triple.
    mapping(bytes32 tripleKey => uint256 codes) private _pairCodes;

    /// @param identityRegistry_ The AgentRegistry (ERC-8004 identity registry) whose agents are rated.
    constructor(IAgentRegistry identityRegistry_) {
        if (address(identityRegistry_) == address(0)) revert ReputationRegistryZeroAddress();
        _identityRegistry = identityRegistry_;
    }

    /// @inheritdoc IERC8004Reputation
    function getIdentityRegistry() external view returns (address) {
        return address(_identityRegistry);
    }

    /// @inheritdoc IERC8004Reputation
    /// @dev Throws {ReputationRegistryTooManyDecimals}, {ReputationRegistryValueTooLarge},
    /// `ERC721NonexistentToken` (from the identity registry), {ReputationRegistrySelfFeedback}.
    /// Emits `NewFeedback`.
    // Memory strings: `NewFeedback` has more arguments than the stack holds as calldata slices.
    // solhint-disable-next-line gas-calldata-parameters
    function giveFeedback(
        uint256 agentId,
        int128 value,
        uint8 valueDecimals,
        string memory tag1,
        string memory tag2,
        string memory endpoint,
        string memory feedbackURI,
        bytes32 feedbackHash
    ) external {
        if (valueDecimals > MAX_VALUE_DECIMALS) {
            revert ReputationRegistryTooManyDecimals(valueDecimals, MAX_VALUE_DECIMALS);
        }
        if (value > MAX_ABS_VALUE || value < -MAX_ABS_VALUE)
            revert ReputationRegistryValueTooLarge(value, MAX_ABS_VALUE);
        // Reverts with ERC721NonexistentToken for an id that does not exist.
        if (_identityRegistry.isAuthorizedOrOwner(msg.sender, agentId)) {
            revert ReputationRegistrySelfFeedback(agentId, msg.sender);
        }
        _emitNewFeedback(
            agentId,
            msg.sender,
            _storeFull(agentId, msg.sender, value, valueDecimals, tag1, tag2),
            value,
            valueDecimals,
            tag1,
            tag2,
            endpoint,
            feedbackURI,
            feedbackHash
        );
    }

    /// @inheritdoc IReputationRegistry
    // Memory strings: the AgentRegistry builds them in memory, and `NewFeedback` needs them so.
    // solhint-disable-next-line gas-calldata-parameters
    function recordEconomyFeedback(
        uint256 agentId,
        address clientAddress,
        int128 value,
        string memory tag1,
        string memory tag2,
        bytes32 feedbackHash
    ) external returns (uint64 feedbackIndex) {
        if (msg.sender != address(_identityRegistry)) revert ReputationRegistryNotIdentityRegistry(msg.sender);
        feedbackIndex = _storeEconomy(agentId, clientAddress, value, tag1, tag2);
        _emitNewFeedback(agentId, clientAddress, feedbackIndex, value, 0, tag1, tag2, "", "", feedbackHash);
    }

    /// @inheritdoc IReputationRegistry
    function recordEconomyFeedbackWords(
        address clientAddress,
        bytes32 tag1,
        EconomyFeedback calldata feedback,
        bytes32 feedbackHash
    ) external returns (uint64 feedbackIndex) {
        if (msg.sender != address(_identityRegistry)) revert ReputationRegistryNotIdentityRegistry(msg.sender);
        int128 value = feedback.value;
        uint256 code = _fitsCompact(value) ? _codeOfWords(tag1, feedback.tag2) : 0;
        feedbackIndex = _recordEconomyWords(clientAddress, tag1, feedback, code, feedbackHash);
    }

    /// @inheritdoc IReputationRegistry
    function recordEconomyFeedbackPair(
        address clientAddress,
        bytes32 tag1,
        EconomyFeedback calldata first,
        EconomyFeedback calldata second,
        bytes32 feedbackHash
    ) external returns (uint64 firstIndex, uint64 secondIndex) {
        if (msg.sender != address(_identityRegistry)) revert ReputationRegistryNotIdentityRegistry(msg.sender);
        (uint256 firstCode, uint256 secondCode) = _codesOfWords(tag1, first.tag2, second.tag2);
        firstIndex = _recordEconomyWords(clientAddress, tag1, first, _ifCompact(first.value, firstCode), feedbackHash);
        secondIndex = _recordEconomyWords(
            clientAddress,
            tag1,
            second,
            _ifCompact(second.value, secondCode),
            feedbackHash
        );
    }

    /// @inheritdoc IERC8004Reputation
    /// @dev Throws {ReputationRegistryZeroIndex}, {ReputationRegistryIndexOutOfBounds} (also for another
    /// client's feedback: the caller has none at that index), {ReputationRegistryAlreadyRevoked}.
    /// Emits `FeedbackRevoked`.
    function revokeFeedback(uint256 agentId, uint64 feedbackIndex) external {
        _existing(agentId, msg.sender, feedbackIndex);
        (uint256 word, uint256 shift) = _position(feedbackIndex);
        mapping(uint256 word => uint256) storage log = _log[agentId][msg.sender];
        uint256 packed = log[word];
        uint256 entry = (packed >> shift) & type(uint32).max;
        if (entry == 0) {
            Feedback storage fb = _feedback[agentId][msg.sender][feedbackIndex];
            if (fb.isRevoked) revert ReputationRegistryAlreadyRevoked(agentId, msg.sender, feedbackIndex);
            fb.isRevoked = true;
        } else {
            if (entry & _REVOKED != 0) revert ReputationRegistryAlreadyRevoked(agentId, msg.sender, feedbackIndex);
            log[word] = packed | (_REVOKED << shift);
        }
        emit FeedbackRevoked(agentId, msg.sender, feedbackIndex);
    }

    /// @inheritdoc IERC8004Reputation
    /// @dev Throws {ReputationRegistryZeroIndex}, {ReputationRegistryEmptyResponseURI},
    /// {ReputationRegistryIndexOutOfBounds}. Emits `ResponseAppended`.
    function appendResponse(
        uint256 agentId,
        address clientAddress,
        uint64 feedbackIndex,
        string calldata responseURI,
        bytes32 responseHash
    ) external {
        if (feedbackIndex == 0) revert ReputationRegistryZeroIndex();
        if (bytes(responseURI).length == 0) revert ReputationRegistryEmptyResponseURI();
        _existing(agentId, clientAddress, feedbackIndex);
        mapping(address responder => uint64) storage counts = _responseCount[agentId][clientAddress][feedbackIndex];
        if (counts[msg.sender] == 0) _responders[agentId][clientAddress][feedbackIndex].push(msg.sender);
        ++counts[msg.sender];
        emit ResponseAppended(agentId, clientAddress, feedbackIndex, msg.sender, responseURI, responseHash);
    }

    /// @inheritdoc IERC8004Reputation
    function getLastIndex(uint256 agentId, address clientAddress) external view returns (uint64) {
        return _lastIndexOf(agentId, clientAddress);
    }

    /// @inheritdoc IERC8004Reputation
    /// @dev Throws {ReputationRegistryZeroIndex}, {ReputationRegistryIndexOutOfBounds}.
    function readFeedback(
        uint256 agentId,
        address clientAddress,
        uint64 feedbackIndex
    )
        external
        view
        returns (int128 value, uint8 valueDecimals, string memory tag1, string memory tag2, bool isRevoked)
    {
        _existing(agentId, clientAddress, feedbackIndex);
        Record memory r = _record(agentId, clientAddress, feedbackIndex);
        return (r.value, r.valueDecimals, r.tag1, r.tag2, r.isRevoked);
    }

    /// @inheritdoc IERC8004Reputation
    /// @dev Throws {ReputationRegistryClientsRequired}; `SafeCastOverflowedIntDowncast` when the average does
    /// not fit int128 at the chosen decimals (the reference implementation truncates silently instead).
    function getSummary(
        uint256 agentId,
        address[] calldata clientAddresses,
        string calldata tag1,
        string calldata tag2
    ) external view returns (uint64 count, int128 summaryValue, uint8 summaryValueDecimals) {
        if (clientAddresses.length == 0) revert ReputationRegistryClientsRequired();
        return _summary(agentId, clientAddresses, _filter(tag1, tag2));
    }

    /// @inheritdoc IERC8004Reputation
    // Memory arguments: seven returned arrays leave no stack room for calldata slices.
    // solhint-disable-next-line gas-calldata-parameters
    function readAllFeedback(
        uint256 agentId,
        address[] memory clientAddresses,
        string memory tag1,
        string memory tag2,
        bool includeRevoked
    )
        external
        view
        returns (
            address[] memory clients,
            uint64[] memory feedbackIndexes,
            int128[] memory values,
            uint8[] memory valueDecimals,
            string[] memory tag1s,
            string[] memory tag2s,
            bool[] memory revokedStatuses
        )
    {
        if (clientAddresses.length == 0) clientAddresses = _clients[agentId];
        Rows memory rows = _rows(agentId, clientAddresses, _filter(tag1, tag2), includeRevoked);
        return (
            rows.clients,
            rows.feedbackIndexes,
            rows.values,
            rows.valueDecimals,
            rows.tag1s,
            rows.tag2s,
            rows.revokedStatuses
        );
    }

    /// @inheritdoc IERC8004Reputation
    function getResponseCount(
        uint256 agentId,
        address clientAddress,
        uint64 feedbackIndex,
        address[] calldata responders
    ) external view returns (uint64 count) {
        if (clientAddress != address(0) && feedbackIndex != 0) {
            return _countResponses(agentId, clientAddress, feedbackIndex, responders);
        }
        address[] memory clientList;
        if (clientAddress == address(0)) {
            clientList = _clients[agentId];
        } else {
            clientList = new address[](1);
            clientList[0] = clientAddress;
        }
        for (uint256 i = 0; i < clientList.length; ++i) {
            uint64 last = _lastIndexOf(agentId, clientList[i]);
            for (uint64 j = 1; j <= last; ++j) count += _countResponses(agentId, clientList[i], j, responders);
        }
    }

    /// @inheritdoc IERC8004Reputation
    function getClients(uint256 agentId) external view returns (address[] memory) {
        return _clients[agentId];
    }

    /// @dev Stores a feedback in full at the client's next index; returns the index.
    function _storeFull(
        uint256 agentId,
        address client,
        int128 value,
        uint8 valueDecimals,
        string memory tag1,
        string memory tag2
    ) private returns (uint64 feedbackIndex) {
        // The entry stays 0: stored in full.
        feedbackIndex = _nextIndex(agentId, client, 0);
        _feedback[agentId][client][feedbackIndex] = Feedback({
            value: value,
            valueDecimals: valueDecimals,
            isRevoked: false,
            tag1: tag1,
            tag2: tag2
        });
    }

    /// @dev Stores an economy feedback (0 decimals) at the client's next index, compact when its value fits
    /// int16 and its tags are words with a code (see {_log}), else in full; returns the index.
    function _storeEconomy(
        uint256 agentId,
        address client,
        int128 value,
        string memory tag1,
        string memory tag2
    ) private returns (uint64 feedbackIndex) {
        uint256 code = _fitsCompact(value) ? _codeOf(tag1, tag2) : 0;
        if (code == 0) return _storeFull(agentId, client, value, 0, tag1, tag2);
        // Fits: value is within int16 (checked above), code within 14 bits.
        feedbackIndex = _nextIndex(agentId, client, _COMPACT | (code << 16) | uint16(int16(value)));
    }

    /// @dev {recordEconomyFeedback} for tags given as words (each one a valid compact tag, see {_toWord}):
    /// stores one economy feedback as {_storeEconomy} would for the same strings, and emits `NewFeedback`
    /// ({_emitWordFeedback} for a compact one: the same event, encoded from the words without building strings).
    /// @param code The feedback's tag-pair code when it is stored compact, 0 to store it in full.
    function _recordEconomyWords(
        address client,
        bytes32 tag1,
        EconomyFeedback calldata f,
        uint256 code,
        bytes32 feedbackHash
    ) private returns (uint64 feedbackIndex) {
        uint256 agentId = f.agentId;
        int128 value = f.value;
        bytes32 tag2 = f.tag2;
        if (code == 0) {
            feedbackIndex = _recordFullWords(agentId, client, value, tag1, tag2, feedbackHash);
        } else {
            // Fits: a code is given only for a value within int16 ({_fitsCompact}), and is within 14 bits.
            feedbackIndex = _nextIndex(agentId, client, _COMPACT | (code << 16) | uint16(int16(value)));
            _emitWordFeedback(agentId, client, feedbackIndex, value, tag1, tag2, feedbackHash);
        }
    }

    /// @dev The full path of {_recordEconomyWords} (a value beyond int16, or no tag-pair code left): stores
    /// the feedback in full with the words as strings, emits `NewFeedback`, and returns its index.
    function _recordFullWords(
        uint256 agentId,
        address client,
        int128 value,
        bytes32 tag1,
        bytes32 tag2,
        bytes32 feedbackHash
    ) private returns (uint64 feedbackIndex) {
        string memory tag1Text = WordText.toText(tag1);
        string memory tag2Text = WordText.toText(tag2);
        feedbackIndex = _storeFull(agentId, client, value, 0, tag1Text, tag2Text);
        _emitNewFeedback(agentId, client, feedbackIndex, value, 0, tag1Text, tag2Text, "", "", feedbackHash);
    }

    /// @dev Emits `NewFeedback(agentId, client, feedbackIndex, value, 0, tag1, tag1, tag2, "", "",
    /// feedbackHash)` with each tag the string its word spells ({WordText.toText}): the ABI encoding written
    /// directly in free memory (not reserved: nothing is allocated after it), and topic 3 the keccak256 of
    /// `tag1`'s bytes, as Solidity emits an indexed string. test/registry/ReputationReportPair.test.ts and the
    /// compact tests decode it against the full path's event.
    function _emitWordFeedback(
        uint256 agentId,
        address client,
        uint64 feedbackIndex,
        int128 value,
        bytes32 tag1,
        bytes32 tag2,
        bytes32 feedbackHash
    ) private {
        uint256 length1 = WordText.lengthOf(tag1);
        uint256 length2 = WordText.lengthOf(tag2);
        bytes32 topic0 = NewFeedback.selector;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let p := mload(0x40)
            // Head: feedbackIndex, value, valueDecimals (0), four string offsets, feedbackHash.
            // Values shorter than a word are cleaned, as the ABI encoder would.
            mstore(p, and(feedbackIndex, 0xffffffffffffffff))
            mstore(add(p, 0x20), signextend(15, value))
            mstore(add(p, 0x40), 0)
            mstore(add(p, 0x60), 0x100)
            mstore(add(p, 0xe0), feedbackHash)
            // Tail: each string is its length, then its word when it is not empty (a word pads itself).
            let at := add(p, 0x100)
            mstore(at, length1)
            mstore(add(at, 0x20), tag1)
            at := add(at, add(0x20, mul(iszero(iszero(length1)), 0x20)))
            mstore(add(p, 0x80), sub(at, p))
            mstore(at, length2)
            mstore(add(at, 0x20), tag2)
            at := add(at, add(0x20, mul(iszero(iszero(length2)), 0x20)))
            // endpoint and feedbackURI: two empty strings.
            mstore(add(p, 0xa0), sub(at, p))
            mstore(at, 0)
            mstore(add(p, 0xc0), add(sub(at, p), 0x20))
            mstore(add(at, 0x20), 0)
            let clientTopic := and(client, 0xffffffffffffffffffffffffffffffffffffffff)
            log4(p, add(sub(at, p), 0x40), topic0, agentId, clientTopic, keccak256(add(p, 0x120), length1))
        }
    }

    /// @dev Advances the (agent, client) log by one entry (0 for a feedback stored in full) and tracks a new
    /// client; returns the new index. Writes word 0 and, from index 7 on, the entry's word.
    function _nextIndex(uint256 agentId, address client, uint256 entry) private returns (uint64 feedbackIndex) {
        mapping(uint256 word => uint256) storage log = _log[agentId][client];
        uint256 head = log[0];
        // Cannot overflow: one index per transaction.
        unchecked {
            feedbackIndex = uint64(head) + 1;
        }
        (uint256 word, uint256 shift) = _position(feedbackIndex);
        head = (head & ~uint256(type(uint64).max)) | feedbackIndex;
        if (word == 0) {
            log[0] = head | (entry << shift);
        } else {
            log[0] = head;
            if (entry != 0) log[word] |= entry << shift;
        }
        if (feedbackIndex == 1) _clients[agentId].push(client);
    }

    /// @dev The code of a tag pair for compact feedback, assigned on first use; 0 when a tag is not a word
    /// (longer than 32 bytes, or ending in a zero byte) or every code is taken.
    function _codeOf(string memory tag1, string memory tag2) private returns (uint256 code) {
        (bool ok1, bytes32 word1) = _toWord(tag1);
        (bool ok2, bytes32 word2) = _toWord(tag2);
        if (!ok1 || !ok2) return 0;
        return _codeOfWords(word1, word2);
    }

    /// @dev The code of the tag pair (`word1`, `word2`), both valid compact tags, assigned on first use; 0
    /// when every code is taken.
    function _codeOfWords(bytes32 word1, bytes32 word2) private returns (uint256 code) {
        bytes32 key;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            // keccak256(abi.encode(word1, word2)), hashed in the scratch space.
            mstore(0, word1)
            mstore(0x20, word2)
            key := keccak256(0, 0x40)
        }
        code = _pairCode[key];
        if (code != 0) return code;
        code = _pairCount + 1;
        if (code > _MAX_PAIRS) return 0;
        _pairCount = code;
        _pairCode[key] = code;
        _pairTags[code] = TagPair({tag1: word1, tag2: word2});
    }

    /// @dev The codes of the tag pairs (`tag1`, `first`) and (`tag1`, `second`) ({_codeOfWords}), read from
    /// {_pairCodes} in one slot once both are known; 0 for a pair without a code (every code taken).
    function _codesOfWords(
        bytes32 tag1,
        bytes32 first,
        bytes32 second
    ) private returns (uint256 firstCode, uint256 secondCode) {
        bytes32 key;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            // keccak256(abi.encode(tag1, first, second)), hashed in free memory (not reserved).
            let p := mload(0x40)
            mstore(p, tag1)
            mstore(add(p, 0x20), first)
            mstore(add(p, 0x40), second)
            key := keccak256(p, 0x60)
        }
        uint256 codes = _pairCodes[key];
        if (codes != 0) return (codes & 0xffff, codes >> 16);
        firstCode = _codeOfWords(tag1, first);
        secondCode = _codeOfWords(tag1, second);
        // Each code is within 14 bits. Kept only when both exist: once every code is taken, a pair without
        // one is looked up again each time, as a single report would.
        if (firstCode != 0 && secondCode != 0) _pairCodes[key] = firstCode | (secondCode << 16);
    }

    /// @dev Whether an economy feedback's value fits a compact entry (int16, 0 decimals).
    function _fitsCompact(int128 value) private pure returns (bool) {
        return value >= type(int16).min && value <= type(int16).max;
    }

    /// @dev `code` when `value` fits a compact entry ({_fitsCompact}), else 0 (stored in full).
    function _ifCompact(int128 value, uint256 code) private pure returns (uint256) {
        return _fitsCompact(value) ? code : 0;
    }

    /// @dev A string of at most 32 bytes not ending in a zero byte as a left-aligned word (`ok` false
    /// otherwise): the word with its trailing zero bytes removed is the string again.
    function _toWord(string memory text) private pure returns (bool ok, bytes32 word) {
        bytes memory b = bytes(text);
        uint256 length = b.length;
        if (length > 32 || (length != 0 && b[length - 1] == 0)) return (false, 0);
        // Right-padded with zero bytes.
        return (true, bytes32(b));
    }

    /// @dev Where a feedback's entry lives in its log: the word and the bit shift (see {_log}).
    function _position(uint64 feedbackIndex) private pure returns (uint256 word, uint256 shift) {
        if (feedbackIndex <= _HEAD_ENTRIES) return (0, 64 + 32 * (uint256(feedbackIndex) - 1));
        uint256 i = uint256(feedbackIndex) - _HEAD_ENTRIES - 1;
        return (1 + i / 8, 32 * (i % 8));
    }

    /// @dev The client's last feedback index about the agent (0 when none).
    function _lastIndexOf(uint256 agentId, address client) private view returns (uint64) {
        return uint64(_log[agentId][client][0]);
    }

    /// @dev One existing feedback as the read functions return it, from its compact entry or in full.
    function _record(uint256 agentId, address client, uint64 feedbackIndex) private view returns (Record memory) {
        (uint256 word, uint256 shift) = _position(feedbackIndex);
        uint256 entry = (_log[agentId][client][word] >> shift) & type(uint32).max;
        if (entry == 0) {
            Feedback storage fb = _feedback[agentId][client][feedbackIndex];
            return Record(fb.value, fb.valueDecimals, fb.isRevoked, fb.tag1, fb.tag2);
        }
        TagPair storage pair = _pairTags[(entry >> 16) & _MAX_PAIRS];
        // The low 16 bits are the value's int16 two's complement.
        return
            Record(
                int16(uint16(entry)),
                0,
                entry & _REVOKED != 0,
                WordText.toText(pair.tag1),
                WordText.toText(pair.tag2)
            );
    }

    /// @dev Emits `NewFeedback` (its strings in memory: the event has more arguments than the stack holds
    /// as calldata slices).
    function _emitNewFeedback(
        uint256 agentId,
        address client,
        uint64 feedbackIndex,
        int128 value,
        uint8 valueDecimals,
        string memory tag1,
        string memory tag2,
        string memory endpoint,
        string memory feedbackURI,
        bytes32 feedbackHash
    ) private {
        emit NewFeedback(
            agentId,
            client,
            feedbackIndex,
            value,
            valueDecimals,
            tag1,
            tag1,
            tag2,
            endpoint,
            feedbackURI,
            feedbackHash
        );
    }

    /// @dev The feedback at a valid index. Throws {ReputationRegistryZeroIndex},
    /// {ReputationRegistryIndexOutOfBounds}.
    function _existing(uint256 agentId, address client, uint64 feedbackIndex) private view {
        if (feedbackIndex == 0) revert ReputationRegistryZeroIndex();
        uint64 last = _lastIndexOf(agentId, client);
        if (feedbackIndex > last) revert ReputationRegistryIndexOutOfBounds(agentId, client, feedbackIndex, last);
    }

    /// @dev Responses to one feedback from the given responders (everyone when the list is empty).
    function _countResponses(
        uint256 agentId,
        address client,
        uint64 feedbackIndex,
        address[] calldata responders
    ) private view returns (uint64 count) {
        mapping(address responder => uint64) storage counts = _responseCount[agentId][client][feedbackIndex];
        if (responders.length == 0) {
            address[] storage all = _responders[agentId][client][feedbackIndex];
            for (uint256 k = 0; k < all.length; ++k) count += counts[all[k]];
        } else {
            for (uint256 k = 0; k < responders.length; ++k) count += counts[responders[k]];
        }
    }

    /// @dev {getSummary} once its tags are a filter.
    function _summary(
        uint256 agentId,
        address[] calldata clientAddresses,
        TagFilter memory filter
    ) private view returns (uint64 count, int128 summaryValue, uint8 summaryValueDecimals) {
        int256 sumWad;
        uint64[19] memory byDecimals;
        for (uint256 i = 0; i < clientAddresses.length; ++i) {
            (int256 clientSum, uint64 clientCount) = _sumClient(agentId, clientAddresses[i], filter, byDecimals);
            sumWad += clientSum;
            count += clientCount;
        }
        if (count == 0) return (0, 0, 0);
        for (uint8 d = 1; d <= MAX_VALUE_DECIMALS; ++d) {
            if (byDecimals[d] > byDecimals[summaryValueDecimals]) summaryValueDecimals = d;
        }
        int256 averageWad = sumWad / int256(uint256(count));
        summaryValue = SafeCast.toInt128(averageWad / int256(10 ** (MAX_VALUE_DECIMALS - summaryValueDecimals)));
    }

    /// @dev The columns {readAllFeedback} returns.
    struct Rows {
        address[] clients;
        uint64[] feedbackIndexes;
        int128[] values;
        uint8[] valueDecimals;
        string[] tag1s;
        string[] tag2s;
        bool[] revokedStatuses;
    }

    /// @dev The selected feedback of the listed clients, in client then index order.
    function _rows(
        uint256 agentId,
        address[] memory clientList,
        TagFilter memory filter,
        bool includeRevoked
    ) private view returns (Rows memory rows) {
        uint256 total;
        for (uint256 i = 0; i < clientList.length; ++i) {
            uint64 last = _lastIndexOf(agentId, clientList[i]);
            for (uint64 j = 1; j <= last; ++j) {
                if (_selected(_record(agentId, clientList[i], j), filter, includeRevoked)) ++total;
            }
        }
        rows.clients = new address[](total);
        rows.feedbackIndexes = new uint64[](total);
        rows.values = new int128[](total);
        rows.valueDecimals = new uint8[](total);
        rows.tag1s = new string[](total);
        rows.tag2s = new string[](total);
        rows.revokedStatuses = new bool[](total);
        uint256 k;
        for (uint256 i = 0; i < clientList.length; ++i) {
            address client = clientList[i];
            uint64 last = _lastIndexOf(agentId, client);
            for (uint64 j = 1; j <= last; ++j) {
                Record memory fb = _record(agentId, client, j);
                if (!_selected(fb, filter, includeRevoked)) continue;
                rows.clients[k] = client;
                rows.feedbackIndexes[k] = j;
                rows.values[k] = fb.value;
                rows.valueDecimals[k] = fb.valueDecimals;
                rows.tag1s[k] = fb.tag1;
                rows.tag2s[k] = fb.tag2;
                rows.revokedStatuses[k] = fb.isRevoked;
                ++k;
            }
        }
    }

    /// @dev A tag filter: an empty tag matches every tag.
    struct TagFilter {
        bool anyTag1;
        bool anyTag2;
        bytes32 tag1Hash;
        bytes32 tag2Hash;
    }

    function _filter(string memory tag1, string memory tag2) private pure returns (TagFilter memory) {
        return
            TagFilter({
                anyTag1: bytes(tag1).length == 0,
                anyTag2: bytes(tag2).length == 0,
                tag1Hash: keccak256(bytes(tag1)),
                tag2Hash: keccak256(bytes(tag2))
            });
    }

    /// @dev Whether a feedback is selected: not revoked (unless asked for) and passing the tag filter.
    function _selected(Record memory fb, TagFilter memory filter, bool includeRevoked) private pure returns (bool) {
        if (fb.isRevoked && !includeRevoked) return false;
        if (!filter.anyTag1 && keccak256(bytes(fb.tag1)) != filter.tag1Hash) return false;
        if (!filter.anyTag2 && keccak256(bytes(fb.tag2)) != filter.tag2Hash) return false;
        return true;
    }

    /// @dev The sum at 18 decimals and the count of one client's selected, non-revoked feedback; counts each
    /// feedback's decimals into `byDecimals`.
    function _sumClient(
        uint256 agentId,
        address client,
        TagFilter memory filter,
        uint64[19] memory byDecimals
    ) private view returns (int256 sumWad, uint64 count) {
        uint64 last = _lastIndexOf(agentId, client);
        for (uint64 j = 1; j <= last; ++j) {
            Record memory fb = _record(agentId, client, j);
            if (!_selected(fb, filter, false)) continue;
            // |value| <= 1e38 and the factor <= 1e18: each term is below 1e56, far inside int256.
            sumWad += int256(fb.value) * int256(10 ** (MAX_VALUE_DECIMALS - fb.valueDecimals));
            ++byDecimals[fb.valueDecimals];
            ++count;
        }
    }
}
