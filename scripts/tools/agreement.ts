/**
 * Agreement tools (issue 17, docs/agreements.md): `agreement_propose`, `agreement_act`, `agreement_show`,
 * `agreement_list` for forwards, loans, insurance and information sales (one contract per kind on
 * IBilateralAgreement). An agreement is named by its kind and its id in that kind's contract. Every action
 * is checked against the agreement as the contract holds it (state by name, the caller's role, the
 * deadline, the CIV it needs) before anything is sent; whatever those checks miss is simulated and refused
 * with the contract's decoded error, and nothing is sent.
 */
import {
  type Address,
  getAddress,
  isHex,
  keccak256,
  parseEventLogs,
  stringToHex,
  toBytes,
  zeroAddress,
} from "viem";
import { z } from "zod";
import type { CivitasContracts } from "../lib/contracts.ts";
import { formatCiv } from "../lib/format.ts";
import { AgreementKind, AgreementState } from "../lib/vocabulary.ts";
import {
  addressInput,
  amountFields,
  civ,
  civInput,
  id,
  idInput,
  isoTime,
  signerOf,
  subject,
  type ToolChain,
  transact,
  txFields,
} from "./context.ts";
import { ToolError } from "./errors.ts";
import { defineTool } from "./tool.ts";

/** The agreement kinds these tools handle: the key in tools and the CLI, the deployment key, the kind number. */
export const AGREEMENT_KINDS = {
  forward: { contract: "forwardAgreements", kind: AgreementKind.FORWARD, label: "forward" },
  loan: { contract: "loanAgreements", kind: AgreementKind.LOAN, label: "loan" },
  insurance: { contract: "insuranceAgreements", kind: AgreementKind.INSURANCE, label: "insurance" },
  information_sale: {
    contract: "informationSales",
    kind: AgreementKind.INFORMATION_SALE,
    label: "information sale",
  },
} as const;

/** A kind these tools handle (`forward`, `loan`, `insurance`, `information_sale`). */
export type AgreementKindKey = keyof typeof AGREEMENT_KINDS;
const KIND_KEYS = Object.keys(AGREEMENT_KINDS) as [AgreementKindKey, ...AgreementKindKey[]];

/** A state's Solidity name (`Active`). */
type StateName = (typeof AgreementState.names)[number];
const HOUR = 3_600;

const kindInput = z
  .enum(KIND_KEYS)
  .describe("the agreement kind: forward, loan, insurance or information_sale");

/** The kind's contract binding (typed as the shared IBilateralAgreement part), or `unsupported`. */
function contractOf(contracts: CivitasContracts, kind: AgreementKindKey) {
  const binding = contracts[AGREEMENT_KINDS[kind].contract];
  if (binding === undefined)
    throw new ToolError("unsupported", `this deployment has no ${AGREEMENT_KINDS[kind].label} contract`);
  // Typed as the loan contract: the three share IBilateralAgreement's views, events and errors.
  return binding as unknown as NonNullable<CivitasContracts["loanAgreements"]>;
}

/** An agreement as the contract holds it, or `not_found`. */
async function agreementOf(chain: ToolChain, kind: AgreementKindKey, agreementId: bigint) {
  const contract = contractOf(chain.contracts, kind);
  const count = await chain.client.readContract({ ...contract, functionName: "agreementCount" });
  if (agreementId === 0n || agreementId > count)
    throw new ToolError(
      "not_found",
      `no ${AGREEMENT_KINDS[kind].label} ${agreementId} (${count === 0n ? "none yet" : `ids 1..${count}`})`,
      { kind, agreementId: agreementId.toString(), count: count.toString() },
    );
  const a = await chain.client.readContract({
    ...contract,
    functionName: "agreementOf",
    args: [agreementId],
  });
  return { contract, a, state: AgreementState.nameOf(a.state) as StateName };
}

