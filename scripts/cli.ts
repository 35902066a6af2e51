#!/usr/bin/env node
/**
 * `civitas` — one agent's command line: `npm run agent -- <command>` (or the `civitas` bin).
 *
 * Signs with CIVITAS_PRIVATE_KEY, or with an encrypted keystore (`--keystore FILE` / CIVITAS_KEYSTORE,
 * password in CIVITAS_KEYSTORE_PASSWORD). Talks to CIVITAS_RPC_URL (default http://127.0.0.1:8545) and
 * the deployment file of its chain; `history` asks the indexer (CIVITAS_GRAPHQL_URL). Amounts are read
 * and printed in CIV; a revert prints its decoded custom error; any failure exits with status 1.
 */
import { Command, InvalidArgumentError } from "commander";
import type { Address, Hex } from "viem";
import { isAddress, keccak256, parseEventLogs, toBytes } from "viem";
import {
  AgentWallet,
  type CivitasPublicClient,
  createCivitasPublicClient,
  loadAccount,
} from "./lib/clients.ts";
import { type CivitasContracts, civitasContracts, loadDeployment } from "./lib/contracts.ts";
import type { Deployment } from "./lib/deployment.ts";
import { describeError } from "./lib/errors.ts";
import { formatBps, formatCiv, parseCiv } from "./lib/format.ts";
import {
  descriptionHash,
  findProposal,
  PROPOSAL_STATES,
  SUPPORT,
  type ProposalSpec,
  taxProposal,
} from "./lib/governance.ts";
import { queryGraphql } from "./lib/graphql.ts";
import { AGENT_STATUSES, ESCROW_STATES, GRANT_OUTCOMES } from "./lib/states.ts";

interface GlobalOptions {
  rpc: string;
  deployments?: string;
  keystore?: string;
  graphql: string;
}

const program = new Command()
  .name("civitas")
  .description(
    "One Civitas agent's command line: registry, payments, staking, escrow jobs, votes and governance.",
  )
  .option("--rpc <url>", "JSON-RPC URL", process.env.CIVITAS_RPC_URL ?? "http://127.0.0.1:8545")
  .option("--deployments <dir>", "folder of deployment files (default <repo>/deployments)")
  .option(
    "--keystore <file>",
    "encrypted JSON keystore (password in CIVITAS_KEYSTORE_PASSWORD)",
    process.env.CIVITAS_KEYSTORE,
  )
  .option(
    "--graphql <url>",
    "the indexer's GraphQL endpoint",
    process.env.CIVITAS_GRAPHQL_URL ?? "http://127.0.0.1:42069/graphql",
  )
  .showHelpAfterError()
  .addHelpText(
    "after",
    "\nKeys: CIVITAS_PRIVATE_KEY=0x..., or --keystore FILE with CIVITAS_KEYSTORE_PASSWORD.\n" +
      "Example: CIVITAS_PRIVATE_KEY=0x... npm run agent -- send 0xabc... 12.5",
  );

const address = (value: string): Address => {
  if (!isAddress(value)) throw new InvalidArgumentError(`not an address: ${value}`);
  return value;
};
const amount = (value: string): bigint => {
  try {
    return parseCiv(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
};
const uint = (value: string): bigint => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`not a non-negative integer: ${value}`);
  return BigInt(value);
};

/** The chain, its deployment and bindings (no key needed). */
async function connect(): Promise<{
  client: CivitasPublicClient;
  deployment: Deployment;
  contracts: CivitasContracts;
}> {
  const options = program.opts<GlobalOptions>();
  const probe = createCivitasPublicClient(options.rpc);
  const chainId = await probe.getChainId().catch((error) => {
    throw new Error(`cannot reach ${options.rpc}: ${describeError(error)}`);
  });
  const client = createCivitasPublicClient(options.rpc, { chainId });
  const deployment = loadDeployment(chainId, options.deployments);
  return { client, deployment, contracts: civitasContracts(deployment) };
}

/** As {@link connect}, plus the signing wallet. */
async function signer() {
  const options = program.opts<GlobalOptions>();
  const account = await loadAccount({
    privateKey: process.env.CIVITAS_PRIVATE_KEY,
    keystoreFile: options.keystore,
    password: process.env.CIVITAS_KEYSTORE_PASSWORD,
  });
  const chain = await connect();
  return { ...chain, wallet: new AgentWallet({ client: chain.client, account }) };
}

function governorOf(contracts: CivitasContracts) {
  if (!contracts.governor) throw new Error("this deployment has no governor");
  return contracts.governor;
}

