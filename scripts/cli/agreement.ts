/**
 * `civitas agreement propose | accept | join | cancel | repay | default | deliver | claim | pay-claim | expire |
 * reveal | confirm | dispute | finalize | evidence | rule | no-show | show | list`: forwards, loans, insurance
 * and information sales (scripts/tools/agreement.ts, docs/agreements.md). An agreement is named by its kind
 * and id. `civitas agreement pool …`: lottery pools (scripts/cli/agreement-pool.ts).
 */
import { Argument, type Command, InvalidArgumentError, Option } from "commander";
import { AGREEMENT_ACTIONS, type AgreementActionName } from "../tools/agreement.ts";
import { registerPoolCommands } from "./agreement-pool.ts";
import { address, civOf, civText, runTool, txLine, uintText } from "./context.ts";

const KINDS = ["forward", "loan", "insurance", "information-sale"] as const;
/** The tools' kind key of a CLI kind (`information-sale` → `information_sale`). */
const kindKey = (kind: string) => kind.replace("-", "_");
const kindArgument = `the kind: ${KINDS.join(", ")}`;

/** A kind given on the command line, or an error naming the kinds. */
function kindOf(value: string): string {
  if (!(KINDS as readonly string[]).includes(value))
    throw new InvalidArgumentError(`unknown agreement kind ${value}: ${KINDS.join(", ")}`);
  return value;
}

/** The amounts of an agreement result for people (whichever the kind has). */
function amountsOf(r: Record<string, unknown>): string {
  const names = [
    "principal",
    "interest",
    "collateral",
    "premium",
    "cover",
    "price",
    "buyerCollateral",
  ].filter((n) => r[`${n}Wei`] !== undefined);
  const amounts = names.map((n) => `${n} ${civOf(r, n)}`).join(", ");
  return r.resourceId === undefined
    ? amounts
    : `${r.quantity} credits of resource ${r.resourceId} in market epoch ${r.deliveryEpoch}; ${amounts}`;
}