/** The kind's own amounts of an agreement (principal and interest, premium and cover, price, collateral). */
async function kindAmounts(chain: ToolChain, kind: AgreementKindKey, agreementId: bigint, a: AgreementData) {
  const { client, contracts } = chain;
  if (kind === "loan") {
    const interest = await client.readContract({
      ...contracts.loanAgreements!,
      functionName: "interestOf",
      args: [agreementId],
    });
    return {
      ...amountFields("principal", a.counterpartyDeposit),
      ...amountFields("interest", interest),
      ...amountFields("collateral", a.proposerDeposit),
    };
  }
  if (kind === "insurance")
    return { ...amountFields("premium", a.proposerDeposit), ...amountFields("cover", a.counterpartyDeposit) };
  if (kind === "forward") {
    const { f, opensAt } = await forwardOf(chain, agreementId);
    return {
      ...amountFields("price", a.counterpartyDeposit - f.buyerCollateral),
      ...amountFields("collateral", a.proposerDeposit),
      ...amountFields("buyerCollateral", f.buyerCollateral),
      resourceId: f.resourceId.toString(),
      quantity: f.quantity.toString(),
      deliveryEpoch: f.deliveryEpoch.toString(),
      deliveryOpensAt: opensAt.toString(),
      deliveryOpensAtIso: isoTime(opensAt),
      onLedger: f.onLedger,
    };
  }
  const commitment = await client.readContract({
    ...contracts.informationSales!,
    functionName: "commitmentOf",
    args: [agreementId],
  });
  return {
    ...amountFields("price", a.counterpartyDeposit),
    ...amountFields("collateral", a.proposerDeposit),
    commitment,
  };
}

type AgreementData = Awaited<ReturnType<typeof agreementOf>>["a"];

/** A forward's terms (IForwardAgreements.Forward) and the start of its delivery epoch, in seconds. */
async function forwardOf(chain: ToolChain, agreementId: bigint) {
  const forwards = chain.contracts.forwardAgreements!;
  const [f, opensAt] = await Promise.all([
    chain.client.readContract({ ...forwards, functionName: "forwardOf", args: [agreementId] }),
    chain.client.readContract({ ...forwards, functionName: "deliveryOpensAt", args: [agreementId] }),
  ]);
  return { f, opensAt };
}

/** An agreement for people and models: parties, amounts in CIV, deadlines, state by name. */
async function describeAgreement(chain: ToolChain, kind: AgreementKindKey, agreementId: bigint) {
  const { contract, a, state } = await agreementOf(chain, kind, agreementId);
  const held = await chain.client.readContract({ ...contract, functionName: "heldFor", args: [agreementId] });
  return {
    kind,
    agreementId: agreementId.toString(),
    contract: contract.address,
    state,
    proposer: a.proposer,
    counterparty: a.counterparty,
    arbitrator: a.arbitrator === zeroAddress ? null : a.arbitrator,
    ...(await kindAmounts(chain, kind, agreementId, a)),
    ...amountFields("arbitratorFee", a.arbitratorFee),
    ...amountFields("bond", a.bond),
    ...amountFields("held", held),
    joinDeadline: a.joinDeadline.toString(),
    joinDeadlineIso: isoTime(a.joinDeadline),
    dueDate: a.dueDate.toString(),
    dueDateIso: isoTime(a.dueDate),
    reviewDeadline: a.reviewDeadline.toString(),
    rulingDeadline: a.rulingDeadline.toString(),
  };
}

