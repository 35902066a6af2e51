// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAgentRegistryCore} from "../interfaces/IAgentRegistry.sol";
import {IAgreement} from "../interfaces/IAgreement.sol";
import {ICivitasToken} from "../interfaces/ICivitasToken.sol";
import {IInsuranceAgreements} from "../interfaces/IInsuranceAgreements.sol";
import {AgreementBase} from "./AgreementBase.sol";
import {AgreementKinds} from "./AgreementKinds.sol";

/// @title InsuranceAgreements
/// @notice Cover against a named event, attested by a bonded arbitrator. See {IInsuranceAgreements} and
/// docs/agreements.md.
contract InsuranceAgreements is IInsuranceAgreements, AgreementBase {
    /// @param admin Receives the admin and parameter roles (the timelock).
    /// @param token_ The CIV token. @param registry_ The agent registry.
    /// @param arbitratorBondBps_ The arbitrator's bond, in bps of the cover.
    /// @param minAmount_ The smallest cover, in wei.
    constructor(
        address admin,
        ICivitasToken token_,
        IAgentRegistryCore registry_,
        uint256 arbitratorBondBps_,
        uint256 minAmount_
    ) AgreementBase(admin, token_, registry_, arbitratorBondBps_, minAmount_) {}

    /// @inheritdoc IAgreement
    function kind() external pure returns (uint8) {
        return AgreementKinds.INSURANCE;
    }

    /// @inheritdoc IInsuranceAgreements
    function propose(
        Terms calldata terms,
        uint256 premium,
        uint256 cover
    ) external nonReentrant returns (uint256 agreementId) {
        agreementId = _propose(AgreementKinds.INSURANCE, terms, premium, cover, cover, true);
        emit InsuranceProposed(agreementId, premium, cover);
    }

    /// @inheritdoc IInsuranceAgreements
    function claim(uint256 agreementId, string calldata evidenceURI) external {
        Agreement storage a = _agreements[agreementId];
        _requireState(agreementId, a, State.Active);
        if (msg.sender != a.proposer) revert AgreementUnauthorized(agreementId, msg.sender);
        _requireBefore(agreementId, a.dueDate);

        _openDispute(agreementId, a);
        emit AgreementEvidence(agreementId, msg.sender, evidenceURI);
    }

    /// @inheritdoc IInsuranceAgreements
    function payClaim(uint256 agreementId) external nonReentrant {
        Agreement storage a = _agreements[agreementId];
        _requireState(agreementId, a, State.Disputed);
        if (msg.sender != a.counterparty) revert AgreementUnauthorized(agreementId, msg.sender);

        Payout memory p = _ruledPayout(a, true);
        p.proposerPrincipal = a.arbitratorFee;
        p.arbitratorPrincipal = a.bond;
        _settle(agreementId, a, State.Settled, p);
        // The insurer performed (paid the claim); the value paid is the premium and the cover.
        _reportPerformed(agreementId, a, false, _earnings(p), false);
    }

    /// @inheritdoc IInsuranceAgreements
    function expire(uint256 agreementId) external nonReentrant {
        Agreement storage a = _agreements[agreementId];
        _requireState(agreementId, a, State.Active);
        _requireAfter(agreementId, a.dueDate);

        Payout memory p = _ruledPayout(a, false);
        p.proposerPrincipal = a.arbitratorFee;
        p.arbitratorPrincipal = a.bond;
        _settle(agreementId, a, State.Settled, p);
        // The insurer performed (held the cover to the end); the value paid is the premium.
        _reportPerformed(agreementId, a, false, _earnings(p), false);
    }

    /// @dev The insurer always earns the premium; the cover goes to the insured if the event happened,
    /// otherwise back to the insurer.
    function _ruledPayout(Agreement storage a, bool happened) internal view override returns (Payout memory p) {
        p.counterpartyEarnings = a.proposerDeposit;
        if (happened) p.proposerEarnings = a.counterpartyDeposit;
        else p.counterpartyPrincipal = a.counterpartyDeposit;
    }

    /// @dev A missed ruling voids the policy: each side gets its own deposit back.
    function _noShowPayout(Agreement storage a) internal view override returns (Payout memory p) {
        p.proposerPrincipal = a.proposerDeposit;
        p.counterpartyPrincipal = a.counterpartyDeposit;
    }
}