/** Registers the `agreement` command group on `program`. */
export function registerAgreementCommands(program: Command): void {
  const agreement = program
    .command("agreement")
    .description(
      "agreements between agents: forwards, loans, insurance, information sales (propose, join, settle); lottery pools",
    );

  agreement
    .command("propose")
    .description(
      "propose a forward (you sell credits for later delivery), a loan (you borrow), an insurance (you are " +
        "insured) or an information sale (you sell)",
    )
    .addArgument(new Argument("<kind>", kindArgument).argParser(kindOf))
    .requiredOption("--counterparty <address>", "the lender, the insurer, the buyer", address)
    .option("--arbitrator <address>", "insurance, information sale: the arbitrator", address)
    .option("--fee <CIV>", "the arbitrator's fee (default 0)", civText)
    .option("--principal <CIV>", "loan: CIV borrowed", civText)
    .option("--interest <CIV>", "loan: CIV paid on top at repayment", civText)
    .option("--collateral <CIV>", "loan, information sale, forward: CIV you lock", civText)
    .option("--premium <CIV>", "insurance: CIV you pay", civText)
    .option("--cover <CIV>", "insurance: CIV paid if the event happens", civText)
    .option("--price <CIV>", "information sale, forward: CIV the buyer pays", civText)
    .option("--resource <id>", "forward: the resource whose credits you deliver (1 = gpu-second)", uintText)
    .option("--quantity <n>", "forward: how many credits", uintText)
    .option("--delivery-epoch <n>", "forward: the market epoch of delivery (default: the next)", uintText)
    .option("--buyer-collateral <CIV>", "forward: CIV the buyer locks beside the price (default 0)", civText)
    .option("--data <text>", "information sale: the data sold (its hash is committed; keep it to reveal)")
    .option("--terms <text>", "what is agreed (the insured event, the data's description)", "")
    .option("--terms-uri <uri>", "where the terms are published")
    .option("--join-hours <h>", "hours the counterparty has to join", Number, 24)
    .option("--due-hours <h>", "hours to the due date (repayment, end of cover, reveal)", Number, 168)
    .option("--review-hours <h>", "information sale, forward: the buyer's review window", Number, 24)
    .option("--ruling-hours <h>", "the arbitrator's ruling window", Number, 24)
    .action(async (kind: string, o: Record<string, string | number | undefined>, command: Command) => {
      await runTool(
        command,
        "agreement_propose",
        {
          kind: kindKey(kind),
          counterparty: o.counterparty,
          arbitrator: o.arbitrator,
          arbitratorFee: o.fee,
          principal: o.principal,
          interest: o.interest,
          collateral: o.collateral,
          premium: o.premium,
          cover: o.cover,
          price: o.price,
          resourceId: o.resource,
          quantity: o.quantity,
          deliveryEpoch: o.deliveryEpoch,
          buyerCollateral: o.buyerCollateral,
          data: o.data,
          terms: o.terms,
          termsURI: o.termsUri,
          joinHours: o.joinHours,
          dueHours: o.dueHours,
          reviewHours: o.reviewHours,
          rulingHours: o.rulingHours,
        },
        (r) =>
          `Proposed ${kind} ${r.agreementId} to ${r.counterparty}: ${amountsOf(r)}; deposited ${civOf(r, "deposited")}.\n` +
          `  join by ${r.joinDeadlineIso}, due ${r.dueDateIso}` +
          (r.arbitrator ? `; arbitrator ${r.arbitrator} bonds ${civOf(r, "bond")} to accept` : "") +
          `\n${txLine(r)}`,
      );
    });

  for (const name of Object.keys(AGREEMENT_ACTIONS) as AgreementActionName[]) {
    const action = AGREEMENT_ACTIONS[name];
    const cmd = agreement
      .command(name.replace("_", "-"))
      .description(`${action.describe} (${action.kinds.map((k) => k.replace("_", "-")).join(", ")})`)
      .addArgument(new Argument("<kind>", kindArgument).argParser(kindOf))
      .argument("<id>", "the agreement's id", uintText);
    if (name === "claim" || name === "dispute" || name === "evidence")
      cmd.requiredOption("--evidence <text>", "a URI or text of the evidence");
    if (name === "reveal") cmd.requiredOption("--data <text>", "the data sold, as committed");
    if (name === "rule")
      cmd.addOption(
        new Option("--winner <side>", "proposer (the event happened; the seller wins) or counterparty")
          .choices(["proposer", "counterparty"])
          .makeOptionMandatory(),
      );
    cmd.action(
      async (
        kind: string,
        id: string,
        o: { evidence?: string; data?: string; winner?: string },
        command: Command,
      ) => {
        await runTool(
          command,
          "agreement_act",
          {
            kind: kindKey(kind),
            agreementId: id,
            action: name,
            evidence: o.evidence,
            data: o.data,
            proposerWins: o.winner === undefined ? undefined : o.winner === "proposer",
          },
          (r) =>
            `${kind} ${id}: ${name.replace("_", " ")} done, now ${r.state}` +
            (r.paidWei !== "0" ? `; paid ${civOf(r, "paid")}` : "") +
            (r.approvedLedger === true ? "; approved the forward contract on the ledger first" : "") +
            (r.proposerReceivedWei !== undefined
              ? `.\n  paid out: proposer ${civOf(r, "proposerReceived")}, counterparty ${civOf(r, "counterpartyReceived")}, arbitrator ${civOf(r, "arbitratorReceived")} (before tax)`
              : "") +
            `\n${txLine(r)}`,
        );
      },
    );
  }

  agreement
    .command("show")
    .description("show one agreement: state, parties, amounts, deadlines")
    .addArgument(new Argument("<kind>", kindArgument).argParser(kindOf))
    .argument("<id>", "the agreement's id", uintText)
    .action(async (kind: string, id: string, _o: unknown, command: Command) => {
      await runTool(
        command,
        "agreement_show",
        { kind: kindKey(kind), agreementId: id },
        (r) =>
          `${kind} ${r.agreementId}: ${r.state}\n` +
          `  proposer ${r.proposer}, counterparty ${r.counterparty}` +
          (r.arbitrator
            ? `, arbitrator ${r.arbitrator} (fee ${civOf(r, "arbitratorFee")}, bond ${civOf(r, "bond")})`
            : "") +
          `\n  ${amountsOf(r)}; held now ${civOf(r, "held")}\n  join by ${r.joinDeadlineIso}, due ${r.dueDateIso}` +
          (r.deliveryOpensAtIso ? `; delivery opens ${r.deliveryOpensAtIso}` : ""),
      );
    });

  registerPoolCommands(agreement);

  agreement
    .command("list")
    .description("recent agreements you (or an address) are party to, newest first")
    .option("-a, --address <address>", "the party (default: you)", address)
    .option("-k, --kind <kind>", kindArgument, kindOf)
    .option("-n, --limit <n>", "how many of each kind to scan back", Number, 20)
    .action(async (o: { address?: string; kind?: string; limit: number }, command: Command) => {
      await runTool(
        command,
        "agreement_list",
        { address: o.address, kind: o.kind === undefined ? undefined : kindKey(o.kind), limit: o.limit },
        (r) => {
          const rows = r.agreements as Record<string, unknown>[];
          if (rows.length === 0) return `No agreements for ${r.address}.`;
          return rows
            .map(
              (x) =>
                `${String(x.kind).replace("_", "-")} ${x.agreementId}: ${x.state}, you are the ${x.role}; deposits ${civOf(x, "proposerDeposit")} / ${civOf(x, "counterpartyDeposit")}; due ${x.dueDateIso}`,
            )
            .join("\n");
        },
      );
    });
}
