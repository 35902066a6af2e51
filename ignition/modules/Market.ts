import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { id } from "ethers";

import AgentRegistry from "./AgentRegistry.ts";
import Foundation from "./Foundation.ts";

const MINTER_ROLE = id("MINTER_ROLE");

/**
 * Resource markets: the resource ledger (ERC-1155 credits, policies, metering) and the uniform-price
 * epoch market that sells its credits for CIV (docs/market.md).
 *
 * Parameters (module `Market`):
 * - `ledgerUri` (default "civitas://resource/{id}"): the ERC-1155 metadata URI template.
 * - `epochDuration` (seconds, default 86,400 = 1 day; bounds [1 hour, 30 days]; fixed at deployment).
 * - `protocolFeeBps` (default 100 = 1% of providers' gross; at most 1,000).
 * - `targetUtilisationBps` (default 5,000: the reserve stays put at half the supply sold; bounds [1,000, 9,000]).
 * - `maxReserveStepBps` (default 1,250 = 12.5% per epoch, EIP-1559's step; bounds [1, 2,500]).
 *
 * - The genesis resource (resource 1, docs/market.md's worked example "gpu-second", so that a fresh
 *   deployment has a live market): `genesisUnit` (default "gpu-second"), `genesisDecimals` (0),
 *   `genesisTransferable` (true), `genesisAllowancePerDay` (base units, 100), `genesisAllowanceMax` (200),
 *   `genesisQuota` (base units per window, 10,000), `genesisQuotaWindow` (seconds, 3,600),
 *   `genesisTickSize` (wei per unit, 0.001 CIV) and `genesisReservePrice` (wei per unit, 0.01 CIV).
 *
 * - The genesis meter (the simulation's, or an operator's, meter of resource 1): `genesisMeter` (address,
 *   default the deployer) authorised when `genesisMeterAuthorised` (default false: no meter; the call then
 *   records that the deployer is not a meter). The devnet (ignition/parameters/localhost.json) authorises
 *   devnet account 97 (METER_ACCOUNT_INDEX in scripts/sim/market.ts), which nothing else uses.
 *
 * These defaults are the only copy: the contracts take every setting from their constructors.
 *
 * Wiring done here: the market is a protocol account on the token (bids untaxed, `payEarnings` allowed)
 * and the ledger's only minter. The genesis resource is registered on the ledger and listed on the market
 * by the deployer while it still holds the parameter role (the Protocol module orders every role's
 * renouncement after this module's calls); it has the genesis meter only when the parameters authorise
 * one: governance authorises further meters, registers further resource types and lists them (see
 * test/governance/MarketGovernance.test.ts). The compute pool factory (ComputePoolFactory) holds no role:
 * anyone in good standing creates pools through it, governance marks them protocol accounts. Left to the
 * protocol module: handing each contract's DEFAULT_ADMIN_ROLE and PARAMETER_ROLE (held by the deployer) to
 * the timelock.
 */
export default buildModule("Market", (m) => {
  const deployer = m.getAccount(0);
  const { token } = m.useModule(Foundation);
  const { registry } = m.useModule(AgentRegistry);
  const ledgerUri = m.getParameter("ledgerUri", "civitas://resource/{id}");
  const epochDuration = m.getParameter("epochDuration", 86_400n);
  const protocolFeeBps = m.getParameter("protocolFeeBps", 100n);
  const targetUtilisationBps = m.getParameter("targetUtilisationBps", 5_000n);
  const maxReserveStepBps = m.getParameter("maxReserveStepBps", 1_250n);

  const resourceLedger = m.contract("ResourceLedger", [deployer, registry, ledgerUri]);
  const resourceMarket = m.contract("ResourceMarket", [
    deployer,
    token,
    resourceLedger,
    registry,
    epochDuration,
    protocolFeeBps,
    targetUtilisationBps,
    maxReserveStepBps,
  ]);
  m.call(token, "setProtocolAccount", [resourceMarket, true], { id: "Market_setProtocolAccount" });
  m.call(resourceLedger, "grantRole", [MINTER_ROLE, resourceMarket], { id: "Market_grantLedgerMinter" });

  // The genesis resource: registered and listed at deployment, before the roles move to the timelock.
  const genesisPolicy = {
    unit: m.getParameter("genesisUnit", "gpu-second"),
    allowancePerDay: m.getParameter("genesisAllowancePerDay", 100n),
    allowanceMax: m.getParameter("genesisAllowanceMax", 200n),
    quota: m.getParameter("genesisQuota", 10_000n),
    quotaWindow: m.getParameter("genesisQuotaWindow", 3_600n),
    decimals: m.getParameter("genesisDecimals", 0n),
    transferable: m.getParameter("genesisTransferable", true),
  };
  const registered = m.call(resourceLedger, "registerResource", [genesisPolicy], {
    id: "Market_registerGenesisResource",
  });
  const genesisResourceId = m.readEventArgument(registered, "ResourceRegistered", "resourceId", {
    id: "Market_genesisResourceId",
  });
  m.call(
    resourceMarket,
    "list",
    [
      genesisResourceId,
      m.getParameter("genesisTickSize", 10n ** 15n),
      m.getParameter("genesisReservePrice", 10n ** 16n),
    ],
    { id: "Market_listGenesisResource" },
  );
  // The genesis meter of resource 1 (the simulation's meter on the devnet), set while the deployer holds
  // the parameter role.
  m.call(
    resourceLedger,
    "setMeter",
    [
      genesisResourceId,
      m.getParameter("genesisMeter", deployer),
      m.getParameter("genesisMeterAuthorised", false),
    ],
    { id: "Market_setGenesisMeter" },
  );

  // Human rewards and attention (issue 17, REVIEW): genesis resource 2, "attention", reviewers' attention
  // sold one unit per epoch by the ReviewRewards contract (ignition/modules/Rewards.ts, docs/rewards.md).
  // Non-transferable (the winner's own work is looked at), no free allowance, no quota. Parameters:
  // `attentionTickSize` (wei per unit, default 1 CIV) and `attentionReservePrice` (wei per unit, 10 CIV).
  const attentionRegistered = m.call(
    resourceLedger,
    "registerResource",
    [
      {
        unit: "attention",
        allowancePerDay: 0n,
        allowanceMax: 0n,
        quota: 0n,
        quotaWindow: 3_600n,
        decimals: 0n,
        transferable: false,
      },
    ],
    { id: "Market_registerAttentionResource", after: [registered] },
  );
  const attentionResourceId = m.readEventArgument(attentionRegistered, "ResourceRegistered", "resourceId", {
    id: "Market_attentionResourceId",
  });
  m.call(
    resourceMarket,
    "list",
    [
      attentionResourceId,
      m.getParameter("attentionTickSize", 10n ** 18n),
      m.getParameter("attentionReservePrice", 10n * 10n ** 18n),
    ],
    { id: "Market_listAttentionResource" },
  );

  // Compute pools: created by anyone in good standing through the factory, which announces each one
  // (ComputePoolCreated) for the indexer. It holds no role.
  const computePoolFactory = m.contract("ComputePoolFactory", [resourceMarket]);

  return { resourceLedger, resourceMarket, computePoolFactory };
});
