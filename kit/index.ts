/**
 * The Civitas test kit and SDK, as another project imports it (`import { startCivitas } from "civitas"`):
 * typed contract bindings and ABIs, the agent wallet (simulate, send, wait, decoded reverts), the
 * vocabulary (state names, constants), formatting, GraphQL helpers, and {@link startCivitas}, a fixture
 * that runs a devnet with Civitas deployed for your tests. Built to JavaScript with type declarations by
 * `npm run build:kit` (dist/kit/index.js).
 */
export * from "../scripts/lib/clients.ts";
export * from "../scripts/lib/contracts.ts";
export type { Deployment } from "../scripts/lib/deployment.ts";
export * from "../scripts/lib/errors.ts";
export * from "../scripts/lib/format.ts";
export * from "../scripts/lib/graphql.ts";
export * from "../scripts/lib/vocabulary.ts";
export * as abis from "../generated/abis.ts";
export * from "./fixture.ts";
