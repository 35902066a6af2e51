// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IResourceMarket
/// @notice A uniform-price market in resource credits, one sealed-by-time auction per resource per epoch.
/// Providers (agents in good standing) offer capacity for an epoch; buyers bid a quantity and a maximum price
/// per unit, escrowing CIV; once the epoch has ended anyone clears it: bids are filled from the highest price
/// down until the supply runs out, everyone pays one clearing price (the lowest price filled, never below
/// the resource's reserve), the marginal price level is shared pro rata, winners are credited on the
/// resource ledger, every unfilled or overpaid wei is refunded, providers are paid as earnings (taxed, wealth
/// cap) less a protocol fee to the Treasury. The reserve moves epoch to epoch with utilisation (EIP-1559).
/// @dev Units: CIV amounts in wei, quantities in the resource's base units, prices in wei per base unit,
/// rates in bps (10,000 = 100%), times in seconds.
/// Prices are ticks: tick `t` (1 <= t <= {MAX_TICK}) is the price `t * tickSize` of the resource's listing.
/// Demand is aggregated per tick in a Fenwick tree over ticks, so clearing finds the clearing tick with
/// log2({TICKS}) = 12 reads, whatever the number of bids, and every bid and offer is settled by its own
/// claim in constant gas (the marginal tick's share and each offer's share are computed from the position
/// the bid or offer took when it was placed, so the shares add up exactly: sum of fills = sold).
/// Clearing of epoch `e`, supply `S` (capacity offered), reserve tick `r = ceil(reservePrice / tickSize)`,
/// demand `D(t)` = quantity bid at ticks >= t:
/// - if `D(r) <= S`: clearing tick `c = r`, every bid at or above `r` is filled in full, `sold = D(r)`;
/// - else `c` = the highest tick with `D(c) >= S`: bids above `c` are filled in full, bids at `c` share
///   `S - D(c + 1)` pro rata, `sold = S`.
/// The clearing price is `c * tickSize`. A bid at tick `t` escrows `quantity * t * tickSize`; it pays
/// `filled * price` and gets the rest back. An offer of `capacity` (of `S`) is paid for its share of
/// `sold`; of its gross `g`, `g * protocolFeeBps / 10_000` goes to the Treasury and the rest to the payee
/// through `token.payEarnings`.
/// Reserve: at each clearing with supply, `reservePrice` moves by `maxReserveStepBps * (u - target) /
/// (10_000 - target)` for utilisation `u = sold / S` above the target `targetUtilisationBps`, or by
/// `maxReserveStepBps * (u - target) / target` below it (at least one wei up when above), within
/// [`tickSize`, `MAX_TICK * tickSize`].
/// Ways out: claims clear the epoch first when nobody has; an epoch with no supply, or whose resource was
/// retired or delisted before clearing, clears as cancelled (every bid refunded in full); anyone may claim
/// for a bidder or a provider (the money always goes to the bidder or the offer's payee).
/// Accounting invariant: CIV escrowed by bids = refunds + provider gross paid + CIV held; credits minted on
/// the ledger = fills claimed.
interface IResourceMarket {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice A resource's listing: its tick size and current reserve.
    /// @param tickSize The price step, in wei per base unit (tick `t` is `t * tickSize`).
    /// @param reservePrice The reserve applied at the next clearing, in wei per base unit.
    /// @param listed Whether new offers and bids are accepted.
    struct Listing {
        uint128 tickSize;
        uint128 reservePrice;
        bool listed;
    }

    /// @notice One resource's auction in one epoch. Clearing fields are zero until cleared.
    /// @param supply Capacity offered, in base units.
    /// @param demand Quantity bid at every tick, in base units.
    /// @param sold Capacity sold, in base units (= sum of fills).
    /// @param price The clearing price, in wei per base unit (0 when cancelled).
    /// @param marginalDemand Quantity bid at tick `c`, in base units.
    /// @param marginalFill Of `marginalDemand`, how much is filled, in base units.
    /// @param tickSize The listing's tick size when the epoch's first offer or bid came (fixed for the epoch).
    /// @param clearingTick The clearing tick `c` (0 when cancelled).
    /// @param feeBps The protocol fee applied to the epoch's offers, in bps (fixed at clearing).
    /// @param cleared Whether the epoch has been cleared.
    /// @param cancelled Whether it cleared with no trade (no supply, or the resource retired or delisted).
    struct Epoch {
        uint128 supply;
        uint128 demand;
        uint128 sold;
        uint128 price;
        uint128 marginalDemand;
        uint128 marginalFill;
        uint128 tickSize;
        uint16 clearingTick;
        uint16 feeBps;
        bool cleared;
        bool cancelled;
    }