/** Prints a mined transaction. */
function done(what: string, receipt: { transactionHash: Hex; blockNumber: bigint; gasUsed: bigint }) {
  console.log(
    `${what}\n  tx ${receipt.transactionHash} (block ${receipt.blockNumber}, gas ${receipt.gasUsed})`,
  );
}

program
  .command("address")
  .description("print the signing account's address")
  .action(async () => {
    const options = program.opts<GlobalOptions>();
    const account = await loadAccount({
      privateKey: process.env.CIVITAS_PRIVATE_KEY,
      keystoreFile: options.keystore,
      password: process.env.CIVITAS_KEYSTORE_PASSWORD,
    });
    console.log(account.address);
  });

program
  .command("balance")
  .description("CIV balance, holdings against the wealth cap, and votes of an address (default: yours)")
  .argument("[address]", "the account (default: the signing account)", address)
  .action(async (who?: Address) => {
    const { client, contracts } = who ? await connect() : await signer();
    const target = who ?? (await signer()).wallet.address;
    const read = (functionName: string, args: readonly unknown[] = []) =>
      client.readContract({ ...contracts.token, functionName, args } as never) as Promise<bigint>;
    const [balance, holdings, cap, votes, eth] = await Promise.all([
      read("balanceOf", [target]),
      read("holdingsOf", [target]),
      read("wealthCap"),
      read("getVotes", [target]),
      client.getBalance({ address: target }),
    ]);
    console.log(`${target}
  balance   ${formatCiv(balance)}
  holdings  ${formatCiv(holdings)} of a ${formatCiv(cap)} wealth cap (${cap ? Number((holdings * 10_000n) / cap) / 100 : 0}%)
  votes     ${formatCiv(votes)}
  gas money ${formatCiv(eth, 4, "ETH")}`);
  });

program
  .command("send")
  .description("pay another agent (taxed at the token's tax rate)")
  .argument("<to>", "recipient address", address)
  .argument("<amount>", "gross amount in CIV, e.g. 12.5", amount)
  .action(async (to: Address, gross: bigint) => {
    const { wallet, contracts, client } = await signer();
    const taxBps = await client.readContract({ ...contracts.token, functionName: "taxBps" });
    const receipt = await wallet.execute(
      { ...contracts.token, functionName: "transfer", args: [to, gross] },
      { label: "send" },
    );
    const tax = (gross * taxBps) / 10_000n;
    done(
      `Sent ${formatCiv(gross)} to ${to}: ${formatCiv(gross - tax)} net, ${formatCiv(tax)} tax (${formatBps(taxBps)}).`,
      receipt,
    );
  });

const votes = program.command("votes").description("token voting power");
votes
  .command("delegate")
  .description("delegate your token votes (default: to yourself, which activates them)")
  .argument("[delegatee]", "who votes with your tokens", address)
  .action(async (delegatee?: Address) => {
    const { wallet, contracts } = await signer();
    const to = delegatee ?? wallet.address;
    const receipt = await wallet.execute(
      { ...contracts.token, functionName: "delegate", args: [to] },
      { label: "delegate" },
    );
    done(`Token votes delegated to ${to}.`, receipt);
  });

const proposal = program.command("proposal").description("governance: propose, vote, queue, execute, show");
proposal
  .command("tax")
  .description("propose a new tax rate on earnings")
  .argument("<bps>", "the new rate in basis points (1000 = 10%)", uint)
  .option("-m, --description <text>", "proposal text")
  .action(async (bps: bigint, options: { description?: string }) => {
    const { wallet, contracts } = await signer();
    // The `#proposer=` suffix binds the proposal to this wallet: nobody can front-run and cancel it.
    const spec = taxProposal(contracts, bps, wallet.address, options.description);
    await propose(wallet, contracts, spec);
  });

async function propose(wallet: AgentWallet, contracts: CivitasContracts, spec: ProposalSpec) {
  const governor = governorOf(contracts);
  const receipt = await wallet.execute(
    {
      ...governor,
      functionName: "propose",
      args: [spec.targets, spec.values, spec.calldatas, spec.description],
    },
    { label: "propose" },
  );
  const { client } = await connect();
  const id = await client.readContract({
    ...governor,
    functionName: "hashProposal",
    args: [spec.targets, spec.values, spec.calldatas, descriptionHash(spec.description)],
  });
  done(`Proposed "${spec.description}".\n  proposal id ${id}`, receipt);
}

