/**
 * Helpers for the indexer's end-to-end tests and benchmarks: GraphQL queries, paging, and a comparison
 * of every indexed row with what the contracts return (read with ethers in the test, never in handlers).
 */
import { Contract, JsonRpcProvider, type JsonRpcSigner } from "ethers";
import * as abis from "../../generated/abis.ts";
import { civitasTokenAbi, treasuryAbi } from "../../generated/abis.ts";
import type { Deployment } from "../../scripts/lib/deployment.ts";

/** Runs a GraphQL query and returns its data. @throws On GraphQL errors. */
export async function gql<T = any>(graphqlUrl: string, query: string, variables: object = {}): Promise<T> {
  const response = await fetch(graphqlUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors !== undefined) throw new Error(`GraphQL: ${body.errors.map((e) => e.message).join("; ")}`);
  return body.data as T;
}

/**
 * Every row of a plural GraphQL field, following cursor pagination.
 * @param field e.g. "accounts"; @param fields the selection, e.g. "address balance".
 */
export async function allRows<T = any>(
  graphqlUrl: string,
  field: string,
  fields: string,
  where = "",
): Promise<T[]> {
  const rows: T[] = [];
  let after: string | null = null;
  for (;;) {
    const data: any = await gql(
      graphqlUrl,
      `query ($after: String) { ${field}(limit: 1000, after: $after${where ? `, where: ${where}` : ""}) {
        items { ${fields} } pageInfo { hasNextPage endCursor } } }`,
      { after },
    );
    rows.push(...data[field].items);
    if (!data[field].pageInfo.hasNextPage) return rows;
    after = data[field].pageInfo.endCursor;
  }
}

/** Clients of a devnet deployment: provider, unlocked signers and the contracts. */
export async function chainClients(rpcUrl: string, deployment: Deployment) {
  const provider = new JsonRpcProvider(rpcUrl, undefined, {
    staticNetwork: true,
    polling: true,
    pollingInterval: 50,
  });
  const signers: JsonRpcSigner[] = [];
  for (let i = 0; i < 10; i++) signers.push(await provider.getSigner(i));
  const token = new Contract(deployment.contracts.token!, civitasTokenAbi as any, signers[0]);
  const treasury = new Contract(deployment.contracts.treasury!, treasuryAbi as any, signers[0]);
  const optional = (key: string, abiName: string) => {
    const abi = (abis as Record<string, unknown>)[abiName];
    const address = deployment.contracts[key];
    return abi !== undefined && address !== undefined
      ? new Contract(address, abi as any, signers[0])
      : undefined;
  };
  const registry = optional("registry", "agentRegistryAbi");
  const staking = optional("staking", "stakingAbi");
  const escrow = optional("escrow", "escrowAbi");
  const governor = optional("governor", "civitasGovernorAbi");
  return { provider, signers, token, treasury, registry, staking, escrow, governor };
}

/** Sends a transaction and waits for its receipt. */
export async function send(tx: Promise<{ wait(): Promise<unknown> }>): Promise<void> {
  await (await tx).wait();
}

/** The current block number as a bigint. */
export async function blockNumber(provider: JsonRpcProvider): Promise<bigint> {
  return BigInt(await provider.getBlockNumber());
}
