/**
 * The shared setup of the simulation's end-to-end tests: a devnet with the protocol deployed and one
 * simulated run on it, as `npm start` makes it (without the indexer; for the indexer's own setup see
 * test/indexer/helpers.ts, `indexedProtocol`).
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CivitasPublicClient, createCivitasPublicClient } from "../../scripts/lib/clients.ts";
import { type CivitasContracts, civitasContracts } from "../../scripts/lib/contracts.ts";
import type { Deployment } from "../../scripts/lib/deployment.ts";
import { type Devnet, deployProtocol, startDevnet } from "../../scripts/lib/devnet.ts";
import { runSimulation, type SimulationOptions, type SimulationResult } from "../../scripts/sim/engine.ts";

/** A devnet, its deployment and one simulated run, each readable once the `before` hook has run. */
export interface SimulatedEconomy {
  /** The devnet the run lived on. */
  readonly devnet: Devnet;
  /** The protocol's deployment on it. */
  readonly deployment: Deployment;
  /** What {@link runSimulation} returned. */
  readonly sim: SimulationResult;
  /** A public client on the devnet, for the chain's side of each check. */
  readonly client: CivitasPublicClient;
  /** The deployment's contracts as `{ address, abi }`. */
  readonly contracts: CivitasContracts;
  /** The deployment's start block: where every event query of the run begins. */
  readonly fromBlock: bigint;
}

/**
 * Registers, inside a `describe`, the hooks that start a devnet, deploy the protocol and live one simulated
 * run on it (`before`), then stop the devnet and remove the scratch folder (`after`).
 * @param name Names the scratch folder (`civitas-<name>-…` in the OS temp folder).
 * @param options The run, as {@link runSimulation} takes it, less the devnet and the deployment (its seed
 *   defaults to "civitas").
 * @returns Getters that throw until the `before` hook has run.
 */
export function simulatedEconomy(
  name: string,
  options: Omit<SimulationOptions, "rpcUrl" | "deployment">,
): SimulatedEconomy {
  const work = mkdtempSync(join(tmpdir(), `civitas-${name}-`));
  let state: SimulatedEconomy | undefined;
  let devnet: Devnet | undefined;

  before(async function () {
    devnet = await startDevnet();
    const deployment = await deployProtocol(devnet.rpcUrl, { deploymentsDir: join(work, "deployments") });
    const sim = await runSimulation({ seed: "civitas", ...options, rpcUrl: devnet.rpcUrl, deployment });
    state = {
      devnet,
      deployment,
      sim,
      client: createCivitasPublicClient(devnet.rpcUrl, { chainId: deployment.chainId }),
      contracts: civitasContracts(deployment),
      fromBlock: BigInt(deployment.startBlock),
    };
  });

  after(async function () {
    await devnet?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  const ready = (): SimulatedEconomy => {
    if (state === undefined) throw new Error(`simulatedEconomy(${name}): the before hook has not run yet`);
    return state;
  };
  return {
    get devnet() {
      return ready().devnet;
    },
    get deployment() {
      return ready().deployment;
    },
    get sim() {
      return ready().sim;
    },
    get client() {
      return ready().client;
    },
    get contracts() {
      return ready().contracts;
    },
    get fromBlock() {
      return ready().fromBlock;
    },
  };
}
