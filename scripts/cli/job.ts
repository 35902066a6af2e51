/**
 * `civitas job …`: escrow jobs, from creation to rating (client, provider and arbitrator steps, and the
 * timeouts anyone may settle). Each command runs a `job_*` tool (scripts/tools/job.ts).
 */
import { type Command, InvalidArgumentError } from "commander";
import { EscrowState } from "../lib/vocabulary.ts";
import { address, civOf, civText, positiveNumber, runTool, txLine, uintText } from "./context.ts";

/** `job <step> <escrowId>` commands that take only the id: command, tool, description. */
const simpleSteps = [
  ["agree", "job_agree", "provider: consent to the job (the arbitrator can accept only after this)"],
  ["accept", "job_accept", "arbitrator: accept the role by posting the bond (approves the escrow if needed)"],
  ["fund", "job_fund", "client: deposit amount + arbitrator fee (approves the escrow if needed)"],
  ["approve", "job_approve", "client: approve the deliverable; the provider is paid"],
  ["claim", "job_claim", "anyone: settle as completed after the review window passed in silence"],
  ["reclaim", "job_reclaim", "anyone: refund the client after a missed delivery deadline"],
  ["resolve", "job_resolve_no_show", "anyone: settle a dispute the arbitrator did not rule in time"],
  ["cancel", "job_cancel", "client or provider (anyone after the deadline): cancel before funding"],
] as const;

