/**
 * How the simulation driver sends one phase's transactions (issue 19: the driver at least 70% of the devnet's
 * own rate). Profiling the driver showed its own CPU is small (signing ~0.15 ms a transaction); it lost on
 * round trips: an agent with five intents waited for the node to accept each before signing the next, five
 * sequential round trips per phase where the raw rate needs one. Here each agent signs its consecutive
 * fixed-gas intents with consecutive nonces at once and sends them together (the client's JSON-RPC batching
 * puts every agent's transactions of the moment in one request).
 *
 * Nonce discipline (see `AgentWallet` in scripts/lib/clients.ts): one agent's transactions carry consecutive
 * nonces in the order of its intents. When the node refuses one of them while accepting a later one, the
 * later one would wait forever behind the missing nonce: the refused nonce is then taken by a no-op (0 ETH to
 * the agent itself, 21,000 gas), so that everything accepted is mined, and the wallet re-reads its nonce.
 * Intents that must read the chain right before signing (a permit, or a gas estimate) are sent one at a time
 * through `AgentWallet.send`, after the agent's earlier intents were accepted.
 */
import type { SentTx } from "../lib/clients.ts";
import { type Agent, ACTION_GAS_LIMIT, type Intent } from "./model.ts";

/** Gas of a plain ETH transfer: the no-op that takes a refused nonce. */
const FILLER_GAS = 21_000n;

/** What {@link sendIntents} reports for each intent. */
export interface SendCallbacks {
  /** The call to send for an intent that is sent alone (e.g. with a permit signature appended). */
  prepareCall?: (agent: Agent, intent: Intent) => Promise<Intent["call"]>;
  /** An intent's transaction was accepted by the node. */
  onSent: (agent: Agent, intent: Intent, call: Intent["call"], tx: SentTx) => void;
  /** An intent failed before or at sending (simulation or the node's refusal); nothing of it is mined. */
  onError: (agent: Agent, intent: Intent, error: unknown) => void;
}

/** Whether an intent can be signed together with its neighbours: fixed gas, no permit. */
function signableAhead(intent: Intent): boolean {
  return intent.permit === undefined && intent.gas !== "estimate";
}

/**
 * Sends every agent's intents (one agent's in order, agents concurrently). Resolves once every intent was
 * sent or reported failed; it mines nothing.
 * @param plans Each agent's intents, in order.
 * @param callbacks Where sent transactions and failures go.
 */
export async function sendIntents(
  plans: ReadonlyArray<{ agent: Agent; intents: readonly Intent[] }>,
  callbacks: SendCallbacks,
): Promise<void> {
  await Promise.all(plans.map(({ agent, intents }) => sendAgentIntents(agent, intents, callbacks)));
}

/** One agent's intents: runs of signable intents together, the others alone, in order. */
async function sendAgentIntents(agent: Agent, intents: readonly Intent[], callbacks: SendCallbacks) {
  for (let i = 0; i < intents.length;) {
    const intent = intents[i]!;
    if (!signableAhead(intent)) {
      try {
        const call = callbacks.prepareCall ? await callbacks.prepareCall(agent, intent) : intent.call;
        const gas = intent.gas === "estimate" ? undefined : (intent.gas ?? ACTION_GAS_LIMIT);
        callbacks.onSent(
          agent,
          intent,
          call,
          await agent.wallet.send(call as never, { label: intent.label, gas }),
        );
      } catch (error) {
        callbacks.onError(agent, intent, error);
      }
      i++;
      continue;
    }
    let j = i;
    while (j < intents.length && signableAhead(intents[j]!)) j++;
    await sendRun(agent, intents.slice(i, j), callbacks);
    i = j;
  }
}

/** Signs a run of fixed-gas intents with consecutive nonces, sends them together, fills refused nonces. */
async function sendRun(agent: Agent, run: readonly Intent[], callbacks: SendCallbacks) {
  const prepared: { intent: Intent; tx: Awaited<ReturnType<Agent["wallet"]["prepare"]>> }[] = [];
  for (const intent of run) {
    try {
      const gas = (intent.gas as bigint | undefined) ?? ACTION_GAS_LIMIT;
      prepared.push({
        intent,
        tx: await agent.wallet.prepare(intent.call as never, { label: intent.label, gas }),
      });
    } catch (error) {
      // Nothing signed, no nonce taken.
      callbacks.onError(agent, intent, error);
    }
  }
  const results = await Promise.allSettled(prepared.map(({ tx }) => tx.send()));
  const lastAccepted = results.findLastIndex((r) => r.status === "fulfilled");
  const fills: Promise<unknown>[] = [];
  results.forEach((result, k) => {
    const { intent, tx } = prepared[k]!;
    if (result.status === "fulfilled") {
      callbacks.onSent(agent, intent, intent.call, result.value);
      return;
    }
    callbacks.onError(agent, intent, result.reason);
    // A later transaction was accepted: take this nonce with a no-op so that it can be mined.
    if (k < lastAccepted)
      fills.push(
        agent.wallet
          .prepareTransaction(
            { to: agent.address, value: 0n },
            { label: `${intent.label} (nonce filler)`, gas: FILLER_GAS, nonce: tx.nonce },
          )
          .then((filler) => filler.send()),
      );
  });
  if (results.some((r) => r.status === "rejected")) {
    const filled = await Promise.allSettled(fills);
    agent.wallet.resyncNonce();
    const failed = filled.find((r) => r.status === "rejected");
    if (failed)
      throw new Error(
        `${agent.name}: a refused nonce could not be filled, later transactions are stuck: ${String((failed as PromiseRejectedResult).reason)}`,
      );
  }
}
