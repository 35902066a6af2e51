import { createServer, type Server } from "node:http";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import type { Command } from "commander";
import { bytesToHex } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { createCivitasPublicClient, DEVNET_MNEMONIC } from "../../scripts/lib/clients.ts";
import { freePort } from "../../scripts/lib/devnet.ts";
import { buildProgram } from "../../scripts/cli/program.ts";
import { civitas, civitasOk, cliDevnet, devnetAddress, devnetKey } from "./helpers.ts";

/** Every command of the program, with its path (groups and their commands, recursively). */
function commandsOf(command: Command, path: string[] = []): { path: string[]; command: Command }[] {
  return command.commands.flatMap((sub) => [
    { path: [...path, sub.name()], command: sub },
    ...commandsOf(sub, [...path, sub.name()]),
  ]);
}

describe("civitas CLI: every command's --help, bad input and the real cause of failures (issue 21)", function () {
  this.timeout(600_000);
  const client = devnetKey(13);
  const provider = devnetKey(14);
  const arbitrator = devnetKey(15);

  before(async function () {
    for (const [key, uri] of [
      [client, "ipfs://c"],
      [provider, "ipfs://p"],
      [arbitrator, "ipfs://a"],
    ] as const)
      await civitasOk(["register", uri], key);
  });

  it("formats --help for every command and group (no BigInt serialization crash)", async function () {
    const commands = commandsOf(buildProgram());
    expect(commands.map((c) => c.path.join(" "))).to.include.members([
      "job create",
      "stake validator",
      "proposal list",
      "send",
      "mcp",
      "economy",
    ]);
    for (const { path, command } of commands)
      expect(command.helpInformation(), path.join(" ")).to.match(/^Usage: civitas /);
    // And as a process, for the two commands that crashed (issue 21).
    for (const path of [
      ["job", "create"],
      ["stake", "validator"],
    ]) {
      const result = await civitas([...path, "--help"]);
      expect(result.code, `${path.join(" ")} --help: ${result.stderr}`).to.equal(0);
      expect(result.stdout).to.match(new RegExp(`^Usage: civitas ${path.join(" ")} `));
    }
  });

  it("sends nothing when `job fund` is bound to fail: the state by name, no approve", async function () {
    const created = await civitasOk(
      [
        "--json",
        "job",
        "create",
        "--provider",
        devnetAddress(14),
        "--arbitrator",
        devnetAddress(15),
        "--amount",
        "20",
      ],
      client,
    );
    const job = JSON.parse(created) as {
      escrowId: string;
      state: string;
      amountCiv: string;
      bondCiv: string;
    };
    expect([job.state, job.amountCiv, job.bondCiv]).to.deep.equal(["Created", "20", "2"]);
    const { devnet } = await cliDevnet();
    const chain = createCivitasPublicClient(devnet.rpcUrl);
    const nonce = await chain.getTransactionCount({ address: devnetAddress(13) });
    const result = await civitas(["job", "fund", job.escrowId], client);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.equal(
      `civitas: job fund would revert, nothing was sent: EscrowInvalidState(escrowId: ${job.escrowId}, current: Created, expectedStates: Accepted)\n`,
    );
    expect(result.stdout).to.not.contain("Approved");
    expect(await chain.getTransactionCount({ address: devnetAddress(13) })).to.equal(nonce);
  });

  it("`send` refuses 0 and yourself, and warns before paying a non-agent unless --force / --yes", async function () {
    const zero = await civitas(["send", devnetAddress(14), "0"], client);
    expect([zero.code, zero.stderr]).to.deep.equal([1, "civitas: refusing to send 0 CIV\n"]);
    const self = await civitas(["send", devnetAddress(13), "1"], client);
    expect(self.code).to.equal(1);
    expect(self.stderr).to.equal(
      `civitas: refusing to pay yourself (${devnetAddress(13)}): it would only pay tax\n`,
    );
    const stranger = devnetAddress(19);
    const warned = await civitas(["send", stranger, "1"], client);
    expect(warned.code).to.equal(1);
    expect(warned.stderr).to.equal(
      `civitas: ${stranger} is not a registered agent: CIV sent there may be lost (pass force / --force to pay anyway)\n`,
    );
    expect(await civitasOk(["send", stranger, "1", "--force"], client)).to.contain(
      `Sent 1 CIV to ${stranger}`,
    );
    expect(await civitasOk(["send", stranger, "1", "--yes"], client)).to.contain(`Sent 1 CIV to ${stranger}`);
  });

  it("names a bad number, a bad amount and a bad address by the argument", async function () {
    const days = await civitas(
      [
        "job",
        "create",
        "--provider",
        devnetAddress(14),
        "--arbitrator",
        devnetAddress(15),
        "--amount",
        "5",
        "--days",
        "abc",
      ],
      client,
    );
    expect(days.code).to.equal(1);
    expect(days.stderr).to.contain(
      "error: option '--days <n>' argument 'abc' is invalid. not a positive number: abc",
    );
    const civ = await civitas(["send", devnetAddress(14), "1.2.3"], client);
    expect(civ.code).to.equal(1);
    expect(civ.stderr).to.contain('not a CIV amount: "1.2.3"');
    const id = await civitas(["job", "show", "-1"]);
    expect(id.code).to.equal(1);
    expect(id.stderr).to.match(/unknown option '-1'|not a non-negative integer/);
    const bps = await civitas(["proposal", "tax", "ten"], client);
    expect(bps.code).to.equal(1);
    expect(bps.stderr).to.contain("not an integer from 0 to 10000: ten");
  });

  it("says a fresh key has no gas money, with its balance, and points to `civitas faucet`; nothing sent", async function () {
    const fresh = mnemonicToAccount(DEVNET_MNEMONIC, { addressIndex: 4242 });
    const key = bytesToHex(fresh.getHdKey().privateKey!);
    const result = await civitas(["register", "ipfs://fresh"], key);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.equal(
      `civitas: ${fresh.address} has 0 ETH for gas on chain 31337: get gas money with \`civitas faucet\`\n`,
    );
  });

  it("names the URL of a node it cannot reach", async function () {
    const port = await freePort();
    const result = await civitas(
      ["--rpc", `http://127.0.0.1:${port}`, "economy"],
      undefined,
      {},
      { bare: true },
    );
    expect(result.code).to.equal(1);
    expect(result.stderr).to.match(
      new RegExp(
        `^civitas: cannot reach the node at http://127\\.0\\.0\\.1:${port} \\(--rpc / CIVITAS_RPC_URL\\)`,
      ),
    );
  });

  describe("history reads GraphQL alone", function () {
    let server: Server;
    let url = "";
    before(async function () {
      server = createServer((req, res) => {
        let body = "";
        req.on("data", (chunk) => (body += chunk));
        req.on("end", () => {
          const { variables } = JSON.parse(body) as { variables: { a: string } };
          const item = {
            from: variables.a,
            to: devnetAddress(14).toLowerCase(),
            amount: "9000000000000000000",
            gross: "10000000000000000000",
            tax: "1000000000000000000",
            kind: "payment",
            timestamp: "1767225600",
            transactionHash: `0x${"ab".repeat(32)}`,
          };
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify({ data: { out: { items: [item] }, in: { items: [] } } }));
        });
      });
      const port = await freePort();
      await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
      url = `http://127.0.0.1:${port}/graphql`;
    });
    after(function () {
      server.close();
    });

    it("prints movements with no node reachable", async function () {
      const dead = `http://127.0.0.1:${await freePort()}`;
      const out = await civitas(
        ["--rpc", dead, "--graphql", url, "history", devnetAddress(13)],
        undefined,
        {},
        { bare: true },
      );
      expect(out.code, out.stderr).to.equal(0);
      expect(out.stdout).to.equal(
        `2026-01-01T00:00:00Z payment    -9 CIV            to   ${devnetAddress(14)}\n`,
      );
      const json = await civitas(
        ["--rpc", dead, "--graphql", url, "--json", "history", devnetAddress(13)],
        undefined,
        {},
        { bare: true },
      );
      const parsed = JSON.parse(json.stdout) as { address: string; movements: Record<string, string>[] };
      expect(parsed.address).to.equal(devnetAddress(13));
      expect(parsed.movements[0]).to.include({
        direction: "out",
        kind: "payment",
        amountCiv: "9",
        grossCiv: "10",
        taxCiv: "1",
      });
    });
  });

  it("lists proposals (`proposal list`)", async function () {
    expect((await civitasOk(["proposal", "list"])).trim()).to.match(/^No proposals\.$|^Proposal \d+: /);
    const json = JSON.parse(await civitasOk(["--json", "proposal", "list"])) as {
      count: number;
      proposals: unknown[];
    };
    expect(json.proposals.length).to.equal(json.count);
  });

  it("--json prints the tool's result, or { error } with exit 1 (parse errors too)", async function () {
    const balance = JSON.parse(await civitasOk(["balance", devnetAddress(13), "--json"])) as Record<
      string,
      string
    >;
    expect(Object.keys(balance)).to.include.members([
      "address",
      "balanceWei",
      "balanceCiv",
      "holdingsWei",
      "holdingsCiv",
      "wealthCapWei",
      "wealthCapCiv",
      "votesCiv",
      "gasEth",
    ]);
    const refused = await civitas(["--json", "send", devnetAddress(14), "0"], client);
    expect(refused.code).to.equal(1);
    expect(JSON.parse(refused.stdout)).to.deep.equal({
      error: { code: "refused", message: "refusing to send 0 CIV", to: devnetAddress(14) },
    });
    const parse = await civitas(["--json", "job", "show", "x"]);
    expect(parse.code).to.equal(1);
    expect(JSON.parse(parse.stdout).error.code).to.equal("invalid_input");
    const missing = await civitas(["--json", "job", "show", "999"]);
    expect(missing.code).to.equal(1);
    expect(JSON.parse(missing.stdout)).to.deep.equal({
      error: { code: "not_found", message: "no job 999", escrowId: "999" },
    });
  });

  it("takes its defaults from the running economy, under the environment, under the flags", async function () {
    const { devnet, deploymentsDir } = await cliDevnet();
    const home = mkdtempSync(join(tmpdir(), "civitas-home-"));
    writeFileSync(
      join(home, "local.json"),
      JSON.stringify({
        chainId: 31337,
        rpcUrl: devnet.rpcUrl,
        graphqlUrl: "http://127.0.0.1:1/graphql",
        indexerUrl: "http://127.0.0.1:1",
        deploymentsDir,
        pid: process.pid,
        startedAt: 0,
      }),
    );
    // The discovery file alone: the economy is found.
    const found = await civitas(["--json", "economy"], undefined, { CIVITAS_HOME: home }, { bare: true });
    expect(found.code, found.stdout + found.stderr).to.equal(0);
    expect(JSON.parse(found.stdout).chainId).to.equal(31337);
    // The environment overrides the file; a flag overrides the environment.
    const dead = `http://127.0.0.1:${await freePort()}`;
    const env = await civitas(
      ["economy"],
      undefined,
      { CIVITAS_HOME: home, CIVITAS_RPC_URL: dead },
      { bare: true },
    );
    expect(env.code).to.equal(1);
    expect(env.stderr).to.contain(`cannot reach the node at ${dead}`);
    const flag = await civitas(
      ["--rpc", devnet.rpcUrl, "--deployments", deploymentsDir, "economy"],
      undefined,
      { CIVITAS_HOME: home, CIVITAS_RPC_URL: dead },
      { bare: true },
    );
    expect(flag.code, flag.stderr).to.equal(0);
    // The file's GraphQL URL is the default for history.
    const history = await civitas(
      ["history", devnetAddress(13)],
      undefined,
      { CIVITAS_HOME: home },
      { bare: true },
    );
    expect(history.stderr).to.contain("cannot query the indexer at http://127.0.0.1:1/graphql");
  });
});
