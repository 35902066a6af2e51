/**
 * Bad actors in the simulation (issue 15): the attacks the auditor (indexer/audit/) should flag, run within
 * the chain's rules by wallets of their own beside the honest population, only with `--bad-actors`. Each
 * kind is an entry of `BAD_ACTORS` (scripts/sim/archetypes.ts) naming its wallets and the rule expected to
 * flag it; this module is its behaviour, as a {@link SimulationHook} (scripts/sim/hooks.ts): the engine
 * calls it once after setup and once a day after the honest phases, with automine on. Honest agents never
 * hire, rate or vote with a bad actor (bad actors are not in the population the policies see), so every
 * flag against a bad actor is the attack's own, and the default simulation is unchanged without the flag.
 *
 * Schedule: at start every wallet gets gas money and registers (the birth grant), the one-sided owner first
 * funding its two fresh wallets; day 1 the rings trade jobs, the owner hires its own wallet, the spammer's
 * clone hires it for the proposal threshold, the clones drain their grants to the sink and the validator
 * schedules the maximum commission; day 2 the rings trade again, the spammer proposes and cancels three
 * times, and the clones' upkeep is collected (they starve). From day 3 they are idle. Importing this module
 * has no side effects.
 */
import { type Address, encodeFunctionData, parseEventLogs, type TransactionReceipt } from "viem";
import { AgentWallet, agentAccount, cachedFees, DEVNET_MNEMONIC } from "../lib/clients.ts";
import { setEthBalance } from "../lib/devchain.ts";
import { describeError } from "../lib/errors.ts";
import { descriptionHash, withProposerSuffix } from "../lib/governance.ts";
import { CONSTANTS } from "../lib/vocabulary.ts";
import { BAD_ACTORS, type BadActorKind } from "./archetypes.ts";
import type { SimulationRun } from "./engine.ts";
import type { SimulationHook } from "./hooks.ts";

const CIV = 10n ** 18n;
const DAY = 86_400n;
const MAX_UINT256 = 2n ** 256n - 1n;

/** Bad actors' keys come from the run's mnemonic at this agent index and up (the population uses 0..n-1). */
export const BAD_ACTOR_INDEX_OFFSET = 1_000;

/** One wallet of a bad actor. */
export interface BadWallet {
  kind: BadActorKind;
  role: string;
  /** `<kind>/<role>`. */
  name: string;
  address: Address;
  wallet: AgentWallet;
  agentId?: bigint;
}

/** What the bad actors did. */
export interface BadActorsSummary {
  /** Every bad wallet: its actor, role, address and the rule expected to flag it. */
  wallets: { name: string; kind: string; address: Address; flaggedBy: string }[];
  /** Successful transactions by label. */
  actions: Record<string, number>;
  /** Failed steps (label: reason); an attack that failed shows here. */
  failures: string[];
}

/** The bad actors: a {@link SimulationHook} and its wallets. */
export interface BadActors extends SimulationHook {
  /** Every bad wallet, in creation order (empty until started). */
  wallets(): readonly BadWallet[];
  summary(): BadActorsSummary & Record<string, unknown>;
}

/** Options of {@link createBadActors}. */
export interface BadActorOptions {
  /** Mnemonic of the wallets (default: Hardhat's development mnemonic, as the population). */
  mnemonic?: string;
  /** Which actors run (default: every kind of `BAD_ACTORS`). */
  kinds?: readonly BadActorKind[];
}

