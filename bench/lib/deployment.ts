/**
 * The deployed system for benchmarks: the whole Protocol Ignition module in-process (stake ledger, escrow,
 * registries and governance wired exactly as `npm run deploy` wires them), plus a helper that gives a wallet
 * earned CIV the way a passed proposal would (the timelock mints it), so that a benchmark's payer holds
 * CIV that carries votes, like an agent paid for its work.
 */
import type { network } from "hardhat";

import ProtocolModule from "../../ignition/modules/Protocol.ts";

type Connection = Awaited<ReturnType<typeof network.create<"generic">>>;

/** One CIV in wei. */
export const CIV = 10n ** 18n;

/**
 * Deploys the Protocol module with its default parameters and returns typed contracts.
 * @param connection A `network.create()` connection.
 * @returns The token, Treasury, registry, staking, escrow and reputation registry, and `mintEarned(to, wei)`.
 */
export async function deployProtocol(connection: Connection) {
  const { ethers, ignition, networkHelpers } = connection;
  const [, guardian] = await ethers.getSigners();
  const deployed = await ignition.deploy(ProtocolModule, {
    parameters: { Protocol: { guardian: guardian.address } },
  });
  const at = async <T extends string>(name: T, c: { getAddress(): Promise<string> }) =>
    ethers.getContractAt(name, await c.getAddress());
  const token = await ethers.getContractAt("CivitasToken", await deployed.token.getAddress());
  const timelock = await deployed.timelock.getAddress();
  await networkHelpers.impersonateAccount(timelock);
  await networkHelpers.setBalance(timelock, 10n ** 20n);
  const asTimelock = await ethers.getSigner(timelock);

  /** Mints `amount` wei of earned CIV to `to`, as a passed proposal would. */
  async function mintEarned(to: string, amount: bigint): Promise<void> {
    await (await token.connect(asTimelock).mint(to, amount)).wait();
  }

  return {
    token,
    treasury: await ethers.getContractAt("Treasury", await deployed.treasury.getAddress()),
    registry: await ethers.getContractAt("AgentRegistry", await deployed.registry.getAddress()),
    staking: await ethers.getContractAt("Staking", await deployed.staking.getAddress()),
    escrow: await ethers.getContractAt("Escrow", await deployed.escrow.getAddress()),
    reputationRegistry: await at("ReputationRegistry", deployed.reputationRegistry),
    timelock: asTimelock,
    mintEarned,
  };
}

/** Receipt `gasUsed` of a sent transaction (including the 21,000 base). */
export async function gasOf(tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>): Promise<bigint> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("no receipt");
  return receipt.gasUsed;
}

/** `a / b` to two decimals, for ratio columns. */
export function ratio(a: bigint, b: bigint): string {
  return (Number((a * 10_000n) / b) / 10_000).toFixed(3) + "x";
}
