/**
 * InformationSales (issue 17): information sales in the `agreement` / `agreement_event` tables
 * (docs/agreements.md). The common events are registered by {@link onAgreementContract};
 * `InformationSaleProposed` adds the price, collateral and commitment, `InformationRevealed` the delivery
 * (a mismatch is followed by `AgreementDisputed` in the same transaction).
 */
import { isDeployed } from "../lib/deployment.ts";
import { onAgreementContract, onAgreementEvent, updateAgreement } from "../lib/agreements.ts";
import { AgreementState } from "../../scripts/lib/vocabulary.ts";

if (isDeployed("informationSales")) {
  onAgreementContract("InformationSales");

  onAgreementEvent("InformationSales:InformationSaleProposed", async ({ event, context }) => {
    const { price, collateral, commitment } = event.args as unknown as {
      price: bigint;
      collateral: bigint;
      commitment: `0x${string}`;
    };
    await updateAgreement(
      context.db,
      event,
      "InformationSaleProposed",
      { price, collateral, commitment },
      {
        amount: price,
      },
    );
  });

  onAgreementEvent("InformationSales:InformationRevealed", async ({ event, context }) => {
    const { matches, reviewDeadline } = event.args as unknown as { matches: boolean; reviewDeadline: bigint };
    const change = matches
      ? { state: AgreementState.keyOf(AgreementState.value.Delivered), reviewDeadline }
      : { details: { revealMatched: false } };
    await updateAgreement(context.db, event, "InformationRevealed", change);
  });
}
