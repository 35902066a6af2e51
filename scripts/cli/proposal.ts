/**
 * `civitas proposal tax | vote | queue | execute | show | list`: governance through the CivitasGovernor
 * (scripts/tools/governance.ts).
 */
import { type Command, InvalidArgumentError } from "commander";
import { ProposalState } from "../lib/vocabulary.ts";
import { civOf, intIn, runTool, txLine, uintText } from "./context.ts";

/** A proposal of a tool's result as text. */
function proposalText(r: Record<string, unknown>): string {
  return `Proposal ${r.proposalId}: ${r.state}
  "${r.description}" by ${r.proposer}
  for ${civOf(r, "votesFor")}, against ${civOf(r, "votesAgainst")}, abstain ${civOf(r, "votesAbstain")}${r.quorumWei === null ? "" : `, quorum ${civOf(r, "quorum")}`}
  snapshot ${r.snapshotIso ?? "-"}, voting ends ${r.deadlineIso ?? "-"}, executable ${r.etaIso ?? "-"}`;
}

/** Registers the `proposal` command group on `program`. */
export function registerProposalCommands(program: Command): void {
  const proposal = program
    .command("proposal")
    .description("governance: propose, vote, queue, execute, show, list");

  proposal
    .command("tax")
    .description("propose a new tax rate on earnings")
    .argument("<bps>", "the new rate in basis points (1000 = 10%)", intIn(0, 10_000))
    .option("-m, --description <text>", "proposal text")
    .action(async (bps: number, options: { description?: string }, command: Command) => {
      // The `#proposer=` suffix binds the proposal to this wallet: nobody can front-run and cancel it.
      await runTool(
        command,
        "proposal_tax",
        { taxBps: bps, description: options.description },
        (r) => `Proposed "${r.description}".\n  proposal id ${r.proposalId}\n${txLine(r)}`,
      );
    });

  proposal
    .command("vote")
    .description("vote on a proposal")
    .argument("<proposalId>", "the proposal id", uintText)
    .argument("<support>", "for | against | abstain", (v) => {
      if (!["for", "against", "abstain"].includes(v))
        throw new InvalidArgumentError(`support must be for, against or abstain (got "${v}")`);
      return v;
    })
    .option("-r, --reason <text>", "reason recorded with the vote", "")
    .action(async (proposalId: string, support: string, options: { reason: string }, command: Command) => {
      await runTool(
        command,
        "proposal_vote",
        { proposalId, support, reason: options.reason },
        (r) => `Voted ${support} on ${proposalId}.\n${txLine(r)}`,
      );
    });

  for (const step of ["queue", "execute"] as const) {
    proposal
      .command(step)
      .description(
        step === "queue"
          ? "queue a succeeded proposal in the timelock"
          : "execute a queued proposal after its delay",
      )
      .argument("<proposalId>", "the proposal id", uintText)
      .action(async (proposalId: string, _options, command: Command) => {
        await runTool(
          command,
          `proposal_${step}`,
          { proposalId },
          (r) =>
            `${step === "queue" ? "Queued" : "Executed"} proposal ${proposalId}; state ${r.state}.\n${txLine(r)}`,
        );
      });
  }

  proposal
    .command("show")
    .description("a proposal's state, votes and timeline")
    .argument("<proposalId>", "the proposal id", uintText)
    .action(async (proposalId: string, _options, command: Command) => {
      await runTool(command, "proposal_show", { proposalId }, proposalText);
    });

  proposal
    .command("list")
    .description("the proposals, newest first, with their state and votes")
    .option("--state <state>", `only proposals in this state (${ProposalState.names.join(", ")})`, (v) => {
      if (!ProposalState.names.includes(v as never))
        throw new InvalidArgumentError(
          `not a proposal state: ${v} (one of ${ProposalState.names.join(", ")})`,
        );
      return v;
    })
    .option("-n, --limit <n>", "at most this many", intIn(1, 1_000), 20)
    .action(async (options: { state?: string; limit: number }, command: Command) => {
      await runTool(command, "proposal_list", { state: options.state, limit: options.limit }, (r) => {
        const list = r.proposals as Record<string, unknown>[];
        return list.length === 0 ? "No proposals." : list.map(proposalText).join("\n");
      });
    });
}