/** `agreement_propose`: a loan, an insurance or an information sale. */
export const agreementProposeTool = defineTool({
  name: "agreement_propose",
  description:
    "Propose an agreement to another agent (both in good standing). forward: you sell `quantity` credits of " +
    "resource `resourceId` for delivery during market epoch `deliveryEpoch` (default: the next) at `price` CIV " +
    "fixed now, locking `collateral`; the buyer deposits the price and `buyerCollateral`; a transferable " +
    "resource's credits move on the ledger at delivery (settled at once), any other is attested (the buyer " +
    "confirms; an arbitrator rules a dispute); the due date must fall after the delivery epoch. loan: you borrow `principal` CIV from " +
    "the counterparty (the lender), pay `interest` on top by the due date, and lock `collateral` (at least " +
    "the principal; the lender gets it on default); no arbitrator. insurance: you pay `premium` for `cover` " +
    "against the event the terms describe until the due date; an arbitrator attests a claim. " +
    "information_sale: you sell data for `price`, committing its hash now and locking `collateral`; the buyer " +
    "pays, you reveal by the due date, an arbitrator rules on a dispute. You deposit your side (plus the " +
    "arbitrator's fee) now; the counterparty joins with agreement_act join. Windows in hours.",
  input: z.object({
    kind: kindInput,
    counterparty: addressInput("the other party: the lender, the insurer, the buyer"),
    arbitrator: addressInput("the arbitrator (insurance, information_sale; not for a loan)").optional(),
    arbitratorFee: civInput("the arbitrator's fee, earned by ruling (default 0)").optional(),
    principal: civInput("loan: CIV borrowed").optional(),
    interest: civInput("loan: CIV paid on top at repayment (default 0)").optional(),
    collateral: civInput("loan, information_sale or forward: CIV you lock").optional(),
    premium: civInput("insurance: CIV you pay the insurer").optional(),
    cover: civInput("insurance: CIV the insurer pays if the event happens").optional(),
    price: civInput("information_sale, forward: CIV the buyer pays").optional(),
    resourceId: idInput("forward: the resource whose credits you deliver (1 = gpu-second)").optional(),
    quantity: idInput("forward: how many credits (the resource's smallest units)").optional(),
    deliveryEpoch: idInput("forward: the market epoch of delivery (default: the next)").optional(),
    buyerCollateral: civInput("forward: CIV the buyer locks beside the price (default 0)").optional(),
    data: z
      .string()
      .optional()
      .describe("information_sale: the data you sell (its keccak256 is committed now; keep it to reveal)"),
    terms: z
      .string()
      .max(2_000)
      .default("")
      .describe("what is agreed (the named event, the data's description)"),
    termsURI: z.string().max(2_000).optional().describe("where the terms are published (default: none)"),
    joinHours: z
      .number()
      .positive()
      .max(24 * 365)
      .default(24)
      .describe("hours the counterparty has to join (default 24)"),
    dueHours: z
      .number()
      .positive()
      .max(24 * 365)
      .default(24 * 7)
      .describe("hours from now to the due date: repayment, end of cover, reveal (default 168)"),
    reviewHours: z
      .number()
      .positive()
      .max(720)
      .default(24)
      .describe("information_sale, forward: the buyer's review window in hours (default 24)"),
    rulingHours: z
      .number()
      .positive()
      .max(720)
      .default(24)
      .describe("the arbitrator's ruling window in hours (default 24)"),
  }),
  needsSigner: true,
  async run(ctx, input) {
    const chain = await signerOf(ctx);
    const kind = input.kind;
    const contract = contractOf(chain.contracts, kind);
    const need = (name: keyof typeof input): bigint => {
      const value = input[name];
      if (typeof value !== "string")
        throw new ToolError("invalid_input", `a ${AGREEMENT_KINDS[kind].label} needs ${name}`, {
          issues: [{ path: name, message: `required for ${kind}` }],
        });
      return civ(value);
    };
    const withArbitrator = kind !== "loan";
    if (withArbitrator && input.arbitrator === undefined)
      throw new ToolError("invalid_input", `a ${AGREEMENT_KINDS[kind].label} needs an arbitrator`, {
        issues: [{ path: "arbitrator", message: `required for ${kind}` }],
      });
    if (!withArbitrator && (input.arbitrator !== undefined || input.arbitratorFee !== undefined))
      throw new ToolError("invalid_input", "a loan names no arbitrator (repayment on chain decides it)", {
        issues: [{ path: "arbitrator", message: "not for a loan" }],
      });
    const fee = input.arbitratorFee === undefined ? 0n : civ(input.arbitratorFee);
    const now = (await chain.client.getBlock({ blockTag: "latest" })).timestamp;
    const joinDeadline = now + BigInt(Math.round(input.joinHours * HOUR));
    const dueDate = now + BigInt(Math.round(input.dueHours * HOUR));
    const terms = {
      counterparty: getAddress(input.counterparty),
      arbitrator: withArbitrator ? getAddress(input.arbitrator!) : zeroAddress,
      arbitratorFee: fee,
      joinDeadline,
      dueDate,
      reviewWindow: Math.round(input.reviewHours * HOUR),
      rulingWindow: Math.round(input.rulingHours * HOUR),
      termsHash: keccak256(stringToHex(input.terms)),
      termsURI: input.termsURI ?? "",
    };
    let call;
    let deposit: bigint;
    let amounts: Record<string, string>;
    if (kind === "loan") {
      const principal = need("principal");
      const interest = input.interest === undefined ? 0n : civ(input.interest);
      const collateral = need("collateral");
      if (collateral < principal)
        throw new ToolError(
          "refused",
          `a loan's collateral (${formatCiv(collateral)}) must be at least its principal (${formatCiv(principal)})`,
        );
      call = {
        ...chain.contracts.loanAgreements!,
        functionName: "propose",
        args: [terms, principal, interest, collateral],
      };
      deposit = collateral;
      amounts = {
        ...amountFields("principal", principal),
        ...amountFields("interest", interest),
        ...amountFields("collateral", collateral),
      };
    } else if (kind === "insurance") {
      const premium = need("premium");
      const cover = need("cover");
      call = {
        ...chain.contracts.insuranceAgreements!,
        functionName: "propose",
        args: [terms, premium, cover],
      };
      deposit = premium + fee;
      amounts = { ...amountFields("premium", premium), ...amountFields("cover", cover) };
    } else if (kind === "forward") {
      const price = need("price");
      const collateral = input.collateral === undefined ? 0n : civ(input.collateral);
      const buyerCollateral = input.buyerCollateral === undefined ? 0n : civ(input.buyerCollateral);
      if (input.resourceId === undefined || input.quantity === undefined)
        throw new ToolError("invalid_input", "a forward needs resourceId and quantity", {
          issues: [
            {
              path: input.resourceId === undefined ? "resourceId" : "quantity",
              message: "required for forward",
            },
          ],
        });
      const resourceId = id(input.resourceId);
      const quantity = id(input.quantity);
      if (quantity === 0n)
        throw new ToolError("refused", "a forward delivers at least one credit (quantity 0)");
      const market = chain.contracts.resourceMarket;
      const ledger = chain.contracts.resourceLedger;
      if (market === undefined || ledger === undefined)
        throw new ToolError("unsupported", "this deployment has no resource market");
      const active = await chain.client.readContract({
        ...ledger,
        functionName: "isActive",
        args: [resourceId],
      });
      if (!active)
        throw new ToolError("refused", `resource ${resourceId} is not an active resource of the ledger`);
      const current = await chain.client.readContract({ ...market, functionName: "currentEpoch" });
      const deliveryEpoch = input.deliveryEpoch === undefined ? current + 1n : id(input.deliveryEpoch);
      if (deliveryEpoch <= current)
        throw new ToolError(
          "refused",
          `a forward delivers in a future market epoch: ${deliveryEpoch} is not after the current epoch ${current}`,
        );
      const deliveryEnd = await chain.client.readContract({
        ...market,
        functionName: "epochEnd",
        args: [deliveryEpoch],
      });
      if (dueDate < deliveryEnd)
        throw new ToolError(
          "refused",
          `a forward's due date (${isoTime(dueDate)}) must not fall before the end of delivery epoch ` +
            `${deliveryEpoch} (${isoTime(deliveryEnd)}): dueHours at least ${Math.ceil(Number(deliveryEnd - now) / HOUR)}`,
          { dueDate: dueDate.toString(), deliveryEnd: deliveryEnd.toString() },
        );
      call = {
        ...chain.contracts.forwardAgreements!,
        functionName: "propose",
        args: [terms, { resourceId, quantity, deliveryEpoch }, price, collateral, buyerCollateral],
      };
      deposit = collateral + fee;
      amounts = {
        ...amountFields("price", price),
        ...amountFields("collateral", collateral),
        ...amountFields("buyerCollateral", buyerCollateral),
        resourceId: resourceId.toString(),
        quantity: quantity.toString(),
        deliveryEpoch: deliveryEpoch.toString(),
      };
    } else {
      const price = need("price");
      const collateral = input.collateral === undefined ? 0n : civ(input.collateral);
      if (input.data === undefined)
        throw new ToolError("invalid_input", "an information sale needs the data (its hash is committed)", {
          issues: [{ path: "data", message: "required for information_sale" }],
        });
      const commitment = keccak256(dataBytes(input.data));
      call = {
        ...chain.contracts.informationSales!,
        functionName: "propose",
        args: [terms, price, collateral, commitment],
      };
      deposit = collateral + fee;
      amounts = { ...amountFields("price", price), ...amountFields("collateral", collateral), commitment };
    }
    const receipt = await transact(
      chain,
      call as never,
      {
        label: `propose ${AGREEMENT_KINDS[kind].label}`,
        pay: {
          spender: contract.address,
          amount: deposit,
          what: `proposing this ${AGREEMENT_KINDS[kind].label}`,
        },
      },
      ctx.onProgress,
    );
    const [log] = parseEventLogs({ abi: contract.abi, logs: receipt.logs, eventName: "AgreementProposed" });
    return {
      kind,
      agreementId: (log?.args.agreementId ?? 0n).toString(),
      contract: contract.address,
      state: "Proposed",
      counterparty: terms.counterparty,
      arbitrator: withArbitrator ? terms.arbitrator : null,
      ...amounts,
      ...amountFields("deposited", deposit),
      ...amountFields("bond", log?.args.bond ?? 0n),
      joinDeadline: joinDeadline.toString(),
      joinDeadlineIso: isoTime(joinDeadline),
      dueDate: dueDate.toString(),
      dueDateIso: isoTime(dueDate),
      ...txFields(receipt),
    };
  },
});

