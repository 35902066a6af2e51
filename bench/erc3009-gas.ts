/**
 * Gas of CIV's ERC-3009 payments beside a plain taxed `transfer` of the same amount, measured in one run on
 * Hardhat's in-process EDR network (receipt `gasUsed`, including the 21,000 base and the calldata).
 *
 * Usage: `npm run bench:erc3009` (prints a Markdown table). No votes are delegated; every payee already
 * holds CIV; each authorization uses a fresh random nonce (a cold storage slot, as in real use).
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { network } from "hardhat";
import { DEFAULTS } from "../scripts/lib/vocabulary.ts";
import { ERC3009_TYPES } from "../scripts/lib/payments.ts";

const { ethers } = await network.create();
const [admin, alice, bob, relayer] = await ethers.getSigners();
const CIV = 10n ** 18n;

const treasury = await ethers.deployContract("Treasury", [admin.address]);
const civ = await ethers.deployContract("CivitasToken", [
  admin.address,
  await treasury.getAddress(),
  DEFAULTS.Foundation.taxBps,
  DEFAULTS.Foundation.capBps,
]);
await treasury.transfer(civ, alice, 100_000n * CIV);
await civ.connect(alice).transfer(bob, CIV);
const domain = {
  name: "Civitas",
  version: "1",
  chainId: (await ethers.provider.getNetwork()).chainId,
  verifyingContract: await civ.getAddress(),
};

async function gasOf(tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>): Promise<bigint> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("no receipt");
  return receipt.gasUsed;
}

async function signed(
  kind: "TransferWithAuthorization" | "ReceiveWithAuthorization",
  signer: HardhatEthersSigner,
) {
  const message = {
    from: signer.address,
    to: bob.address,
    value: 10n * CIV,
    validAfter: 0n,
    validBefore: 2n ** 40n,
    nonce: ethers.hexlify(ethers.randomBytes(32)),
  };
  const signature = await signer.signTypedData(domain, { [kind]: [...ERC3009_TYPES[kind]] }, message);
  const { v, r, s } = ethers.Signature.from(signature);
  const args = [
    message.from,
    message.to,
    message.value,
    message.validAfter,
    message.validBefore,
    message.nonce,
  ] as const;
  return { args, signature, v, r, s, nonce: message.nonce };
}

const plain = await gasOf(civ.connect(alice).transfer(bob, 10n * CIV));
const rows: [string, bigint][] = [["`transfer` (the payer sends it)", plain]];
{
  const a = await signed("TransferWithAuthorization", alice);
  rows.push([
    "`transferWithAuthorization` (v, r, s), by a relayer",
    await gasOf(
      civ
        .connect(relayer)
        ["transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)"](
          ...a.args,
          a.v,
          a.r,
          a.s,
        ),
    ),
  ]);
}
{
  const a = await signed("TransferWithAuthorization", alice);
  rows.push([
    "`transferWithAuthorization` (bytes signature), by a relayer",
    await gasOf(
      civ
        .connect(relayer)
        ["transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,bytes)"](
          ...a.args,
          a.signature,
        ),
    ),
  ]);
}
{
  const a = await signed("ReceiveWithAuthorization", alice);
  rows.push([
    "`receiveWithAuthorization` (v, r, s), by the payee",
    await gasOf(
      civ
        .connect(bob)
        ["receiveWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)"](
          ...a.args,
          a.v,
          a.r,
          a.s,
        ),
    ),
  ]);
}
{
  const nonce = ethers.hexlify(ethers.randomBytes(32));
  const signature = await alice.signTypedData(
    domain,
    { CancelAuthorization: [...ERC3009_TYPES.CancelAuthorization] },
    { authorizer: alice.address, nonce },
  );
  const { v, r, s } = ethers.Signature.from(signature);
  rows.push([
    "`cancelAuthorization` (v, r, s)",
    await gasOf(
      civ
        .connect(relayer)
        ["cancelAuthorization(address,bytes32,uint8,bytes32,bytes32)"](alice, nonce, v, r, s),
    ),
  ]);
}

const size = ((await ethers.provider.getCode(await civ.getAddress())).length - 2) / 2;
console.log("| payment of 10 CIV | gas | vs `transfer` |");
console.log("| --- | ---: | ---: |");
for (const [label, gas] of rows) {
  const delta = gas - plain;
  console.log(`| ${label} | ${gas} | ${delta === 0n ? "—" : delta > 0n ? `+${delta}` : `${delta}`} |`);
}
console.log(`\nCivitasToken deployed bytecode: ${size} bytes (limit 24,576).`);
