/** `civitas proposal tax | vote | queue | execute | show`: governance through the CivitasGovernor. */
import type { Command } from "commander";
import type { AgentWallet } from "../lib/clients.ts";
import type { CivitasContracts } from "../lib/contracts.ts";
import { formatCiv } from "../lib/format.ts";
import { descriptionHash, findProposal, type ProposalSpec, taxProposal } from "../lib/governance.ts";
import { ProposalState, SUPPORT } from "../lib/vocabulary.ts";
import { type Chain, connect, done, governorOf, isoTime, signer, uint } from "./context.ts";

/** Sends `propose` and prints the new proposal's id. */
async function propose(chain: Chain & { wallet: AgentWallet }, spec: ProposalSpec): Promise<void> {
  const { wallet, contracts, client } = chain;
  const governor = governorOf(contracts as CivitasContracts);
  const receipt = await wallet.execute(
    {
      ...governor,
      functionName: "propose",
      args: [spec.targets, spec.values, spec.calldatas, spec.description],
    },
    { label: "proposal" },
  );
  const id = await client.readContract({
    ...governor,
    functionName: "hashProposal",
    args: [spec.targets, spec.values, spec.calldatas, descriptionHash(spec.description)],
  });
  done(`Proposed "${spec.description}".\n  proposal id ${id}`, receipt);
}

/** Registers the `proposal` command group on `program`. */
export function registerProposalCommands(program: Command): void {
  const proposal = program.command("proposal").description("governance: propose, vote, queue, execute, show");

  proposal
    .command("tax")
    .description("propose a new tax rate on earnings")
    .argument("<bps>", "the new rate in basis points (1000 = 10%)", uint)
    .option("-m, --description <text>", "proposal text")
    .action(async (bps: bigint, options: { description?: string }, command: Command) => {
      const chain = await signer(command);
      // The `#proposer=` suffix binds the proposal to this wallet: nobody can front-run and cancel it.
      await propose(chain, taxProposal(chain.contracts, bps, chain.wallet.address, options.description));
    });

  proposal
    .command("vote")
    .description("vote on a proposal")
    .argument("<proposalId>", "the proposal id", uint)
    .argument("<support>", "for | against | abstain")
    .option("-r, --reason <text>", "reason recorded with the vote", "")
    .action(async (id: bigint, support: string, options: { reason: string }, command: Command) => {
      if (!(support in SUPPORT))
        throw new Error(`support must be for, against or abstain (got "${support}")`);
      const { wallet, contracts } = await signer(command);
      const value = SUPPORT[support as keyof typeof SUPPORT];
      const receipt = await wallet.execute(
        { ...governorOf(contracts), functionName: "castVoteWithReason", args: [id, value, options.reason] },
        { label: "proposal vote" },
      );
      done(`Voted ${support} on ${id}.`, receipt);
    });

  for (const step of ["queue", "execute"] as const) {
    proposal
      .command(step)
      .description(
        step === "queue"
          ? "queue a succeeded proposal in the timelock"
          : "execute a queued proposal after its delay",
      )
      .argument("<proposalId>", "the proposal id", uint)
      .action(async (id: bigint, _options, command: Command) => {
        const { wallet, contracts, client, deployment } = await signer(command);
        const governor = governorOf(contracts);
        const spec = await findProposal(client, governor, id, BigInt(deployment.startBlock));
        if (!spec) throw new Error(`no proposal ${id} on this deployment`);
        const receipt = await wallet.execute(
          {
            ...governor,
            functionName: step,
            args: [spec.targets, spec.values, spec.calldatas, descriptionHash(spec.description)],
          },
          { label: `proposal ${step}` },
        );
        done(`${step === "queue" ? "Queued" : "Executed"} proposal ${id}.`, receipt);
      });
  }

  proposal
    .command("show")
    .description("a proposal's state, votes and timeline")
    .argument("<proposalId>", "the proposal id", uint)
    .action(async (id: bigint, _options, command: Command) => {
      const { client, contracts, deployment } = await connect(command);
      const governor = governorOf(contracts);
      const spec = await findProposal(client, governor, id, BigInt(deployment.startBlock));
      if (!spec) throw new Error(`no proposal ${id} on this deployment`);
      const [state, [against, inFavor, abstain], snapshot, deadline, eta] = await Promise.all([
        client.readContract({ ...governor, functionName: "state", args: [id] }),
        client.readContract({ ...governor, functionName: "proposalVotes", args: [id] }),
        client.readContract({ ...governor, functionName: "proposalSnapshot", args: [id] }),
        client.readContract({ ...governor, functionName: "proposalDeadline", args: [id] }),
        client.readContract({ ...governor, functionName: "proposalEta", args: [id] }),
      ]);
      const quorum = await client
        .readContract({ ...governor, functionName: "quorum", args: [snapshot] })
        .catch(() => undefined);
      console.log(`Proposal ${id}: ${ProposalState.nameOf(state)}
  "${spec.description}" by ${spec.proposer}
  for ${formatCiv(inFavor)}, against ${formatCiv(against)}, abstain ${formatCiv(abstain)}${quorum === undefined ? "" : `, quorum ${formatCiv(quorum)}`}
  snapshot ${isoTime(snapshot)}, voting ends ${isoTime(deadline)}, executable ${isoTime(eta)}`);
    });
}
