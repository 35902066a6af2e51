/**
 * wealth-near-cap: an account whose holdings (liquid, staked and unbonding) reach `nearCapBps` of the wealth
 * cap (the token's cap share of total supply). Raised once when crossing; re-armed when the holdings fall
 * below the line again. An account at the cap loses whatever it earns beyond it to the Treasury, and
 * splitting wealth across wallets to dodge the cap is the next move to watch.
 */
import { account } from "ponder:schema";
import { wealthCapOf } from "../../../scripts/lib/vocabulary.ts";
import type { Rule } from "../engine.ts";
import { civ, isOrdinary, tokenRow } from "./common.ts";

export const wealthNearCap: Rule = {
  name: "wealth-near-cap",
  description: "An account's holdings reaching a share of the wealth cap.",
  events: ["CivitasToken:Transfer"],
  async evaluate({ db, event, config, load, save }) {
    const { nearCapBps, severity } = config["wealth-near-cap"];
    const to = String(event.args.to).toLowerCase();
    if (!(await isOrdinary(db, to))) return undefined;
    const state = await tokenRow(db);
    const row = await db.find(account, { address: to as `0x${string}` });
    if (state === undefined || row === null) return undefined;
    const holdings = row.balance + row.staked + row.unbonding;
    const cap = wealthCapOf(state.totalSupply, state.capBps);
    const near = holdings * 10_000n >= cap * BigInt(nearCapBps);
    const key = `wealth-near-cap:${to}`;
    const wasNear = await load<boolean>(key, false);
    if (near !== wasNear) await save(key, near);
    if (!near || wasNear) return undefined;
    return {
      severity,
      summary: `${to} holds ${civ(holdings)}, ${(holdings * 10_000n) / cap} bps of the wealth cap (${civ(cap)})`,
      accounts: [to],
      transactionHashes: [],
    };
  },
};
