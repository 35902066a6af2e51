// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IAgentRegistry} from "../interfaces/IAgentRegistry.sol";
import {IERC8004Reputation} from "../interfaces/IERC8004Reputation.sol";
import {IReputationRegistry} from "../interfaces/IReputationRegistry.sol";

/// @title ReputationRegistry
/// @notice ERC-8004 Reputation Registry for Civitas agents, open to any client, fed also by the economy's
/// reporters through the AgentRegistry. See {IReputationRegistry}.
contract ReputationRegistry is IReputationRegistry {
    /// @inheritdoc IReputationRegistry
    int128 public constant MAX_ABS_VALUE = 1e38;
    /// @inheritdoc IReputationRegistry
    uint8 public constant MAX_VALUE_DECIMALS = 18;

    /// @dev One stored feedback: value, decimals and revocation share a slot.
    struct Feedback {
        int128 value;
        uint8 valueDecimals;
        bool isRevoked;
        string tag1;
        string tag2;
    }

    IAgentRegistry private immutable _identityRegistry;

    mapping(uint256 agentId => mapping(address client => mapping(uint64 index => Feedback))) private _feedback;
    mapping(uint256 agentId => mapping(address client => uint64 lastIndex)) private _lastIndex;
    mapping(uint256 agentId => address[] clients) private _clients;
    mapping(uint256 agentId => mapping(address client => bool)) private _isClient;
    mapping(uint256 agentId => mapping(address client => mapping(uint64 index => address[] responders)))
        private _responders;
    mapping(uint256 agentId => mapping(address client => mapping(uint64 index => mapping(address responder => uint64))))
        private _responseCount;

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
            _store(agentId, msg.sender, value, valueDecimals, tag1, tag2),
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
        feedbackIndex = _store(agentId, clientAddress, value, 0, tag1, tag2);
        _emitNewFeedback(agentId, clientAddress, feedbackIndex, value, 0, tag1, tag2, "", "", feedbackHash);
    }

    /// @inheritdoc IERC8004Reputation
    /// @dev Throws {ReputationRegistryZeroIndex}, {ReputationRegistryIndexOutOfBounds} (also for another
    /// client's feedback: the caller has none at that index), {ReputationRegistryAlreadyRevoked}.
    /// Emits `FeedbackRevoked`.
    function revokeFeedback(uint256 agentId, uint64 feedbackIndex) external {
        Feedback storage fb = _existing(agentId, msg.sender, feedbackIndex);
        if (fb.isRevoked) revert ReputationRegistryAlreadyRevoked(agentId, msg.sender, feedbackIndex);
        fb.isRevoked = true;
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
        return _lastIndex[agentId][clientAddress];
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
        Feedback storage fb = _existing(agentId, clientAddress, feedbackIndex);
        return (fb.value, fb.valueDecimals, fb.tag1, fb.tag2, fb.isRevoked);
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
            uint64 last = _lastIndex[agentId][clientList[i]];
            for (uint64 j = 1; j <= last; ++j) count += _countResponses(agentId, clientList[i], j, responders);
        }
    }

    /// @inheritdoc IERC8004Reputation
    function getClients(uint256 agentId) external view returns (address[] memory) {
        return _clients[agentId];
    }

    /// @dev Stores a feedback at the client's next index and tracks the client; returns the index.
    function _store(
        uint256 agentId,
        address client,
        int128 value,
        uint8 valueDecimals,
        string memory tag1,
        string memory tag2
    ) private returns (uint64 feedbackIndex) {
        feedbackIndex = ++_lastIndex[agentId][client];
        _feedback[agentId][client][feedbackIndex] = Feedback({
            value: value,
            valueDecimals: valueDecimals,
            isRevoked: false,
            tag1: tag1,
            tag2: tag2
        });
        if (!_isClient[agentId][client]) {
            _isClient[agentId][client] = true;
            _clients[agentId].push(client);
        }
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
    function _existing(uint256 agentId, address client, uint64 feedbackIndex) private view returns (Feedback storage) {
        if (feedbackIndex == 0) revert ReputationRegistryZeroIndex();
        uint64 last = _lastIndex[agentId][client];
        if (feedbackIndex > last) revert ReputationRegistryIndexOutOfBounds(agentId, client, feedbackIndex, last);
        return _feedback[agentId][client][feedbackIndex];
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
            uint64 last = _lastIndex[agentId][clientList[i]];
            for (uint64 j = 1; j <= last; ++j) {
                if (_selected(_feedback[agentId][clientList[i]][j], filter, includeRevoked)) ++total;
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
            uint64 last = _lastIndex[agentId][client];
            for (uint64 j = 1; j <= last; ++j) {
                Feedback storage fb = _feedback[agentId][client][j];
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
    function _selected(Feedback storage fb, TagFilter memory filter, bool includeRevoked) private view returns (bool) {
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
        uint64 last = _lastIndex[agentId][client];
        for (uint64 j = 1; j <= last; ++j) {
            Feedback storage fb = _feedback[agentId][client][j];
            if (!_selected(fb, filter, false)) continue;
            // |value| <= 1e38 and the factor <= 1e18: each term is below 1e56, far inside int256.
            sumWad += int256(fb.value) * int256(10 ** (MAX_VALUE_DECIMALS - fb.valueDecimals));
            ++byDecimals[fb.valueDecimals];
            ++count;
        }
    }
}
