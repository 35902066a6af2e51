/**
 * governance-concentration: power gathering where one proposal or one delegate could decide. Raised by a
 * proposal that calls the Treasury (moves its funds or budgets) or grants, revokes or renounces a role,
 * or moves the guardian; and by a delegate whose token votes cross `nearQuorumBps` of the quorum (and
 * again on crossing the quorum itself); and by one vote whose weight alone meets its proposal's quorum, as the
 * Governor recorded it (`ProposalQuorumRecorded`, at the proposal's first vote: `proposal.quorum`). Between
 * proposals no event carries the quorum; the delegate check derives the quorum in force as the Governor
 * does: the larger of the quorum numerator's share of circulating supply (total supply minus the Treasury's
 * balance, the token's `circulatingSupply()`) and the quorum floor (each followed from its events; the
 * floor starts at the deployment default until the Governor's event is indexed).
 */
import { account, proposal } from "ponder:schema";
import { toFunctionSelector } from "viem";
import { DEFAULTS } from "../../../scripts/lib/vocabulary.ts";
import type { Rule } from "../engine.ts";
import { type Item, tokenRow } from "./common.ts";

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
/** A proposal's first vote, kept until the Governor records the proposal's quorum (same transaction, next). */
const FIRST_VOTE_KEY = "governance-concentration:first-vote";
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
    "CivitasGovernor:VoteCast",
    "CivitasGovernor:VoteCastWithParams",
    "CivitasGovernor:ProposalQuorumRecorded",
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
    // One vote meeting a proposal's quorum alone: the Governor's own quorum for that proposal, recorded at
    // its first vote (ProposalQuorumRecorded follows that vote's VoteCast in the same transaction).
    if (name.startsWith("CivitasGovernor:VoteCast") || name === "CivitasGovernor:ProposalQuorumRecorded") {
      const id = event.args.proposalId as bigint;
      let vote: Item;
      let quorum: bigint;
      if (name === "CivitasGovernor:ProposalQuorumRecorded") {
        const first = await load<Item | null>(`${FIRST_VOTE_KEY}:${id}`, null);
        if (first === null) return undefined;
        vote = first;
        quorum = event.args.quorum as bigint;
      } else {
        vote = {
          a: String(event.args.voter).toLowerCase(),
          t: Number(event.block.timestamp),
          tx: event.transaction.hash,
          v: String(event.args.weight),
        };
        const recorded = (await db.find(proposal, { id }))?.quorum;
        if (recorded === null || recorded === undefined) {
          await save(`${FIRST_VOTE_KEY}:${id}`, vote);
          return undefined;
        }
        quorum = recorded;
      }
      const weight = BigInt(vote.v!);
      if (quorum === 0n || weight < quorum) return undefined;
      return {
        severity: settings.atSeverity,
        summary: `delegate ${vote.a} alone cast ${weight} wei of votes on proposal ${id}, ${(weight * 10_000n) / quorum} bps of its quorum (${quorum} wei)`,
        accounts: [vote.a],
        transactionHashes: [vote.tx],
      };
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