    /// @notice A bid. `cumBefore` is the quantity bid at the same tick before it (its place in the pro rata).
    struct Bid {
        address bidder;
        uint64 resourceId;
        uint32 epoch;
        uint16 tick;
        bool claimed;
        uint128 quantity;
        uint128 cumBefore;
    }

    /// @notice An offer. `cumBefore` is the capacity offered in the epoch before it (its place in the split).
    struct Offer {
        address provider;
        address payee;
        uint64 resourceId;
        uint32 epoch;
        bool claimed;
        uint128 capacity;
        uint128 cumBefore;
    }

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice The resource is not listed, or its ledger entry is retired or unknown.
    /// @param resourceId The resource.
    error MarketResourceNotListed(uint256 resourceId);

    /// @notice The epoch does not accept offers or bids now: it ended, or lies beyond {MAX_EPOCHS_AHEAD}.
    /// @param epoch The epoch asked for.
    /// @param currentEpoch The current epoch.
    error MarketEpochNotOpen(uint256 epoch, uint256 currentEpoch);

    /// @notice The epoch has not ended yet, so it cannot be cleared or claimed.
    /// @param epoch The epoch.
    /// @param endsAt When it ends, in seconds.
    error MarketEpochNotEnded(uint256 epoch, uint256 endsAt);

    /// @notice The epoch was already cleared.
    /// @param resourceId The resource.
    /// @param epoch The epoch.
    error MarketEpochAlreadyCleared(uint256 resourceId, uint256 epoch);

    /// @notice The tick is outside [1, {MAX_TICK}].
    /// @param tick The rejected tick.
    /// @param maxTick {MAX_TICK}.
    error MarketTickOutOfRange(uint256 tick, uint256 maxTick);

    /// @notice A quantity or capacity of zero, or above 2^96 - 1 (so every product fits).
    /// @param quantity The rejected amount.
    error MarketInvalidQuantity(uint256 quantity);

    /// @notice The provider is not an agent in good standing.
    /// @param provider The provider.
    error MarketNotInGoodStanding(address provider);

    /// @notice The bid or offer does not exist.
    /// @param id The id.
    error MarketUnknownId(uint256 id);

    /// @notice The bid or offer was already claimed.
    /// @param id The id.
    error MarketAlreadyClaimed(uint256 id);

    /// @notice The market is not a protocol account on the token: deposits would be taxed.
    /// @param market This contract.
    error MarketNotProtocolAccount(address market);

    /// @notice A tick size of zero, or a reserve outside [tickSize, MAX_TICK * tickSize].
    /// @param tickSize The tick size, in wei per base unit.
    /// @param reservePrice The reserve, in wei per base unit.
    error MarketInvalidListing(uint256 tickSize, uint256 reservePrice);

    /// @notice A protocol fee above {MAX_PROTOCOL_FEE_BPS}.
    /// @param feeBps The rejected fee.
    /// @param maxFeeBps {MAX_PROTOCOL_FEE_BPS}.
    error MarketFeeTooHigh(uint256 feeBps, uint256 maxFeeBps);

    /// @notice A target utilisation outside [{MIN_TARGET_UTILISATION_BPS}, {MAX_TARGET_UTILISATION_BPS}].
    /// @param targetBps The rejected target.
    /// @param minBps The lowest target.
    /// @param maxBps The highest target.
    error MarketTargetOutOfBounds(uint256 targetBps, uint256 minBps, uint256 maxBps);

    /// @notice A reserve step outside [1, {MAX_RESERVE_STEP_BPS}].
    /// @param stepBps The rejected step.
    /// @param maxStepBps {MAX_RESERVE_STEP_BPS}.
    error MarketStepOutOfBounds(uint256 stepBps, uint256 maxStepBps);

    /// @notice An epoch duration outside [{MIN_EPOCH_DURATION}, {MAX_EPOCH_DURATION}] (constructor).
    /// @param duration The rejected duration, in seconds.
    error MarketEpochDurationOutOfBounds(uint256 duration);

