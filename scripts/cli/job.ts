/**
 * `civitas job …`: escrow jobs, from creation to rating (client, provider and arbitrator steps, and the
 * timeouts anyone may settle).
 */
import { type Command, InvalidArgumentError } from "commander";
import { type Address, keccak256, parseEventLogs, toBytes } from "viem";
import { formatBps, formatCiv } from "../lib/format.ts";
import { EscrowState } from "../lib/vocabulary.ts";
import { address, amount, connect, done, ensureAllowance, isoTime, signer, uint } from "./context.ts";

/** `job <step> <escrowId>` commands that take only the id; the last field names what to approve first. */
const simpleSteps = [
  ["agree", "agree", "provider: consent to the job (the arbitrator can accept only after this)", undefined],
  [
    "accept",
    "accept",
    "arbitrator: accept the role by posting the bond (approves the escrow if needed)",
    "bond",
  ],
  ["fund", "fund", "client: deposit amount + arbitrator fee (approves the escrow if needed)", "deposit"],
  ["approve", "approve", "client: approve the deliverable; the provider is paid", undefined],
  ["claim", "claim", "anyone: settle as completed after the review window passed in silence", undefined],
  ["reclaim", "reclaim", "anyone: refund the client after a missed delivery deadline", undefined],
  ["resolve", "resolveNoShow", "anyone: settle a dispute the arbitrator did not rule in time", undefined],
  ["cancel", "cancel", "client or provider (anyone after the deadline): cancel before funding", undefined],
] as const;

