/**
 * InsuranceAgreements (issue 17): insurance policies in the `agreement` / `agreement_event` tables
 * (docs/agreements.md). The common events are registered by {@link onAgreementContract};
 * `InsuranceProposed` adds the premium and cover.
 */
import { isDeployed } from "../lib/deployment.ts";
import { onAgreementContract, onAgreementEvent, updateAgreement } from "../lib/agreements.ts";

if (isDeployed("insuranceAgreements")) {
  onAgreementContract("InsuranceAgreements");

  onAgreementEvent("InsuranceAgreements:InsuranceProposed", async ({ event, context }) => {
    const { premium, cover } = event.args as unknown as Record<string, bigint>;
    await updateAgreement(context.db, event, "InsuranceProposed", { premium, cover }, { amount: cover });
  });
}
