/**
 * Flag ids, shared by the indexer, tests and tools (no Ponder import): `keccak256(abi.encode(rule,
 * transactionHash, logIndex))` of the event that raised the flag, as `AuditorRegistry.flagIdOf`.
 */
import { encodeAbiParameters, keccak256, parseAbiParameters } from "viem";

/** The id of the flag `rule` raises on the event at (transactionHash, logIndex), as the AuditorRegistry. */
export function flagIdOf(rule: string, transactionHash: `0x${string}`, logIndex: number): `0x${string}` {
  return keccak256(
    encodeAbiParameters(parseAbiParameters("string, bytes32, uint256"), [
      rule,
      transactionHash,
      BigInt(logIndex),
    ]),
  );
}