    /// @notice The zero address was given.
    error MarketZeroAddress();

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice A resource was listed or its listing changed (governance).
    /// @param resourceId The resource.
    /// @param tickSize The tick size, in wei per base unit.
    /// @param oldReservePrice The previous reserve (0 when newly listed), in wei per base unit.
    /// @param newReservePrice The new reserve, in wei per base unit.
    event ResourceListed(
        uint256 indexed resourceId,
        uint256 tickSize,
        uint256 oldReservePrice,
        uint256 newReservePrice
    );

    /// @notice A resource was delisted (governance): open epochs clear as cancelled.
    /// @param resourceId The resource.
    event ResourceDelisted(uint256 indexed resourceId);

    /// @notice A provider offered capacity.
    /// @param offerId The new offer's id.
    /// @param resourceId The resource.
    /// @param epoch The epoch.
    /// @param provider The provider (an agent in good standing).
    /// @param payee Who is paid for it (the provider, or a pool).
    /// @param capacity Base units offered.
    /// @param supply The epoch's supply after it, in base units.
    event Offered(
        uint256 indexed offerId,
        uint256 indexed resourceId,
        uint256 indexed epoch,
        address provider,
        address payee,
        uint256 capacity,
        uint256 supply
    );

    /// @notice A buyer bid, escrowing `escrow = quantity * tick * tickSize` wei.
    /// @param bidId The new bid's id.
    /// @param resourceId The resource.
    /// @param epoch The epoch.
    /// @param bidder The buyer.
    /// @param tick The price tick.
    /// @param maxPrice The maximum price, in wei per base unit (`tick * tickSize`).
    /// @param quantity Base units wanted.
    /// @param escrow CIV escrowed, in wei.
    event BidPlaced(
        uint256 indexed bidId,
        uint256 indexed resourceId,
        uint256 indexed epoch,
        address bidder,
        uint256 tick,
        uint256 maxPrice,
        uint256 quantity,
        uint256 escrow
    );

    /// @notice An epoch was cleared.
    /// @param resourceId The resource.
    /// @param epoch The epoch.
    /// @param clearingTick The clearing tick (0 when cancelled).
    /// @param price The clearing price, in wei per base unit (0 when cancelled).
    /// @param supply Capacity offered, in base units.
    /// @param demand Quantity bid, in base units.
    /// @param sold Capacity sold, in base units.
    /// @param utilisationBps `sold * 10_000 / supply` (0 with no supply).
    /// @param cancelled Whether it cleared with no trade.
    /// @param newReservePrice The resource's reserve after this clearing, in wei per base unit.
    event EpochCleared(
        uint256 indexed resourceId,
        uint256 indexed epoch,
        uint256 clearingTick,
        uint256 price,
        uint256 supply,
        uint256 demand,
        uint256 sold,
        uint256 utilisationBps,
        bool cancelled,
        uint256 newReservePrice
    );

    /// @notice The resource's reserve moved at a clearing (old and new).
    /// @param resourceId The resource.
    /// @param oldReservePrice The previous reserve, in wei per base unit.
    /// @param newReservePrice The new reserve, in wei per base unit.
    event ReservePriceUpdated(uint256 indexed resourceId, uint256 oldReservePrice, uint256 newReservePrice);

    /// @notice A bid was settled: `filled` credited on the ledger, `cost` kept for providers, `refund` returned.
    /// @param bidId The bid.
    /// @param bidder The buyer (who receives the credits and the refund, whoever called).
    /// @param filled Base units credited.
    /// @param cost CIV paid, in wei (`filled * price`).
    /// @param refund CIV returned, in wei (`escrow - cost`).
    event BidClaimed(uint256 indexed bidId, address indexed bidder, uint256 filled, uint256 cost, uint256 refund);

    /// @notice An offer was settled: of `gross`, `fee` went to the Treasury and the rest to the payee as earnings.
    /// @param offerId The offer.
    /// @param payee Who was paid.
    /// @param sold Base units of the offer sold.
    /// @param gross CIV for them, in wei (`sold * price`).
    /// @param fee Protocol fee, in wei.
    event OfferClaimed(uint256 indexed offerId, address indexed payee, uint256 sold, uint256 gross, uint256 fee);

    /// @notice The protocol fee changed.
    /// @param oldFeeBps The previous fee, in bps.
    /// @param newFeeBps The new fee, in bps.
    event ProtocolFeeBpsUpdated(uint256 oldFeeBps, uint256 newFeeBps);