/** Data as bytes: a 0x hex string as is, anything else as UTF-8. */
function dataBytes(data: string): Uint8Array {
  return isHex(data) ? toBytes(data) : toBytes(stringToHex(data));
}

/** Who may take an action. */
type Role = "proposer" | "counterparty" | "arbitrator" | "anyone" | "party";

/** One action of `agreement_act`: the kinds it applies to, the state it needs, who, and its deadline. */
interface Action {
  kinds: readonly AgreementKindKey[];
  states: readonly StateName[];
  who: Role | Partial<Record<AgreementKindKey, Role>>;
  /** `before`: by the deadline (inclusive); `after`: once it passed. */
  deadline?: {
    field: "joinDeadline" | "dueDate" | "reviewDeadline" | "rulingDeadline";
    when: "before" | "after";
  };
  describe: string;
}

/** Every action after a proposal, by name. */
export const AGREEMENT_ACTIONS = {
  accept: {
    kinds: ["forward", "insurance", "information_sale"],
    states: ["Proposed"],
    who: "arbitrator",
    deadline: { field: "joinDeadline", when: "before" },
    describe: "the arbitrator takes the role, posting its bond",
  },
  join: {
    kinds: KIND_KEYS,
    states: [],
    who: "counterparty",
    deadline: { field: "joinDeadline", when: "before" },
    describe:
      "the counterparty deposits its side: the lender's principal, the insurer's cover, the buyer's price " +
      "(and a forward buyer's collateral)",
  },
  cancel: {
    kinds: KIND_KEYS,
    states: ["Proposed", "Accepted"],
    who: "party",
    describe: "a party withdraws before the counterparty joined (anyone after the join deadline)",
  },
  repay: {
    kinds: ["loan"],
    states: ["Active"],
    who: "proposer",
    deadline: { field: "dueDate", when: "before" },
    describe: "the borrower repays principal + interest and gets the collateral back",
  },
  default: {
    kinds: ["forward", "loan", "information_sale"],
    states: ["Active"],
    who: "anyone",
    deadline: { field: "dueDate", when: "after" },
    describe:
      "after the due date, unpaid (loan), unrevealed (sale) or undelivered (forward): the collateral goes " +
      "to the lender or buyer",
  },
  deliver: {
    kinds: ["forward"],
    states: ["Active"],
    who: "proposer",
    deadline: { field: "dueDate", when: "before" },
    describe:
      "the seller delivers once the delivery epoch opened: a transferable resource's credits move to the " +
      "buyer and the forward settles; any other is attested (the buyer confirms or disputes)",
  },
  claim: {
    kinds: ["insurance"],
    states: ["Active"],
    who: "proposer",
    deadline: { field: "dueDate", when: "before" },
    describe: "the insured claims the event happened; the arbitrator rules (needs evidence)",
  },
  pay_claim: {
    kinds: ["insurance"],
    states: ["Disputed"],
    who: "counterparty",
    describe: "the insurer confirms a claim and pays the cover",
  },
  expire: {
    kinds: ["insurance"],
    states: ["Active"],
    who: "anyone",
    deadline: { field: "dueDate", when: "after" },
    describe: "after the due date with no claim: the insurer keeps the cover and earns the premium",
  },
  reveal: {
    kinds: ["information_sale"],
    states: ["Active"],
    who: "proposer",
    deadline: { field: "dueDate", when: "before" },
    describe: "the seller reveals the data (needs data)",
  },
  confirm: {
    kinds: ["forward", "information_sale"],
    states: ["Delivered"],
    who: "counterparty",
    describe: "the buyer accepts the revealed data or the attested delivery; the seller is paid",
  },
  dispute: {
    kinds: ["forward", "information_sale"],
    states: ["Delivered"],
    who: "counterparty",
    deadline: { field: "reviewDeadline", when: "before" },
    describe: "the buyer disputes the revealed data or the attested delivery (needs evidence)",
  },
  finalize: {
    kinds: ["forward", "information_sale"],
    states: ["Delivered"],
    who: "anyone",
    deadline: { field: "reviewDeadline", when: "after" },
    describe: "after the review window with no answer: the seller is paid",
  },
  evidence: {
    kinds: ["forward", "insurance", "information_sale"],
    states: ["Disputed"],
    who: "party",
    describe: "submit evidence in a dispute (needs evidence)",
  },
  rule: {
    kinds: ["forward", "insurance", "information_sale"],
    states: ["Disputed"],
    who: "arbitrator",
    deadline: { field: "rulingDeadline", when: "before" },
    describe: "the arbitrator rules (needs proposerWins: the event happened / the seller wins)",
  },
  no_show: {
    kinds: ["forward", "insurance", "information_sale"],
    states: ["Disputed"],
    who: "anyone",
    deadline: { field: "rulingDeadline", when: "after" },
    describe: "after a missed ruling: the bond is shared between the parties",
  },
} as const satisfies Record<string, Action>;

