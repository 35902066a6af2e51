import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { network } from "hardhat";
import { DEFAULTS } from "../../scripts/lib/vocabulary.ts";
import { ERC3009_TYPES } from "../../scripts/lib/payments.ts";
import { CIV, deployFoundation, taxOf } from "../helpers/fixtures.ts";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;

type Kind = "TransferWithAuthorization" | "ReceiveWithAuthorization";
type Token = Awaited<ReturnType<typeof deployFoundation>>["token"];

interface Auth {
  from: string;
  to: string;
  value: bigint;
  validAfter: bigint;
  validBefore: bigint;
  nonce: string;
}

async function fixture() {
  const base = await deployFoundation(ethers);
  const [, , , , , , relayer, walletOwner] = await ethers.getSigners();
  const chainId = (await ethers.provider.getNetwork()).chainId;
  return { ...base, relayer, walletOwner, chainId };
}

/** The token's EIP-712 domain, optionally with another chain id or verifying contract. */
async function domainOf(token: Token, overrides: { chainId?: bigint; verifyingContract?: string } = {}) {
  return {
    name: "Civitas",
    version: "1",
    chainId: overrides.chainId ?? (await ethers.provider.getNetwork()).chainId,
    verifyingContract: overrides.verifyingContract ?? (await token.getAddress()),
  };
}

async function sign(
  signer: HardhatEthersSigner,
  token: Token,
  auth: Auth,
  kind: Kind = "TransferWithAuthorization",
  domainOverrides: { chainId?: bigint; verifyingContract?: string } = {},
) {
  const signature = await signer.signTypedData(
    await domainOf(token, domainOverrides),
    { [kind]: [...ERC3009_TYPES[kind]] },
    auth,
  );
  return split(signature);
}

async function signCancel(signer: HardhatEthersSigner, token: Token, authorizer: string, nonce: string) {
  const signature = await signer.signTypedData(
    await domainOf(token),
    { CancelAuthorization: [...ERC3009_TYPES.CancelAuthorization] },
    { authorizer, nonce },
  );
  return split(signature);
}

/** An authorization from `from` to `to` valid for an hour from the latest block. */
async function authorization(from: string, to: string, value: bigint): Promise<Auth> {
  const now = BigInt(await time.latest());
  return {
    from,
    to,
    value,
    validAfter: 0n,
    validBefore: now + 3_600n,
    nonce: ethers.hexlify(ethers.randomBytes(32)),
  };
}

/** The signature, and its `(v, r, s)` for the first overload. */
function split(signature: string) {
  const { v, r, s } = ethers.Signature.from(signature);
  return { signature, v, r, s };
}

function args(a: Auth) {
  return [a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce] as const;
}