    /// @notice The target utilisation changed.
    /// @param oldTargetBps The previous target, in bps.
    /// @param newTargetBps The new target, in bps.
    event TargetUtilisationBpsUpdated(uint256 oldTargetBps, uint256 newTargetBps);

    /// @notice The largest reserve step changed.
    /// @param oldStepBps The previous step, in bps.
    /// @param newStepBps The new step, in bps.
    event MaxReserveStepBpsUpdated(uint256 oldStepBps, uint256 newStepBps);

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice Role that lists resources and sets the market's parameters (the timelock).
    function PARAMETER_ROLE() external view returns (bytes32);

    /// @notice Number of price ticks in the tree: 4,096 (ticks 1..{MAX_TICK} are usable).
    function TICKS() external view returns (uint256);

    /// @notice The highest tick: 4,095.
    function MAX_TICK() external view returns (uint256);

    /// @notice How many epochs ahead offers and bids are accepted: 30.
    function MAX_EPOCHS_AHEAD() external view returns (uint256);

    /// @notice Highest protocol fee: 1,000 bps (10%).
    function MAX_PROTOCOL_FEE_BPS() external view returns (uint256);

    /// @notice Lowest target utilisation: 1,000 bps.
    function MIN_TARGET_UTILISATION_BPS() external view returns (uint256);

    /// @notice Highest target utilisation: 9,000 bps.
    function MAX_TARGET_UTILISATION_BPS() external view returns (uint256);

    /// @notice Largest reserve step per epoch: 2,500 bps (EIP-1559 uses 1,250).
    function MAX_RESERVE_STEP_BPS() external view returns (uint256);

    /// @notice Shortest epoch: 1 hour.
    function MIN_EPOCH_DURATION() external view returns (uint256);

    /// @notice Longest epoch: 30 days.
    function MAX_EPOCH_DURATION() external view returns (uint256);

    /// @notice The CIV token.
    function token() external view returns (address);

    /// @notice The resource ledger credited with fills.
    function ledger() external view returns (address);

    /// @notice The agent registry asked for providers' good standing.
    function registry() external view returns (address);

    /// @notice When epoch 0 started, in seconds.
    function genesis() external view returns (uint256);

    /// @notice The length of every epoch, in seconds (fixed at deployment).
    function epochDuration() external view returns (uint256);

    /// @notice The epoch running now: `(block.timestamp - genesis) / epochDuration`.
    function currentEpoch() external view returns (uint256);

    /// @notice When `epoch` ends, in seconds.
    function epochEnd(uint256 epoch) external view returns (uint256);

    /// @notice The protocol fee on providers' gross, in bps.
    function protocolFeeBps() external view returns (uint256);

    /// @notice The utilisation at which the reserve stays put, in bps.
    function targetUtilisationBps() external view returns (uint256);

    /// @notice The largest reserve move per clearing, in bps.
    function maxReserveStepBps() external view returns (uint256);

    /// @notice The listing of `resourceId`.
    function listingOf(uint256 resourceId) external view returns (Listing memory);

    /// @notice The auction of `resourceId` in `epoch`.
    function epochOf(uint256 resourceId, uint256 epoch) external view returns (Epoch memory);

    /// @notice Quantity bid at ticks >= `tick` in that auction, in base units (one Fenwick query).
    function demandAtOrAbove(uint256 resourceId, uint256 epoch, uint256 tick) external view returns (uint256);

    /// @notice A bid. Throws {MarketUnknownId}.
    function bidOf(uint256 bidId) external view returns (Bid memory);

    /// @notice An offer. Throws {MarketUnknownId}.
    function offerOf(uint256 offerId) external view returns (Offer memory);

    /// @notice What a bid fills, pays and gets back once its epoch is cleared (zeros before).
    /// @return filled Base units. @return cost Wei. @return refund Wei.
    function bidOutcome(uint256 bidId) external view returns (uint256 filled, uint256 cost, uint256 refund);

    /// @notice What an offer sold and earns once its epoch is cleared (zeros before).
    /// @return sold Base units. @return gross Wei. @return fee Wei.
    function offerOutcome(uint256 offerId) external view returns (uint256 sold, uint256 gross, uint256 fee);

    /// @notice Bids ever made (ids are 1..count).
    function bidCount() external view returns (uint256);

    /// @notice Offers ever made (ids are 1..count).
    function offerCount() external view returns (uint256);