/** An action's name (`repay`). */
export type AgreementActionName = keyof typeof AGREEMENT_ACTIONS;
const ACTION_NAMES = Object.keys(AGREEMENT_ACTIONS) as [AgreementActionName, ...AgreementActionName[]];

/** The contract function of an action for a kind, with its arguments. */
function callOf(
  action: AgreementActionName,
  kind: AgreementKindKey,
  agreementId: bigint,
  input: { evidence?: string; data?: string; proposerWins?: boolean },
): { functionName: string; args: unknown[] } {
  const needs = (field: "evidence" | "data") => {
    const value = input[field];
    if (value === undefined || value === "")
      throw new ToolError("invalid_input", `${action} needs ${field}`, {
        issues: [{ path: field, message: "required" }],
      });
    return value;
  };
  switch (action) {
    case "accept":
    case "join":
    case "cancel":
    case "repay":
    case "expire":
    case "confirm":
    case "finalize":
    case "deliver":
      return { functionName: action, args: [agreementId] };
    case "default":
      return { functionName: "claimDefault", args: [agreementId] };
    case "pay_claim":
      return { functionName: "payClaim", args: [agreementId] };
    case "no_show":
      return { functionName: "resolveNoShow", args: [agreementId] };
    case "claim":
    case "dispute":
      return { functionName: action, args: [agreementId, needs("evidence")] };
    case "evidence":
      return { functionName: "submitEvidence", args: [agreementId, needs("evidence")] };
    case "reveal":
      return { functionName: "reveal", args: [agreementId, stringToHexBytes(needs("data"))] };
    case "rule":
      if (input.proposerWins === undefined)
        throw new ToolError(
          "invalid_input",
          `rule needs proposerWins (${kind === "insurance" ? "true: the event happened" : "true: the seller wins"})`,
          { issues: [{ path: "proposerWins", message: "required" }] },
        );
      return { functionName: "rule", args: [agreementId, input.proposerWins] };
  }
}

