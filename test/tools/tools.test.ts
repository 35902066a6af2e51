import { readFileSync } from "node:fs";
import { expect } from "chai";
import { z } from "zod";
import { AGENTS_DOC, staleToolRows } from "../../scripts/tools/doc.ts";
import { describeRevert } from "../../scripts/tools/errors.ts";
import { callTool, createToolContext, inputJsonSchema, TOOLS } from "../../scripts/tools/index.ts";
import { decodeRevert } from "../../scripts/lib/errors.ts";
import { encodeErrorResult } from "viem";
import { CONTRACT_ABIS } from "../../scripts/lib/contracts.ts";
import { EscrowState } from "../../scripts/lib/vocabulary.ts";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { INFORMATION_HOSTS_ENV, informationHostAllowed } from "../../scripts/tools/information.ts";

describe("scripts/tools: one source of tool definitions", function () {
  // A context whose node is never reached: these calls fail before any request.
  const ctx = createToolContext({ rpcUrl: "http://127.0.0.1:1" });

  it("names every tool once, in snake_case, with a description and an object JSON schema", function () {
    const names = TOOLS.map((t) => t.name);
    expect(new Set(names).size).to.equal(names.length);
    for (const tool of TOOLS) {
      expect(tool.name).to.match(/^[a-z]+(_[a-z]+)*$/);
      expect(tool.description.length, tool.name).to.be.greaterThan(20);
      const schema = inputJsonSchema(tool);
      expect(schema.type, tool.name).to.equal("object");
      expect(() => JSON.stringify(z.toJSONSchema(tool.input)), tool.name).to.not.throw();
    }
  });

  it("answers an unknown tool, bad arguments and a missing key with structured errors, never a throw", async function () {
    const unknown = await callTool(ctx, "teleport", {});
    expect(unknown.ok).to.equal(false);
    expect(!unknown.ok && unknown.error.code).to.equal("unknown_tool");
    const bad = await callTool(ctx, "job_rule", { escrowId: "x", providerBps: 10_001 });
    expect(!bad.ok && bad.error.code).to.equal("invalid_input");
    expect(!bad.ok && (bad.error.issues as { path: string }[]).map((i) => i.path)).to.deep.equal([
      "escrowId",
      "providerBps",
    ]);
    const unsigned = await callTool(ctx, "send", { to: `0x${"1".repeat(40)}`, amount: "1" });
    expect(!unsigned.ok && unsigned.error.code).to.equal("no_signer");
  });

  it("information_buy refuses a host off the allowlist before any request, naming it and the setting", async function () {
    // A signer whose node is never reached: the refusal comes before the chain or the URL is touched.
    const signed = createToolContext({
      rpcUrl: "http://127.0.0.1:1",
      account: privateKeyToAccount(generatePrivateKey()),
    });
    for (const url of [
      "http://169.254.169.254/latest/meta-data/",
      "http://127.0.0.1@internal.example/report",
      "https://example.com/report",
    ]) {
      const outcome = await callTool(signed, "information_buy", { url, maxPrice: "1" });
      expect(!outcome.ok && outcome.error.code, url).to.equal("refused");
      expect(!outcome.ok && outcome.error.message, url).to.match(
        new RegExp(
          `only allowed hosts, and ${new URL(url).host.replace(/\./g, "\\.")} is not one .*${INFORMATION_HOSTS_ENV}=`,
        ),
      );
    }
    // A loopback seller is allowed: the call goes on to the chain, which this context cannot reach.
    const local = await callTool(signed, "information_buy", {
      url: "http://127.0.0.1:9/report",
      maxPrice: "1",
    });
    expect(!local.ok && local.error.code).to.equal("network");
  });

  it("allows loopback, and other hosts only as configured (host, host:port, *)", function () {
    const allowed = (url: string, list: string[] = []) => informationHostAllowed(new URL(url), list);
    expect(allowed("http://127.0.0.1:9410/r")).to.equal(true);
    expect(allowed("http://127.8.9.10/r")).to.equal(true);
    expect(allowed("http://localhost:80/r")).to.equal(true);
    expect(allowed("http://[::1]:9410/r")).to.equal(true);
    expect(allowed("http://10.0.0.5/r")).to.equal(false);
    expect(allowed("http://127.0.0.1.nip.io/r")).to.equal(false);
    expect(allowed("https://info.example/r", ["info.example"])).to.equal(true);
    expect(allowed("https://info.example/r", ["info.example:443"])).to.equal(true);
    expect(allowed("https://info.example:8443/r", ["info.example:443"])).to.equal(false);
    expect(allowed("https://other.example/r", ["info.example"])).to.equal(false);
    expect(allowed("https://other.example/r", ["*"])).to.equal(true);
  });

  it("names the node it cannot reach", async function () {
    const outcome = await callTool(ctx, "economy", {});
    expect(!outcome.ok && outcome.error).to.include({ code: "network", url: "http://127.0.0.1:1" });
  });

  it("decodes a state bitmap and an enum to names", function () {
    const data = encodeErrorResult({
      abi: CONTRACT_ABIS.escrow,
      errorName: "EscrowInvalidState",
      args: [7n, EscrowState.valueOf("Created"), `0x${(1n << 4n).toString(16).padStart(64, "0")}`],
    });
    const revert = decodeRevert(data)!;
    expect(describeRevert(revert).text).to.equal(
      "EscrowInvalidState(escrowId: 7, current: Created, expectedStates: Funded)",
    );
  });

  it("docs/agents.md lists exactly the tools of scripts/tools (npm run docs:tools)", function () {
    expect(staleToolRows(readFileSync(AGENTS_DOC, "utf8"))).to.deep.equal([]);
  });
});
