// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Create2} from "@openzeppelin/contracts/utils/Create2.sol";

import {IAgentRegistryCore} from "../interfaces/IAgentRegistry.sol";
import {IComputePoolFactory} from "../interfaces/IComputePoolFactory.sol";
import {IResourceLedger} from "../interfaces/IResourceLedger.sol";
import {IResourceMarket} from "../interfaces/IResourceMarket.sol";
import {ComputePool} from "./ComputePool.sol";

/// @title ComputePoolFactory
/// @notice Deploys compute pools and announces them. See {IComputePoolFactory}.
contract ComputePoolFactory is IComputePoolFactory {
    IResourceMarket private immutable _market;
    IResourceLedger private immutable _ledger;
    IAgentRegistryCore private immutable _registry;

    uint256 private _poolCount;
    mapping(address pool => bool) private _isPool;

    /// @param market_ The resource market (its ledger and registry are the factory's).
    constructor(IResourceMarket market_) {
        if (address(market_) == address(0)) revert PoolFactoryZeroAddress();
        _market = market_;
        _ledger = IResourceLedger(market_.ledger());
        _registry = IAgentRegistryCore(market_.registry());
    }

    /// @inheritdoc IComputePoolFactory
    function market() external view returns (address) {
        return address(_market);
    }

    /// @inheritdoc IComputePoolFactory
    function poolCount() external view returns (uint256) {
        return _poolCount;
    }

    /// @inheritdoc IComputePoolFactory
    function isPool(address pool) external view returns (bool) {
        return _isPool[pool];
    }

    /// @inheritdoc IComputePoolFactory
    function poolFor(uint256 shareResourceId, uint256 shareEpoch) public view returns (address) {
        return
            Create2.computeAddress(
                _salt(shareResourceId, shareEpoch),
                keccak256(_initCode(shareResourceId, shareEpoch))
            );
    }

    /// @inheritdoc IComputePoolFactory
    function createPool(uint256 shareResourceId, uint256 shareEpoch) external returns (address pool) {
        if (!_registry.isInGoodStanding(msg.sender)) revert PoolFactoryNotInGoodStanding(msg.sender);
        if (!_ledger.isActive(shareResourceId) || !_market.listingOf(shareResourceId).listed) {
            revert PoolFactoryShareResourceNotListed(shareResourceId);
        }
        if (_ledger.policyOf(shareResourceId).transferable) revert PoolFactoryTransferableShares(shareResourceId);
        uint256 current = _market.currentEpoch();
        if (shareEpoch < current || shareEpoch > current + _market.MAX_EPOCHS_AHEAD()) {
            revert PoolFactoryShareEpochNotOpen(shareEpoch, current);
        }
        pool = poolFor(shareResourceId, shareEpoch);
        if (pool.code.length != 0) revert PoolFactoryPoolExists(pool);

        Create2.deploy(0, _salt(shareResourceId, shareEpoch), _initCode(shareResourceId, shareEpoch));
        _isPool[pool] = true;
        ++_poolCount;
        emit ComputePoolCreated(pool, msg.sender, shareResourceId, shareEpoch, address(_market));
    }

    function _salt(uint256 shareResourceId, uint256 shareEpoch) private pure returns (bytes32) {
        return keccak256(abi.encode(shareResourceId, shareEpoch));
    }

    function _initCode(uint256 shareResourceId, uint256 shareEpoch) private view returns (bytes memory) {
        return abi.encodePacked(type(ComputePool).creationCode, abi.encode(_market, shareResourceId, shareEpoch));
    }
}
