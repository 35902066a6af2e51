/**
 * The resource-market fixture: the whole Protocol deployment (test/helpers/protocol.ts) with one resource
 * type registered and listed by the timelock (impersonated here for speed; the governance tests run the same
 * calls as real proposals), and heidi authorised as its meter.
 *
 * Resource 1, "gpu-second": 0 decimals, transferable, a free allowance of 100 a day up to 200, a quota of
 * 10,000 per hour; listed with a tick of 0.001 CIV per unit and a reserve of 0.01 CIV (tick 10).
 */
import type { network } from "hardhat";

import { CIV } from "../helpers/fixtures.js";
import { deployProtocolFixture } from "../helpers/protocol.js";

type Connection = Awaited<ReturnType<typeof network.create<"generic">>>;

/** Resource 1's policy: the deployment's genesis resource (ignition/modules/Market.ts defaults). */
export const GPU_POLICY = {
  unit: "gpu-second",
  decimals: 0,
  transferable: true,
  allowancePerDay: 100n,
  allowanceMax: 200n,
  quota: 10_000n,
  quotaWindow: 3_600,
} as const;

/** Resource 1's listing: tick size and reserve, in wei per unit. */
export const GPU_TICK = CIV / 1_000n;
export const GPU_RESERVE = CIV / 100n;
export const GPU = 1n;

/**
 * Deploys the Protocol (whose genesis resource 1 is GPU_POLICY, listed at GPU_TICK and GPU_RESERVE: the
 * Market module's defaults), makes heidi its meter, and approves the market for every agent's whole balance.
 * @param connection A `network.create()` connection.
 * @returns The protocol fixture plus `asTimelock` (an impersonated timelock signer), `epoch` (the current
 * epoch) and `endOf(epoch)`.
 */
export async function deployMarketFixture(connection: Connection) {
  const { ethers, networkHelpers } = connection;
  const f = await deployProtocolFixture(connection);
  const timelockAddress = await f.timelock.getAddress();
  await networkHelpers.impersonateAccount(timelockAddress);
  await networkHelpers.setBalance(timelockAddress, 10n ** 20n);
  const asTimelock = await ethers.getSigner(timelockAddress);
  await f.resourceLedger.connect(asTimelock).setMeter(GPU, f.heidi.address, true);
  for (const agent of [...f.agents, f.outsider]) {
    await f.token.connect(agent).approve(await f.resourceMarket.getAddress(), ethers.MaxUint256);
  }
  const epoch = await f.resourceMarket.currentEpoch();
  return { ...f, asTimelock, epoch, endOf: (e: bigint) => f.resourceMarket.epochEnd(e) };
}

export type MarketFixture = Awaited<ReturnType<typeof deployMarketFixture>>;
