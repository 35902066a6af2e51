/**
 * CLI commands of the ERC-8004 Validation Registry: `validation request | respond | reclaim | reward |
 * show | summary`. {@link registerValidationCommands} registers them on the program with the shared CLI
 * context (scripts/cli/context.ts).
 */
import { type Command, InvalidArgumentError } from "commander";
import type { Address, Hex, TransactionReceipt } from "viem";
import { isHex, keccak256, parseEventLogs, toBytes } from "viem";
import type { AgentWallet, CivitasPublicClient } from "../lib/clients.ts";
import type { CivitasContracts } from "../lib/contracts.ts";
import { formatCiv } from "../lib/format.ts";
import { FeeStatus, RewardOutcome } from "../lib/vocabulary.ts";
import { address, amount, connect, done, ensureAllowance, signer, uint } from "./context.ts";

/** What the validation commands need from the main program. */
export interface ValidationCliContext {
  /** The chain and its bindings (no key needed). */
  connect(): Promise<{ client: CivitasPublicClient; contracts: CivitasContracts }>;
  /** As `connect`, plus the signing wallet. */
  signer(): Promise<{ client: CivitasPublicClient; contracts: CivitasContracts; wallet: AgentWallet }>;
  /** Approves `spender` for `needed` CIV when the allowance is short. */
  ensureAllowance(
    wallet: AgentWallet,
    contracts: CivitasContracts,
    spender: Address,
    needed: bigint,
  ): Promise<void>;
  /** Prints a mined transaction. */
  done(what: string, receipt: { transactionHash: Hex; blockNumber: bigint; gasUsed: bigint }): void;
  /** The main program's argument parsers (each throws commander's InvalidArgumentError). */
  parse: { address(value: string): Address; amount(value: string): bigint; uint(value: string): bigint };
}

const HOUR = 3_600n;

const requestHashArg = (value: string): Hex => {
  if (!isHex(value) || value.length !== 66) throw new InvalidArgumentError(`not a 32-byte hash: ${value}`);
  return value;
};
const responseArg = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 100) throw new InvalidArgumentError("a response from 0 to 100");
  return n;
};

/** The deployment's validation registry, or a clear error when it has none. */
function registryOf(contracts: CivitasContracts) {
  if (!contracts.validationRegistry) throw new Error("this deployment has no validation registry");
  return contracts.validationRegistry;
}

/**
 * Adds the `validation` command group to `program`.
 * @param program The main commander program.
 * @param ctx The helpers of the main program.
 */
/** Registers the validation commands on `program`, bound to the shared CLI context. */
export function registerValidationCommands(program: Command): void {
  let chain: ReturnType<typeof signer> | undefined;
  const signed = () => (chain ??= signer(program));
  addValidationCommands(program, {
    connect: () => connect(program),
    signer: signed,
    ensureAllowance: async (_wallet, _contracts, spender, needed) =>
      ensureAllowance(await signed(), spender, needed),
    done,
    parse: { address, amount, uint },
  });
}

