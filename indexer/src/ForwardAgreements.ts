/**
 * ForwardAgreements (issue 17, kind 1): forwards on resource credits in the `agreement` /
 * `agreement_event` tables (docs/agreements.md). The common events are registered by
 * {@link onAgreementContract}; `ForwardProposed` adds the price (`price`), the seller's collateral
 * (`collateral`) and the forward's terms (`details`: resourceId, quantity, deliveryEpoch, deliveryOpensAt,
 * buyerCollateral); `ForwardDelivered` the delivery (on the ledger: settled in the same transaction by
 * `AgreementSettled`; off it: `delivered` until the review deadline); `ForwardRefused` the buyer's refusal
 * (followed by `AgreementSettled`, defaulted).
 */
import { agreement } from "ponder:schema";
import { isDeployed } from "../lib/deployment.ts";
import { agreementRowId, onAgreementContract, onAgreementEvent, updateAgreement } from "../lib/agreements.ts";
import { lc } from "../lib/store.ts";
import { AgreementState } from "../../scripts/lib/vocabulary.ts";

if (isDeployed("forwardAgreements")) {
  onAgreementContract("ForwardAgreements");

  onAgreementEvent("ForwardAgreements:ForwardProposed", async ({ event, context }) => {
    const a = event.args as unknown as Record<string, bigint>;
    await updateAgreement(
      context.db,
      event,
      "ForwardProposed",
      {
        price: a.price,
        collateral: a.sellerCollateral,
        details: {
          resourceId: a.resourceId!.toString(),
          quantity: a.quantity!.toString(),
          deliveryEpoch: a.deliveryEpoch!.toString(),
          deliveryOpensAt: a.deliveryOpensAt!.toString(),
          buyerCollateral: a.buyerCollateral!.toString(),
        },
      },
      { amount: a.price },
    );
  });

  onAgreementEvent("ForwardAgreements:ForwardDelivered", async ({ event, context }) => {
    const { quantity, onLedger, reviewDeadline } = event.args as unknown as {
      quantity: bigint;
      onLedger: boolean;
      reviewDeadline: bigint;
    };
    const row = await context.db.find(agreement, {
      id: agreementRowId(event.log.address, event.args.agreementId),
    });
    const details = { ...(row?.details as Record<string, unknown> | null), onLedger };
    // On the ledger, AgreementSettled follows in the same transaction; off it, the buyer reviews.
    const change = onLedger
      ? { details }
      : { details, state: AgreementState.keyOf(AgreementState.value.Delivered), reviewDeadline };
    await updateAgreement(context.db, event, "ForwardDelivered", change, { amount: quantity });
  });

  onAgreementEvent("ForwardAgreements:ForwardRefused", async ({ event, context }) => {
    const { buyer } = event.args as unknown as { buyer: string };
    const row = await context.db.find(agreement, {
      id: agreementRowId(event.log.address, event.args.agreementId),
    });
    const details = { ...(row?.details as Record<string, unknown> | null), refusedBy: lc(buyer) };
    await updateAgreement(context.db, event, "ForwardRefused", { details }, { actor: buyer });
  });
}