/** Creates the bad actors (see the module's header for what they do, and when). */
export function createBadActors(options: BadActorOptions = {}): BadActors {
  const kinds = options.kinds ?? (Object.keys(BAD_ACTORS) as BadActorKind[]);
  const wallets: BadWallet[] = [];
  const summary: BadActorsSummary = { wallets: [], actions: {}, failures: [] };
  const of = (kind: BadActorKind, role: string) => wallets.find((w) => w.kind === kind && w.role === role);
  const cast = (kind: BadActorKind) =>
    kinds.includes(kind) ? BAD_ACTORS[kind].wallets.map((role) => of(kind, role)!) : [];

  /** Sends a call from `who` and waits for it; a failure is recorded and returns undefined. */
  async function send(
    who: BadWallet,
    label: string,
    call: { address: Address; abi: readonly unknown[]; functionName: string; args: readonly unknown[] },
  ): Promise<TransactionReceipt | undefined> {
    try {
      const receipt = await (await who.wallet.send(call as never, { label })).wait();
      summary.actions[label] = (summary.actions[label] ?? 0) + 1;
      return receipt;
    } catch (error) {
      who.wallet.resyncNonce();
      summary.failures.push(`${who.name} ${label}: ${describeError(error).slice(0, 160)}`);
      return undefined;
    }
  }

  /**
   * One whole job: `client` hires `provider` with `arbitrator`; agreed, accepted, funded, delivered,
   * approved and rated +1 by both. @returns Whether it completed.
   */
  async function job(
    run: SimulationRun,
    client: BadWallet,
    provider: BadWallet,
    arbitrator: BadWallet,
    amount: bigint,
    tag: string,
  ): Promise<boolean> {
    const { escrow } = run.contracts;
    const now = (await run.client.getBlock({ blockTag: "latest" })).timestamp;
    const terms = `bad:${tag}`;
    const created = await send(client, "bad.job.create", {
      ...escrow,
      functionName: "create",
      args: [
        {
          kind: Number(CONSTANTS.Escrow.KIND_JOB),
          provider: provider.address,
          arbitrator: arbitrator.address,
          amount,
          arbitratorFee: 0n,
          deliveryDeadline: now + 3n * DAY,
          reviewWindow: Number(DAY),
          rulingWindow: Number(2n * DAY),
          termsHash: `0x${Buffer.from(terms.padEnd(32, "\0").slice(0, 32), "latin1").toString("hex")}`,
          termsURI: `ipfs://civitas-sim/${terms}`,
        },
      ],
    });
    if (created === undefined) return false;
    const [log] = parseEventLogs({ abi: escrow.abi, logs: created.logs, eventName: "EscrowCreated" });
    const id = log!.args.escrowId;
    const steps: [BadWallet, string, string, readonly unknown[]][] = [
      [provider, "bad.job.agree", "agree", [id]],
      [arbitrator, "bad.job.accept", "accept", [id]],
      [client, "bad.job.fund", "fund", [id]],
      [
        provider,
        "bad.job.submit",
        "submit",
        [id, `ipfs://civitas-sim/${terms}/deliverable`, `0x${"11".repeat(32)}`],
      ],
      [client, "bad.job.approve", "approve", [id]],
      [client, "bad.job.rate", "rate", [id, 1]],
      [provider, "bad.job.rate", "rate", [id, 1]],
    ];
    for (const [who, label, functionName, args] of steps)
      if ((await send(who, label, { ...escrow, functionName, args })) === undefined) return false;
    return true;
  }

  /** Every ordered pair of the reciprocal ring, and the one-way cycle (twice: it needs as many jobs). */
  async function rings(run: SimulationRun, day: number): Promise<void> {
    const [a, b, c] = cast("reputation-ring");
    if (a && b && c)
      for (const [client, provider, arbitrator] of [
        [a, b, c],
        [b, a, c],
        [b, c, a],
        [c, b, a],
        [c, a, b],
        [a, c, b],
      ] as const)
        await job(run, client, provider, arbitrator, 2n * CIV, `ring:${day}:${client.role}${provider.role}`);
    const [x, y, z] = cast("cycle-ring");
    if (x && y && z)
      for (const round of [0, 1])
        for (const [client, provider, arbitrator] of [
          [x, y, z],
          [y, z, x],
          [z, x, y],
        ] as const)
          await job(run, client, provider, arbitrator, 2n * CIV, `cycle:${day}:${round}:${client.role}`);
  }

  return {
    name: "badActors",
    wallets: () => wallets,

    async start(run) {
      const mnemonic = options.mnemonic ?? DEVNET_MNEMONIC;
      const fees = cachedFees(run.client);
      for (const kind of kinds)
        for (const role of BAD_ACTORS[kind].wallets) {
          const account = agentAccount(mnemonic, BAD_ACTOR_INDEX_OFFSET + wallets.length);
          wallets.push({
            kind,
            role,
            name: `${kind}/${role}`,
            address: account.address,
            wallet: new AgentWallet({ client: run.client, account, fees }),
          });
        }
      summary.wallets = wallets.map((w) => ({
        name: w.name,
        kind: w.kind,
        address: w.address,
        flaggedBy: BAD_ACTORS[w.kind].flaggedBy,
      }));
      const { registry, token, escrow, staking } = run.contracts;
      await Promise.all(wallets.map((w) => setEthBalance(run.client, w.address, 1_000n * CIV)));
      const register = async (w: BadWallet) => {
        await send(w, "bad.register", {
          ...registry,
          functionName: "register",
          args: [`ipfs://civitas-sim/bad/${w.name}.json`],
        });
        w.agentId = await run.client.readContract({
          ...registry,
          functionName: "agentIdOf",
          args: [w.address],
        });
      };
      // The one-sided owner registers first and funds its fresh wallets before they register.
      const [owner, ...owned] = cast("one-sided-owner");
      if (owner) {
        await register(owner);
        for (const w of owned)
          await send(owner, "bad.fund", { ...token, functionName: "transfer", args: [w.address, 10n * CIV] });
      }
      for (const w of wallets) if (w.agentId === undefined) await register(w);
      for (const w of wallets) {
        await send(w, "bad.approve", {
          ...token,
          functionName: "approve",
          args: [escrow.address, MAX_UINT256],
        });
        await send(w, "bad.approve", {
          ...token,
          functionName: "approve",
          args: [staking.address, MAX_UINT256],
        });
        await send(w, "bad.delegate", { ...token, functionName: "delegate", args: [w.address] });
      }
      const [validator] = cast("risky-validator");
      if (validator) {
        const minSelfStake = await run.client.readContract({ ...staking, functionName: "minSelfStake" });
        await send(validator, "bad.registerValidator", {
          ...staking,
          functionName: "registerValidator",
          args: [500n, minSelfStake],
        });
      }
    },

    async day(run, world) {
      const { token, staking, governor, registry } = run.contracts;
      if (world.day === 1 || world.day === 2) await rings(run, world.day);
      if (world.day === 1) {
        const [owner, provider, arbitrator] = cast("one-sided-owner");
        if (owner && provider && arbitrator) await job(run, owner, provider, arbitrator, 5n * CIV, "own");
        // The spammer earns the proposal threshold (votes) from its clone's job: earned CIV votes.
        const [proposer, client, cloneArbitrator] = cast("proposal-spammer");
        if (proposer && client && cloneArbitrator)
          await job(run, client, proposer, cloneArbitrator, 800n * CIV, "threshold");
        const [sink, ...clones] = cast("starvation-cloner");
        for (const clone of sink ? clones : []) {
          const balance = await run.client.readContract({
            ...token,
            functionName: "balanceOf",
            args: [clone.address],
          });
          await send(clone, "bad.drain", {
            ...token,
            functionName: "transfer",
            args: [sink!.address, balance],
          });
        }
        const [validator] = cast("risky-validator");
        if (validator)
          await send(validator, "bad.scheduleCommission", {
            ...staking,
            functionName: "scheduleCommission",
            args: [CONSTANTS.Staking.MAX_COMMISSION_BPS],
          });
      }
      if (world.day === 2) {
        const [proposer] = cast("proposal-spammer");
        for (let i = 1; proposer && i <= 3; i++) {
          const targets = [token.address];
          const calldatas = [encodeFunctionData({ abi: token.abi, functionName: "taxBps" })];
          const description = withProposerSuffix(
            `Proposal ${i} of many (day ${world.day})`,
            proposer.address,
          );
          const proposed = await send(proposer, "bad.propose", {
            ...governor,
            functionName: "propose",
            args: [targets, [0n], calldatas, description],
          });
          if (proposed !== undefined && i < 3)
            await send(proposer, "bad.cancel", {
              ...governor,
              functionName: "cancel",
              args: [targets, [0n], calldatas, descriptionHash(description)],
            });
        }
        const [sink, ...clones] = cast("starvation-cloner");
        if (sink)
          await send(sink, "bad.collectUpkeep", {
            ...registry,
            functionName: "collectUpkeep",
            args: [clones.map((c) => c.agentId ?? 0n)],
          });
      }
    },

    summary: () => ({ ...summary }),
  };
}
