import { expect } from "chai";
import type { Agent, Intent } from "../../scripts/sim/model.ts";
import { sendIntents } from "../../scripts/sim/sender.ts";

/**
 * A node's mempool for nonces: it accepts a sender's transaction with any nonce not below its next one (a
 * later nonce waits, queued, until the ones before it arrive), refuses the labels in `refuse`, and reports
 * what could be mined (the consecutive run from nonce 0) and what is stuck behind a missing nonce.
 */
class FakeNode {
  readonly pool = new Map<string, Map<number, string>>();
  constructor(readonly refuse: Set<string>) {}
  pending(agent: string): number {
    const txs = this.pool.get(agent) ?? new Map();
    let n = 0;
    while (txs.has(n)) n++;
    return n;
  }
  async accept(agent: string, nonce: number, label: string): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 1));
    if (this.refuse.has(label)) throw new Error(`refused ${label}`);
    const txs = this.pool.get(agent) ?? new Map<number, string>();
    if (txs.has(nonce) || nonce < this.pending(agent)) throw new Error(`nonce ${nonce} too low`);
    txs.set(nonce, label);
    this.pool.set(agent, txs);
  }
  /** Labels minable in nonce order. */
  mined(agent: string): string[] {
    const txs = this.pool.get(agent) ?? new Map();
    return Array.from({ length: this.pending(agent) }, (_, n) => txs.get(n)!);
  }
  /** Transactions waiting behind a missing nonce. */
  stuck(agent: string): number {
    return (this.pool.get(agent)?.size ?? 0) - this.pending(agent);
  }
}

/** A wallet with `AgentWallet`'s nonce rules: a counter read from the node's pending count, reset on refusal. */
function fakeAgent(name: string, node: FakeNode): Agent {
  let next: number | undefined;
  const take = () => {
    const nonce = next ?? node.pending(name);
    next = nonce + 1;
    return nonce;
  };
  const broadcast = async (nonce: number, label: string) => {
    try {
      await node.accept(name, nonce, label);
    } catch (error) {
      next = undefined;
      throw error;
    }
    return { hash: `0x${name}${nonce}` as `0x${string}`, nonce, label, wait: async () => ({}) as never };
  };
  const prepared = (nonce: number, label: string) => ({
    hash: "0x" as `0x${string}`,
    nonce,
    send: () => broadcast(nonce, label),
  });
  const wallet = {
    prepare: async (_call: unknown, options: { label?: string }) => prepared(take(), options.label!),
    prepareTransaction: async (_tx: unknown, options: { label: string; nonce?: number }) =>
      prepared(options.nonce ?? take(), options.label),
    send: async (_call: unknown, options: { label?: string }) => broadcast(take(), options.label!),
    resyncNonce: () => (next = undefined),
  };
  return { name, address: `0x${name}`, wallet } as unknown as Agent;
}

const intent = (label: string, extra: Partial<Intent> = {}): Intent =>
  ({ label, call: { address: "0x", abi: [], functionName: "f", args: [] }, ...extra }) as Intent;

describe("sim: sending an agent's intents together (scripts/sim/sender.ts)", function () {
  it("sends every agent's intents in order with consecutive nonces, together or alone", async function () {
    const node = new FakeNode(new Set());
    const a = fakeAgent("a", node);
    const b = fakeAgent("b", node);
    const sent: string[] = [];
    await sendIntents(
      [
        { agent: a, intents: [intent("a0"), intent("a1", { gas: "estimate" }), intent("a2"), intent("a3")] },
        { agent: b, intents: [intent("b0", { permit: { spender: "0x", value: 1n } }), intent("b1")] },
      ],
      {
        prepareCall: async (_agent, i) => i.call,
        onSent: (_agent, i) => sent.push(i.label),
        onError: (_agent, i, error) => expect.fail(`${i.label}: ${error}`),
      },
    );
    expect(node.mined("a")).to.deep.equal(["a0", "a1", "a2", "a3"]);
    expect(node.mined("b")).to.deep.equal(["b0", "b1"]);
    expect(sent).to.have.members(["a0", "a1", "a2", "a3", "b0", "b1"]);
  });

  it("fills a refused nonce with a no-op so that the later accepted intents are mined, not stuck", async function () {
    const node = new FakeNode(new Set(["a1", "b2"]));
    const a = fakeAgent("a", node);
    const b = fakeAgent("b", node);
    const failed: string[] = [];
    const sent: string[] = [];
    const plans = [
      { agent: a, intents: [intent("a0"), intent("a1"), intent("a2"), intent("a3")] },
      { agent: b, intents: [intent("b0"), intent("b1"), intent("b2")] },
    ];
    await sendIntents(plans, {
      onSent: (_agent, i) => sent.push(i.label),
      onError: (_agent, i) => failed.push(i.label),
    });
    expect(failed).to.have.members(["a1", "b2"]);
    expect(sent).to.have.members(["a0", "a2", "a3", "b0", "b1"]);
    // a's refused nonce 1 is taken by the filler; b's refusal was its last, so nothing needed filling.
    expect(node.mined("a")).to.deep.equal(["a0", "a1 (nonce filler)", "a2", "a3"]);
    expect(node.mined("b")).to.deep.equal(["b0", "b1"]);
    expect(node.stuck("a") + node.stuck("b")).to.equal(0);
    // The wallets go on from the chain's count: the next intents take the next nonces.
    node.refuse.clear();
    await sendIntents(
      [
        { agent: a, intents: [intent("a4")] },
        { agent: b, intents: [intent("b3")] },
      ],
      { onSent: () => undefined, onError: (_agent, i, error) => expect.fail(`${i.label}: ${error}`) },
    );
    expect(node.mined("a").at(-1)).to.equal("a4");
    expect(node.mined("b")).to.deep.equal(["b0", "b1", "b3"]);
  });
});
