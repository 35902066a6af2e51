import { expect } from "chai";
import { id, parseEther, ZeroAddress, ZeroHash } from "ethers";
import { network } from "hardhat";

import { CIV } from "../helpers/fixtures.js";
import {
  action,
  execute,
  propose,
  runProposal,
  toProposal,
  advanceToVoting,
  castVotes,
  advancePastDeadline,
  queueAndWait,
} from "../helpers/governance.js";
import { deployGovernedProtocol } from "../helpers/governedProtocol.js";

const connection = await network.connect();
const { ethers, networkHelpers } = connection;

const DAY = 86_400n;

/** The governed protocol: every role with the timelock, four agents with 10,000 CIV each. */
async function governedProtocolFixture() {
  return deployGovernedProtocol(connection);
}

describe("Governance actions (end to end)", function () {
  describe("token rules", function () {
    it("changes the tax within bounds", async function () {
      const { alice, bob, carol, governor, token } =
        await networkHelpers.loadFixture(governedProtocolFixture);
      const { executeTx } = await runProposal({
        governor,
        networkHelpers,
        proposer: alice,
        actions: [await action(token, "setTaxBps", [500n])],
        description: "Halve the tax to 5%",
        votes: { for: [alice, bob], against: [carol] },
      });
      await expect(executeTx).to.emit(token, "TaxBpsUpdated").withArgs(1_000n, 500n);
      expect(await token.taxBps()).to.equal(500n);
    });

    it("fails to execute a tax above the maximum, with the token's error", async function () {
      const { alice, bob, governor, token } = await networkHelpers.loadFixture(governedProtocolFixture);
      const max = await token.MAX_TAX_BPS();
      const { proposal } = await runProposal({
        governor,
        networkHelpers,
        proposer: alice,
        actions: [await action(token, "setTaxBps", [max + 1n])],
        description: "A tax above the maximum",
        votes: { for: [alice, bob] },
        until: "queue",
      });
      await expect(execute(governor, proposal))
        .to.be.revertedWithCustomError(token, "CivitasTaxTooHigh")
        .withArgs(max + 1n, max);
      expect(await token.taxBps()).to.equal(1_000n);
    });

    it("changes the wealth cap within bounds", async function () {
      const { alice, bob, governor, token } = await networkHelpers.loadFixture(governedProtocolFixture);
      const { executeTx } = await runProposal({
        governor,
        networkHelpers,
        proposer: alice,
        actions: [await action(token, "setCapBps", [300n])],
        description: "Lower the wealth cap to 3%",
        votes: { for: [alice, bob] },
      });
      await expect(executeTx).to.emit(token, "CapBpsUpdated").withArgs(500n, 300n);
      expect(await token.capBps()).to.equal(300n);
    });

    it("fails to execute a wealth cap outside its bounds, with the token's error", async function () {
      const { alice, bob, governor, token } = await networkHelpers.loadFixture(governedProtocolFixture);
      const [min, max] = [await token.MIN_CAP_BPS(), await token.MAX_CAP_BPS()];
      const { proposal } = await runProposal({
        governor,
        networkHelpers,
        proposer: alice,
        actions: [await action(token, "setCapBps", [max + 1n])],
        description: "A cap above the maximum",
        votes: { for: [alice, bob] },
        until: "queue",
      });
      await expect(execute(governor, proposal))
        .to.be.revertedWithCustomError(token, "CivitasCapOutOfBounds")
        .withArgs(max + 1n, min, max);
    });

    it("mints within the 30-day window and fails above it", async function () {
      const { alice, bob, governor, token, treasury } =
        await networkHelpers.loadFixture(governedProtocolFixture);
      const first = 600_000n * CIV;
      const second = 500_000n * CIV;
      const proposals = [
        toProposal([await action(token, "mint", [await treasury.getAddress(), first])], "Mint 600,000 CIV"),
        toProposal([await action(token, "mint", [await treasury.getAddress(), second])], "Mint 500,000 CIV"),
      ];
      const ids = [
        await propose(governor, alice, proposals[0]),
        await propose(governor, alice, proposals[1]),
      ];
      await advanceToVoting(governor, networkHelpers, ids[1]);
      for (const proposalId of ids) await castVotes(governor, proposalId, { for: [alice, bob] });
      await advancePastDeadline(governor, networkHelpers, ids[1]);
      await queueAndWait(governor, networkHelpers, proposals[0], ids[0]);
      await queueAndWait(governor, networkHelpers, proposals[1], ids[1]);

      expect(first).to.be.lessThanOrEqual(await token.mintableNow());
      const supplyBefore = await token.totalSupply();
      await expect(execute(governor, proposals[0]))
        .to.emit(token, "Transfer")
        .withArgs(ZeroAddress, await treasury.getAddress(), first);
      expect(await token.totalSupply()).to.equal(supplyBefore + first);

      const available = await token.mintableNow();
      expect(available).to.equal(((supplyBefore + first) * 1_000n) / 10_000n - first);
      await expect(execute(governor, proposals[1]))
        .to.be.revertedWithCustomError(token, "CivitasExceededMintWindow")
        .withArgs(second, available);
    });
  });

  describe("treasury", function () {
    it("sets a spender's budget and pays an agent", async function () {
      const { alice, bob, dave, governor, token, treasury, timelock } =
        await networkHelpers.loadFixture(governedProtocolFixture);
      const spender = dave.address; // stands for a protocol contract; only the budget is under test here
      const budget = 25_000n * CIV;
      const payment = 1_000n * CIV;
      const { executeTx } = await runProposal({
        governor,
        networkHelpers,
        proposer: alice,
        actions: [
          await action(treasury, "setBudget", [spender, await token.getAddress(), budget]),
          await action(treasury, "transfer", [await token.getAddress(), bob.address, payment]),
        ],
        description: "A budget for a spender and a payment to bob",
        votes: { for: [alice, bob] },
      });
      await expect(executeTx)
        .to.emit(treasury, "BudgetSet")
        .withArgs(spender, await token.getAddress(), 0n, budget)
        .and.to.emit(treasury, "FundsTransferred")
        .withArgs(await token.getAddress(), bob.address, payment);
      expect(await treasury.budgetOf(spender, token)).to.equal(budget);
      expect(await token.balanceOf(timelock)).to.equal(0n);
    });
  });

  describe("after deploy", function () {
    it("leaves every role of every contract with the timelock and none with the deployer", async function () {
      const { deployer, timelock, governor, token, roleTables } =
        await networkHelpers.loadFixture(governedProtocolFixture);
      const timelockAddress = await timelock.getAddress();
      const snapshotRole = await token.SNAPSHOT_ROLE();
      expect(await token.hasRole(snapshotRole, await governor.getAddress())).to.equal(true);
      expect(await token.hasRole(snapshotRole, deployer.address)).to.equal(false);
      expect(await token.getRoleAdmin(snapshotRole)).to.equal(ZeroHash);
      for (const { name, contract, roles } of roleTables) {
        for (const role of roles) {
          expect(
            await contract.hasRole(role.id, timelockAddress),
            `${name}.${role.name} with the timelock`,
          ).to.equal(true);
          expect(
            await contract.hasRole(role.id, deployer.address),
            `${name}.${role.name} with the deployer`,
          ).to.equal(false);
        }
      }
    });

    it("lists every role holder from the role events: only governance holds anything", async function () {
      const { timelock, governor, roleTables } = await networkHelpers.loadFixture(governedProtocolFixture);
      const allowed = new Set([await timelock.getAddress(), await governor.getAddress(), ZeroAddress]);
      const tables = [
        ...roleTables,
        { name: "CivitasTimelock", contract: timelock, roles: [] as { name: string; id: string }[] },
      ];
      for (const { name, contract } of tables) {
        const holders = new Map<string, Set<string>>();
        // Every log of the contract, in chain order; RoleGranted/RoleRevoked replayed into the holder sets.
        const logs = await ethers.provider.getLogs({ address: await contract.getAddress(), fromBlock: 0 });
        for (const log of logs) {
          const parsed = timelock.interface.parseLog(log); // same AccessControl events on every contract
          if (parsed === null || (parsed.name !== "RoleGranted" && parsed.name !== "RoleRevoked")) continue;
          const [role, account] = [parsed.args[0] as string, parsed.args[1] as string];
          const set = holders.get(role) ?? new Set<string>();
          if (parsed.name === "RoleGranted") set.add(account);
          else set.delete(account);
          holders.set(role, set);
        }
        expect(holders.size, `${name} has role events`).to.be.greaterThan(0);
        for (const [role, set] of holders) {
          for (const account of set) {
            expect(allowed.has(account), `${name} role ${role} held by ${account}`).to.equal(true);
            expect(await contract.hasRole(role, account)).to.equal(true);
          }
        }
      }
    });

    it("refuses every privileged call from the deployer", async function () {
      const { deployer, token, treasury, timelock, governor } =
        await networkHelpers.loadFixture(governedProtocolFixture);
      const asDeployer = { token: token.connect(deployer), treasury: treasury.connect(deployer) };
      const unauthorized = (role: string) => [deployer.address, role] as const;
      const MINTER = await token.MINTER_ROLE();
      const PARAMETER = await token.PARAMETER_ROLE();
      const calls: [
        () => Promise<unknown>,
        typeof token | typeof treasury | typeof timelock,
        readonly unknown[],
      ][] = [
        [() => asDeployer.token.mint(deployer.address, CIV), token, unauthorized(MINTER)],
        [() => asDeployer.token.setTaxBps(0n), token, unauthorized(PARAMETER)],
        [
          () => asDeployer.token.scheduleCirculatingSnapshot(2n ** 40n),
          token,
          unauthorized(id("SNAPSHOT_ROLE")),
        ],
        [() => asDeployer.token.setCapBps(5_000n), token, unauthorized(PARAMETER)],
        [() => asDeployer.token.setProtocolAccount(deployer.address, true), token, unauthorized(PARAMETER)],
        [() => asDeployer.token.setStakeLedger(deployer.address), token, unauthorized(PARAMETER)],
        [() => asDeployer.token.grantRole(MINTER, deployer.address), token, unauthorized(ZeroHash)],
        [() => asDeployer.treasury.transfer(token, deployer.address, CIV), treasury, unauthorized(ZeroHash)],
        [() => asDeployer.treasury.setBudget(deployer.address, token, CIV), treasury, unauthorized(ZeroHash)],
        [() => asDeployer.treasury.grantRole(ZeroHash, deployer.address), treasury, unauthorized(ZeroHash)],
        [
          () => timelock.connect(deployer).grantRole(id("PROPOSER_ROLE"), deployer.address),
          timelock,
          unauthorized(ZeroHash),
        ],
        [
          () => timelock.connect(deployer).schedule(token, 0n, "0x", ZeroHash, ZeroHash, 2n * DAY),
          timelock,
          unauthorized(id("PROPOSER_ROLE")),
        ],
      ];
      for (const [call, contract, args] of calls) {
        await expect(call())
          .to.be.revertedWithCustomError(contract, "AccessControlUnauthorizedAccount")
          .withArgs(...args);
      }
      await expect(governor.connect(deployer).setProposalThreshold(0n))
        .to.be.revertedWithCustomError(governor, "GovernorOnlyExecutor")
        .withArgs(deployer.address);
      await expect(governor.connect(deployer).relay(token, 0n, "0x"))
        .to.be.revertedWithCustomError(governor, "GovernorOnlyExecutor")
        .withArgs(deployer.address);
    });
  });
});
