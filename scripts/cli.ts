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
import { isAddress } from "viem";
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

interface GlobalOptions {
  rpc: string;
  deployments?: string;
  keystore?: string;
  graphql: string;
}

const program = new Command()
  .name("civitas")
  .description("One Civitas agent's command line: balances, payments, votes and governance.")
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
    const spec = taxProposal(contracts, bps, options.description);
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
