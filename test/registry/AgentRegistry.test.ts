import { expect } from "chai";
import { network } from "hardhat";
import { CIV, deployFoundation } from "../helpers/fixtures.ts";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;

const DAY = 86_400n;
const GRANT = 1_000n * CIV;
const UPKEEP = 100n * CIV;
const FUNDED = 10_000n * CIV; // what the foundation fixture gives each agent

/** AgentStatus and GrantOutcome, as declared in IAgentRegistry. */
const Status = { None: 0n, Active: 1n, Starved: 2n, Suspended: 3n, SuspendedAndStarved: 4n };
const Grant = { Paid: 0n, AlreadyGranted: 1n, BudgetExhausted: 2n, Disabled: 3n };

const reason = (text: string) => ethers.encodeBytes32String(text);

async function fixture() {
  const base = await deployFoundation(ethers);
  const { token, treasury, admin } = base;
  const signers = await ethers.getSigners();
  const [reporter, guardian, fresh, stranger] = signers.slice(6, 10);
  const registry = await ethers.deployContract("AgentRegistry", [
    admin.address,
    await token.getAddress(),
    await treasury.getAddress(),
    GRANT,
    UPKEEP,
  ]);
  await token.grantRole(await token.UPKEEP_BURNER_ROLE(), registry);
  await treasury.setBudget(registry, token, 3n * GRANT);
  await registry.grantRole(await registry.REPORTER_ROLE(), reporter);
  await registry.grantRole(await registry.GUARDIAN_ROLE(), guardian);
  return { ...base, registry, reporter, guardian, fresh, stranger };
}

/** Alice (agent 1) and Bob (agent 2) registered, each with the grant on top of the fixture's 10,000 CIV. */
async function registeredFixture() {
  const f = await fixture();
  const [alice, bob] = f.agents;
  await f.registry.connect(alice)["register(string)"]("ipfs://alice");
  await f.registry.connect(bob)["register(string)"]("ipfs://bob");
  return f;
}

async function blockTime(tx: Promise<{ wait: () => Promise<{ blockNumber: number } | null> }>) {
  const receipt = await (await tx).wait();
  const block = await ethers.provider.getBlock(receipt!.blockNumber);
  return BigInt(block!.timestamp);
}

/** Signs the ERC-8004 AgentWalletSet message with `signer` for the registry. */
async function signWalletSet(
  registry: Awaited<ReturnType<typeof fixture>>["registry"],
  signer: { signTypedData: (...args: any[]) => Promise<string> },
  agentId: bigint,
  newWallet: string,
  owner: string,
  deadline: bigint,
) {
  const { chainId } = await ethers.provider.getNetwork();
  const domain = {
    name: "ERC8004IdentityRegistry",
    version: "1",
    chainId,
    verifyingContract: await registry.getAddress(),
  };
  const types = {
    AgentWalletSet: [
      { name: "agentId", type: "uint256" },
      { name: "newWallet", type: "address" },
      { name: "owner", type: "address" },
      { name: "deadline", type: "uint256" },
    ],
  };
  return signer.signTypedData(domain, types, { agentId, newWallet, owner, deadline });
}

/** Empties `wallet`'s CIV into a protocol sink (the Treasury), untaxed only for the exact balance. */
async function drain(token: any, treasury: any, wallet: any, keep = 0n) {
  const balance = await token.balanceOf(wallet);
  if (balance > keep) await token.connect(wallet).transfer(treasury, balance - keep);
}