proposal
  .command("vote")
  .description("vote on a proposal")
  .argument("<proposalId>", "the proposal id", uint)
  .argument("<support>", "for | against | abstain")
  .option("-r, --reason <text>", "reason recorded with the vote", "")
  .action(async (id: bigint, support: string, options: { reason: string }) => {
    if (!(support in SUPPORT)) throw new Error(`support must be for, against or abstain (got "${support}")`);
    const { wallet, contracts } = await signer();
    const value = SUPPORT[support as keyof typeof SUPPORT];
    const receipt = await wallet.execute(
      { ...governorOf(contracts), functionName: "castVoteWithReason", args: [id, value, options.reason] },
      { label: "vote" },
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
    .action(async (id: bigint) => {
      const { wallet, contracts, client, deployment } = await signer();
      const governor = governorOf(contracts);
      const spec = await findProposal(client, governor, id, BigInt(deployment.startBlock));
      if (!spec) throw new Error(`no proposal ${id} on this deployment`);
      const receipt = await wallet.execute(
        {
          ...governor,
          functionName: step,
          args: [spec.targets, spec.values, spec.calldatas, descriptionHash(spec.description)],
        },
        { label: step },
      );
      done(`${step === "queue" ? "Queued" : "Executed"} proposal ${id}.`, receipt);
    });
}

proposal
  .command("show")
  .description("a proposal's state, votes and timeline")
  .argument("<proposalId>", "the proposal id", uint)
  .action(async (id: bigint) => {
    const { client, contracts, deployment } = await connect();
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
    const time = (t: bigint) => (t ? new Date(Number(t) * 1000).toISOString() : "-");
    console.log(`Proposal ${id}: ${PROPOSAL_STATES[state] ?? state}
  "${spec.description}" by ${spec.proposer}
  for ${formatCiv(inFavor)}, against ${formatCiv(against)}, abstain ${formatCiv(abstain)}${quorum === undefined ? "" : `, quorum ${formatCiv(quorum)}`}
  snapshot ${time(snapshot)}, voting ends ${time(deadline)}, executable ${time(eta)}`);
  });

program
  .command("register")
  .description("register as an agent (ERC-8004 identity); the first registration pays the birth grant")
  .argument("[agentURI]", "where your agent card is published", "")
  .action(async (uri: string) => {
    const { wallet, contracts, client } = await signer();
    const receipt = await wallet.execute(
      { ...contracts.registry, functionName: "register", args: [uri] },
      { label: "register" },
    );
    const [log] = parseEventLogs({
      abi: contracts.registry.abi,
      logs: receipt.logs,
      eventName: "AgentRegistered",
    });
    const upkeep = await client.readContract({ ...contracts.registry, functionName: "upkeepPerDay" });
    done(
      `Registered agent ${log?.args.agentId} (wallet ${wallet.address}); birth grant ${formatCiv(log?.args.grant ?? 0n)} ` +
        `(${GRANT_OUTCOMES[log?.args.grantOutcome ?? 0]}). Upkeep: ${formatCiv(upkeep)} per day.`,
      receipt,
    );
  });

program
  .command("agent")
  .description("an agent's registry record: id, status, reputation, upkeep due (default: yours)")
  .argument("[address]", "the agent wallet (default: the signing account)", address)
  .action(async (who?: Address) => {
    const { client, contracts } = await connect();
    const target = who ?? (await signer()).wallet.address;
    const id = await client.readContract({
      ...contracts.registry,
      functionName: "agentIdOf",
      args: [target],
    });
    if (id === 0n) throw new Error(`${target} is not a registered agent wallet (run \`register\`)`);
    const [status, score, [daysDue, due]] = await Promise.all([
      client.readContract({ ...contracts.registry, functionName: "statusOf", args: [id] }),
      client.readContract({ ...contracts.registry, functionName: "scoreOf", args: [id] }),
      client.readContract({ ...contracts.registry, functionName: "upkeepDue", args: [id] }),
    ]);
    console.log(`Agent ${id} (${target})
  status      ${AGENT_STATUSES[status]}
  reputation  ${score}
  upkeep due  ${formatCiv(due)} (${daysDue} days)`);
  });

// ---------------------------------------------------------------- staking
const staking = program.command("stake").description("staking: validators, delegation, rewards");
staking
  .command("validator")
  .description("register as a validator, bonding a self-stake (at least the minimum, 500 CIV by default)")
  .argument("<selfStake>", "CIV to bond, e.g. 500", amount)
  .option("-c, --commission <bps>", "commission on your pool's rewards, in bps (at most 5000)", uint, 1_000n)
  .action(async (selfStake: bigint, options: { commission: bigint }) => {
    const { wallet, contracts } = await signer();
    await ensureAllowance(wallet, contracts, contracts.staking.address, selfStake);
    const receipt = await wallet.execute(
      { ...contracts.staking, functionName: "registerValidator", args: [options.commission, selfStake] },
      { label: "registerValidator" },
    );
    done(
      `Registered as a validator with ${formatCiv(selfStake)} self-stake, ${formatBps(options.commission)} commission.`,
      receipt,
    );
  });

program
  .command("delegate")
  .description("stake CIV with a validator (approves the staking contract if needed)")
  .argument("<validator>", "the validator's address", address)
  .argument("<amount>", "CIV to bond, e.g. 100", amount)
  .action(async (validator: Address, value: bigint) => {
    const { wallet, contracts } = await signer();
    await ensureAllowance(wallet, contracts, contracts.staking.address, value);
    const receipt = await wallet.execute(
      { ...contracts.staking, functionName: "delegateStake", args: [validator, value] },
      { label: "delegate" },
    );
    done(`Bonded ${formatCiv(value)} with ${validator}.`, receipt);
  });

program
  .command("undelegate")
  .description("start unbonding bonded shares (all of them by default); withdraw after the unbonding period")
  .argument("[shares]", "bonded shares to unbond (default: all)", uint)
  .action(async (shares?: bigint) => {
    const { wallet, contracts, client } = await signer();
    const all = await client.readContract({
      ...contracts.staking,
      functionName: "bondedSharesOf",
      args: [wallet.address],
    });
    const receipt = await wallet.execute(
      { ...contracts.staking, functionName: "undelegate", args: [shares ?? all] },
      { label: "undelegate" },
    );
    const [log] = parseEventLogs({
      abi: contracts.staking.abi,
      logs: receipt.logs,
      eventName: "Undelegated",
    });
    done(
      `Unbonding ${formatCiv(log?.args.amount ?? 0n)}: request ${log?.args.unbondingId}, ` +
        `withdrawable from ${new Date(Number(log?.args.releaseTime ?? 0n) * 1000).toISOString()}.`,
      receipt,
    );
  });

program
  .command("withdraw")
  .description("withdraw a released unbonding request")
  .argument("<unbondingId>", "the request id printed by undelegate", uint)
  .action(async (id: bigint) => {
    const { wallet, contracts } = await signer();
    const receipt = await wallet.execute(
      { ...contracts.staking, functionName: "withdraw", args: [id] },
      { label: "withdraw" },
    );
    const [log] = parseEventLogs({ abi: contracts.staking.abi, logs: receipt.logs, eventName: "Withdrawn" });
    done(`Withdrew ${formatCiv(log?.args.amount ?? 0n)} (request ${id}).`, receipt);
  });

program
  .command("claim")
  .description("claim your staking rewards (paid as taxed earnings)")
  .action(async () => {
    const { wallet, contracts, client } = await signer();
    const pending = await client.readContract({
      ...contracts.staking,
      functionName: "pendingRewards",
      args: [wallet.address],
    });
    const receipt = await wallet.execute(
      { ...contracts.staking, functionName: "claimRewards", args: [] },
      { label: "claim" },
    );
    done(`Claimed ${formatCiv(pending)} of rewards (gross, before tax).`, receipt);
  });

// ---------------------------------------------------------------- escrow jobs
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
    async (options: {
      provider: Address;
      arbitrator: Address;
      amount: bigint;
      fee: bigint;
      days: number;
      review: number;
      ruling: number;
      terms: string;
    }) => {
      const { wallet, contracts, client } = await signer();
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
          `arbitrator bond ${formatCiv(log?.args.bond ?? 0n)}.`,
        receipt,
      );
    },
  );

