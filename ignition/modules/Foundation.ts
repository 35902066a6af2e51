import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * The foundation every other Civitas contract stands on: the Treasury and the CIV token, whose genesis
 * supply (10,000,000 CIV) the token mints to the Treasury.
 *
 * Parameters (`Foundation` in the parameters JSON):
 * - `taxBps` (default 1000 = 10%, at most 2000) and `capBps` (default 500 = 5%, within [10, 5000]): the
 *   token's constructor arguments (the contract holds no default of its own).
 *
 * The deployer (account 0) is admin of both until the protocol module hands every role to the timelock.
 */
export default buildModule("Foundation", (m) => {
  const deployer = m.getAccount(0);
  const taxBps = m.getParameter("taxBps", 1_000n);
  const capBps = m.getParameter("capBps", 500n);

  const treasury = m.contract("Treasury", [deployer]);
  const token = m.contract("CivitasToken", [deployer, treasury, taxBps, capBps]);

  return { treasury, token };
});
