// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IAgentRegistryCore} from "../interfaces/IAgentRegistry.sol";
import {IAgreement} from "../interfaces/IAgreement.sol";
import {ICivitasToken} from "../interfaces/ICivitasToken.sol";
import {IInformationSales} from "../interfaces/IInformationSales.sol";
import {AgreementBase} from "./AgreementBase.sol";
import {AgreementKinds} from "./AgreementKinds.sol";

/// @title InformationSales
/// @notice Commit-reveal sales of information, escrowed, with a bonded arbitrator. See {IInformationSales}
/// and docs/agreements.md.
contract InformationSales is IInformationSales, AgreementBase {
    mapping(uint256 agreementId => bytes32) private _commitments;

    /// @param admin Receives the admin and parameter roles (the timelock).
    /// @param token_ The CIV token. @param registry_ The agent registry.
    /// @param arbitratorBondBps_ The arbitrator's bond, in bps of the price.
    /// @param minAmount_ The smallest price, in wei.
    constructor(
        address admin,
        ICivitasToken token_,
        IAgentRegistryCore registry_,
        uint256 arbitratorBondBps_,
        uint256 minAmount_
    ) AgreementBase(admin, token_, registry_, arbitratorBondBps_, minAmount_) {}

    /// @inheritdoc IAgreement
    function kind() external pure returns (uint8) {
        return AgreementKinds.INFORMATION_SALE;
    }

    /// @inheritdoc IInformationSales
    function commitmentOf(uint256 agreementId) external view returns (bytes32) {
        return _commitments[agreementId];
    }

    /// @inheritdoc IInformationSales
    function propose(
        Terms calldata terms,
        uint256 price,
        uint256 collateral,
        bytes32 commitment
    ) external nonReentrant returns (uint256 agreementId) {
        agreementId = _propose(AgreementKinds.INFORMATION_SALE, terms, collateral, price, price, true);
        _commitments[agreementId] = commitment;
        emit InformationSaleProposed(agreementId, price, collateral, commitment);
    }

    /// @inheritdoc IInformationSales
    function reveal(uint256 agreementId, bytes calldata data) external {
        Agreement storage a = _agreements[agreementId];
        _requireState(agreementId, a, State.Active);
        if (msg.sender != a.proposer) revert AgreementUnauthorized(agreementId, msg.sender);
        _requireBefore(agreementId, a.dueDate);

        bool matches = keccak256(data) == _commitments[agreementId];
        if (matches) {
            emit InformationRevealed(agreementId, data, true, _markDelivered(a));
        } else {
            emit InformationRevealed(agreementId, data, false, 0);
            _openDispute(agreementId, a);
        }
    }

    /// @inheritdoc IInformationSales
    function confirm(uint256 agreementId) external nonReentrant {
        _confirmDelivery(agreementId);
    }

    /// @inheritdoc IInformationSales
    function dispute(uint256 agreementId, string calldata evidenceURI) external {
        _disputeDelivery(agreementId, evidenceURI);
    }

    /// @inheritdoc IInformationSales
    function finalize(uint256 agreementId) external nonReentrant {
        _finalizeDelivery(agreementId);
    }

    /// @inheritdoc IInformationSales
    function claimDefault(uint256 agreementId) external nonReentrant {
        _claimDefault(agreementId);
    }

    /// @dev The seller wins: it earns the price and gets its collateral back. The buyer wins: it gets the
    /// price back and earns the seller's collateral (slashed).
    function _ruledPayout(Agreement storage a, bool sellerWins) internal view override returns (Payout memory p) {
        if (sellerWins) {
            p.proposerEarnings = a.counterpartyDeposit;
            p.proposerPrincipal = a.proposerDeposit;
        } else {
            p.counterpartyPrincipal = a.counterpartyDeposit;
            p.counterpartyEarnings = a.proposerDeposit;
        }
    }

    /// @dev A missed ruling splits the price as the escrow does ({NO_SHOW_PROPOSER_BPS} to the seller, the
    /// rest back to the buyer, who has seen the data); the seller's collateral goes back to it.
    function _noShowPayout(Agreement storage a) internal view override returns (Payout memory p) {
        uint256 price = a.counterpartyDeposit;
        uint256 toSeller = Math.mulDiv(price, NO_SHOW_PROPOSER_BPS, _BPS);
        p.proposerEarnings = toSeller;
        p.proposerPrincipal = a.proposerDeposit;
        p.counterpartyPrincipal = price - toSeller;
    }
}
