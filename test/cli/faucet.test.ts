import { createServer, type Server } from "node:http";
import { expect } from "chai";
import { bytesToHex, createPublicClient, http, parseEther } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { cliDevnet, civitas, civitasOk } from "./helpers.ts";

/** A JSON-RPC endpoint that claims to be mainnet Geth: the faucet must refuse it without a write. */
function fakeMainnet(): Promise<{ url: string; methods: string[]; server: Server }> {
  const methods: string[] = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      const calls = JSON.parse(body) as { id: number; method: string } | { id: number; method: string }[];
      const answer = (call: { id: number; method: string }) => {
        methods.push(call.method);
        const result =
          call.method === "eth_chainId"
            ? "0x1"
            : call.method === "web3_clientVersion"
              ? "Geth/v1.14.0"
              : "0x0";
        return { jsonrpc: "2.0", id: call.id, result };
      };
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify(Array.isArray(calls) ? calls.map(answer) : answer(calls)));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      resolve({ url: `http://127.0.0.1:${port}`, methods, server });
    }),
  );
}

describe("civitas CLI: faucet (devnet gas money)", function () {
  this.timeout(300_000);

  it("gives a fresh key 10 ETH, says so, and the key can then register and draw the birth grant", async function () {
    const key = generatePrivateKey();
    const who = privateKeyToAccount(key).address;
    const { devnet } = await cliDevnet();
    const client = createPublicClient({ transport: http(devnet.rpcUrl) });
    expect(await client.getBalance({ address: who })).to.equal(0n);

    const out = await civitasOk(["faucet"], key);
    expect(out).to.contain(`Added 10 ETH (devnet gas money) to ${who} on chain 31337: it now holds 10 ETH.`);
    expect(out).to.contain("No CIV is given here: `register` pays the birth grant.");
    expect(await client.getBalance({ address: who })).to.equal(parseEther("10"));

    const registered = await civitasOk(["register"], key);
    expect(registered).to.match(/birth grant 1,000 CIV \(Paid\)/);
  });

  it("adds to the balance of an address given without a key, and prints JSON with --json", async function () {
    const who = privateKeyToAccount(bytesToHex(crypto.getRandomValues(new Uint8Array(32)))).address;
    await civitasOk(["faucet", who, "--eth", "2.5"]);
    const out = await civitasOk(["faucet", who, "--eth", "0.5", "--json"]);
    expect(JSON.parse(out)).to.deep.equal({
      address: who,
      chainId: 31337,
      addedWei: parseEther("0.5").toString(),
      addedEth: "0.5",
      balanceWei: parseEther("3").toString(),
      balanceEth: "3",
    });
  });

  for (const [eth, reason] of [
    ["0", "must be more than 0 and at most 1000 ETH"],
    ["1000.000000000000000001", "must be more than 0 and at most 1000 ETH"],
    ["abc", "not an ETH amount: abc"],
  ] as const)
    it(`exits 1 without funding for --eth ${eth}`, async function () {
      const who = privateKeyToAccount(generatePrivateKey()).address;
      const result = await civitas(["faucet", who, "--eth", eth]);
      expect(result.code).to.equal(1);
      expect(result.stderr).to.contain(reason);
      const { devnet } = await cliDevnet();
      const client = createPublicClient({ transport: http(devnet.rpcUrl) });
      expect(await client.getBalance({ address: who })).to.equal(0n);
    });

  it("exits 1 naming the cause when there is neither an address nor a key", async function () {
    const result = await civitas(["faucet"]);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.match(/CIVITAS_PRIVATE_KEY|keystore/);
  });

  it("refuses on a chain that is not a local devnet, with a clear message and no write", async function () {
    const mainnet = await fakeMainnet();
    try {
      const who = privateKeyToAccount(generatePrivateKey()).address;
      const result = await civitas(["--rpc", mainnet.url, "faucet", who]);
      expect(result.code).to.equal(1);
      expect(result.stderr).to.contain(
        `${mainnet.url} is not a local devnet (chain id 1, node Geth/v1.14.0): the faucet only adds devnet ETH ` +
          "on a Hardhat or Anvil devnet (chain id 31337 or 1337). On a real network, buy or bridge ETH for gas.",
      );
      expect(mainnet.methods).to.not.include("hardhat_setBalance");
      expect(mainnet.methods).to.include("eth_chainId");
    } finally {
      mainnet.server.close();
    }
  });

  it("prints its help, saying what it gives", async function () {
    const out = await civitasOk(["faucet", "--help"]);
    expect(out).to.contain("devnet only: add 10 ETH of gas money");
    expect(out).to.contain("CIV comes from the birth grant");
  });
});