const stringToHexBytes = (data: string) => (isHex(data) ? data : stringToHex(data));

/** `agreement_act`: every step after a proposal. */
export const agreementActTool = defineTool({
  name: "agreement_act",
  description:
    "Take a step in an agreement (forward, loan, insurance, information_sale), named by kind and id. Actions: " +
    ACTION_NAMES.map(
      (name) => `${name} (${AGREEMENT_ACTIONS[name].kinds.join("/")}): ${AGREEMENT_ACTIONS[name].describe}`,
    ).join("; ") +
    ". The step is checked first (state, your role, the deadline, the CIV it needs) and refused with the reason; nothing is sent that would fail.",
  input: z.object({
    kind: kindInput,
    agreementId: idInput("the agreement's id in its kind's contract"),
    action: z.enum(ACTION_NAMES).describe("the step: " + ACTION_NAMES.join(", ")),
    evidence: z
      .string()
      .max(2_000)
      .optional()
      .describe("claim, dispute, evidence: a URI or text of the evidence"),
    data: z.string().optional().describe("reveal: the data sold (the same text or 0x hex as committed)"),
    proposerWins: z
      .boolean()
      .optional()
      .describe("rule: true = the proposer wins (the insured event happened; the seller's data is good)"),
  }),
  needsSigner: true,
  async run(ctx, input) {
    const chain = await signerOf(ctx);
    const kind = input.kind;
    const action: Action = AGREEMENT_ACTIONS[input.action];
    const label = `${input.action.replace("_", " ")} ${AGREEMENT_KINDS[kind].label} ${input.agreementId}`;
    if (!action.kinds.includes(kind))
      throw new ToolError(
        "refused",
        `${input.action} is not a step of ${kind} agreements (it applies to: ${action.kinds.join(", ")})`,
      );
    const agreementId = id(input.agreementId);
    const { contract, a, state } = await agreementOf(chain, kind, agreementId);
    const me = chain.wallet.address;
    // The state it needs (join: Proposed for a loan, Accepted once an arbitrator bonded).
    const states: readonly StateName[] =
      input.action === "join" ? [a.arbitrator === zeroAddress ? "Proposed" : "Accepted"] : action.states;
    if (!states.includes(state))
      throw new ToolError(
        "refused",
        `${label} is ${state}: ${input.action} needs ${states.join(" or ")}` +
          (input.action === "join" && state === "Proposed" ? " (the arbitrator has not accepted yet)" : ""),
        { state, expectedStates: states },
      );
    const who = typeof action.who === "string" ? action.who : (action.who[kind] ?? "anyone");
    const now = (await chain.client.getBlock({ blockTag: "latest" })).timestamp;
    // Who may act: the accounts, and how to name them.
    const allowed: Address[] | undefined =
      who === "anyone" || (who === "party" && input.action === "cancel" && now > a.joinDeadline)
        ? undefined
        : who === "party"
          ? [a.proposer, a.counterparty]
          : [a[who]];
    if (allowed !== undefined && !allowed.some((p) => p.toLowerCase() === me.toLowerCase()))
      throw new ToolError(
        "refused",
        `${label} is for the ${who === "party" ? "proposer or counterparty" : who} (${allowed.join(" or ")}), not ${me}`,
      );
    if (action.deadline !== undefined) {
      const deadline = a[action.deadline.field];
      const late = now >= deadline; // the next block is later than the latest one
      if (action.deadline.when === "before" && late)
        throw new ToolError(
          "refused",
          `${label}: the ${action.deadline.field} passed at ${isoTime(deadline)}; ${input.action} is no longer possible`,
          { deadline: deadline.toString() },
        );
      if (action.deadline.when === "after" && now < deadline)
        throw new ToolError(
          "refused",
          `${label}: ${input.action} is possible only after the ${action.deadline.field} (${isoTime(deadline)})`,
          { deadline: deadline.toString() },
        );
    }
    let pay = 0n;
    if (input.action === "accept") pay = a.bond;
    if (input.action === "join") pay = a.counterpartyDeposit;
    if (input.action === "repay")
      pay =
        a.counterpartyDeposit +
        (await chain.client.readContract({
          ...chain.contracts.loanAgreements!,
          functionName: "interestOf",
          args: [agreementId],
        }));
    let approvedLedger = false;
    if (input.action === "deliver")
      approvedLedger = await readyToDeliver(chain, label, agreementId, now, ctx.onProgress);
    const call = callOf(input.action, kind, agreementId, input);
    const receipt = await transact(
      chain,
      { ...contract, ...call } as never,
      { label, ...(pay > 0n ? { pay: { spender: contract.address, amount: pay, what: label } } : {}) },
      ctx.onProgress,
    );
    const after = await agreementOf(chain, kind, agreementId);
    const settled = parseEventLogs({
      abi: contract.abi,
      logs: receipt.logs,
      eventName: "AgreementSettled",
    })[0];
    return {
      kind,
      agreementId: agreementId.toString(),
      action: input.action,
      state: after.state,
      ...amountFields("paid", pay),
      ...(input.action === "deliver" ? { approvedLedger } : {}),
      ...(settled === undefined
        ? {}
        : {
            ...amountFields(
              "proposerReceived",
              settled.args.payout.proposerPrincipal + settled.args.payout.proposerEarnings,
            ),
            ...amountFields(
              "counterpartyReceived",
              settled.args.payout.counterpartyPrincipal + settled.args.payout.counterpartyEarnings,
            ),
            ...amountFields(
              "arbitratorReceived",
              settled.args.payout.arbitratorPrincipal + settled.args.payout.arbitratorEarnings,
            ),
          }),
      ...txFields(receipt),
    };
  },
});

