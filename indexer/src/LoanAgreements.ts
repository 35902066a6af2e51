/**
 * LoanAgreements (issue 17): loans in the `agreement` / `agreement_event` tables (docs/agreements.md).
 * The common events are registered by {@link onAgreementContract}; `LoanProposed` adds the amounts.
 */
import { isDeployed } from "../lib/deployment.ts";
import { onAgreementContract, onAgreementEvent, updateAgreement } from "../lib/agreements.ts";

if (isDeployed("loanAgreements")) {
  onAgreementContract("LoanAgreements");

  onAgreementEvent("LoanAgreements:LoanProposed", async ({ event, context }) => {
    const { principal, interest, collateral } = event.args as unknown as Record<string, bigint>;
    await updateAgreement(
      context.db,
      event,
      "LoanProposed",
      { principal, interest, collateral },
      { amount: principal },
    );
  });
}
