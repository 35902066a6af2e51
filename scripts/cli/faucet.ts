/**
 * `civitas faucet [address]`: gas money for a fresh key on a local devnet. It adds devnet ETH to an
 * account's balance with `hardhat_setBalance` (no transaction, nothing taken from anyone) and refuses on
 * any chain that is not a local Hardhat or Anvil devnet. CIV is not given here: an agent's CIV comes from
 * the registry's birth grant (`register`) and from work.
 */
import { type Command, InvalidArgumentError } from "commander";
import { type Address, formatEther, parseEther } from "viem";
import { createCivitasPublicClient } from "../lib/clients.ts";
import { setEthBalance } from "../lib/devchain.ts";
import { describeError } from "../lib/errors.ts";
import { address, globalOptions, jsonMode, signingAccount } from "./context.ts";

/** ETH the faucet adds by default, wei. */
export const FAUCET_DEFAULT_WEI = parseEther("10");

/** The most ETH one call may add, wei (a devnet needs gas money, not a fortune). */
export const FAUCET_MAX_WEI = parseEther("1000");

/** Chain ids of local devnets (Hardhat's and Anvil's defaults, and the legacy 1337). */
export const DEVNET_CHAIN_IDS: readonly number[] = [31_337, 1_337];

/** Parses an ETH amount within (0, {@link FAUCET_MAX_WEI}]. */
const ethAmount = (value: string): bigint => {
  let wei: bigint;
  try {
    wei = parseEther(value);
  } catch {
    throw new InvalidArgumentError(`not an ETH amount: ${value}`);
  }
  if (!/^\d+(\.\d+)?$/.test(value) || wei <= 0n || wei > FAUCET_MAX_WEI)
    throw new InvalidArgumentError(`must be more than 0 and at most ${formatEther(FAUCET_MAX_WEI)} ETH`);
  return wei;
};

/** Registers the `faucet` command on `program`. */
export function registerFaucetCommands(program: Command): void {
  program
    .command("faucet")
    .description(
      `devnet only: add ${formatEther(FAUCET_DEFAULT_WEI)} ETH of gas money to an account (default: the signing account)`,
    )
    .argument("[address]", "the account to fund (default: the signing account)", address)
    .option("--eth <amount>", `how much ETH to add (default ${formatEther(FAUCET_DEFAULT_WEI)})`, ethAmount)
    .addHelpText(
      "after",
      "\nGives ETH for gas only. CIV comes from the birth grant: run `register` next.\n" +
        "Refuses on any chain but a local Hardhat or Anvil devnet (chain id 31337 or 1337).",
    )
    .action(async (who: Address | undefined, options: { eth?: bigint }, command: Command) => {
      const { rpc } = globalOptions(command);
      const added = options.eth ?? FAUCET_DEFAULT_WEI;
      const target = who ?? (await signingAccount(command)).address;
      const client = createCivitasPublicClient(rpc);
      const [chainId, clientVersion] = await Promise.all([
        client.getChainId(),
        client.request({ method: "web3_clientVersion" }).catch(() => "unknown"),
      ]).catch((error) => {
        throw new Error(`cannot reach ${rpc}: ${describeError(error)}`);
      });
      const isDevnode = /hardhat|anvil|edr/i.test(String(clientVersion));
      if (!DEVNET_CHAIN_IDS.includes(chainId) || !isDevnode)
        throw new Error(
          `${rpc} is not a local devnet (chain id ${chainId}, node ${clientVersion}): the faucet only adds ` +
            `devnet ETH on a Hardhat or Anvil devnet (chain id ${DEVNET_CHAIN_IDS.join(" or ")}). ` +
            "On a real network, buy or bridge ETH for gas.",
        );
      const before = await client.getBalance({ address: target });
      const after = before + added;
      await setEthBalance(client, target, after);
      const balance = await client.getBalance({ address: target, blockTag: "latest" });
      if (balance !== after)
        throw new Error(
          `the devnet did not set the balance of ${target} (it holds ${formatEther(balance)} ETH)`,
        );
      if (jsonMode(command)) {
        const eth = (wei: bigint) => formatEther(wei);
        console.log(
          JSON.stringify({
            address: target,
            chainId,
            addedWei: added.toString(),
            addedEth: eth(added),
            balanceWei: balance.toString(),
            balanceEth: eth(balance),
          }),
        );
        return;
      }
      console.log(
        `Added ${formatEther(added)} ETH (devnet gas money) to ${target} on chain ${chainId}: ` +
          `it now holds ${formatEther(balance)} ETH.\nNo CIV is given here: \`register\` pays the birth grant.`,
      );
    });
}