describe("AgentRegistry", function () {
  describe("deployment", function () {
    it("wires the token and Treasury and starts with the default parameters", async function () {
      const { registry, token, treasury } = await loadFixture(fixture);
      expect(await registry.token()).to.equal(await token.getAddress());
      expect(await registry.treasury()).to.equal(await treasury.getAddress());
      expect(await registry.birthGrant()).to.equal(GRANT);
      expect(await registry.upkeepPerDay()).to.equal(UPKEEP);
      expect(await registry.totalAgents()).to.equal(0n);
      expect(await registry.name()).to.equal("Civitas Agent");
      expect(await registry.symbol()).to.equal("AGENT");
      expect(await registry.MIN_SCORE()).to.equal(-1000n);
      expect(await registry.MAX_SCORE()).to.equal(1000n);
      expect(await registry.MAX_BIRTH_GRANT()).to.equal(100_000n * CIV);
      expect(await registry.MAX_UPKEEP_PER_DAY()).to.equal(10_000n * CIV);
      expect(await registry.MAX_DEADLINE_DELAY()).to.equal(300n);
    });

    it("gives the admin the admin and parameter roles only", async function () {
      const { registry, admin } = await loadFixture(fixture);
      expect(await registry.hasRole(await registry.DEFAULT_ADMIN_ROLE(), admin)).to.equal(true);
      expect(await registry.hasRole(await registry.PARAMETER_ROLE(), admin)).to.equal(true);
      expect(await registry.hasRole(await registry.GUARDIAN_ROLE(), admin)).to.equal(false);
      expect(await registry.hasRole(await registry.REPORTER_ROLE(), admin)).to.equal(false);
    });

    it("announces the Reputation Registry it creates and emits the initial parameters as updates from zero", async function () {
      const { registry, admin, token, treasury } = await loadFixture(fixture);
      const deployed = await ethers.deployContract("AgentRegistry", [
        admin.address,
        token,
        treasury,
        GRANT,
        UPKEEP,
      ]);
      const receipt = await deployed.deploymentTransaction()!.wait();
      const events = receipt!.logs.map((log) => registry.interface.parseLog(log)).filter((e) => e !== null);
      expect(events.map((e) => [e.name, ...e.args])).to.deep.equal([
        ["ReputationRegistrySet", await deployed.reputationRegistry()],
        ["RoleGranted", await registry.DEFAULT_ADMIN_ROLE(), admin.address, admin.address],
        ["RoleGranted", await registry.PARAMETER_ROLE(), admin.address, admin.address],
        ["BirthGrantUpdated", 0n, GRANT],
        ["UpkeepPerDayUpdated", 0n, UPKEEP],
      ]);
    });

    it("refuses a zero admin, token or Treasury", async function () {
      const { registry, admin, token, treasury } = await loadFixture(fixture);
      const zero = ethers.ZeroAddress;
      for (const args of [
        [zero, token, treasury],
        [admin.address, zero, treasury],
        [admin.address, token, zero],
      ]) {
        await expect(
          ethers.deployContract("AgentRegistry", [...args, GRANT, UPKEEP]),
        ).to.be.revertedWithCustomError(registry, "AgentRegistryZeroAddress");
      }
    });

    it("refuses initial parameters above their bounds", async function () {
      const { registry, admin, token, treasury } = await loadFixture(fixture);
      const max = 100_000n * CIV;
      await expect(ethers.deployContract("AgentRegistry", [admin.address, token, treasury, max + 1n, UPKEEP]))
        .to.be.revertedWithCustomError(registry, "AgentRegistryBirthGrantTooHigh")
        .withArgs(max + 1n, max);
      const maxUpkeep = 10_000n * CIV;
      await expect(
        ethers.deployContract("AgentRegistry", [admin.address, token, treasury, GRANT, maxUpkeep + 1n]),
      )
        .to.be.revertedWithCustomError(registry, "AgentRegistryUpkeepTooHigh")
        .withArgs(maxUpkeep + 1n, maxUpkeep);
    });

    it("supports ERC-721, ERC-721 metadata, ERC-4906 and AccessControl interfaces", async function () {
      const { registry } = await loadFixture(fixture);
      for (const id of ["0x80ac58cd", "0x5b5e139f", "0x49064906", "0x7965db0b", "0x01ffc9a7"]) {
        expect(await registry.supportsInterface(id)).to.equal(true);
      }
      expect(await registry.supportsInterface("0xffffffff")).to.equal(false);
    });
  });

  describe("registration", function () {
    it("mints agent 1 to the caller, binds it as agent wallet and pays the birth grant", async function () {
      const { registry, token, treasury, agents } = await loadFixture(fixture);
      const [alice] = agents;
      const tx = registry.connect(alice)["register()"]();
      await expect(tx).to.changeTokenBalances(ethers, token, [alice, treasury], [GRANT, -GRANT]);
      const at = BigInt(await time.latest());
      await expect(tx).to.emit(registry, "Registered").withArgs(1n, "", alice.address);
      await expect(tx)
        .to.emit(registry, "MetadataSet")
        .withArgs(1n, "agentWallet", "agentWallet", alice.address.toLowerCase());
      await expect(tx).to.emit(registry, "Transfer").withArgs(ethers.ZeroAddress, alice.address, 1n);
      await expect(tx)
        .to.emit(treasury, "BudgetDrawn")
        .withArgs(await registry.getAddress(), await token.getAddress(), alice.address, GRANT, 2n * GRANT);
      await expect(tx)
        .to.emit(registry, "AgentRegistered")
        .withArgs(1n, alice.address, alice.address, "", GRANT, Grant.Paid, at);
      expect(await registry.ownerOf(1n)).to.equal(alice.address);
      expect(await registry.agentIdOf(alice)).to.equal(1n);
      expect(await registry.getAgentWallet(1n)).to.equal(alice.address);
      expect(await registry.getMetadata(1n, "agentWallet")).to.equal(alice.address.toLowerCase());
      expect(await registry.hasRegistered(alice)).to.equal(true);
      expect(await registry.totalAgents()).to.equal(1n);
      expect(await registry.statusOf(1n)).to.equal(Status.Active);
      expect(await registry.isInGoodStanding(alice)).to.equal(true);
      expect(await registry.agentIdInGoodStanding(alice)).to.equal(1n);
      const record = await registry.agent(1n);
      expect(record.wallet).to.equal(alice.address);
      expect(record.lastCollectedAt).to.equal(at);
      expect(record.score).to.equal(0n);
    });

    it("stores the agent URI as the token URI and numbers agents from 1", async function () {
      const { registry, agents } = await loadFixture(registeredFixture);
      const [alice, bob] = agents;
      expect(await registry.tokenURI(1n)).to.equal("ipfs://alice");
      expect(await registry.tokenURI(2n)).to.equal("ipfs://bob");
      expect(await registry.agentIdOf(alice)).to.equal(1n);
      expect(await registry.agentIdOf(bob)).to.equal(2n);
      expect(await registry.agentIdOf(ethers.ZeroAddress)).to.equal(0n);
    });

    it("stores and announces each metadata entry", async function () {
      const { registry, agents } = await loadFixture(fixture);
      const [alice] = agents;
      const metadata = [
        { metadataKey: "model", metadataValue: ethers.toUtf8Bytes("gpt") },
        { metadataKey: "endpoint", metadataValue: "0xbeef" },
      ];
      const tx = registry.connect(alice)["register(string,(string,bytes)[])"]("ipfs://a", metadata);
      await expect(tx).to.emit(registry, "Registered").withArgs(1n, "ipfs://a", alice.address);
      await expect(tx)
        .to.emit(registry, "MetadataSet")
        .withArgs(1n, "model", "model", ethers.hexlify(metadata[0].metadataValue));
      await expect(tx).to.emit(registry, "MetadataSet").withArgs(1n, "endpoint", "endpoint", "0xbeef");
      expect(await registry.getMetadata(1n, "endpoint")).to.equal("0xbeef");
      expect(await registry.getMetadata(1n, "unset")).to.equal("0x");
    });

    it("refuses the reserved agentWallet key in registration metadata", async function () {
      const { registry, agents } = await loadFixture(fixture);
      const metadata = [{ metadataKey: "agentWallet", metadataValue: agents[1].address }];
      await expect(registry.connect(agents[0])["register(string,(string,bytes)[])"]("ipfs://a", metadata))
        .to.be.revertedWithCustomError(registry, "AgentRegistryReservedMetadataKey")
        .withArgs("agentWallet");
    });

    it("lets one owner register any number of agents; the wallet acts for its first (ERC-8004)", async function () {
      const { registry, agents } = await loadFixture(registeredFixture);
      const [alice] = agents;
      const tx = registry.connect(alice)["register()"]();
      await expect(tx).to.emit(registry, "Registered").withArgs(3n, "", alice.address);
      await expect(tx).not.to.emit(registry, "WalletAgentChanged");
      await expect(tx)
        .to.emit(registry, "AgentRegistered")
        .withArgs(3n, alice.address, alice.address, "", 0n, Grant.AlreadyGranted, await time.latest());
      expect(await registry.ownerOf(3n)).to.equal(alice.address);
      expect(await registry.getAgentWallet(3n)).to.equal(alice.address);
      expect(await registry.agentIdOf(alice)).to.equal(1n);
      // When the first agent lets the wallet go, the wallet acts for none until an agent claims it again.
      await expect(registry.connect(alice).unsetAgentWallet(1n))
        .to.emit(registry, "WalletAgentChanged")
        .withArgs(alice.address, 1n, 0n);
      expect(await registry.agentIdOf(alice)).to.equal(0n);
      const deadline = BigInt(await time.latest()) + 60n;
      const signature = await signWalletSet(registry, alice, 3n, alice.address, alice.address, deadline);
      const claim = registry.connect(alice).setAgentWallet(3n, alice, deadline, signature);
      await expect(claim).to.emit(registry, "WalletAgentChanged").withArgs(alice.address, 0n, 3n);
      await expect(claim).not.to.emit(registry, "AgentWalletChanged");
      expect(await registry.agentIdOf(alice)).to.equal(3n);
      expect(await registry.lastAgentOf(alice)).to.equal(3n);
    });

    it("refuses a contract caller that does not accept ERC-721 tokens", async function () {
      const { registry, token } = await loadFixture(fixture);
      const caller = await ethers.deployContract("RegistryCallerMock", [registry]);
      await expect(caller.register())
        .to.be.revertedWithCustomError(registry, "ERC721InvalidReceiver")
        .withArgs(await caller.getAddress());
      expect(await token.balanceOf(caller)).to.equal(0n);
    });

    it("never grants a wallet twice", async function () {
      const { registry, token, agents, stranger } = await loadFixture(registeredFixture);
      const [alice] = agents;
      // Alice gives her identity away, which frees her wallet, and registers again.
      await registry.connect(alice).transferFrom(alice, stranger, 1n);
      expect(await registry.agentIdOf(alice)).to.equal(0n);
      const tx = registry.connect(alice)["register()"]();
      await expect(tx).to.changeTokenBalance(ethers, token, alice, 0n);
      await expect(tx)
        .to.emit(registry, "AgentRegistered")
        .withArgs(3n, alice.address, alice.address, "", 0n, Grant.AlreadyGranted, await time.latest());
      expect(await registry.agentIdOf(alice)).to.equal(3n);
    });

    it("registers without a grant, visibly, when the budget is exhausted", async function () {
      const { registry, token, treasury, agents } = await loadFixture(fixture);
      const [alice, bob] = agents;
      await treasury.setBudget(registry, token, GRANT - 1n);
      const tx = registry.connect(alice)["register()"]();
      await expect(tx).to.changeTokenBalances(ethers, token, [alice, treasury], [0n, 0n]);
      await expect(tx).not.to.emit(treasury, "BudgetDrawn");
      await expect(tx)
        .to.emit(registry, "AgentRegistered")
        .withArgs(1n, alice.address, alice.address, "", 0n, Grant.BudgetExhausted, await time.latest());
      // The first registration is the only one that could be granted, even once the budget is refilled.
      await treasury.setBudget(registry, token, 10n * GRANT);
      await registry.connect(alice).transferFrom(alice, bob, 1n);
      const again = registry.connect(alice)["register()"]();
      const at = await blockTime(again);
      await expect(again)
        .to.emit(registry, "AgentRegistered")
        .withArgs(2n, alice.address, alice.address, "", 0n, Grant.AlreadyGranted, at);
    });

    it("pays exactly the remaining budget when it equals the grant", async function () {
      const { registry, token, treasury, agents } = await loadFixture(fixture);
      await treasury.setBudget(registry, token, GRANT);
      await expect(registry.connect(agents[0])["register()"]()).to.changeTokenBalance(
        ethers,
        token,
        agents[0],
        GRANT,
      );
      expect(await treasury.budgetOf(registry, token)).to.equal(0n);
      const second = registry.connect(agents[1])["register()"]();
      const at = await blockTime(second);
      await expect(second)
        .to.emit(registry, "AgentRegistered")
        .withArgs(2n, agents[1].address, agents[1].address, "", 0n, Grant.BudgetExhausted, at);
    });

    it("registers without a grant when the grant is set to zero", async function () {
      const { registry, token, agents } = await loadFixture(fixture);
      await registry.setBirthGrant(0n);
      const tx = registry.connect(agents[0])["register()"]();
      await expect(tx).to.changeTokenBalance(ethers, token, agents[0], 0n);
      await expect(tx)
        .to.emit(registry, "AgentRegistered")
        .withArgs(1n, agents[0].address, agents[0].address, "", 0n, Grant.Disabled, await blockTime(tx));
    });
  });

  describe("agent URI and metadata", function () {
    it("lets the owner change the agent URI", async function () {
      const { registry, agents } = await loadFixture(registeredFixture);
      await expect(registry.connect(agents[0]).setAgentURI(1n, "ipfs://new"))
        .to.emit(registry, "URIUpdated")
        .withArgs(1n, "ipfs://new", agents[0].address);
      expect(await registry.tokenURI(1n)).to.equal("ipfs://new");
    });

    it("lets an approved operator change the agent URI and metadata", async function () {
      const { registry, agents, stranger } = await loadFixture(registeredFixture);
      await registry.connect(agents[0]).approve(stranger, 1n);
      await expect(registry.connect(stranger).setAgentURI(1n, "ipfs://op"))
        .to.emit(registry, "URIUpdated")
        .withArgs(1n, "ipfs://op", stranger.address);
      await expect(registry.connect(stranger).setMetadata(1n, "k", "0x01"))
        .to.emit(registry, "MetadataSet")
        .withArgs(1n, "k", "k", "0x01");
    });

    it("refuses URI and metadata changes from anyone else", async function () {
      const { registry, stranger } = await loadFixture(registeredFixture);
      await expect(registry.connect(stranger).setAgentURI(1n, "ipfs://x"))
        .to.be.revertedWithCustomError(registry, "ERC721InsufficientApproval")
        .withArgs(stranger.address, 1n);
      await expect(registry.connect(stranger).setMetadata(1n, "k", "0x01"))
        .to.be.revertedWithCustomError(registry, "ERC721InsufficientApproval")
        .withArgs(stranger.address, 1n);
    });

    it("refuses agents that do not exist", async function () {
      const { registry, agents } = await loadFixture(registeredFixture);
      await expect(registry.connect(agents[0]).setAgentURI(9n, "x"))
        .to.be.revertedWithCustomError(registry, "ERC721NonexistentToken")
        .withArgs(9n);
      await expect(registry.connect(agents[0]).setMetadata(9n, "k", "0x"))
        .to.be.revertedWithCustomError(registry, "ERC721NonexistentToken")
        .withArgs(9n);
      expect(await registry.getAgentWallet(9n)).to.equal(ethers.ZeroAddress);
      await expect(registry.isAuthorizedOrOwner(agents[0], 9n))
        .to.be.revertedWithCustomError(registry, "ERC721NonexistentToken")
        .withArgs(9n);
      expect(await registry.statusOf(9n)).to.equal(Status.None);
    });

    it("refuses the reserved agentWallet key", async function () {
      const { registry, agents } = await loadFixture(registeredFixture);
      await expect(registry.connect(agents[0]).setMetadata(1n, "agentWallet", agents[1].address))
        .to.be.revertedWithCustomError(registry, "AgentRegistryReservedMetadataKey")
        .withArgs("agentWallet");
    });
  });

  describe("agent wallet (EIP-712)", function () {
    it("binds a new wallet that signed the change", async function () {
      const { registry, agents, fresh } = await loadFixture(registeredFixture);
      const [alice] = agents;
      const deadline = BigInt(await time.latest()) + 60n;
      const signature = await signWalletSet(registry, fresh, 1n, fresh.address, alice.address, deadline);
      const tx = registry.connect(alice).setAgentWallet(1n, fresh.address, deadline, signature);
      await expect(tx)
        .to.emit(registry, "MetadataSet")
        .withArgs(1n, "agentWallet", "agentWallet", fresh.address.toLowerCase());
      await expect(tx)
        .to.emit(registry, "AgentWalletChanged")
        .withArgs(1n, alice.address, fresh.address, alice.address);
      expect(await registry.getAgentWallet(1n)).to.equal(fresh.address);
      expect(await registry.agentIdOf(fresh)).to.equal(1n);
      expect(await registry.agentIdOf(alice)).to.equal(0n);
      expect(await registry.ownerOf(1n)).to.equal(alice.address);
      expect(await registry.getMetadata(1n, "agentWallet")).to.equal(fresh.address.toLowerCase());
    });

    it("exposes the EIP-712 digest the wallet signs", async function () {
      const { registry, agents, fresh } = await loadFixture(registeredFixture);
      const { chainId } = await ethers.provider.getNetwork();
      const digest = ethers.TypedDataEncoder.hash(
        {
          name: "ERC8004IdentityRegistry",
          version: "1",
          chainId,
          verifyingContract: await registry.getAddress(),
        },
        {
          AgentWalletSet: [
            { name: "agentId", type: "uint256" },
            { name: "newWallet", type: "address" },
            { name: "owner", type: "address" },
            { name: "deadline", type: "uint256" },
          ],
        },
        { agentId: 1n, newWallet: fresh.address, owner: agents[0].address, deadline: 123n },
      );
      expect(await registry.agentWalletDigest(1n, fresh, agents[0], 123n)).to.equal(digest);
    });

    it("accepts a contract wallet's ERC-1271 approval", async function () {
      const { registry, agents, fresh } = await loadFixture(registeredFixture);
      const [alice] = agents;
      const contractWallet = await ethers.deployContract("ERC1271WalletMock", [fresh.address]);
      const deadline = BigInt(await time.latest()) + 60n;
      const signature = await signWalletSet(
        registry,
        fresh,
        1n,
        await contractWallet.getAddress(),
        alice.address,
        deadline,
      );
      await expect(registry.connect(alice).setAgentWallet(1n, contractWallet, deadline, signature))
        .to.emit(registry, "AgentWalletChanged")
        .withArgs(1n, alice.address, await contractWallet.getAddress(), alice.address);
    });

    it("refuses an expired signature", async function () {
      const { registry, agents, fresh } = await loadFixture(registeredFixture);
      const [alice] = agents;
      const now = BigInt(await time.latest());
      const deadline = now + 10n;
      const signature = await signWalletSet(registry, fresh, 1n, fresh.address, alice.address, deadline);
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(registry.connect(alice).setAgentWallet(1n, fresh, deadline, signature))
        .to.be.revertedWithCustomError(registry, "AgentRegistryExpiredSignature")
        .withArgs(deadline, deadline + 1n);
    });

    it("accepts a signature in the block of its deadline", async function () {
      const { registry, agents, fresh } = await loadFixture(registeredFixture);
      const deadline = BigInt(await time.latest()) + 10n;
      const signature = await signWalletSet(registry, fresh, 1n, fresh.address, agents[0].address, deadline);
      await time.setNextBlockTimestamp(deadline);
      await expect(registry.connect(agents[0]).setAgentWallet(1n, fresh, deadline, signature)).to.emit(
        registry,
        "AgentWalletChanged",
      );
    });

    it("refuses a deadline more than five minutes away", async function () {
      const { registry, agents, fresh } = await loadFixture(registeredFixture);
      const at = BigInt(await time.latest()) + 5n;
      const deadline = at + 301n;
      const signature = await signWalletSet(registry, fresh, 1n, fresh.address, agents[0].address, deadline);
      await time.setNextBlockTimestamp(at);
      await expect(registry.connect(agents[0]).setAgentWallet(1n, fresh, deadline, signature))
        .to.be.revertedWithCustomError(registry, "AgentRegistryDeadlineTooFar")
        .withArgs(deadline, at + 300n);
    });

    it("refuses a signature forged by someone other than the new wallet", async function () {
      const { registry, agents, fresh } = await loadFixture(registeredFixture);
      const [alice] = agents;
      const deadline = BigInt(await time.latest()) + 60n;
      const forged = await signWalletSet(registry, alice, 1n, fresh.address, alice.address, deadline);
      await expect(registry.connect(alice).setAgentWallet(1n, fresh, deadline, forged))
        .to.be.revertedWithCustomError(registry, "AgentRegistryInvalidWalletSignature")
        .withArgs(1n, fresh.address);
    });

    it("refuses a signature made for another agent, owner or deadline", async function () {
      const { registry, agents, fresh } = await loadFixture(registeredFixture);
      const [alice, bob] = agents;
      const deadline = BigInt(await time.latest()) + 60n;
      const otherAgent = await signWalletSet(registry, fresh, 2n, fresh.address, alice.address, deadline);
      const otherOwner = await signWalletSet(registry, fresh, 1n, fresh.address, bob.address, deadline);
      const otherDeadline = await signWalletSet(
        registry,
        fresh,
        1n,
        fresh.address,
        alice.address,
        deadline - 1n,
      );
      for (const signature of [otherAgent, otherOwner, otherDeadline]) {
        await expect(registry.connect(alice).setAgentWallet(1n, fresh, deadline, signature))
          .to.be.revertedWithCustomError(registry, "AgentRegistryInvalidWalletSignature")
          .withArgs(1n, fresh.address);
      }
    });

    it("refuses the zero wallet", async function () {
      const { registry, agents } = await loadFixture(registeredFixture);
      const deadline = BigInt(await time.latest()) + 60n;
      await expect(
        registry.connect(agents[0]).setAgentWallet(1n, ethers.ZeroAddress, deadline, "0x"),
      ).to.be.revertedWithCustomError(registry, "AgentRegistryZeroWallet");
    });

    it("binds a wallet that already acts for another agent, which keeps acting for its first", async function () {
      const { registry, agents } = await loadFixture(registeredFixture);
      const [alice, bob] = agents;
      const deadline = BigInt(await time.latest()) + 60n;
      const signature = await signWalletSet(registry, bob, 1n, bob.address, alice.address, deadline);
      const tx = registry.connect(alice).setAgentWallet(1n, bob, deadline, signature);
      await expect(tx)
        .to.emit(registry, "AgentWalletChanged")
        .withArgs(1n, alice.address, bob.address, alice.address);
      await expect(tx).to.emit(registry, "WalletAgentChanged").withArgs(alice.address, 1n, 0n);
      expect(await registry.getAgentWallet(1n)).to.equal(bob.address);
      expect(await registry.agentIdOf(bob)).to.equal(2n);
      expect(await registry.agentIdOf(alice)).to.equal(0n);
    });

    it("refuses a caller who is neither owner nor operator", async function () {
      const { registry, agents, fresh, stranger } = await loadFixture(registeredFixture);
      const deadline = BigInt(await time.latest()) + 60n;
      const signature = await signWalletSet(registry, fresh, 1n, fresh.address, agents[0].address, deadline);
      await expect(registry.connect(stranger).setAgentWallet(1n, fresh, deadline, signature))
        .to.be.revertedWithCustomError(registry, "ERC721InsufficientApproval")
        .withArgs(stranger.address, 1n);
      await expect(registry.connect(stranger).unsetAgentWallet(1n))
        .to.be.revertedWithCustomError(registry, "ERC721InsufficientApproval")
        .withArgs(stranger.address, 1n);
    });

    it("unsets the wallet, freeing it", async function () {
      const { registry, agents } = await loadFixture(registeredFixture);
      const [alice] = agents;
      const tx = registry.connect(alice).unsetAgentWallet(1n);
      await expect(tx).to.emit(registry, "MetadataSet").withArgs(1n, "agentWallet", "agentWallet", "0x");
      await expect(tx)
        .to.emit(registry, "AgentWalletChanged")
        .withArgs(1n, alice.address, ethers.ZeroAddress, alice.address);
      await expect(tx).to.emit(registry, "WalletAgentChanged").withArgs(alice.address, 1n, 0n);
      expect(await registry.getAgentWallet(1n)).to.equal(ethers.ZeroAddress);
      expect(await registry.agentIdOf(alice)).to.equal(0n);
      expect(await registry.lastAgentOf(alice)).to.equal(1n);
      expect(await registry.isInGoodStanding(alice)).to.equal(false);
      expect(await registry.agentIdInGoodStanding(alice)).to.equal(0n);
      await expect(registry.connect(alice).unsetAgentWallet(1n)).not.to.emit(registry, "AgentWalletChanged");
    });

    it("clears the wallet on every transfer of the identity, to its own owner too (ERC-8004)", async function () {
      const { registry, agents, stranger } = await loadFixture(registeredFixture);
      const [alice, bob] = agents;
      await expect(registry.connect(alice).transferFrom(alice, alice, 1n))
        .to.emit(registry, "AgentWalletChanged")
        .withArgs(1n, alice.address, ethers.ZeroAddress, alice.address);
      expect(await registry.getAgentWallet(1n)).to.equal(ethers.ZeroAddress);
      expect(await registry.getMetadata(1n, "agentWallet")).to.equal("0x");
      const tx = registry.connect(bob).transferFrom(bob, stranger, 2n);
      await expect(tx).to.emit(registry, "Transfer").withArgs(bob.address, stranger.address, 2n);
      await expect(tx).to.emit(registry, "MetadataSet").withArgs(2n, "agentWallet", "agentWallet", "0x");
      await expect(tx)
        .to.emit(registry, "AgentWalletChanged")
        .withArgs(2n, bob.address, ethers.ZeroAddress, bob.address);
      expect(await registry.getAgentWallet(2n)).to.equal(ethers.ZeroAddress);
      expect(await registry.agentIdOf(bob)).to.equal(0n);
      // With no wallet left to clear, a transfer changes nothing else.
      await expect(registry.connect(stranger).transferFrom(stranger, bob, 2n)).not.to.emit(
        registry,
        "AgentWalletChanged",
      );
    });

    it("collects upkeep due from the old wallet before the wallet changes", async function () {
      const { registry, agents, fresh } = await loadFixture(registeredFixture);
      const [alice] = agents;
      const start = (await registry.agent(1n)).lastCollectedAt;
      await time.increase(2n * DAY);
      const deadline = BigInt(await time.latest()) + 60n;
      const signature = await signWalletSet(registry, fresh, 1n, fresh.address, alice.address, deadline);
      await expect(registry.connect(alice).setAgentWallet(1n, fresh, deadline, signature))
        .to.emit(registry, "UpkeepCollected")
        .withArgs(1n, alice.address, 2n, 2n * UPKEEP, 2n * UPKEEP, start + 2n * DAY, false);
    });
  });

  describe("upkeep", function () {
    it("charges nothing before a whole day has elapsed", async function () {
      const { registry, token, agents, stranger } = await loadFixture(registeredFixture);
      await time.increaseTo((await registry.agent(1n)).lastCollectedAt + DAY - 2n);
      expect(await registry.upkeepDue(1n)).to.deep.equal([0n, 0n]);
      const tx = registry.connect(stranger)["collectUpkeep(uint256)"](1n);
      await expect(tx).not.to.emit(registry, "UpkeepCollected");
      await expect(tx).to.changeTokenBalance(ethers, token, agents[0], 0n);
    });

    it("lets anyone charge every day missed, keeping the part of a day not yet due", async function () {
      const { registry, token, agents, stranger } = await loadFixture(registeredFixture);
      const [alice] = agents;
      const start = (await registry.agent(1n)).lastCollectedAt;
      await time.increaseTo(start + 3n * DAY + DAY / 2n);
      expect(await registry.upkeepDue(1n)).to.deep.equal([3n, 3n * UPKEEP]);
      const tx = registry.connect(stranger)["collectUpkeep(uint256)"](1n);
      await expect(tx).to.changeTokenBalance(ethers, token, alice, -3n * UPKEEP);
      await expect(tx)
        .to.emit(token, "UpkeepBurned")
        .withArgs(alice.address, 3n * UPKEEP);
      await expect(tx)
        .to.emit(registry, "UpkeepCollected")
        .withArgs(1n, alice.address, 3n, 3n * UPKEEP, 3n * UPKEEP, start + 3n * DAY, false);
      expect((await registry.agent(1n)).lastCollectedAt).to.equal(start + 3n * DAY);
      // The half day left over counts toward the next day.
      await time.increaseTo(start + 4n * DAY);
      await expect(registry.connect(stranger)["collectUpkeep(uint256)"](1n))
        .to.emit(registry, "UpkeepCollected")
        .withArgs(1n, alice.address, 1n, UPKEEP, UPKEEP, start + 4n * DAY, false);
    });

    it("returns the amount burned", async function () {
      const { registry, stranger } = await loadFixture(registeredFixture);
      await time.increase(5n * DAY);
      expect(await registry.connect(stranger)["collectUpkeep(uint256)"].staticCall(1n)).to.equal(5n * UPKEEP);
    });

    it("charges in full a wallet that holds exactly what is owed, and starves it at exactly zero", async function () {
      const { registry, token, treasury, agents } = await loadFixture(registeredFixture);
      const [alice] = agents;
      const start = (await registry.agent(1n)).lastCollectedAt;
      await drain(token, treasury, alice, 2n * UPKEEP);
      await time.increaseTo(start + 2n * DAY);
      await expect(registry["collectUpkeep(uint256)"](1n))
        .to.emit(registry, "UpkeepCollected")
        .withArgs(1n, alice.address, 2n, 2n * UPKEEP, 2n * UPKEEP, start + 2n * DAY, false);
      expect(await token.balanceOf(alice)).to.equal(0n);
      expect(await registry.statusOf(1n)).to.equal(Status.Active);
      await time.increaseTo(start + 3n * DAY);
      expect(await registry.isInGoodStanding(alice)).to.equal(false);
      const tx = registry["collectUpkeep(uint256)"](1n);
      await expect(tx)
        .to.emit(registry, "UpkeepCollected")
        .withArgs(1n, alice.address, 1n, UPKEEP, 0n, start + 3n * DAY, true);
      await expect(tx).not.to.emit(token, "UpkeepBurned");
      expect(await registry.statusOf(1n)).to.equal(Status.Starved);
      expect(await registry.isInGoodStanding(alice)).to.equal(false);
    });

    it("charges what a short wallet has and starves it", async function () {
      const { registry, token, treasury, agents } = await loadFixture(registeredFixture);
      const [alice] = agents;
      const start = (await registry.agent(1n)).lastCollectedAt;
      await drain(token, treasury, alice, 2n * UPKEEP - 1n);
      await time.increaseTo(start + 2n * DAY);
      const tx = registry["collectUpkeep(uint256)"](1n);
      await expect(tx).to.changeTokenBalance(ethers, token, alice, -(2n * UPKEEP - 1n));
      await expect(tx)
        .to.emit(registry, "UpkeepCollected")
        .withArgs(1n, alice.address, 2n, 2n * UPKEEP, 2n * UPKEEP - 1n, start + 2n * DAY, true);
      expect(await registry.statusOf(1n)).to.equal(Status.Starved);
      // A starved agent accrues nothing more.
      await time.increase(10n * DAY);
      expect(await registry.upkeepDue(1n)).to.deep.equal([0n, 0n]);
    });

    it("never charges nor starves an agent without a wallet; the next wallet bound pays the days", async function () {
      const { registry, agents, fresh, token } = await loadFixture(registeredFixture);
      const [alice] = agents;
      await registry.connect(alice).unsetAgentWallet(1n);
      const start = (await registry.agent(1n)).lastCollectedAt;
      await time.increaseTo(start + 2n * DAY);
      await expect(registry["collectUpkeep(uint256)"](1n)).not.to.emit(registry, "UpkeepCollected");
      expect(await registry.statusOf(1n)).to.equal(Status.Active);
      expect(await registry.upkeepDue(1n)).to.deep.equal([2n, 2n * UPKEEP]);
      await token.connect(alice).transfer(fresh, 1_000n * CIV);
      const deadline = BigInt(await time.latest()) + 60n;
      const signature = await signWalletSet(registry, fresh, 1n, fresh.address, alice.address, deadline);
      await expect(registry.connect(alice).setAgentWallet(1n, fresh, deadline, signature))
        .to.emit(registry, "UpkeepCollected")
        .withArgs(1n, fresh.address, 2n, 2n * UPKEEP, 2n * UPKEEP, start + 2n * DAY, false);
      expect(await registry.statusOf(1n)).to.equal(Status.Active);
    });

    it("charges the current rate, including for days already elapsed", async function () {
      const { registry, agents } = await loadFixture(registeredFixture);
      const start = (await registry.agent(1n)).lastCollectedAt;
      await registry.setUpkeepPerDay(7n * CIV);
      await time.increaseTo(start + 2n * DAY);
      await expect(registry["collectUpkeep(uint256)"](1n))
        .to.emit(registry, "UpkeepCollected")
        .withArgs(1n, agents[0].address, 2n, 14n * CIV, 14n * CIV, start + 2n * DAY, false);
    });

    it("is not in good standing while its wallet could not pay the upkeep due", async function () {
      const { registry, token, treasury, agents } = await loadFixture(registeredFixture);
      const [alice] = agents;
      await drain(token, treasury, alice, UPKEEP);
      await time.increase(DAY);
      expect(await registry.isInGoodStanding(alice)).to.equal(true);
      expect(await registry.agentIdInGoodStanding(alice)).to.equal(await registry.agentIdOf(alice));
      await time.increase(DAY);
      expect(await registry.isInGoodStanding(alice)).to.equal(false);
      expect(await registry.agentIdInGoodStanding(alice)).to.equal(0n);
    });

    it("refuses a single collection from a starved, suspended or missing agent", async function () {
      const { registry, token, treasury, agents, guardian } = await loadFixture(registeredFixture);
      await drain(token, treasury, agents[0]);
      await time.increase(DAY);
      await registry["collectUpkeep(uint256)"](1n);
      await expect(registry["collectUpkeep(uint256)"](1n))
        .to.be.revertedWithCustomError(registry, "AgentRegistryNotActive")
        .withArgs(1n, Status.Starved);
      await registry.connect(guardian).suspend(2n, "audit");
      await expect(registry["collectUpkeep(uint256)"](2n))
        .to.be.revertedWithCustomError(registry, "AgentRegistryNotActive")
        .withArgs(2n, Status.Suspended);
      // Neither the starved, the suspended nor an unregistered wallet is in good standing: no id for a role.
      expect(await registry.agentIdInGoodStanding(agents[0])).to.equal(0n);
      expect(await registry.agentIdInGoodStanding(agents[1])).to.equal(0n);
      expect(await registry.agentIdInGoodStanding(agents[2])).to.equal(0n);
      await expect(registry["collectUpkeep(uint256)"](3n))
        .to.be.revertedWithCustomError(registry, "ERC721NonexistentToken")
        .withArgs(3n);
    });

    it("collects a batch, skipping missing, starved and suspended agents without reverting", async function () {
      const { registry, token, treasury, agents, guardian } = await loadFixture(registeredFixture);
      const [alice, bob, carol, dave] = agents;
      await registry.connect(carol)["register()"](); // 3
      await registry.connect(dave)["register()"](); // 4
      await drain(token, treasury, carol, UPKEEP / 2n);
      const starts = await Promise.all(
        [1n, 2n, 3n].map(async (id) => (await registry.agent(id)).lastCollectedAt),
      );
      await time.increaseTo(starts[2] + 2n * DAY); // two whole days for each of agents 1 to 3
      await registry.connect(guardian).suspend(4n, "audit"); // collects dave's days, then suspends him
      const ids = [0n, 1n, 2n, 3n, 4n, 99n];
      expect(await registry["collectUpkeep(uint256[])"].staticCall(ids)).to.equal(4n * UPKEEP + UPKEEP / 2n);
      const tx = registry["collectUpkeep(uint256[])"](ids);
      await expect(tx).to.changeTokenBalances(
        ethers,
        token,
        [alice, bob, carol, dave],
        [-2n * UPKEEP, -2n * UPKEEP, -(UPKEEP / 2n), 0n],
      );
      await expect(tx)
        .to.emit(registry, "UpkeepCollected")
        .withArgs(1n, alice.address, 2n, 2n * UPKEEP, 2n * UPKEEP, starts[0] + 2n * DAY, false);
      await expect(tx)
        .to.emit(registry, "UpkeepCollected")
        .withArgs(2n, bob.address, 2n, 2n * UPKEEP, 2n * UPKEEP, starts[1] + 2n * DAY, false);
      await expect(tx)
        .to.emit(registry, "UpkeepCollected")
        .withArgs(3n, carol.address, 2n, 2n * UPKEEP, UPKEEP / 2n, starts[2] + 2n * DAY, true);
      expect(await registry.statusOf(3n)).to.equal(Status.Starved);
      expect(await registry.statusOf(4n)).to.equal(Status.Suspended);
      // A second pass finds nothing due: the starved and suspended agents are skipped.
      await time.increase(DAY / 2n);
      await expect(registry["collectUpkeep(uint256[])"](ids)).not.to.emit(registry, "UpkeepCollected");
    });
  });

  describe("revival", function () {
    async function starvedFixture() {
      const f = await registeredFixture();
      await drain(f.token, f.treasury, f.agents[0]);
      await time.increase(DAY);
      await f.registry["collectUpkeep(uint256)"](1n);
      return f;
    }

    it("lets governance revive a starved agent and restarts its upkeep clock", async function () {
      const { registry, agents } = await loadFixture(starvedFixture);
      await time.increase(5n * DAY);
      const tx = registry.revive(1n, "fed");
      const at = await blockTime(tx);
      const admin = (await ethers.getSigners())[0];
      await expect(tx).to.emit(registry, "AgentRevived").withArgs(1n, admin.address, "fed", at);
      expect(await registry.statusOf(1n)).to.equal(Status.Active);
      expect((await registry.agent(1n)).lastCollectedAt).to.equal(at);
      expect(await registry.upkeepDue(1n)).to.deep.equal([0n, 0n]);
      expect(await registry.isInGoodStanding(agents[0])).to.equal(true);
    });

    it("refuses to revive an agent that is not starved, or one that does not exist", async function () {
      const { registry } = await loadFixture(starvedFixture);
      await expect(registry.revive(2n, "x"))
        .to.be.revertedWithCustomError(registry, "AgentRegistryNotStarved")
        .withArgs(2n);
      await expect(registry.revive(7n, "x"))
        .to.be.revertedWithCustomError(registry, "ERC721NonexistentToken")
        .withArgs(7n);
    });

    it("refuses a revival by anyone but governance", async function () {
      const { registry, guardian } = await loadFixture(starvedFixture);
      await expect(registry.connect(guardian).revive(1n, "x"))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(guardian.address, ethers.ZeroHash);
    });
  });

  describe("suspension", function () {
    it("lets a guardian suspend an agent, which keeps its tokens and accrues no upkeep", async function () {
      const { registry, token, agents, guardian } = await loadFixture(registeredFixture);
      const [alice] = agents;
      const start = (await registry.agent(1n)).lastCollectedAt;
      await time.increaseTo(start + DAY + 10n);
      const tx = registry.connect(guardian).suspend(1n, "fraud inquiry");
      await expect(tx)
        .to.emit(registry, "UpkeepCollected")
        .withArgs(1n, alice.address, 1n, UPKEEP, UPKEEP, start + DAY, false);
      await expect(tx).to.emit(registry, "AgentSuspended").withArgs(1n, guardian.address, "fraud inquiry");
      expect(await registry.statusOf(1n)).to.equal(Status.Suspended);
      expect(await registry.isInGoodStanding(alice)).to.equal(false);
      const balance = await token.balanceOf(alice);
      await time.increase(10n * DAY);
      expect(await registry.upkeepDue(1n)).to.deep.equal([0n, 0n]);
      await registry["collectUpkeep(uint256[])"]([1n]);
      expect(await token.balanceOf(alice)).to.equal(balance);
    });

    it("lets governance suspend and unsuspend, restarting the upkeep clock", async function () {
      const { registry, agents, admin } = await loadFixture(registeredFixture);
      await registry.suspend(1n, "x");
      await time.increase(3n * DAY);
      const tx = registry.unsuspend(1n, "cleared");
      const at = await blockTime(tx);
      await expect(tx).to.emit(registry, "AgentUnsuspended").withArgs(1n, admin.address, "cleared", at);
      expect((await registry.agent(1n)).lastCollectedAt).to.equal(at);
      expect(await registry.statusOf(1n)).to.equal(Status.Active);
      expect(await registry.isInGoodStanding(agents[0])).to.equal(true);
    });

    it("composes with starvation: each flag is lifted by its own action", async function () {
      const { registry, token, treasury, agents, guardian } = await loadFixture(registeredFixture);
      await drain(token, treasury, agents[0]);
      await time.increase(DAY);
      await registry["collectUpkeep(uint256)"](1n);
      await registry.connect(guardian).suspend(1n, "x");
      expect(await registry.statusOf(1n)).to.equal(Status.SuspendedAndStarved);
      await registry.revive(1n, "fed");
      expect(await registry.statusOf(1n)).to.equal(Status.Suspended);
      await registry.connect(guardian).suspend(2n, "y");
      await registry.connect(guardian).unsuspend(1n, "ok");
      expect(await registry.statusOf(1n)).to.equal(Status.Active);
    });

    it("refuses suspending twice, unsuspending an active agent, and missing agents", async function () {
      const { registry, guardian } = await loadFixture(registeredFixture);
      await registry.connect(guardian).suspend(1n, "x");
      await expect(registry.connect(guardian).suspend(1n, "x"))
        .to.be.revertedWithCustomError(registry, "AgentRegistryAlreadySuspended")
        .withArgs(1n);
      await expect(registry.connect(guardian).unsuspend(2n, "x"))
        .to.be.revertedWithCustomError(registry, "AgentRegistryNotSuspended")
        .withArgs(2n);
      await expect(registry.connect(guardian).suspend(5n, "x"))
        .to.be.revertedWithCustomError(registry, "ERC721NonexistentToken")
        .withArgs(5n);
      await expect(registry.connect(guardian).unsuspend(5n, "x"))
        .to.be.revertedWithCustomError(registry, "ERC721NonexistentToken")
        .withArgs(5n);
    });

    it("refuses suspension changes from anyone but governance or a guardian", async function () {
      const { registry, stranger } = await loadFixture(registeredFixture);
      const guardianRole = await registry.GUARDIAN_ROLE();
      await expect(registry.connect(stranger).suspend(1n, "x"))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, guardianRole);
      await expect(registry.connect(stranger).unsuspend(1n, "x"))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, guardianRole);
    });
  });

  describe("reputation", function () {
    it("applies a report and emits ReputationChanged", async function () {
      const { registry, agents, reporter } = await loadFixture(registeredFixture);
      const [alice] = agents;
      const tx = registry.connect(reporter).reportReputation(alice, 25n, reason("escrow.completed"), 42n);
      await expect(tx)
        .to.emit(registry, "ReputationChanged")
        .withArgs(1n, alice.address, reporter.address, 25n, 25n, 25n, reason("escrow.completed"), 42n);
      expect(await registry.scoreOf(1n)).to.equal(25n);
      expect(await registry.scoreOfWallet(alice)).to.equal(25n);
      expect(
        await registry.connect(reporter).reportReputation.staticCall(alice, -5n, reason("x"), 0n),
      ).to.equal(20n);
    });

    it("clamps the score at +1000 and -1000 and reports the applied change", async function () {
      const { registry, agents, reporter } = await loadFixture(registeredFixture);
      const [alice] = agents;
      await registry.connect(reporter).reportReputation(alice, 990n, reason("up"), 0n);
      await expect(registry.connect(reporter).reportReputation(alice, 50n, reason("up"), 1n))
        .to.emit(registry, "ReputationChanged")
        .withArgs(1n, alice.address, reporter.address, 50n, 10n, 1000n, reason("up"), 1n);
      await expect(registry.connect(reporter).reportReputation(alice, ethers.MinInt256, reason("slash"), 2n))
        .to.emit(registry, "ReputationChanged")
        .withArgs(1n, alice.address, reporter.address, ethers.MinInt256, -2000n, -1000n, reason("slash"), 2n);
      await expect(registry.connect(reporter).reportReputation(alice, -1n, reason("slash"), 3n))
        .to.emit(registry, "ReputationChanged")
        .withArgs(1n, alice.address, reporter.address, -1n, 0n, -1000n, reason("slash"), 3n);
      await expect(registry.connect(reporter).reportReputation(alice, ethers.MaxInt256, reason("up"), 4n))
        .to.emit(registry, "ReputationChanged")
        .withArgs(1n, alice.address, reporter.address, ethers.MaxInt256, 2000n, 1000n, reason("up"), 4n);
    });

    it("reports about suspended and starved agents too", async function () {
      const { registry, agents, reporter, guardian } = await loadFixture(registeredFixture);
      await registry.connect(guardian).suspend(1n, "x");
      await expect(registry.connect(reporter).reportReputation(agents[0], -10n, reason("escrow.lost"), 9n))
        .to.emit(registry, "ReputationChanged")
        .withArgs(1n, agents[0].address, reporter.address, -10n, -10n, -10n, reason("escrow.lost"), 9n);
    });

    it("refuses reports from anyone but a reporter", async function () {
      const { registry, agents, stranger } = await loadFixture(registeredFixture);
      await expect(registry.connect(stranger).reportReputation(agents[0], 1n, reason("x"), 0n))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, await registry.REPORTER_ROLE());
    });

    it("refuses reports and score look-ups about a wallet with no agent", async function () {
      const { registry, reporter, stranger } = await loadFixture(registeredFixture);
      await expect(registry.connect(reporter).reportReputation(stranger, 1n, reason("x"), 0n))
        .to.be.revertedWithCustomError(registry, "AgentRegistryUnknownWallet")
        .withArgs(stranger.address);
      await expect(registry.scoreOfWallet(stranger))
        .to.be.revertedWithCustomError(registry, "AgentRegistryUnknownWallet")
        .withArgs(stranger.address);
      expect(await registry.isInGoodStanding(stranger)).to.equal(false);
      expect(await registry.agentIdInGoodStanding(stranger)).to.equal(0n);
    });
  });

  describe("parameters", function () {
    it("sets the birth grant within bounds, emitting old and new", async function () {
      const { registry } = await loadFixture(fixture);
      const max = 100_000n * CIV;
      await expect(registry.setBirthGrant(max)).to.emit(registry, "BirthGrantUpdated").withArgs(GRANT, max);
      expect(await registry.birthGrant()).to.equal(max);
      await expect(registry.setBirthGrant(max + 1n))
        .to.be.revertedWithCustomError(registry, "AgentRegistryBirthGrantTooHigh")
        .withArgs(max + 1n, max);
    });

    it("sets the daily upkeep within bounds, emitting old and new", async function () {
      const { registry } = await loadFixture(fixture);
      const max = 10_000n * CIV;
      await expect(registry.setUpkeepPerDay(0n))
        .to.emit(registry, "UpkeepPerDayUpdated")
        .withArgs(UPKEEP, 0n);
      expect(await registry.upkeepPerDay()).to.equal(0n);
      await expect(registry.setUpkeepPerDay(max + 1n))
        .to.be.revertedWithCustomError(registry, "AgentRegistryUpkeepTooHigh")
        .withArgs(max + 1n, max);
    });

    it("refuses parameter changes without the parameter role", async function () {
      const { registry, guardian } = await loadFixture(fixture);
      const role = await registry.PARAMETER_ROLE();
      await expect(registry.connect(guardian).setBirthGrant(0n))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(guardian.address, role);
      await expect(registry.connect(guardian).setUpkeepPerDay(0n))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(guardian.address, role);
    });

    it("lets the admin hand every role over and keep none", async function () {
      const { registry, admin, stranger } = await loadFixture(fixture);
      const adminRole = await registry.DEFAULT_ADMIN_ROLE();
      const parameterRole = await registry.PARAMETER_ROLE();
      await registry.grantRole(adminRole, stranger);
      await registry.grantRole(parameterRole, stranger);
      await registry.renounceRole(parameterRole, admin);
      await registry.renounceRole(adminRole, admin);
      expect(await registry.hasRole(adminRole, admin)).to.equal(false);
      expect(await registry.hasRole(parameterRole, admin)).to.equal(false);
      await expect(registry.connect(stranger).setUpkeepPerDay(1n)).to.emit(registry, "UpkeepPerDayUpdated");
    });
  });
});