/**
 * Checks a forward's delivery before it is sent: the delivery epoch has opened and, for a transferable
 * resource, the seller holds the credits; approves the forward contract on the ledger (its own transaction)
 * when the seller has not yet.
 * @returns Whether an approval was sent.
 */
async function readyToDeliver(
  chain: ToolChain & { wallet: { address: Address } },
  label: string,
  agreementId: bigint,
  now: bigint,
  onProgress?: (line: string) => void,
): Promise<boolean> {
  const { f, opensAt } = await forwardOf(chain, agreementId);
  if (now + 1n < opensAt)
    throw new ToolError(
      "refused",
      `${label}: delivery opens with market epoch ${f.deliveryEpoch} at ${isoTime(opensAt)}`,
      { opensAt: opensAt.toString() },
    );
  const ledger = chain.contracts.resourceLedger!;
  const policy = await chain.client.readContract({
    ...ledger,
    functionName: "policyOf",
    args: [f.resourceId],
  });
  if (!policy.transferable) return false;
  const seller = chain.wallet.address;
  const held = await chain.client.readContract({
    ...ledger,
    functionName: "balanceOf",
    args: [seller, f.resourceId],
  });
  if (held < f.quantity)
    throw new ToolError(
      "refused",
      `${label}: you hold ${held} of the ${f.quantity} credits of resource ${f.resourceId} to deliver`,
      { held: held.toString(), quantity: f.quantity.toString() },
    );
  const forwards = chain.contracts.forwardAgreements!.address;
  const approved = await chain.client.readContract({
    ...ledger,
    functionName: "isApprovedForAll",
    args: [seller, forwards],
  });
  if (approved) return false;
  await transact(
    chain as never,
    { ...ledger, functionName: "setApprovalForAll", args: [forwards, true] } as never,
    { label: `${label}: approve the forward contract on the ledger` },
    onProgress,
  );
  onProgress?.(`Approved ${forwards} to move your credits of the ledger.`);
  return true;
}