describe("ERC3009 (CivitasToken)", function () {
  describe("standard surface", function () {
    it("has the standard's typehashes", async function () {
      const { token } = await loadFixture(fixture);
      expect(await token.TRANSFER_WITH_AUTHORIZATION_TYPEHASH()).to.equal(
        "0x7c7c6cdb67a18743f49ec6fa9b35f50d52ed05cbed4cc592e13b44501c1a2267",
      );
      expect(await token.RECEIVE_WITH_AUTHORIZATION_TYPEHASH()).to.equal(
        "0xd099cc98ef71107a616c4f0f941f04c322d8e254fe26b3c6668db87aae413de8",
      );
      expect(await token.CANCEL_AUTHORIZATION_TYPEHASH()).to.equal(
        "0x158b0a9edf7a828aad02f63cd515c68ef2f50ba807396f6d12842833a1597429",
      );
    });

    it("signs under the domain Civitas, version 1, this chain and this token (ERC-5267)", async function () {
      const { token, chainId } = await loadFixture(fixture);
      const domain = await token.eip712Domain();
      expect(domain.name).to.equal("Civitas");
      expect(domain.version).to.equal("1");
      expect(domain.chainId).to.equal(chainId);
      expect(domain.verifyingContract).to.equal(await token.getAddress());
    });
  });

  describe("transferWithAuthorization", function () {
    it("lets a relayer move a signed payment, taxed like a transfer, and spends the nonce", async function () {
      const { token, treasury, agents, relayer } = await loadFixture(fixture);
      const [alice, bob] = agents;
      const gross = 1_000n * CIV;
      const tax = taxOf(gross, 1_000n);
      const auth = await authorization(alice.address, bob.address, gross);
      const { v, r, s } = await sign(alice, token, auth);
      expect(await token.authorizationState(alice, auth.nonce)).to.equal(false);
      const tx = token
        .connect(relayer)
        ["transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)"](
          ...args(auth),
          v,
          r,
          s,
        );
      await expect(tx).to.changeTokenBalances(
        ethers,
        token,
        [alice, bob, treasury, relayer],
        [-gross, gross - tax, tax, 0n],
      );
      await expect(tx).to.emit(token, "AuthorizationUsed").withArgs(alice.address, auth.nonce);
      await expect(tx).to.emit(token, "TaxCharged").withArgs(alice.address, bob.address, gross, tax);
      expect(await token.authorizationState(alice, auth.nonce)).to.equal(true);
    });

    it("accepts the signature as bytes", async function () {
      const { token, agents, relayer } = await loadFixture(fixture);
      const [alice, bob] = agents;
      const auth = await authorization(alice.address, bob.address, 10n * CIV);
      const { signature } = await sign(alice, token, auth);
      await expect(
        token
          .connect(relayer)
          ["transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,bytes)"](
            ...args(auth),
            signature,
          ),
      )
        .to.emit(token, "AuthorizationUsed")
        .withArgs(alice.address, auth.nonce);
    });

    it("leaves the payer and payee exactly as a plain transfer would (balances, unearned CIV, votes)", async function () {
      const { token, agents, relayer } = await loadFixture(fixture);
      const [alice, bob] = agents;
      await token.connect(alice).delegate(alice);
      await token.connect(bob).delegate(bob);
      const snapshot = await networkHelpers.takeSnapshot();
      const state = async () => [
        await token.balanceOf(alice),
        await token.balanceOf(bob),
        await token.unearnedOf(alice),
        await token.unearnedOf(bob),
        await token.getVotes(alice),
        await token.getVotes(bob),
      ];
      await token.connect(alice).transfer(bob, 700n * CIV);
      const plain = await state();
      await snapshot.restore();
      const auth = await authorization(alice.address, bob.address, 700n * CIV);
      const { v, r, s } = await sign(alice, token, auth);
      await token
        .connect(relayer)
        ["transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)"](
          ...args(auth),
          v,
          r,
          s,
        );
      expect(await state()).to.deep.equal(plain);
    });

    it("records a due circulating-supply snapshot, as every movement does", async function () {
      const { token, admin, agents, relayer } = await loadFixture(fixture);
      const [alice, bob] = agents;
      await token.grantRole(await token.SNAPSHOT_ROLE(), admin);
      const at = BigInt(await time.latest()) + 10n;
      await token.scheduleCirculatingSnapshot(at);
      await time.increaseTo(at + 1n);
      const auth = await authorization(alice.address, bob.address, 5n * CIV);
      const { v, r, s } = await sign(alice, token, auth);
      await expect(
        token
          .connect(relayer)
          [
            "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)"
          ](...args(auth), v, r, s),
      )
        .to.emit(token, "CirculatingSnapshotRecorded")
        .withArgs(at, await token.circulatingSupply());
    });

    it("refuses a payment that would put the payee above the wealth cap, and the nonce stays unused", async function () {
      const { token, treasury, agents, relayer } = await loadFixture(fixture);
      const [alice, bob] = agents;
      const cap = await token.wealthCap();
      await treasury.transfer(token, bob, cap - (await token.balanceOf(bob)));
      const auth = await authorization(alice.address, bob.address, 10n * CIV);
      const { v, r, s } = await sign(alice, token, auth);
      await expect(
        token
          .connect(relayer)
          [
            "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)"
          ](...args(auth), v, r, s),
      )
        .to.be.revertedWithCustomError(token, "CivitasExceededWealthCap")
        .withArgs(bob.address, cap + 9n * CIV, cap);
      expect(await token.authorizationState(alice, auth.nonce)).to.equal(false);
    });

    it("refuses a payment above the payer's balance, and the nonce stays unused", async function () {
      const { token, agents, relayer } = await loadFixture(fixture);
      const [alice, bob] = agents;
      const balance = await token.balanceOf(alice);
      const auth = await authorization(alice.address, bob.address, balance + 1n);
      const tax = taxOf(balance + 1n, 1_000n);
      await expect(token.connect(alice).transfer(bob, balance + 1n))
        .to.be.revertedWithCustomError(token, "ERC20InsufficientBalance")
        .withArgs(alice.address, balance - tax, balance + 1n - tax);
      const { v, r, s } = await sign(alice, token, auth);
      await expect(
        token
          .connect(relayer)
          [
            "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)"
          ](...args(auth), v, r, s),
      )
        .to.be.revertedWithCustomError(token, "ERC20InsufficientBalance")
        // As for a plain transfer: the tax leg moves first, so the net leg sees the balance after tax.
        .withArgs(alice.address, balance - tax, balance + 1n - tax);
      expect(await token.authorizationState(alice, auth.nonce)).to.equal(false);
    });

    it("pays a protocol account untaxed, as a deposit", async function () {
      const { token, agents, relayer } = await loadFixture(fixture);
      const [alice] = agents;
      const [, , , , , , , , protocol] = await ethers.getSigners();
      await token.setProtocolAccount(protocol, true);
      const auth = await authorization(alice.address, protocol.address, 50n * CIV);
      const { v, r, s } = await sign(alice, token, auth);
      const tx = token
        .connect(relayer)
        ["transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)"](
          ...args(auth),
          v,
          r,
          s,
        );
      await expect(tx).to.changeTokenBalances(ethers, token, [alice, protocol], [-50n * CIV, 50n * CIV]);
      await expect(tx).not.to.emit(token, "TaxCharged");
    });
  });

  describe("validity window (exclusive at both ends)", function () {
    const send = async (
      token: Token,
      relayer: HardhatEthersSigner,
      auth: Auth,
      sig: { v: number; r: string; s: string },
    ) =>
      token
        .connect(relayer)
        ["transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)"](
          ...args(auth),
          sig.v,
          sig.r,
          sig.s,
        );

    it("refuses a block at validAfter and accepts the next second", async function () {
      const { token, agents, relayer } = await loadFixture(fixture);
      const [alice, bob] = agents;
      const t = BigInt(await time.latest()) + 100n;
      const auth = {
        ...(await authorization(alice.address, bob.address, CIV)),
        validAfter: t,
        validBefore: t + 1_000n,
      };
      const sig = await sign(alice, token, auth);
      await time.setNextBlockTimestamp(t);
      await expect(send(token, relayer, auth, sig))
        .to.be.revertedWithCustomError(token, "ERC3009AuthorizationNotYetValid")
        .withArgs(t, t);
      await time.setNextBlockTimestamp(t + 1n);
      await expect(send(token, relayer, auth, sig)).to.emit(token, "AuthorizationUsed");
    });

    it("refuses a block at validBefore and accepts the second before", async function () {
      const { token, agents, relayer } = await loadFixture(fixture);
      const [alice, bob] = agents;
      const t = BigInt(await time.latest()) + 100n;
      const early = { ...(await authorization(alice.address, bob.address, CIV)), validBefore: t };
      const late = { ...early, nonce: ethers.hexlify(ethers.randomBytes(32)) };
      const sigEarly = await sign(alice, token, early);
      const sigLate = await sign(alice, token, late);
      await time.setNextBlockTimestamp(t - 1n);
      await expect(send(token, relayer, early, sigEarly)).to.emit(token, "AuthorizationUsed");
      await time.setNextBlockTimestamp(t);
      await expect(send(token, relayer, late, sigLate))
        .to.be.revertedWithCustomError(token, "ERC3009AuthorizationExpired")
        .withArgs(t, t);
    });
  });

  describe("signatures and nonces (attacks)", function () {
    it("refuses a replay of a used authorization", async function () {
      const { token, agents, relayer } = await loadFixture(fixture);
      const [alice, bob] = agents;
      const auth = await authorization(alice.address, bob.address, CIV);
      const { v, r, s } = await sign(alice, token, auth);
      const submit = () =>
        token
          .connect(relayer)
          [
            "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)"
          ](...args(auth), v, r, s);
      await submit();
      await expect(submit())
        .to.be.revertedWithCustomError(token, "ERC3009AuthorizationUsedOrCanceled")
        .withArgs(alice.address, auth.nonce);
    });

    it("keeps nonces per authorizer: another payer may use the same nonce", async function () {
      const { token, agents, relayer } = await loadFixture(fixture);
      const [alice, bob, carol] = agents;
      const a = await authorization(alice.address, carol.address, CIV);
      const b = { ...a, from: bob.address };
      const sa = await sign(alice, token, a);
      const sb = await sign(bob, token, b);
      const fn =
        "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)";
      await token.connect(relayer)[fn](...args(a), sa.v, sa.r, sa.s);
      await expect(token.connect(relayer)[fn](...args(b), sb.v, sb.r, sb.s))
        .to.emit(token, "AuthorizationUsed")
        .withArgs(bob.address, a.nonce);
    });

    it("refuses a signature by anyone but the payer, and altered fields", async function () {
      const { token, agents, relayer } = await loadFixture(fixture);
      const [alice, bob, carol] = agents;
      const auth = await authorization(alice.address, bob.address, CIV);
      const fn =
        "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)";
      const byCarol = await sign(carol, token, auth);
      await expect(token.connect(relayer)[fn](...args(auth), byCarol.v, byCarol.r, byCarol.s))
        .to.be.revertedWithCustomError(token, "ERC3009InvalidSignature")
        .withArgs(alice.address);
      const byAlice = await sign(alice, token, auth);
      const redirected = { ...auth, to: carol.address };
      await expect(token.connect(relayer)[fn](...args(redirected), byAlice.v, byAlice.r, byAlice.s))
        .to.be.revertedWithCustomError(token, "ERC3009InvalidSignature")
        .withArgs(alice.address);
      const inflated = { ...auth, value: auth.value + 1n };
      await expect(token.connect(relayer)[fn](...args(inflated), byAlice.v, byAlice.r, byAlice.s))
        .to.be.revertedWithCustomError(token, "ERC3009InvalidSignature")
        .withArgs(alice.address);
      await expect(
        token
          .connect(relayer)
          ["transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,bytes)"](
            ...args(auth),
            "0x1234",
          ),
      )
        .to.be.revertedWithCustomError(token, "ERC3009InvalidSignature")
        .withArgs(alice.address);
    });

    it("refuses a signature made for another chain (cross-chain replay) or another token", async function () {
      const { token, agents, relayer } = await loadFixture(fixture);
      const [alice, bob] = agents;
      const fn =
        "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)";
      const auth = await authorization(alice.address, bob.address, CIV);
      const otherChain = await sign(alice, token, auth, "TransferWithAuthorization", { chainId: 1n });
      await expect(token.connect(relayer)[fn](...args(auth), otherChain.v, otherChain.r, otherChain.s))
        .to.be.revertedWithCustomError(token, "ERC3009InvalidSignature")
        .withArgs(alice.address);
      const other = await ethers.deployContract("CivitasToken", [
        alice.address,
        bob.address,
        DEFAULTS.Foundation.taxBps,
        DEFAULTS.Foundation.capBps,
      ]);
      const otherToken = await sign(alice, token, auth, "TransferWithAuthorization", {
        verifyingContract: await other.getAddress(),
      });
      await expect(token.connect(relayer)[fn](...args(auth), otherToken.v, otherToken.r, otherToken.s))
        .to.be.revertedWithCustomError(token, "ERC3009InvalidSignature")
        .withArgs(alice.address);
    });

    it("accepts a contract wallet's signature under ERC-1271 and refuses a stranger's", async function () {
      const { token, treasury, agents, relayer, walletOwner } = await loadFixture(fixture);
      const [alice, bob] = agents;
      const wallet = await ethers.deployContract("MockERC1271Wallet", [walletOwner.address]);
      const walletAddress = await wallet.getAddress();
      await treasury.transfer(token, walletAddress, 100n * CIV);
      const fn = "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,bytes)";
      const auth = await authorization(walletAddress, bob.address, 10n * CIV);
      const byStranger = await sign(alice, token, auth);
      await expect(token.connect(relayer)[fn](...args(auth), byStranger.signature))
        .to.be.revertedWithCustomError(token, "ERC3009InvalidSignature")
        .withArgs(walletAddress);
      const byOwner = await sign(walletOwner, token, auth);
      await expect(token.connect(relayer)[fn](...args(auth), byOwner.signature)).to.changeTokenBalances(
        ethers,
        token,
        [walletAddress, bob],
        [-10n * CIV, 9n * CIV],
      );
    });
  });

  describe("receiveWithAuthorization", function () {
    const fn =
      "receiveWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)";

    it("lets the payee pull a signed payment, taxed", async function () {
      const { token, treasury, agents } = await loadFixture(fixture);
      const [alice, bob] = agents;
      const auth = await authorization(alice.address, bob.address, 100n * CIV);
      const { v, r, s } = await sign(alice, token, auth, "ReceiveWithAuthorization");
      const tx = token.connect(bob)[fn](...args(auth), v, r, s);
      await expect(tx).to.changeTokenBalances(
        ethers,
        token,
        [alice, bob, treasury],
        [-100n * CIV, 90n * CIV, 10n * CIV],
      );
      await expect(tx).to.emit(token, "AuthorizationUsed").withArgs(alice.address, auth.nonce);
    });

    it("accepts the signature as bytes", async function () {
      const { token, agents } = await loadFixture(fixture);
      const [alice, bob] = agents;
      const auth = await authorization(alice.address, bob.address, CIV);
      const { signature } = await sign(alice, token, auth, "ReceiveWithAuthorization");
      await expect(
        token
          .connect(bob)
          ["receiveWithAuthorization(address,address,uint256,uint256,uint256,bytes32,bytes)"](
            ...args(auth),
            signature,
          ),
      ).to.emit(token, "AuthorizationUsed");
    });

    it("cannot be front-run: a watcher can neither submit it nor replay it as a plain transfer", async function () {
      const { token, agents, relayer } = await loadFixture(fixture);
      const [alice, bob] = agents;
      const auth = await authorization(alice.address, bob.address, CIV);
      const { v, r, s } = await sign(alice, token, auth, "ReceiveWithAuthorization");
      await expect(token.connect(relayer)[fn](...args(auth), v, r, s))
        .to.be.revertedWithCustomError(token, "ERC3009CallerNotPayee")
        .withArgs(relayer.address, bob.address);
      await expect(
        token
          .connect(relayer)
          [
            "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)"
          ](...args(auth), v, r, s),
      )
        .to.be.revertedWithCustomError(token, "ERC3009InvalidSignature")
        .withArgs(alice.address);
      await expect(token.connect(bob)[fn](...args(auth), v, r, s)).to.emit(token, "AuthorizationUsed");
    });

    it("checks the payee before the window and the nonce", async function () {
      const { token, agents, relayer } = await loadFixture(fixture);
      const [alice, bob] = agents;
      const auth = { ...(await authorization(alice.address, bob.address, CIV)), validBefore: 1n };
      const { v, r, s } = await sign(alice, token, auth, "ReceiveWithAuthorization");
      await expect(token.connect(relayer)[fn](...args(auth), v, r, s))
        .to.be.revertedWithCustomError(token, "ERC3009CallerNotPayee")
        .withArgs(relayer.address, bob.address);
      const now = BigInt(await time.latest()) + 1n;
      await time.setNextBlockTimestamp(now);
      await expect(token.connect(bob)[fn](...args(auth), v, r, s))
        .to.be.revertedWithCustomError(token, "ERC3009AuthorizationExpired")
        .withArgs(1n, now);
    });
  });

  describe("cancelAuthorization", function () {
    const cancelVrs = "cancelAuthorization(address,bytes32,uint8,bytes32,bytes32)";
    const transferVrs =
      "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)";

    it("spends an unused nonce, so the authorization can never be used", async function () {
      const { token, agents, relayer } = await loadFixture(fixture);
      const [alice, bob] = agents;
      const auth = await authorization(alice.address, bob.address, CIV);
      const pay = await sign(alice, token, auth);
      const cancel = await signCancel(alice, token, alice.address, auth.nonce);
      await expect(token.connect(relayer)[cancelVrs](alice, auth.nonce, cancel.v, cancel.r, cancel.s))
        .to.emit(token, "AuthorizationCanceled")
        .withArgs(alice.address, auth.nonce);
      expect(await token.authorizationState(alice, auth.nonce)).to.equal(true);
      await expect(token.connect(relayer)[transferVrs](...args(auth), pay.v, pay.r, pay.s))
        .to.be.revertedWithCustomError(token, "ERC3009AuthorizationUsedOrCanceled")
        .withArgs(alice.address, auth.nonce);
    });

    it("refuses to cancel a used or canceled nonce", async function () {
      const { token, agents, relayer } = await loadFixture(fixture);
      const [alice, bob] = agents;
      const auth = await authorization(alice.address, bob.address, CIV);
      const pay = await sign(alice, token, auth);
      await token.connect(relayer)[transferVrs](...args(auth), pay.v, pay.r, pay.s);
      const cancel = await signCancel(alice, token, alice.address, auth.nonce);
      await expect(token.connect(relayer)[cancelVrs](alice, auth.nonce, cancel.v, cancel.r, cancel.s))
        .to.be.revertedWithCustomError(token, "ERC3009AuthorizationUsedOrCanceled")
        .withArgs(alice.address, auth.nonce);
      const other = ethers.hexlify(ethers.randomBytes(32));
      const c2 = await signCancel(alice, token, alice.address, other);
      await token.connect(relayer)["cancelAuthorization(address,bytes32,bytes)"](alice, other, c2.signature);
      await expect(
        token.connect(relayer)["cancelAuthorization(address,bytes32,bytes)"](alice, other, c2.signature),
      )
        .to.be.revertedWithCustomError(token, "ERC3009AuthorizationUsedOrCanceled")
        .withArgs(alice.address, other);
    });

    it("refuses a cancellation signed by anyone but the authorizer", async function () {
      const { token, agents, relayer } = await loadFixture(fixture);
      const [alice, bob] = agents;
      const nonce = ethers.hexlify(ethers.randomBytes(32));
      const byBob = await signCancel(bob, token, alice.address, nonce);
      await expect(token.connect(relayer)[cancelVrs](alice, nonce, byBob.v, byBob.r, byBob.s))
        .to.be.revertedWithCustomError(token, "ERC3009InvalidSignature")
        .withArgs(alice.address);
      expect(await token.authorizationState(alice, nonce)).to.equal(false);
    });
  });
});
