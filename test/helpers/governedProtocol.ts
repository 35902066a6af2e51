/**
 * A governed Civitas for end-to-end governance tests: the contracts on main, the Governance Ignition module,
 * and every privileged role handed to the timelock with the deployer renouncing its own, as the protocol
 * deploy must do. Interim fixture of the governance branch until the lead's protocol module lands; it then
 * only needs to call that module and keep returning the same shape.
 *
 * Staking is the mock stake-votes contract until the staking contract lands on main.
 */
import type { BaseContract } from "ethers";
import { ZeroHash } from "ethers";
import type { network } from "hardhat";

import GovernanceModule from "../../ignition/modules/Governance.js";
import { CIV } from "./fixtures.js";

type Connection = Awaited<ReturnType<typeof network.connect>>;

/** An AccessControl contract and the roles it defines (DEFAULT_ADMIN_ROLE last). */
export interface RoleTable {
  name: string;
  contract: BaseContract & {
    hasRole(role: string, account: string): Promise<boolean>;
    grantRole(role: string, account: string): Promise<unknown>;
    renounceRole(role: string, account: string): Promise<unknown>;
  };
  roles: { name: string; id: string }[];
}

/** Grants every role of `table` to `holder`, then has `deployer` renounce them (the admin role last). */
async function handOver(table: RoleTable, holder: string, deployer: string) {
  for (const role of table.roles) {
    if (!(await table.contract.hasRole(role.id, holder))) {
      await table.contract.grantRole(role.id, holder);
    }
  }
  for (const role of table.roles) {
    if (await table.contract.hasRole(role.id, deployer)) {
      await table.contract.renounceRole(role.id, deployer);
    }
  }
}

/** Agents get 10,000 CIV each from the Treasury and delegate to themselves. */
export const AGENT_GRANT = 10_000n * CIV;

export async function deployGovernedProtocol(connection: Connection) {
  const { ethers, ignition, networkHelpers } = connection;
  const [deployer, alice, bob, carol, dave, outsider] = await ethers.getSigners();

  const stakeVotes = await ethers.deployContract("MockStakeVotes");

  const deployed = await ignition.deploy(GovernanceModule, {
    parameters: {
      Governance: { stakeVotes: await stakeVotes.getAddress() },
    },
  });
  const governor = await ethers.getContractAt("CivitasGovernor", await deployed.governor.getAddress());
  const timelock = await ethers.getContractAt("CivitasTimelock", await deployed.timelock.getAddress());
  const token = await ethers.getContractAt("CivitasToken", await deployed.token.getAddress());
  const treasury = await ethers.getContractAt("Treasury", await deployed.treasury.getAddress());
  const timelockAddress = await timelock.getAddress();

  const agents = [alice, bob, carol, dave];
  for (const agent of agents) {
    await treasury.transfer(await token.getAddress(), agent.address, AGENT_GRANT);
    await token.connect(agent).delegate(agent.address);
  }

  // Every role of every contract that the timelock must hold after deploy (the token's SNAPSHOT_ROLE is
  // the governor's, UPKEEP_BURNER_ROLE the registry's; both are administered by the timelock).
  const roleTables: RoleTable[] = [
    {
      name: "CivitasToken",
      contract: token,
      roles: [
        { name: "MINTER_ROLE", id: await token.MINTER_ROLE() },
        { name: "PARAMETER_ROLE", id: await token.PARAMETER_ROLE() },
        { name: "DEFAULT_ADMIN_ROLE", id: ZeroHash },
      ],
    },
    { name: "Treasury", contract: treasury, roles: [{ name: "DEFAULT_ADMIN_ROLE", id: ZeroHash }] },
  ];
  for (const table of roleTables) await handOver(table, timelockAddress, deployer.address);
  await networkHelpers.mine();

  return {
    deployer,
    alice,
    bob,
    carol,
    dave,
    outsider,
    agents,
    token,
    treasury,
    stakeVotes,
    governor,
    timelock,
    roleTables,
  };
}