/** Adds the validation commands to `program`, with the helpers given in `ctx`. */
export function addValidationCommands(program: Command, ctx: ValidationCliContext): void {
  const { address, amount, uint } = ctx.parse;
  const addressList = (value: string): Address[] =>
    value
      .split(",")
      .filter((a) => a !== "")
      .map(address);
  const validation = program
    .command("validation")
    .description("ERC-8004 validation: request, respond, reclaim a fee, draw attestation rewards, read");

  validation
    .command("request")
    .description("ask a validator to validate your agent's work; with --fee, a stake-secured request")
    .argument("<validator>", "the validator's address", address)
    .argument("<agentId>", "your agent's id", uint)
    .argument("<requestURI>", "where the work and the request are published")
    .option("--hash <hash>", "the request hash (default: keccak256 of the URI)", requestHashArg)
    .option("--fee <civ>", "CIV fee for a staking validator, paid on its response (stake-secured)", amount)
    .option("--hours <n>", "hours the validator has to respond before you may reclaim the fee", uint, 24n)
    .action(
      async (
        validator: Address,
        agentId: bigint,
        uri: string,
        options: { hash?: Hex; fee?: bigint; hours: bigint },
      ) => {
        const { wallet, contracts } = await ctx.signer();
        const vr = registryOf(contracts);
        const requestHash = options.hash ?? keccak256(toBytes(uri));
        let receipt: TransactionReceipt;
        if (options.fee === undefined) {
          receipt = await wallet.execute(
            { ...vr, functionName: "validationRequest", args: [validator, agentId, uri, requestHash] },
            { label: "validation request" },
          );
        } else {
          await ctx.ensureAllowance(wallet, contracts, vr.address, options.fee);
          receipt = await wallet.execute(
            {
              ...vr,
              functionName: "requestStakedValidation",
              args: [validator, agentId, uri, requestHash, options.fee, options.hours * HOUR],
            },
            { label: "validation request" },
          );
        }
        const fee = options.fee === undefined ? "" : `, fee ${formatCiv(options.fee)} escrowed`;
        ctx.done(
          `Validation ${requestHash} requested from ${validator} for agent ${agentId}${fee}.`,
          receipt,
        );
      },
    );

  validation
    .command("respond")
    .description("validator: answer a request (0 failed .. 100 passed); again to update")
    .argument("<requestHash>", "the request", requestHashArg)
    .argument("<response>", "0 to 100", responseArg)
    .option("--uri <uri>", "where your evidence is published", "")
    .option("--tag <tag>", "a label, e.g. civitas.deliverable (reward policies are per tag)", "")
    .action(async (requestHash: Hex, response: number, options: { uri: string; tag: string }) => {
      const { wallet, contracts } = await ctx.signer();
      const vr = registryOf(contracts);
      const responseHash =
        options.uri === "" ? (`0x${"0".repeat(64)}` as Hex) : keccak256(toBytes(options.uri));
      const receipt = await wallet.execute(
        {
          ...vr,
          functionName: "validationResponse",
          args: [requestHash, response, options.uri, responseHash, options.tag],
        },
        { label: "validation respond" },
      );
      const [paid] = parseEventLogs({ abi: vr.abi, logs: receipt.logs, eventName: "ValidationFeePaid" });
      const fee = paid ? `; fee ${formatCiv(paid.args.gross)} paid (tax ${formatCiv(paid.args.tax)})` : "";
      ctx.done(`Responded ${response} to ${requestHash}${fee}.`, receipt);
    });

  validation
    .command("reclaim")
    .description("payer: take back the fee of a request its validator did not answer by the deadline")
    .argument("<requestHash>", "the request", requestHashArg)
    .action(async (requestHash: Hex) => {
      const { wallet, contracts } = await ctx.signer();
      const vr = registryOf(contracts);
      const receipt = await wallet.execute(
        { ...vr, functionName: "reclaimFee", args: [requestHash] },
        { label: "validation reclaim" },
      );
      const [log] = parseEventLogs({ abi: vr.abi, logs: receipt.logs, eventName: "ValidationFeeRefunded" });
      ctx.done(`Fee of ${requestHash} refunded: ${formatCiv(log?.args.amount ?? 0n)}.`, receipt);
    });

  validation
    .command("reward")
    .description("draw the attestation reward of a passed stake-secured request (paid to the agent)")
    .argument("<requestHash>", "the request", requestHashArg)
    .action(async (requestHash: Hex) => {
      const { wallet, contracts } = await ctx.signer();
      const vr = registryOf(contracts);
      const receipt = await wallet.execute(
        { ...vr, functionName: "claimAttestationReward", args: [requestHash] },
        { label: "validation reward" },
      );
      const [log] = parseEventLogs({ abi: vr.abi, logs: receipt.logs, eventName: "AttestationRewardDrawn" });
      const outcome = log ? RewardOutcome.nameOf(log.args.outcome) : "unknown";
      ctx.done(
        `Attestation reward of ${requestHash}: ${outcome}, ${formatCiv(log?.args.amount ?? 0n)} to ${log?.args.recipient}.`,
        receipt,
      );
    });

  validation
    .command("show")
    .description("a request's validator, agent, latest response and fee")
    .argument("<requestHash>", "the request", requestHashArg)
    .action(async (requestHash: Hex) => {
      const { client, contracts } = await ctx.connect();
      const vr = registryOf(contracts);
      const [validator, agentId, response, responseHash, tag, lastUpdate] = await client.readContract({
        ...vr,
        functionName: "getValidationStatus",
        args: [requestHash],
      });
      const terms = await client.readContract({ ...vr, functionName: "stakedTerms", args: [requestHash] });
      const when = new Date(Number(lastUpdate) * 1000).toISOString();
      console.log(`Validation ${requestHash}
  agent ${agentId}, validator ${validator}
  response ${response}, tag "${tag}", evidence ${responseHash}, updated ${when}`);
      if (terms.status !== 0) {
        console.log(
          `  fee ${formatCiv(terms.fee)} ${FeeStatus.nameOf(terms.status)} (payer ${terms.payer}, deadline ` +
            `${new Date(terms.deadline * 1000).toISOString()}), reward ${terms.rewardClaimed ? "paid" : "not paid"}` +
            `${terms.slashed ? ", validator slashed" : ""}`,
        );
      }
    });

  validation
    .command("summary")
    .description("an agent's validations: count, average and stake-weighted average of the responses")
    .argument("<agentId>", "the agent's id", uint)
    .option("--validators <list>", "comma-separated validator addresses (default: all)", addressList, [])
    .option("--tag <tag>", "only responses with this tag (default: any)", "")
    .action(async (agentId: bigint, options: { validators: Address[]; tag: string }) => {
      const { client, contracts } = await ctx.connect();
      const vr = registryOf(contracts);
      const [count, average, weighted, stake] = await client.readContract({
        ...vr,
        functionName: "getStakeWeightedSummary",
        args: [agentId, options.validators, options.tag],
      });
      console.log(
        `Agent ${agentId}: ${count} validation(s), average ${average}, stake-weighted ${weighted} ` +
          `(over ${formatCiv(stake)} of validator stake).`,
      );
    });
}