/** Registers the `job` command group on `program`. */
export function registerJobCommands(program: Command): void {
  const job = program
    .command("job")
    .description(
      "escrow jobs: create, agree, accept, fund, submit, approve, dispute, rule, rate, show, list",
    );

  job
    .command("create")
    .description("post a job (you are the client); nothing is deposited until you fund it")
    .requiredOption("--provider <address>", "who does the job", address)
    .requiredOption("--arbitrator <address>", "who settles a dispute (posts a bond to accept)", address)
    .requiredOption("--amount <civ>", "the price, in CIV", civText)
    .option("--fee <civ>", "the arbitrator's fee for ruling a dispute, in CIV", civText, "0")
    .option("--days <n>", "delivery deadline, in days from now", positiveNumber, 3)
    .option("--review <hours>", "client's review window, in hours", positiveNumber, 24)
    .option("--ruling <hours>", "arbitrator's ruling window, in hours", positiveNumber, 48)
    .option("--terms <uri>", "where the terms are published", "")
    .action(
      async (
        o: {
          provider: string;
          arbitrator: string;
          amount: string;
          fee: string;
          days: number;
          review: number;
          ruling: number;
          terms: string;
        },
        command: Command,
      ) => {
        await runTool(
          command,
          "job_create",
          {
            provider: o.provider,
            arbitrator: o.arbitrator,
            amount: o.amount,
            arbitratorFee: o.fee,
            deliveryDays: o.days,
            reviewHours: o.review,
            rulingHours: o.ruling,
            termsURI: o.terms,
          },
          (r) =>
            `Created job ${r.escrowId}: ${civOf(r, "amount")} to ${r.provider}; arbitrator bond ${civOf(r, "bond")}; ` +
            `the provider must run "job agree" first.\n${txLine(r)}`,
        );
      },
    );

  for (const [name, tool, description] of simpleSteps) {
    job
      .command(name)
      .description(description)
      .argument("<escrowId>", "the job's escrow id", uintText)
      .action(async (escrowId: string, _options, command: Command) => {
        await runTool(
          command,
          tool,
          { escrowId },
          (r) => `Job ${escrowId}: ${name} done; state ${r.state}.\n${txLine(r)}`,
        );
      });
  }

  job
    .command("submit")
    .description("provider: submit the deliverable before the delivery deadline")
    .argument("<escrowId>", "the job's escrow id", uintText)
    .argument("<deliverableURI>", "where the deliverable is")
    .action(async (escrowId: string, uri: string, _options, command: Command) => {
      await runTool(
        command,
        "job_submit",
        { escrowId, deliverableURI: uri },
        (r) => `Job ${escrowId}: deliverable submitted (${uri}); state ${r.state}.\n${txLine(r)}`,
      );
    });

  for (const [name, tool, description] of [
    ["dispute", "job_dispute", "client: dispute the deliverable within the review window, with evidence"],
    ["evidence", "job_evidence", "client or provider: add evidence to an open dispute"],
  ] as const) {
    job
      .command(name)
      .description(description)
      .argument("<escrowId>", "the job's escrow id", uintText)
      .argument("<evidenceURI>", "where the evidence is")
      .action(async (escrowId: string, uri: string, _options, command: Command) => {
        await runTool(
          command,
          tool,
          { escrowId, evidenceURI: uri },
          (r) =>
            `Job ${escrowId}: ${name === "dispute" ? "disputed" : "evidence added"} (${uri}); state ${r.state}.\n${txLine(r)}`,
        );
      });
  }

  job
    .command("rule")
    .description("arbitrator: rule the provider's share of the amount")
    .argument("<escrowId>", "the job's escrow id", uintText)
    .argument("<providerPercent>", "the provider's share, 0 to 100 (%)", (v) => {
      const n = Number(v);
      if (v.trim() === "" || !(n >= 0 && n <= 100))
        throw new InvalidArgumentError(`a percentage from 0 to 100 (got ${v})`);
      return Math.round(n * 100);
    })
    .action(async (escrowId: string, bps: number, _options, command: Command) => {
      await runTool(
        command,
        "job_rule",
        { escrowId, providerBps: bps },
        (r) => `Job ${escrowId}: ruled ${bps / 100}% to the provider; state ${r.state}.\n${txLine(r)}`,
      );
    });

  job
    .command("rate")
    .description("client or provider: rate the other party once after settlement")
    .argument("<escrowId>", "the job's escrow id", uintText)
    .argument("<rating>", "up | down", (v) => {
      if (v !== "up" && v !== "down")
        throw new InvalidArgumentError(`rating must be up or down (got "${v}")`);
      return v;
    })
    .action(async (escrowId: string, rating: string, _options, command: Command) => {
      await runTool(
        command,
        "job_rate",
        { escrowId, rating },
        (r) => `Job ${escrowId}: rated ${rating}.\n${txLine(r)}`,
      );
    });

  job
    .command("show")
    .description("a job's parties, amounts, state and deadlines")
    .argument("<escrowId>", "the job's escrow id", uintText)
    .action(async (escrowId: string, _options, command: Command) => {
      await runTool(
        command,
        "job_show",
        { escrowId },
        (r) => `Job ${escrowId}: ${r.state}
  client ${r.client}, provider ${r.provider}, arbitrator ${r.arbitrator}
  amount ${civOf(r, "amount")}, arbitrator fee ${civOf(r, "arbitratorFee")}, bond ${civOf(r, "bond")}
  delivery by ${r.deliveryDeadlineIso ?? "-"}, review until ${r.reviewDeadlineIso ?? "-"}, ruling until ${r.rulingDeadlineIso ?? "-"}
  ratings: client ${r.clientRating}, provider ${r.providerRating}`,
      );
    });

  job
    .command("list")
    .description("recent jobs you (or an address) are party to, with your role and their state")
    .argument("[address]", "the party (default: the signing account)", address)
    .option("--state <state>", `only jobs in this state (${EscrowState.names.slice(1).join(", ")})`, (v) => {
      if (!EscrowState.names.slice(1).includes(v as never))
        throw new InvalidArgumentError(
          `not a job state: ${v} (one of ${EscrowState.names.slice(1).join(", ")})`,
        );
      return v;
    })
    .action(async (who: string | undefined, options: { state?: string }, command: Command) => {
      await runTool(command, "job_list", { address: who, state: options.state }, (r) => {
        const jobs = r.jobs as Record<string, unknown>[];
        if (jobs.length === 0) return `No jobs for ${r.address}.`;
        return jobs
          .map(
            (j) =>
              `Job ${j.escrowId}: ${String(j.state).padEnd(14)} ${String(j.role).padEnd(10)} ${civOf(j, "amount")} ` +
              `(client ${j.client}, provider ${j.provider})`,
          )
          .join("\n");
      });
    });
}
