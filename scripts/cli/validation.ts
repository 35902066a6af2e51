/**
 * `civitas validation request | respond | reclaim | reward | show | summary`: the ERC-8004 Validation
 * Registry (scripts/tools/validation.ts).
 */
import { type Command, InvalidArgumentError } from "commander";
import { isHex } from "viem";
import { address, civOf, civText, intIn, runTool, txLine, uintText } from "./context.ts";

const requestHashArg = (value: string): string => {
  if (!isHex(value) || value.length !== 66) throw new InvalidArgumentError(`not a 32-byte hash: ${value}`);
  return value;
};

/** Registers the validation commands on `program`. */
export function registerValidationCommands(program: Command): void {
  const addressList = (value: string): string[] =>
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
    .argument("<agentId>", "your agent's id", uintText)
    .argument("<requestURI>", "where the work and the request are published")
    .option("--hash <hash>", "the request hash (default: keccak256 of the URI)", requestHashArg)
    .option("--fee <civ>", "CIV fee for a staking validator, paid on its response (stake-secured)", civText)
    .option(
      "--hours <n>",
      "hours the validator has to respond before you may reclaim the fee",
      intIn(1, 1_000_000),
      24,
    )
    .action(
      async (
        validator: string,
        agentId: string,
        uri: string,
        o: { hash?: string; fee?: string; hours: number },
        command: Command,
      ) => {
        await runTool(
          command,
          "validation_request",
          { validator, agentId, requestURI: uri, requestHash: o.hash, fee: o.fee, responseHours: o.hours },
          (r) =>
            `Validation ${r.requestHash} requested from ${validator} for agent ${agentId}` +
            `${r.staked ? `, fee ${civOf(r, "fee")} escrowed` : ""}.\n${txLine(r)}`,
        );
      },
    );

  validation
    .command("respond")
    .description("validator: answer a request (0 failed .. 100 passed); again to update")
    .argument("<requestHash>", "the request", requestHashArg)
    .argument("<response>", "0 to 100", intIn(0, 100))
    .option("--uri <uri>", "where your evidence is published", "")
    .option("--tag <tag>", "a label, e.g. civitas.deliverable (reward policies are per tag)", "")
    .action(
      async (requestHash: string, response: number, o: { uri: string; tag: string }, command: Command) => {
        await runTool(
          command,
          "validation_respond",
          { requestHash, response, responseURI: o.uri, tag: o.tag },
          (r) =>
            `Responded ${response} to ${requestHash}` +
            `${BigInt(String(r.feePaidWei)) > 0n ? `; fee ${civOf(r, "feePaid")} paid (tax ${civOf(r, "feeTax")})` : ""}.\n${txLine(r)}`,
        );
      },
    );

  validation
    .command("reclaim")
    .description("payer: take back the fee of a request its validator did not answer by the deadline")
    .argument("<requestHash>", "the request", requestHashArg)
    .action(async (requestHash: string, _o, command: Command) => {
      await runTool(
        command,
        "validation_reclaim",
        { requestHash },
        (r) => `Fee of ${requestHash} refunded: ${civOf(r, "refund")}.\n${txLine(r)}`,
      );
    });

  validation
    .command("reward")
    .description("draw the attestation reward of a passed stake-secured request (paid to the agent)")
    .argument("<requestHash>", "the request", requestHashArg)
    .action(async (requestHash: string, _o, command: Command) => {
      await runTool(
        command,
        "validation_reward",
        { requestHash },
        (r) =>
          `Attestation reward of ${requestHash}: ${r.outcome ?? "unknown"}, ${civOf(r, "reward")} to ${r.recipient}.\n${txLine(r)}`,
      );
    });

  validation
    .command("show")
    .description("a request's validator, agent, latest response and fee")
    .argument("<requestHash>", "the request", requestHashArg)
    .action(async (requestHash: string, _o, command: Command) => {
      await runTool(command, "validation_show", { requestHash }, (r) =>
        [
          `Validation ${requestHash}`,
          `  agent ${r.agentId}, validator ${r.validator}`,
          `  response ${r.response}, tag "${r.tag}", evidence ${r.responseHash}, updated ${r.lastUpdateIso ?? "-"}`,
          ...(r.feeStatus === "None"
            ? []
            : [
                `  fee ${civOf(r, "fee")} ${r.feeStatus} (payer ${r.payer}, deadline ${r.deadlineIso}), reward ` +
                  `${r.rewardClaimed ? "paid" : "not paid"}${r.slashed ? ", validator slashed" : ""}`,
              ]),
        ].join("\n"),
      );
    });

  validation
    .command("summary")
    .description("an agent's validations: count, average and stake-weighted average of the responses")
    .argument("<agentId>", "the agent's id", uintText)
    .option("--validators <list>", "comma-separated validator addresses (default: all)", addressList, [])
    .option("--tag <tag>", "only responses with this tag (default: any)", "")
    .action(async (agentId: string, o: { validators: string[]; tag: string }, command: Command) => {
      await runTool(
        command,
        "validation_summary",
        { agentId, validators: o.validators, tag: o.tag },
        (r) =>
          `Agent ${agentId}: ${r.count} validation(s), average ${r.averageResponse}, stake-weighted ` +
          `${r.stakeWeightedResponse} (over ${civOf(r, "validatorStake")} of validator stake).`,
      );
    });
}
