import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import Foundation from "./Foundation.ts";

/**
 * The whole Civitas protocol, composed from one module per contract and wired together.
 * Deployed by `npm run deploy` (scripts/deploy.ts), which also writes `deployments/<chainId>.json`.
 */
export default buildModule("Protocol", (m) => {
  const { treasury, token } = m.useModule(Foundation);
  return { treasury, token };
});
