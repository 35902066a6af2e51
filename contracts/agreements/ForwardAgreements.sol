// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";
import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IAgentRegistryCore} from "../interfaces/IAgentRegistry.sol";
import {IAgreement} from "../interfaces/IAgreement.sol";
import {ICivitasToken} from "../interfaces/ICivitasToken.sol";
import {IForwardAgreements} from "../interfaces/IForwardAgreements.sol";
import {IResourceLedger} from "../interfaces/IResourceLedger.sol";
import {IResourceMarket} from "../interfaces/IResourceMarket.sol";
import {AgreementBase} from "./AgreementBase.sol";
import {AgreementKinds} from "./AgreementKinds.sol";

/// @title ForwardAgreements
/// @notice Forwards on resource credits, delivered physically during a future market epoch. See
/// {IForwardAgreements} and docs/agreements.md.
/// @dev Holds CIV only (deposits); credits move from the seller straight to the buyer and never rest here.
/// If the buyer refuses them (its ERC-1155 hook reverts), the buyer is in default: the seller keeps its
/// credits and earns the price and the buyer's collateral.
/// It accepts no ERC-1155 transfer at all ({onERC1155Received} reverts), so no credits can be stuck in it.
contract ForwardAgreements is IForwardAgreements, IERC1155Receiver, AgreementBase {
    IResourceMarket private immutable _market;
    IResourceLedger private immutable _ledger;

    mapping(uint256 agreementId => Forward) private _forwards;

    /// @param admin Receives the admin and parameter roles (the timelock).
    /// @param token_ The CIV token. @param registry_ The agent registry.
    /// @param arbitratorBondBps_ The arbitrator's bond, in bps of the price.
    /// @param minAmount_ The smallest price, in wei.
    /// @param market_ The ResourceMarket whose epochs time deliveries (its ledger holds the credits).
    constructor(
        address admin,
        ICivitasToken token_,
        IAgentRegistryCore registry_,
        uint256 arbitratorBondBps_,
        uint256 minAmount_,
        IResourceMarket market_
    ) AgreementBase(admin, token_, registry_, arbitratorBondBps_, minAmount_) {
        if (address(market_) == address(0)) revert ForwardZeroAddress();
        _market = market_;
        _ledger = IResourceLedger(market_.ledger());
    }

    /// @inheritdoc IAgreement
    function kind() external pure returns (uint8) {
        return AgreementKinds.FORWARD;
    }

    /// @inheritdoc IForwardAgreements
    function market() external view returns (address) {
        return address(_market);
    }

    /// @inheritdoc IForwardAgreements
    function ledger() external view returns (address) {
        return address(_ledger);
    }

    /// @inheritdoc IForwardAgreements
    function forwardOf(uint256 agreementId) external view returns (Forward memory) {
        return _forwards[agreementId];
    }

    /// @inheritdoc IForwardAgreements
    function deliveryOpensAt(uint256 agreementId) public view returns (uint256) {
        return _epochStart(_forwards[agreementId].deliveryEpoch);
    }

    /// @inheritdoc IForwardAgreements
    function propose(
        Terms calldata terms,
        ForwardTerms calldata forward,
        uint256 price,
        uint256 sellerCollateral,
        uint256 buyerCollateral
    ) external nonReentrant returns (uint256 agreementId) {
        uint256 quantity = forward.quantity;
        if (quantity == 0 || quantity > type(uint128).max) revert ForwardInvalidQuantity(quantity);
        if (!_ledger.isActive(forward.resourceId)) revert ForwardInactiveResource(forward.resourceId);
        uint256 current = _market.currentEpoch();
        if (forward.deliveryEpoch <= current) revert ForwardInvalidDeliveryEpoch(forward.deliveryEpoch, current);
        uint256 deliveryEnd = _market.epochEnd(forward.deliveryEpoch);
        if (terms.dueDate < deliveryEnd) {
            revert AgreementInvalidDeadline(terms.dueDate, deliveryEnd, block.timestamp + MAX_HORIZON);
        }

        agreementId = _propose(AgreementKinds.FORWARD, terms, sellerCollateral, price + buyerCollateral, price, true);
        _forwards[agreementId] = Forward({
            resourceId: SafeCast.toUint64(forward.resourceId),
            deliveryEpoch: SafeCast.toUint64(forward.deliveryEpoch),
            quantity: uint128(quantity),
            buyerCollateral: SafeCast.toUint128(buyerCollateral),
            onLedger: false
        });
        emit ForwardProposed(
            agreementId,
            forward.resourceId,
            quantity,
            forward.deliveryEpoch,
            deliveryEnd - _market.epochDuration(),
            price,
            sellerCollateral,
            buyerCollateral
        );
    }

    /// @inheritdoc IForwardAgreements
    function deliver(uint256 agreementId) external nonReentrant {
        Agreement storage a = _agreements[agreementId];
        _requireState(agreementId, a, State.Active);
        if (msg.sender != a.proposer) revert AgreementUnauthorized(agreementId, msg.sender);
        Forward storage f = _forwards[agreementId];
        uint256 opensAt = _epochStart(f.deliveryEpoch);
        if (block.timestamp < opensAt) revert ForwardDeliveryNotOpen(agreementId, block.timestamp, opensAt);
        _requireBefore(agreementId, a.dueDate);

        uint256 resourceId = f.resourceId;
        uint256 quantity = f.quantity;
        if (!_ledger.policyOf(resourceId).transferable) {
            emit ForwardDelivered(agreementId, resourceId, quantity, false, _markDelivered(a));
            return;
        }
        address seller = a.proposer;
        IERC1155 credits = IERC1155(address(_ledger));
        uint256 balance = credits.balanceOf(seller, resourceId);
        bool approved = credits.isApprovedForAll(seller, address(this));
        if (balance < quantity || !approved) revert ForwardSellerNotReady(agreementId, balance, quantity, approved);

        f.onLedger = true;
        // Every check of the transfer but the buyer's ERC-1155 hook passed above: a failure is the buyer's
        // refusal, which must not turn into the seller's default (the buyer would earn its collateral).
        try credits.safeTransferFrom(seller, a.counterparty, resourceId, quantity, "") {
            emit ForwardDelivered(agreementId, resourceId, quantity, true, 0);
            _settleDelivered(agreementId, a, false);
        } catch {
            f.onLedger = false;
            emit ForwardRefused(agreementId, a.counterparty);
            _settleDefault(agreementId, a, false);
        }
    }

    /// @inheritdoc IForwardAgreements
    function confirm(uint256 agreementId) external nonReentrant {
        _confirmDelivery(agreementId);
    }

    /// @inheritdoc IForwardAgreements
    function dispute(uint256 agreementId, string calldata evidenceURI) external {
        _disputeDelivery(agreementId, evidenceURI);
    }

    /// @inheritdoc IForwardAgreements
    function finalize(uint256 agreementId) external nonReentrant {
        _finalizeDelivery(agreementId);
    }

    /// @inheritdoc IForwardAgreements
    function claimDefault(uint256 agreementId) external nonReentrant {
        _claimDefault(agreementId);
    }

    /// @notice Refuses every ERC-1155 transfer: credits go from the seller to the buyer and never rest here.
    /// @dev Throws {ForwardUnexpectedCredits}.
    function onERC1155Received(
        address operator,
        address,
        uint256,
        uint256,
        bytes calldata
    ) external pure returns (bytes4) {
        revert ForwardUnexpectedCredits(operator);
    }

    /// @notice See {onERC1155Received}.
    /// @dev Throws {ForwardUnexpectedCredits}.
    function onERC1155BatchReceived(
        address operator,
        address,
        uint256[] calldata,
        uint256[] calldata,
        bytes calldata
    ) external pure returns (bytes4) {
        revert ForwardUnexpectedCredits(operator);
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) public view override(AccessControl, IERC165) returns (bool) {
        return super.supportsInterface(interfaceId);
    }

    /// @dev Delivered (on the ledger, confirmed, or unanswered): the seller earns the price and gets its
    /// collateral and the fee back, the buyer gets its collateral back, the arbitrator its bond.
    function _deliveredPayout(
        uint256 agreementId,
        Agreement storage a
    ) internal view override returns (Payout memory p) {
        uint256 buyerCollateral = _forwards[agreementId].buyerCollateral;
        p.proposerEarnings = a.counterpartyDeposit - buyerCollateral;
        p.proposerPrincipal = uint256(a.proposerDeposit) + a.arbitratorFee;
        p.counterpartyPrincipal = buyerCollateral;
        p.arbitratorPrincipal = a.bond;
    }

    /// @dev The seller wins: it earns the price and the buyer's collateral and gets its own back. The buyer
    /// wins: it gets the price and its collateral back and earns the seller's collateral.
    function _ruledPayout(Agreement storage a, bool sellerWins) internal view override returns (Payout memory p) {
        if (sellerWins) {
            p.proposerEarnings = a.counterpartyDeposit;
            p.proposerPrincipal = a.proposerDeposit;
        } else {
            p.counterpartyPrincipal = a.counterpartyDeposit;
            p.counterpartyEarnings = a.proposerDeposit;
        }
    }

    /// @dev A missed ruling voids the forward: each side gets its deposits back (the base shares the bond).
    function _noShowPayout(Agreement storage a) internal view override returns (Payout memory p) {
        p.proposerPrincipal = a.proposerDeposit;
        p.counterpartyPrincipal = a.counterpartyDeposit;
    }

    function _epochStart(uint256 epoch) private view returns (uint256) {
        return _market.epochEnd(epoch) - _market.epochDuration();
    }
}