/** `job <step> <escrowId>` commands that take only the id; `approval` names what to approve first. */
const simpleSteps = [
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
for (const [name, functionName, description, deposit] of simpleSteps) {
  job
    .command(name)
    .description(description)
    .argument("<escrowId>", "the job's escrow id", uint)
    .action(async (id: bigint) => {
      const { wallet, contracts, client } = await signer();
      if (deposit) {
        const e = await client.readContract({ ...contracts.escrow, functionName: "escrowOf", args: [id] });
        const needed = deposit === "bond" ? e.bond || (e.amount + 9n) / 10n : e.amount + e.arbitratorFee;
        await ensureAllowance(wallet, contracts, contracts.escrow.address, needed);
      }
      const receipt = await wallet.execute({ ...contracts.escrow, functionName, args: [id] } as never, {
        label: `job ${name}`,
      });
      const e = await client.readContract({ ...contracts.escrow, functionName: "escrowOf", args: [id] });
      done(`Job ${id}: ${name} done; state ${ESCROW_STATES[e.state]}.`, receipt);
    });
}

job
  .command("submit")
  .description("provider: submit the deliverable before the delivery deadline")
  .argument("<escrowId>", "the job's escrow id", uint)
  .argument("<deliverableURI>", "where the deliverable is")
  .action(async (id: bigint, uri: string) => {
    const { wallet, contracts } = await signer();
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
    .action(async (id: bigint, uri: string) => {
      const { wallet, contracts } = await signer();
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
  .action(async (id: bigint, bps: bigint) => {
    const { wallet, contracts } = await signer();
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
  .action(async (id: bigint, rating: string) => {
    if (rating !== "up" && rating !== "down") throw new Error(`rating must be up or down (got "${rating}")`);
    const { wallet, contracts } = await signer();
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
  .action(async (id: bigint) => {
    const { client, contracts } = await connect();
    const e = await client.readContract({ ...contracts.escrow, functionName: "escrowOf", args: [id] });
    if (e.state === 0) throw new Error(`no job ${id}`);
    const time = (t: bigint) => (t ? new Date(Number(t) * 1000).toISOString() : "-");
    console.log(`Job ${id}: ${ESCROW_STATES[e.state]}
  client ${e.client}, provider ${e.provider}, arbitrator ${e.arbitrator}
  amount ${formatCiv(e.amount)}, arbitrator fee ${formatCiv(e.arbitratorFee)}, bond ${formatCiv(e.bond)}
  delivery by ${time(e.deliveryDeadline)}, review until ${time(e.reviewDeadline)}, ruling until ${time(e.rulingDeadline)}
  ratings: client ${e.clientRating}, provider ${e.providerRating}`);
  });

/** Approves `spender` for `needed` CIV when the allowance is short (its own transaction). */
async function ensureAllowance(
  wallet: AgentWallet,
  contracts: CivitasContracts,
  spender: Address,
  needed: bigint,
) {
  const { client } = await connect();
  const allowance = await client.readContract({
    ...contracts.token,
    functionName: "allowance",
    args: [wallet.address, spender],
  });
  if (allowance >= needed) return;
  await wallet.execute(
    { ...contracts.token, functionName: "approve", args: [spender, needed] },
    { label: "approve" },
  );
  console.log(`Approved ${spender} for ${formatCiv(needed)}.`);
}

program
  .command("history")
  .description("your (or an address's) latest CIV movements, from the indexer's GraphQL API")
  .argument("[address]", "the account (default: the signing account)", address)
  .option("-n, --limit <n>", "how many", (v) => Number(v), 20)
  .action(async (who: Address | undefined, options: { limit: number }) => {
    const target = (who ?? (await signer()).wallet.address).toLowerCase();
    const { graphql } = program.opts<GlobalOptions>();
    const query = `query($a: String!, $n: Int!) {
      out: transfers(where: { from: $a }, orderBy: "timestamp", orderDirection: "desc", limit: $n) {
        items { from to amount gross tax kind timestamp transactionHash } }
      in: transfers(where: { to: $a }, orderBy: "timestamp", orderDirection: "desc", limit: $n) {
        items { from to amount gross tax kind timestamp transactionHash } } }`;
    type Row = {
      from: string;
      to: string;
      amount: string;
      gross: string;
      tax: string;
      kind: string;
      timestamp: string;
      transactionHash: string;
    };
    const data = await queryGraphql<{ out: { items: Row[] }; in: { items: Row[] } }>(graphql, query, {
      a: target,
      n: options.limit,
    });
    const rows = [...data.out.items, ...data.in.items]
      .sort((a, b) => Number(BigInt(b.timestamp) - BigInt(a.timestamp)))
      .slice(0, options.limit);
    if (rows.length === 0) return void console.log(`No movements for ${target}.`);
    for (const row of rows) {
      const incoming = row.to.toLowerCase() === target;
      const when = new Date(Number(row.timestamp) * 1000).toISOString().replace(".000Z", "Z");
      console.log(
        `${when} ${row.kind.padEnd(10)} ${incoming ? "+" : "-"}${formatCiv(BigInt(row.amount)).padEnd(16)} ${incoming ? "from" : "to  "} ${incoming ? row.from : row.to}`,
      );
    }
  });

try {
  await program.parseAsync();
} catch (error) {
  console.error(`civitas: ${describeError(error)}`);
  process.exit(1);
}
