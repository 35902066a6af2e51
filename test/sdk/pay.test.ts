import { expect } from "chai";
import { network } from "hardhat";
import { type Address, createPublicClient, custom, type EIP1193Provider } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { civitasTokenAbi } from "../../generated/abis.ts";
import {
  AgentWallet,
  civitasChain,
  type CivitasPublicClient,
  DEVNET_MNEMONIC,
} from "../../scripts/lib/clients.ts";
import {
  pay,
  PaymentIdConflictError,
  paymentNonce,
  readTokenDomain,
  signTransferAuthorization,
  splitSignature,
} from "../../scripts/lib/payments.ts";
import { CIV, deployFoundation, taxOf } from "../helpers/fixtures.ts";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

async function fixture() {
  const base = await deployFoundation(ethers);
  const client = createPublicClient({
    chain: civitasChain("http://in-process", Number((await ethers.provider.getNetwork()).chainId)),
    transport: custom(connection.provider as unknown as EIP1193Provider),
    pollingInterval: 10,
  }) as unknown as CivitasPublicClient;
  const token = (await base.token.getAddress()) as Address;
  return { ...base, client, token };
}

/** The fixture, with a fresh wallet for `alice` (a wallet's nonce counter must not outlive a fixture revert). */
async function load() {
  const base = await networkHelpers.loadFixture(fixture);
  // Hardhat's accounts come from the devnet mnemonic: index 1 is `alice` of the foundation fixture.
  const wallet = new AgentWallet({
    client: base.client,
    account: mnemonicToAccount(DEVNET_MNEMONIC, { addressIndex: 1 }),
  });
  return { ...base, wallet };
}

describe("SDK pay (ERC-3009, retry-safe)", function () {
  this.timeout(120_000);

  it("pays once, taxed, and a retry with the same payment id reports the same payment", async function () {
    const { token, treasury, agents, client, wallet } = await load();
    const [alice, bob] = agents;
    expect(wallet.address).to.equal(alice.address);
    const amount = 250n * CIV;
    const tax = taxOf(amount, 1_000n);
    const before = [await token_(token).balanceOf(alice), await token_(token).balanceOf(bob)];
    const treasuryBefore = await token_(token).balanceOf(treasury);
    const first = await pay(
      { client, wallet, token },
      { to: bob.address as Address, amount, paymentId: "invoice-42" },
    );
    expect(first).to.deep.include({ status: "paid", amount, tax, paymentId: "invoice-42" });
    expect(first.nonce).to.equal(paymentNonce(wallet.address, "invoice-42"));
    const retry = await pay(
      { client, wallet, token },
      { to: bob.address as Address, amount, paymentId: "invoice-42" },
    );
    expect(retry).to.deep.equal({ ...first, status: "already-paid" });
    expect(await token_(token).balanceOf(alice)).to.equal(before[0]! - amount);
    expect(await token_(token).balanceOf(bob)).to.equal(before[1]! + amount - tax);
    expect(await token_(token).balanceOf(treasury)).to.equal(treasuryBefore + tax);
  });

  it("after a lost receipt (sent, then the caller crashed), a retry finds the sent payment and pays nothing", async function () {
    const { token, agents, client, wallet } = await load();
    const [alice, bob] = agents;
    const amount = 40n * CIV;
    // The first attempt: signed and sent, and the caller never saw the receipt.
    const nonce = paymentNonce(wallet.address, "job-7");
    const domain = await readTokenDomain(client, token);
    const auth = {
      from: wallet.address,
      to: bob.address as Address,
      value: amount,
      validAfter: 0n,
      validBefore: 2n ** 40n,
      nonce,
    };
    const { v, r, s } = splitSignature(await signTransferAuthorization(wallet.account, domain, auth));
    const sent = await wallet.send({
      address: token,
      abi: civitasTokenAbi,
      functionName: "transferWithAuthorization",
      args: [auth.from, auth.to, auth.value, auth.validAfter, auth.validBefore, auth.nonce, v, r, s],
    });
    const balance = await token_(token).balanceOf(alice);
    const retry = await pay(
      { client, wallet, token },
      { to: bob.address as Address, amount, paymentId: "job-7" },
    );
    expect(retry).to.deep.include({ status: "already-paid", transactionHash: sent.hash, amount, nonce });
    expect(await token_(token).balanceOf(alice)).to.equal(balance);
  });

  it("refuses to reuse a payment id for another payee or amount, naming the earlier payment", async function () {
    const { agents, client, wallet, token } = await load();
    const [, bob, carol] = agents;
    const first = await pay(
      { client, wallet, token },
      { to: bob.address as Address, amount: CIV, paymentId: "p" },
    );
    for (const other of [
      { to: carol.address as Address, amount: CIV },
      { to: bob.address as Address, amount: 2n * CIV },
    ]) {
      const error = await pay({ client, wallet, token }, { ...other, paymentId: "p" }).catch(
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(PaymentIdConflictError);
      expect((error as PaymentIdConflictError).existing?.transactionHash).to.equal(first.transactionHash);
    }
  });

  it("pays separately for separate payment ids, and derives unrelated nonces per payer", async function () {
    const { agents, client, wallet, token } = await load();
    const [alice, bob] = agents;
    const a = await pay(
      { client, wallet, token },
      { to: bob.address as Address, amount: CIV, paymentId: "a" },
    );
    const b = await pay(
      { client, wallet, token },
      { to: bob.address as Address, amount: CIV, paymentId: "b" },
    );
    expect(a.status).to.equal("paid");
    expect(b.status).to.equal("paid");
    expect(a.transactionHash).to.not.equal(b.transactionHash);
    expect(paymentNonce(alice.address as Address, "a")).to.not.equal(
      paymentNonce(bob.address as Address, "a"),
    );
    expect(() => paymentNonce(alice.address as Address, "")).to.throw("payment id must not be empty");
  });

  it("leaves the nonce unused when the token refuses the payment, so the id can be paid later", async function () {
    const { agents, client, wallet, token, treasury } = await load();
    const [alice, bob] = agents;
    const balance = await token_(token).balanceOf(alice);
    const refused = await pay(
      { client, wallet, token },
      { to: bob.address as Address, amount: balance + CIV, paymentId: "big" },
    ).catch((e: unknown) => e);
    expect(String(refused)).to.match(/ERC20InsufficientBalance/);
    expect(await token_(token).authorizationState(alice, paymentNonce(wallet.address, "big"))).to.equal(
      false,
    );
    await treasury.transfer(token, alice, 2n * CIV);
    const paid = await pay(
      { client, wallet, token },
      { to: bob.address as Address, amount: balance + CIV, paymentId: "big" },
    );
    expect(paid.status).to.equal("paid");
  });
});

function token_(address: Address) {
  return new ethers.Contract(address, civitasTokenAbi as never, ethers.provider) as unknown as {
    balanceOf(account: unknown): Promise<bigint>;
    authorizationState(account: unknown, nonce: string): Promise<boolean>;
  };
}
