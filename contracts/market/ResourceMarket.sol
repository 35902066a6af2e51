// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

import {IAgentRegistryCore} from "../interfaces/IAgentRegistry.sol";
import {ICivitasToken} from "../interfaces/ICivitasToken.sol";
import {IResourceLedger} from "../interfaces/IResourceLedger.sol";
import {IResourceMarket} from "../interfaces/IResourceMarket.sol";
import {DemandTree} from "./libraries/DemandTree.sol";

/// @title ResourceMarket
/// @notice Uniform-price epoch auctions of resource credits. See {IResourceMarket} for the rules.
/// @dev Must be a protocol account on the token (bids untaxed, `payEarnings` allowed) and hold the ledger's
/// MINTER_ROLE. Accounting: for every epoch, CIV escrowed = refunds + gross paid to offers (fee + earnings)
/// + CIV held; since fills add up to `sold` and offer shares add up to `sold`, the epoch's last claim
/// leaves exactly zero of it behind.
contract ResourceMarket is IResourceMarket, AccessControl, ReentrancyGuard {
    using SafeERC20 for IERC20;
    using DemandTree for mapping(uint256 => uint256);

    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IResourceMarket
    bytes32 public constant PARAMETER_ROLE = keccak256("PARAMETER_ROLE");

    /// @inheritdoc IResourceMarket
    uint256 public constant TICKS = DemandTree.SIZE;

    /// @inheritdoc IResourceMarket
    uint256 public constant MAX_TICK = DemandTree.SIZE - 1;

    /// @inheritdoc IResourceMarket
    uint256 public constant MAX_EPOCHS_AHEAD = 30;

    /// @inheritdoc IResourceMarket
    uint256 public constant MAX_PROTOCOL_FEE_BPS = 1_000;

    /// @inheritdoc IResourceMarket
    uint256 public constant MIN_TARGET_UTILISATION_BPS = 1_000;

    /// @inheritdoc IResourceMarket
    uint256 public constant MAX_TARGET_UTILISATION_BPS = 9_000;

    /// @inheritdoc IResourceMarket
    uint256 public constant MAX_RESERVE_STEP_BPS = 2_500;

    /// @inheritdoc IResourceMarket
    uint256 public constant MIN_EPOCH_DURATION = 1 hours;

    /// @inheritdoc IResourceMarket
    uint256 public constant MAX_EPOCH_DURATION = 30 days;

    uint256 private constant _BPS = 10_000;
    uint256 private constant _MAX_QUANTITY = type(uint96).max;

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    ICivitasToken private immutable _token;
    IResourceLedger private immutable _ledger;
    IAgentRegistryCore private immutable _registry;
    uint256 private immutable _genesis;
    uint256 private immutable _epochDuration;

    uint256 private _protocolFeeBps;
    uint256 private _targetUtilisationBps;
    uint256 private _maxReserveStepBps;
    uint256 private _bidCount;
    uint256 private _offerCount;

    mapping(uint256 resourceId => Listing) private _listings;
    mapping(uint256 resourceId => mapping(uint256 epoch => Epoch)) private _epochs;
    /// @dev Per auction: the Fenwick tree of demand by tick, and the plain demand at each tick.
    mapping(uint256 resourceId => mapping(uint256 epoch => mapping(uint256 => uint256))) private _trees;
    mapping(uint256 resourceId => mapping(uint256 epoch => mapping(uint256 tick => uint256))) private _tickDemand;
    mapping(uint256 bidId => Bid) private _bids;
    mapping(uint256 offerId => Offer) private _offers;

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @param admin Receives `DEFAULT_ADMIN_ROLE` and `PARAMETER_ROLE` (the timelock, or the deployer).
    /// @param token_ The CIV token.
    /// @param ledger_ The resource ledger (this market needs its MINTER_ROLE).
    /// @param registry_ The agent registry.
    /// @param epochDuration_ Epoch length, in seconds (default 1 day), within [1 hour, 30 days]; fixed.
    /// @param protocolFeeBps_ Initial protocol fee, in bps (default 100).
    /// @param targetUtilisationBps_ Initial target utilisation, in bps (default 5,000).
    /// @param maxReserveStepBps_ Initial largest reserve step, in bps (default 1,250).
    constructor(
        address admin,
        ICivitasToken token_,
        IResourceLedger ledger_,
        IAgentRegistryCore registry_,
        uint256 epochDuration_,
        uint256 protocolFeeBps_,
        uint256 targetUtilisationBps_,
        uint256 maxReserveStepBps_
    ) {
        if (
            admin == address(0) ||
            address(token_) == address(0) ||
            address(ledger_) == address(0) ||
            address(registry_) == address(0)
        ) revert MarketZeroAddress();
        if (epochDuration_ < MIN_EPOCH_DURATION || epochDuration_ > MAX_EPOCH_DURATION) {
            revert MarketEpochDurationOutOfBounds(epochDuration_);
        }
        _token = token_;
        _ledger = ledger_;
        _registry = registry_;
        _genesis = block.timestamp;
        _epochDuration = epochDuration_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(PARAMETER_ROLE, admin);
        _setProtocolFeeBps(protocolFeeBps_);
        _setTargetUtilisationBps(targetUtilisationBps_);
        _setMaxReserveStepBps(maxReserveStepBps_);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IResourceMarket
    function token() external view returns (address) {
        return address(_token);
    }

    /// @inheritdoc IResourceMarket
    function ledger() external view returns (address) {
        return address(_ledger);
    }

    /// @inheritdoc IResourceMarket
    function registry() external view returns (address) {
        return address(_registry);
    }

    /// @inheritdoc IResourceMarket
    function genesis() external view returns (uint256) {
        return _genesis;
    }

    /// @inheritdoc IResourceMarket
    function epochDuration() external view returns (uint256) {
        return _epochDuration;
    }

    /// @inheritdoc IResourceMarket
    function currentEpoch() public view returns (uint256) {
        return (block.timestamp - _genesis) / _epochDuration;
    }

    /// @inheritdoc IResourceMarket
    function epochEnd(uint256 epoch) public view returns (uint256) {
        return _genesis + (epoch + 1) * _epochDuration;
    }

    /// @inheritdoc IResourceMarket
    function protocolFeeBps() external view returns (uint256) {
        return _protocolFeeBps;
    }

    /// @inheritdoc IResourceMarket
    function targetUtilisationBps() external view returns (uint256) {
        return _targetUtilisationBps;
    }

    /// @inheritdoc IResourceMarket
    function maxReserveStepBps() external view returns (uint256) {
        return _maxReserveStepBps;
    }

    /// @inheritdoc IResourceMarket
    function listingOf(uint256 resourceId) external view returns (Listing memory) {
        return _listings[resourceId];
    }

    /// @inheritdoc IResourceMarket
    function epochOf(uint256 resourceId, uint256 epoch) external view returns (Epoch memory) {
        return _epochs[resourceId][epoch];
    }

    /// @inheritdoc IResourceMarket
    function demandAtOrAbove(uint256 resourceId, uint256 epoch, uint256 tick) external view returns (uint256) {
        if (tick == 0) tick = 1;
        if (tick > MAX_TICK) return 0;
        return _trees[resourceId][epoch].atOrAbove(tick);
    }

    /// @inheritdoc IResourceMarket
    function bidOf(uint256 bidId) external view returns (Bid memory) {
        return _bid(bidId);
    }

    /// @inheritdoc IResourceMarket
    function offerOf(uint256 offerId) external view returns (Offer memory) {
        return _offer(offerId);
    }

    /// @inheritdoc IResourceMarket
    function bidOutcome(uint256 bidId) public view returns (uint256 filled, uint256 cost, uint256 refund) {
        Bid storage b = _bid(bidId);
        Epoch storage ep = _epochs[b.resourceId][b.epoch];
        if (!ep.cleared) return (0, 0, 0);
        return _bidOutcome(b, ep);
    }

    /// @inheritdoc IResourceMarket
    function offerOutcome(uint256 offerId) external view returns (uint256 sold, uint256 gross, uint256 fee) {
        Offer storage o = _offer(offerId);
        Epoch storage ep = _epochs[o.resourceId][o.epoch];
        if (!ep.cleared) return (0, 0, 0);
        return _offerOutcome(o, ep);
    }

    /// @inheritdoc IResourceMarket
    function bidCount() external view returns (uint256) {
        return _bidCount;
    }

    /// @inheritdoc IResourceMarket
    function offerCount() external view returns (uint256) {
        return _offerCount;
    }

    /*//////////////////////////////////////////////////////////////
                                ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IResourceMarket
    function offer(
        uint256 resourceId,
        uint256 epoch,
        uint256 capacity,
        address payee
    ) external nonReentrant returns (uint256 offerId) {
        Epoch storage ep = _openEpoch(resourceId, epoch);
        _requireQuantity(capacity);
        if (payee == address(0)) revert MarketZeroAddress();
        if (!_registry.isInGoodStanding(msg.sender)) revert MarketNotInGoodStanding(msg.sender);

        uint256 before = ep.supply;
        uint256 supply = before + capacity;
        ep.supply = SafeCast.toUint128(supply);
        offerId = ++_offerCount;
        _offers[offerId] = Offer({
            provider: msg.sender,
            payee: payee,
            resourceId: SafeCast.toUint64(resourceId),
            epoch: SafeCast.toUint32(epoch),
            claimed: false,
            capacity: uint128(capacity),
            cumBefore: uint128(before)
        });
        emit Offered(offerId, resourceId, epoch, msg.sender, payee, capacity, supply);
    }

    /// @inheritdoc IResourceMarket
    function bid(
        uint256 resourceId,
        uint256 epoch,
        uint256 tick,
        uint256 quantity
    ) external nonReentrant returns (uint256 bidId) {
        return _placeBid(resourceId, epoch, tick, quantity);
    }

    /// @inheritdoc IResourceMarket
    function bidWithPermit(
        uint256 resourceId,
        uint256 epoch,
        uint256 tick,
        uint256 quantity,
        uint256 permitDeadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant returns (uint256 bidId) {
        uint256 escrow = quantity * tick * _listings[resourceId].tickSize;
        Epoch storage ep = _epochs[resourceId][epoch];
        if (ep.tickSize != 0) escrow = quantity * tick * ep.tickSize;
        // A permit already consumed (front-run) must not block the bid when the allowance is in place.
        try IERC20Permit(address(_token)).permit(msg.sender, address(this), escrow, permitDeadline, v, r, s) {} catch {}
        return _placeBid(resourceId, epoch, tick, quantity);
    }

    /// @inheritdoc IResourceMarket
    function clear(uint256 resourceId, uint256 epoch) external nonReentrant {
        Epoch storage ep = _epochs[resourceId][epoch];
        if (ep.cleared) revert MarketEpochAlreadyCleared(resourceId, epoch);
        _clear(resourceId, epoch, ep);
    }

    /// @inheritdoc IResourceMarket
    function claimBid(uint256 bidId) external nonReentrant {
        Bid storage b = _bid(bidId);
        if (b.claimed) revert MarketAlreadyClaimed(bidId);
        Epoch storage ep = _epochs[b.resourceId][b.epoch];
        if (!ep.cleared) _clear(b.resourceId, b.epoch, ep);
        b.claimed = true;
        (uint256 filled, uint256 cost, uint256 refund) = _bidOutcome(b, ep);
        address bidder = b.bidder;
        if (filled != 0) _ledger.mint(bidder, b.resourceId, filled, bidId);
        if (refund != 0) _token.returnPrincipal(bidder, refund);
        emit BidClaimed(bidId, bidder, filled, cost, refund);
    }

    /// @inheritdoc IResourceMarket
    function claimOffer(uint256 offerId) external nonReentrant {
        Offer storage o = _offer(offerId);
        if (o.claimed) revert MarketAlreadyClaimed(offerId);
        Epoch storage ep = _epochs[o.resourceId][o.epoch];
        if (!ep.cleared) _clear(o.resourceId, o.epoch, ep);
        o.claimed = true;
        (uint256 sold, uint256 gross, uint256 fee) = _offerOutcome(o, ep);
        address payee = o.payee;
        if (fee != 0) IERC20(address(_token)).safeTransfer(_token.treasury(), fee);
        // Cannot underflow: fee <= gross (fee bps <= 10,000).
        unchecked {
            if (gross - fee != 0) _token.payEarnings(payee, gross - fee);
        }
        emit OfferClaimed(offerId, payee, sold, gross, fee);
    }

    /*//////////////////////////////////////////////////////////////
                              GOVERNANCE
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IResourceMarket
    function list(uint256 resourceId, uint256 tickSize, uint256 reservePrice) external onlyRole(PARAMETER_ROLE) {
        if (!_ledger.isActive(resourceId)) revert MarketResourceNotListed(resourceId);
        if (tickSize == 0 || tickSize > type(uint128).max / MAX_TICK || reservePrice < tickSize) {
            revert MarketInvalidListing(tickSize, reservePrice);
        }
        if (reservePrice > MAX_TICK * tickSize) revert MarketInvalidListing(tickSize, reservePrice);
        Listing storage listing = _listings[resourceId];
        uint256 old = listing.reservePrice;
        _listings[resourceId] = Listing({
            tickSize: uint128(tickSize),
            reservePrice: uint128(reservePrice),
            listed: true
        });
        emit ResourceListed(resourceId, tickSize, old, reservePrice);
    }

    /// @inheritdoc IResourceMarket
    function delist(uint256 resourceId) external onlyRole(PARAMETER_ROLE) {
        Listing storage listing = _listings[resourceId];
        if (!listing.listed) revert MarketResourceNotListed(resourceId);
        listing.listed = false;
        emit ResourceDelisted(resourceId);
    }

    /// @inheritdoc IResourceMarket
    function setProtocolFeeBps(uint256 newFeeBps) external onlyRole(PARAMETER_ROLE) {
        _setProtocolFeeBps(newFeeBps);
    }

    /// @inheritdoc IResourceMarket
    function setTargetUtilisationBps(uint256 newTargetBps) external onlyRole(PARAMETER_ROLE) {
        _setTargetUtilisationBps(newTargetBps);
    }

    /// @inheritdoc IResourceMarket
    function setMaxReserveStepBps(uint256 newStepBps) external onlyRole(PARAMETER_ROLE) {
        _setMaxReserveStepBps(newStepBps);
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNAL
    //////////////////////////////////////////////////////////////*/

    function _placeBid(uint256 resourceId, uint256 epoch, uint256 tick, uint256 quantity) private returns (uint256) {
        Epoch storage ep = _openEpoch(resourceId, epoch);
        if (tick == 0 || tick > MAX_TICK) revert MarketTickOutOfRange(tick, MAX_TICK);
        _requireQuantity(quantity);
        if (!_token.isProtocolAccount(address(this))) revert MarketNotProtocolAccount(address(this));

        uint256 price = tick * ep.tickSize;
        uint256 escrow = quantity * price;
        mapping(uint256 => uint256) storage tickDemand = _tickDemand[resourceId][epoch];
        uint256 before = tickDemand[tick];
        tickDemand[tick] = before + quantity;
        _trees[resourceId][epoch].add(tick, quantity);
        ep.demand = SafeCast.toUint128(uint256(ep.demand) + quantity);

        uint256 bidId = ++_bidCount;
        _bids[bidId] = Bid({
            bidder: msg.sender,
            resourceId: SafeCast.toUint64(resourceId),
            epoch: SafeCast.toUint32(epoch),
            tick: uint16(tick),
            claimed: false,
            quantity: uint128(quantity),
            cumBefore: SafeCast.toUint128(before)
        });
        IERC20(address(_token)).safeTransferFrom(msg.sender, address(this), escrow);
        emit BidPlaced(bidId, resourceId, epoch, msg.sender, tick, price, quantity, escrow);
        return bidId;
    }

    /// @dev The auction of `resourceId` in `epoch`, checked open for offers and bids; fixes its tick size at
    /// the first touch.
    function _openEpoch(uint256 resourceId, uint256 epoch) private returns (Epoch storage ep) {
        Listing storage listing = _listings[resourceId];
        if (!listing.listed || !_ledger.isActive(resourceId)) revert MarketResourceNotListed(resourceId);
        uint256 current = currentEpoch();
        if (epoch < current || epoch > current + MAX_EPOCHS_AHEAD) revert MarketEpochNotOpen(epoch, current);
        ep = _epochs[resourceId][epoch];
        if (ep.tickSize == 0) ep.tickSize = listing.tickSize;
    }

    /// @dev Clears the auction in constant gas: two Fenwick walks of log2(TICKS) steps each.
    function _clear(uint256 resourceId, uint256 epoch, Epoch storage ep) private {
        uint256 endsAt = epochEnd(epoch);
        if (block.timestamp < endsAt) revert MarketEpochNotEnded(epoch, endsAt);
        ep.cleared = true;
        Listing storage listing = _listings[resourceId];
        uint256 supply = ep.supply;
        uint256 reserve = listing.reservePrice;
        if (supply == 0 || !listing.listed || !_ledger.isActive(resourceId)) {
            ep.cancelled = true;
            emit EpochCleared(resourceId, epoch, 0, 0, supply, ep.demand, 0, 0, true, reserve);
            return;
        }

        uint256 tickSize = ep.tickSize;
        (uint256 clearingTick, uint256 sold) = _findClearing(
            resourceId,
            epoch,
            supply,
            Math.min(Math.max(Math.ceilDiv(reserve, tickSize), 1), MAX_TICK)
        );
        ep.clearingTick = uint16(clearingTick);
        ep.feeBps = uint16(_protocolFeeBps);
        ep.price = uint128(clearingTick * tickSize);
        ep.sold = uint128(sold);

        uint256 utilisationBps = (sold * _BPS) / supply;
        uint256 newReserve = _nextReserve(reserve, utilisationBps, tickSize);
        if (newReserve != reserve) {
            listing.reservePrice = uint128(newReserve);
            emit ReservePriceUpdated(resourceId, reserve, newReserve);
        }
        emit EpochCleared(
            resourceId,
            epoch,
            clearingTick,
            clearingTick * tickSize,
            supply,
            ep.demand,
            sold,
            utilisationBps,
            false,
            newReserve
        );
    }

    /// @dev Finds the clearing tick and the quantity sold, and records the marginal tick's demand and fill.
    function _findClearing(
        uint256 resourceId,
        uint256 epoch,
        uint256 supply,
        uint256 reserveTick
    ) private returns (uint256 clearingTick, uint256 sold) {
        mapping(uint256 => uint256) storage tree = _trees[resourceId][epoch];
        uint256 above;
        uint256 atOrAboveReserve = tree.atOrAbove(reserveTick);
        if (atOrAboveReserve <= supply) {
            clearingTick = reserveTick;
            sold = atOrAboveReserve;
            above = reserveTick == MAX_TICK ? 0 : tree.atOrAbove(reserveTick + 1);
        } else {
            (clearingTick, above) = tree.highestCovering(supply);
            sold = supply;
        }
        Epoch storage ep = _epochs[resourceId][epoch];
        ep.marginalDemand = uint128(_tickDemand[resourceId][epoch][clearingTick]);
        // Cannot underflow: above <= sold (bids above the clearing tick are all filled).
        ep.marginalFill = uint128(sold - above);
    }

    /// @dev EIP-1559's rule, bounded: full utilisation moves the reserve up by `maxReserveStepBps`, none
    /// down by it, the target not at all; at least one wei up when above the target; kept within the ticks.
    function _nextReserve(uint256 reserve, uint256 utilisationBps, uint256 tickSize) private view returns (uint256) {
        uint256 target = _targetUtilisationBps;
        uint256 next = reserve;
        if (utilisationBps > target) {
            uint256 delta = Math.mulDiv(
                reserve,
                _maxReserveStepBps * (utilisationBps - target),
                _BPS * (_BPS - target)
            );
            next = reserve + Math.max(delta, 1);
        } else if (utilisationBps < target) {
            next = reserve - Math.mulDiv(reserve, _maxReserveStepBps * (target - utilisationBps), _BPS * target);
        }
        return Math.min(Math.max(next, tickSize), MAX_TICK * tickSize);
    }

    /// @dev A cleared bid's fill: in full above the clearing tick; at it, the bid's slice of the marginal
    /// fill by its position (`floor((before + q) * M / D) - floor(before * M / D)`, which add up to `M`).
    function _bidOutcome(
        Bid storage b,
        Epoch storage ep
    ) private view returns (uint256 filled, uint256 cost, uint256 refund) {
        uint256 quantity = b.quantity;
        uint256 tick = b.tick;
        uint256 escrow = quantity * tick * ep.tickSize;
        uint256 clearingTick = ep.clearingTick;
        if (!ep.cancelled) {
            if (tick > clearingTick) {
                filled = quantity;
            } else if (tick == clearingTick) {
                uint256 fill = ep.marginalFill;
                uint256 demand = ep.marginalDemand;
                uint256 before = b.cumBefore;
                filled = Math.mulDiv(before + quantity, fill, demand) - Math.mulDiv(before, fill, demand);
            }
        }
        cost = filled * ep.price;
        refund = escrow - cost;
    }

    /// @dev A cleared offer's share of `sold` by its position, which add up to `sold` exactly.
    function _offerOutcome(
        Offer storage o,
        Epoch storage ep
    ) private view returns (uint256 sold, uint256 gross, uint256 fee) {
        uint256 epochSold = ep.sold;
        uint256 supply = ep.supply;
        uint256 before = o.cumBefore;
        sold = Math.mulDiv(before + o.capacity, epochSold, supply) - Math.mulDiv(before, epochSold, supply);
        gross = sold * ep.price;
        fee = (gross * ep.feeBps) / _BPS;
    }

    function _bid(uint256 bidId) private view returns (Bid storage b) {
        b = _bids[bidId];
        if (b.bidder == address(0)) revert MarketUnknownId(bidId);
    }

    function _offer(uint256 offerId) private view returns (Offer storage o) {
        o = _offers[offerId];
        if (o.provider == address(0)) revert MarketUnknownId(offerId);
    }

    function _requireQuantity(uint256 quantity) private pure {
        if (quantity == 0 || quantity > _MAX_QUANTITY) revert MarketInvalidQuantity(quantity);
    }

    function _setProtocolFeeBps(uint256 newFeeBps) private {
        if (newFeeBps > MAX_PROTOCOL_FEE_BPS) revert MarketFeeTooHigh(newFeeBps, MAX_PROTOCOL_FEE_BPS);
        uint256 old = _protocolFeeBps;
        _protocolFeeBps = newFeeBps;
        emit ProtocolFeeBpsUpdated(old, newFeeBps);
    }

    function _setTargetUtilisationBps(uint256 newTargetBps) private {
        if (newTargetBps < MIN_TARGET_UTILISATION_BPS || newTargetBps > MAX_TARGET_UTILISATION_BPS) {
            revert MarketTargetOutOfBounds(newTargetBps, MIN_TARGET_UTILISATION_BPS, MAX_TARGET_UTILISATION_BPS);
        }
        uint256 old = _targetUtilisationBps;
        _targetUtilisationBps = newTargetBps;
        emit TargetUtilisationBpsUpdated(old, newTargetBps);
    }

    function _setMaxReserveStepBps(uint256 newStepBps) private {
        if (newStepBps == 0 || newStepBps > MAX_RESERVE_STEP_BPS) {
            revert MarketStepOutOfBounds(newStepBps, MAX_RESERVE_STEP_BPS);
        }
        uint256 old = _maxReserveStepBps;
        _maxReserveStepBps = newStepBps;
        emit MaxReserveStepBpsUpdated(old, newStepBps);
    }
}