/** `agreement_show`: one agreement. */
export const agreementShowTool = defineTool({
  name: "agreement_show",
  description:
    "Show one agreement (forward, loan, insurance, information_sale) as the contract holds it: state by name, " +
    "parties, amounts in CIV, deadlines, what it holds now.",
  input: z.object({ kind: kindInput, agreementId: idInput("the agreement's id in its kind's contract") }),
  needsSigner: false,
  async run(ctx, input) {
    return describeAgreement(await ctx.chain(), input.kind, id(input.agreementId));
  },
});

/** `agreement_list`: recent agreements an address is party to. */
export const agreementListTool = defineTool({
  name: "agreement_list",
  description:
    "Recent agreements (forwards, loans, insurance, information sales) you or an address are party to, newest first, " +
    "read from the chain: kind, id, your role (proposer, counterparty, arbitrator), state by name, amounts. " +
    "Use it to find agreements offered to you (state Proposed or Accepted, you the counterparty: join).",
  input: z.object({
    address: addressInput("the party (default: you)").optional(),
    kind: kindInput.optional(),
    limit: z
      .number()
      .int()
      .positive()
      .max(200)
      .default(20)
      .describe("how many of each kind to scan back (default 20)"),
  }),
  needsSigner: false,
  async run(ctx, input) {
    const chain = await ctx.chain();
    const who = getAddress(subject(ctx, input.address)) as Address;
    const kinds = input.kind === undefined ? KIND_KEYS : [input.kind];
    const agreements = [];
    for (const kind of kinds) {
      if (chain.contracts[AGREEMENT_KINDS[kind].contract] === undefined) continue;
      const binding = contractOf(chain.contracts, kind);
      const count = await chain.client.readContract({ ...binding, functionName: "agreementCount" });
      const from = count > BigInt(input.limit) ? count - BigInt(input.limit) + 1n : 1n;
      for (let n = count; n >= from && n > 0n; n--) {
        const a = await chain.client.readContract({ ...binding, functionName: "agreementOf", args: [n] });
        const role =
          a.proposer === who
            ? "proposer"
            : a.counterparty === who
              ? "counterparty"
              : a.arbitrator === who
                ? "arbitrator"
                : undefined;
        if (role === undefined) continue;
        agreements.push({
          kind,
          agreementId: n.toString(),
          role,
          state: AgreementState.nameOf(a.state),
          ...amountFields("proposerDeposit", a.proposerDeposit),
          ...amountFields("counterpartyDeposit", a.counterpartyDeposit),
          dueDate: a.dueDate.toString(),
          dueDateIso: isoTime(a.dueDate),
        });
      }
    }
    return { address: who, agreements };
  },
});

/** Every agreement tool. */
export const AGREEMENT_TOOLS = [
  agreementProposeTool,
  agreementActTool,
  agreementShowTool,
  agreementListTool,
] as const;