/** Registers the `job` command group on `program`. */
export function registerJobCommands(program: Command): void {
  const job = program
    .command("job")
    .description("escrow jobs: create, accept, fund, submit, approve, dispute, ...");

  job
    .command("create")
    .description("post a job (you are the client); nothing is deposited until you fund it")
    .requiredOption("--provider <address>", "who does the job", address)
    .requiredOption("--arbitrator <address>", "who settles a dispute (posts a bond to accept)", address)
    .requiredOption("--amount <civ>", "the price, in CIV", amount)
    .option("--fee <civ>", "the arbitrator's fee for ruling a dispute, in CIV", amount, 0n)
    .option("--days <n>", "delivery deadline, in days from now", (v) => Number(v), 3)
    .option("--review <hours>", "client's review window, in hours", (v) => Number(v), 24)
    .option("--ruling <hours>", "arbitrator's ruling window, in hours", (v) => Number(v), 48)
    .option("--terms <uri>", "where the terms are published", "")
    .action(
      async (
        options: {
          provider: Address;
          arbitrator: Address;
          amount: bigint;
          fee: bigint;
          days: number;
          review: number;
          ruling: number;
          terms: string;
        },
        command: Command,
      ) => {
        const { wallet, contracts, client } = await signer(command);
        const block = await client.getBlock({ blockTag: "latest" });
        const receipt = await wallet.execute(
          {
            ...contracts.escrow,
            functionName: "create",
            args: [
              {
                kind: 0,
                provider: options.provider,
                arbitrator: options.arbitrator,
                amount: options.amount,
                arbitratorFee: options.fee,
                deliveryDeadline: block.timestamp + BigInt(Math.round(options.days * 86_400)),
                reviewWindow: Math.round(options.review * 3_600),
                rulingWindow: Math.round(options.ruling * 3_600),
                termsHash: keccak256(toBytes(options.terms)),
                termsURI: options.terms,
              },
            ],
          },
          { label: "job create" },
        );
        const [log] = parseEventLogs({
          abi: contracts.escrow.abi,
          logs: receipt.logs,
          eventName: "EscrowCreated",
        });
        done(
          `Created job ${log?.args.escrowId}: ${formatCiv(options.amount)} to ${options.provider}; ` +
            `arbitrator bond ${formatCiv(log?.args.bond ?? 0n)}; the provider must run "job agree" first.`,
          receipt,
        );
      },
    );

  for (const [name, functionName, description, deposit] of simpleSteps) {
    job
      .command(name)
      .description(description)
      .argument("<escrowId>", "the job's escrow id", uint)
      .action(async (id: bigint, _options, command: Command) => {
        const chain = await signer(command);
        const { wallet, contracts, client } = chain;
        if (deposit) {
          const e = await client.readContract({ ...contracts.escrow, functionName: "escrowOf", args: [id] });
          const needed = deposit === "bond" ? e.bond : e.amount + e.arbitratorFee;
          await ensureAllowance(chain, contracts.escrow.address, needed);
        }
        const receipt = await wallet.execute({ ...contracts.escrow, functionName, args: [id] } as never, {
          label: `job ${name}`,
        });
        const e = await client.readContract({ ...contracts.escrow, functionName: "escrowOf", args: [id] });
        done(`Job ${id}: ${name} done; state ${EscrowState.nameOf(e.state)}.`, receipt);
      });
  }

  job
    .command("submit")
    .description("provider: submit the deliverable before the delivery deadline")
    .argument("<escrowId>", "the job's escrow id", uint)
    .argument("<deliverableURI>", "where the deliverable is")
    .action(async (id: bigint, uri: string, _options, command: Command) => {
      const { wallet, contracts } = await signer(command);
      const receipt = await wallet.execute(
        { ...contracts.escrow, functionName: "submit", args: [id, uri, keccak256(toBytes(uri))] },
        { label: "job submit" },
      );
      done(`Job ${id}: deliverable submitted (${uri}).`, receipt);
    });

  for (const [name, functionName, description] of [
    ["dispute", "dispute", "client: dispute the deliverable within the review window, with evidence"],
    ["evidence", "submitEvidence", "client or provider: add evidence to an open dispute"],
  ] as const) {
    job
      .command(name)
      .description(description)
      .argument("<escrowId>", "the job's escrow id", uint)
      .argument("<evidenceURI>", "where the evidence is")
      .action(async (id: bigint, uri: string, _options, command: Command) => {
        const { wallet, contracts } = await signer(command);
        const receipt = await wallet.execute(
          { ...contracts.escrow, functionName, args: [id, uri] },
          { label: `job ${name}` },
        );
        done(`Job ${id}: ${name === "dispute" ? "disputed" : "evidence added"} (${uri}).`, receipt);
      });
  }

  job
    .command("rule")
    .description("arbitrator: rule the provider's share of the amount")
    .argument("<escrowId>", "the job's escrow id", uint)
    .argument("<providerPercent>", "the provider's share, 0 to 100 (%)", (v) => {
      const n = Number(v);
      if (!(n >= 0 && n <= 100)) throw new InvalidArgumentError("a percentage from 0 to 100");
      return BigInt(Math.round(n * 100));
    })
    .action(async (id: bigint, bps: bigint, _options, command: Command) => {
      const { wallet, contracts } = await signer(command);
      const receipt = await wallet.execute(
        { ...contracts.escrow, functionName: "rule", args: [id, bps] },
        { label: "job rule" },
      );
      done(`Job ${id}: ruled ${formatBps(bps)} to the provider.`, receipt);
    });

  job
    .command("rate")
    .description("client or provider: rate the other party once after settlement")
    .argument("<escrowId>", "the job's escrow id", uint)
    .argument("<rating>", "up | down")
    .action(async (id: bigint, rating: string, _options, command: Command) => {
      if (rating !== "up" && rating !== "down")
        throw new Error(`rating must be up or down (got "${rating}")`);
      const { wallet, contracts } = await signer(command);
      const receipt = await wallet.execute(
        { ...contracts.escrow, functionName: "rate", args: [id, rating === "up" ? 1 : -1] },
        { label: "job rate" },
      );
      done(`Job ${id}: rated ${rating}.`, receipt);
    });

  job
    .command("show")
    .description("a job's parties, amounts, state and deadlines")
    .argument("<escrowId>", "the job's escrow id", uint)
    .action(async (id: bigint, _options, command: Command) => {
      const { client, contracts } = await connect(command);
      const e = await client.readContract({ ...contracts.escrow, functionName: "escrowOf", args: [id] });
      if (e.state === EscrowState.valueOf("None")) throw new Error(`no job ${id}`);
      console.log(`Job ${id}: ${EscrowState.nameOf(e.state)}
  client ${e.client}, provider ${e.provider}, arbitrator ${e.arbitrator}
  amount ${formatCiv(e.amount)}, arbitrator fee ${formatCiv(e.arbitratorFee)}, bond ${formatCiv(e.bond)}
  delivery by ${isoTime(e.deliveryDeadline)}, review until ${isoTime(e.reviewDeadline)}, ruling until ${isoTime(e.rulingDeadline)}
  ratings: client ${e.clientRating}, provider ${e.providerRating}`);
    });
}
