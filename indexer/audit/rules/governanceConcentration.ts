/**
 * governance-concentration: power gathering where one proposal or one delegate could decide. Raised by a
 * proposal that calls the Treasury (moves its funds or budgets) or grants, revokes or renounces a role,
 * or moves the guardian; and by a delegate whose token votes cross `nearQuorumBps` of the quorum (and
 * again on crossing the quorum itself). The quorum is the Governor's: the larger of the quorum numerator's
 * share of circulating supply (total supply minus the Treasury) and the quorum floor (each followed from
 * its events; the floor starts at the deployment default until the Governor's event is indexed).
 */
import { account } from "ponder:schema";
import { toFunctionSelector } from "viem";
import { DEFAULTS } from "../../../scripts/lib/vocabulary.ts";
import type { Rule } from "../engine.ts";
import { tokenRow } from "./common.ts";

const ROLE_SELECTORS = new Set(
  [
    "grantRole(bytes32,address)",
    "revokeRole(bytes32,address)",
    "renounceRole(bytes32,address)",
    "setGuardian(address)",
  ].map((signature) => toFunctionSelector(signature)),
);

interface QuorumSettings {
  numerator: string;
  floor: string;
}

const SETTINGS_KEY = "governance-concentration:quorum";
const INITIAL: QuorumSettings = {
  numerator: DEFAULTS.Protocol.quorumNumerator.toString(),
  floor: DEFAULTS.Protocol.quorumFloor.toString(),
};

export const governanceConcentration: Rule = {
  name: "governance-concentration",
  description: "A proposal moving Treasury funds or roles; a delegate near or at quorum.",
  events: [
    "CivitasGovernor:ProposalCreated",
    "CivitasGovernor:QuorumNumeratorUpdated",
    "CivitasGovernor:QuorumFloorUpdated",
    "CivitasToken:DelegateVotesChanged",
  ],
  async evaluate({ db, name, event, config, load, save }) {
    const settings = config["governance-concentration"];
    if (name === "CivitasGovernor:QuorumNumeratorUpdated" || name === "CivitasGovernor:QuorumFloorUpdated") {
      const current = await load<QuorumSettings>(SETTINGS_KEY, INITIAL);
      if (name.endsWith("NumeratorUpdated")) current.numerator = String(event.args.newQuorumNumerator);
      else current.floor = String(event.args.newQuorumFloor);
      await save(SETTINGS_KEY, current);
      return undefined;
    }
    const state = await tokenRow(db);
    if (name === "CivitasGovernor:ProposalCreated") {
      const targets = (event.args.targets as string[]).map((t) => t.toLowerCase());
      const calldatas = event.args.calldatas as `0x${string}`[];
      const treasury = state?.treasury;
      const reasons: string[] = [];
      if (treasury !== undefined && targets.includes(treasury)) reasons.push("calls the Treasury");
      if (calldatas.some((data) => ROLE_SELECTORS.has(data.slice(0, 10) as `0x${string}`)))
        reasons.push("changes roles");
      if (reasons.length === 0) return undefined;
      return {
        severity: settings.proposalSeverity,
        summary: `proposal ${String(event.args.proposalId)} ${reasons.join(" and ")}`,
        accounts: [String(event.args.proposer)],
        transactionHashes: [],
      };
    }
    // DelegateVotesChanged: compare with the quorum now.
    if (state === undefined) return undefined;
    const quorumSettings = await load<QuorumSettings>(SETTINGS_KEY, INITIAL);
    const treasury = await db.find(account, { address: state.treasury });
    const circulating = state.totalSupply - (treasury?.balance ?? 0n);
    const share = (circulating * BigInt(quorumSettings.numerator)) / 100n;
    const floor = BigInt(quorumSettings.floor);
    const quorum = share > floor ? share : floor;
    const previous = event.args.previousVotes as bigint;
    const votes = event.args.newVotes as bigint;
    const near = (quorum * BigInt(settings.nearQuorumBps)) / 10_000n;
    const crossed = (line: bigint) => previous < line && votes >= line;
    const atQuorum = crossed(quorum);
    if (!atQuorum && !crossed(near)) return undefined;
    const delegate = String(event.args.delegate);
    return {
      severity: atQuorum ? settings.atSeverity : settings.nearSeverity,
      summary: `delegate ${delegate.toLowerCase()} holds ${votes} wei of votes, ${(votes * 10_000n) / quorum} bps of the quorum (${quorum} wei)`,
      accounts: [delegate],
      transactionHashes: [],
    };
  },
};
