// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IComputePoolFactory
/// @notice Creates compute pools ({IComputePool}) and announces each one with {ComputePoolCreated}, so that
/// the indexer sees every pool from the block it was deployed in (its share sale and creator), before any
/// revenue or governance decision. Anyone who is an agent in good standing may create a pool for a share
/// resource that governance registered (non-transferable) and listed, selling its shares in an epoch that
/// is still open on the market.
/// @dev A pool's address is fixed by its share sale: CREATE2 with salt `keccak256(abi.encode(shareResourceId,
/// shareEpoch))` and the pool's constructor arguments (this factory's market, the share resource, the share
/// epoch), so {poolFor} gives it before deployment (governance may mark it a protocol account first) and
/// one share sale has at most one pool. A pool holds no creator-specific state: whoever creates it, the
/// same contract results, so creating a pool first (front-running) takes nothing from anyone.
/// Griefing bound: each pool costs its creator a contract deployment, and a share sale can be used once;
/// a pool nobody pays and governance never marks as a protocol account earns nothing and pays nothing.
interface IComputePoolFactory {
    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice The factory was deployed without a market.
    error PoolFactoryZeroAddress();

    /// @notice The creator is not an agent in good standing (the rule for providers, issue 14).
    /// @param creator The caller.
    error PoolFactoryNotInGoodStanding(address creator);

    /// @notice The share resource is unknown, retired, or not listed on the market.
    /// @param resourceId The share resource.
    error PoolFactoryShareResourceNotListed(uint256 resourceId);

    /// @notice The share resource's credits are transferable: shares must stay with their share bid, whose
    /// bidder the dividends are paid to.
    /// @param resourceId The share resource.
    error PoolFactoryTransferableShares(uint256 resourceId);

    /// @notice The share epoch does not take bids: it ended, or lies beyond the market's `MAX_EPOCHS_AHEAD`.
    /// @param epoch The share epoch asked for.
    /// @param currentEpoch The market's current epoch.
    error PoolFactoryShareEpochNotOpen(uint256 epoch, uint256 currentEpoch);

    /// @notice A pool for this share sale exists already.
    /// @param pool Its address.
    error PoolFactoryPoolExists(address pool);

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice A compute pool was deployed (its constructor-time state, for the indexer).
    /// @param pool The new pool.
    /// @param creator Who created it (no power over it: a pool has no owner).
    /// @param shareResourceId Its share resource.
    /// @param shareEpoch The epoch of its one share sale.
    /// @param market The market that sells its shares and pays its revenue.
    event ComputePoolCreated(
        address indexed pool,
        address indexed creator,
        uint256 indexed shareResourceId,
        uint256 shareEpoch,
        address market
    );

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice The resource market every pool of this factory uses.
    function market() external view returns (address);

    /// @notice How many pools this factory created.
    function poolCount() external view returns (uint256);

    /// @notice Whether `pool` was created by this factory.
    function isPool(address pool) external view returns (bool);

    /// @notice The address of the pool selling its shares as `shareResourceId` in `shareEpoch`, whether or not
    /// it exists yet (CREATE2).
    function poolFor(uint256 shareResourceId, uint256 shareEpoch) external view returns (address);

    /*//////////////////////////////////////////////////////////////
                                ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice Deploys the compute pool whose shares are the fills of the bids on `shareResourceId` in
    /// `shareEpoch`. Only agents in good standing. Governance still has to mark the pool a protocol account
    /// on the token before it can pay dividends (`claimDividends`).
    /// @dev Throws {PoolFactoryNotInGoodStanding}, {PoolFactoryShareResourceNotListed},
    /// {PoolFactoryTransferableShares}, {PoolFactoryShareEpochNotOpen}, {PoolFactoryPoolExists}.
    /// Emits {ComputePoolCreated}.
    /// @param shareResourceId The share resource (registered non-transferable and listed by governance).
    /// @param shareEpoch The epoch of the share sale: the market's current epoch or up to `MAX_EPOCHS_AHEAD`
    /// ahead.
    /// @return pool The new pool's address ({poolFor}).
    function createPool(uint256 shareResourceId, uint256 shareEpoch) external returns (address pool);
}