    /*//////////////////////////////////////////////////////////////
                                 ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice Offers `capacity` base units of `resourceId` in `epoch` (current or up to {MAX_EPOCHS_AHEAD}
    /// ahead), paid to `payee` (the caller itself, or a pool). Only agents in good standing. Final: an offer
    /// cannot be withdrawn (buyers rely on it).
    /// @dev Throws {MarketResourceNotListed}, {MarketEpochNotOpen}, {MarketInvalidQuantity},
    /// {MarketNotInGoodStanding}, {MarketZeroAddress}. Emits {Offered}.
    /// @return offerId The new offer's id.
    function offer(
        uint256 resourceId,
        uint256 epoch,
        uint256 capacity,
        address payee
    ) external returns (uint256 offerId);

    /// @notice Bids for `quantity` base units of `resourceId` in `epoch` at up to `tick * tickSize` wei per
    /// unit, escrowing `quantity * tick * tickSize` wei (approved beforehand). Anyone may bid.
    /// @dev Throws {MarketResourceNotListed}, {MarketEpochNotOpen}, {MarketTickOutOfRange},
    /// {MarketInvalidQuantity}, {MarketNotProtocolAccount}, `ERC20InsufficientAllowance`,
    /// `ERC20InsufficientBalance`. Emits {BidPlaced}.
    /// @return bidId The new bid's id.
    function bid(uint256 resourceId, uint256 epoch, uint256 tick, uint256 quantity) external returns (uint256 bidId);

    /// @notice {bid} with an ERC-2612 permit for the escrow (a permit already used is ignored when the
    /// allowance is in place).
    /// @dev Throws as {bid}. Emits {BidPlaced}.
    function bidWithPermit(
        uint256 resourceId,
        uint256 epoch,
        uint256 tick,
        uint256 quantity,
        uint256 permitDeadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 bidId);

    /// @notice Clears `resourceId`'s auction of `epoch` after it ended, in constant gas; anyone may call.
    /// @dev Throws {MarketEpochNotEnded}, {MarketEpochAlreadyCleared}. Emits {EpochCleared} and, when the
    /// reserve moved, {ReservePriceUpdated}.
    function clear(uint256 resourceId, uint256 epoch) external;

    /// @notice Settles a bid (clearing its epoch first if nobody has): credits its fill to the bidder on the
    /// ledger and returns the rest of its escrow (untaxed, as principal). Anyone may call; everything goes
    /// to the bidder.
    /// @dev Throws {MarketUnknownId}, {MarketAlreadyClaimed}, {MarketEpochNotEnded}. Emits {BidClaimed}
    /// (after {EpochCleared} when it clears).
    function claimBid(uint256 bidId) external;

    /// @notice Settles an offer (clearing its epoch first if nobody has): pays the protocol fee to the
    /// Treasury and the rest to the payee as earnings. Anyone may call; everything goes to the payee.
    /// @dev Throws {MarketUnknownId}, {MarketAlreadyClaimed}, {MarketEpochNotEnded}. Emits {OfferClaimed}.
    function claimOffer(uint256 offerId) external;

    /// @notice Lists a resource, or changes its tick size and reserve (an epoch keeps the tick size it
    /// started with; the reserve applies at the next clearing). Only the parameter role.
    /// @dev Throws {MarketResourceNotListed} (not active on the ledger), {MarketInvalidListing},
    /// `AccessControlUnauthorizedAccount`. Emits {ResourceListed}.
    function list(uint256 resourceId, uint256 tickSize, uint256 reservePrice) external;

    /// @notice Delists a resource: no new offers or bids; uncleared epochs clear as cancelled. Only the
    /// parameter role.
    /// @dev Throws {MarketResourceNotListed}, `AccessControlUnauthorizedAccount`. Emits {ResourceDelisted}.
    function delist(uint256 resourceId) external;

    /// @notice Sets the protocol fee. Only the parameter role. Throws {MarketFeeTooHigh}.
    /// Emits {ProtocolFeeBpsUpdated}.
    function setProtocolFeeBps(uint256 newFeeBps) external;

    /// @notice Sets the target utilisation. Only the parameter role. Throws {MarketTargetOutOfBounds}.
    /// Emits {TargetUtilisationBpsUpdated}.
    function setTargetUtilisationBps(uint256 newTargetBps) external;

    /// @notice Sets the largest reserve step. Only the parameter role. Throws {MarketStepOutOfBounds}.
    /// Emits {MaxReserveStepBpsUpdated}.
    function setMaxReserveStepBps(uint256 newStepBps) external;
}
